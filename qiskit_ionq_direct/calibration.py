"""``Characterization``: a QPU's latest calibration, as ``backend.calibration()`` returns it.

The v0.4 record (``GET /backends/{name}/characterizations``) holds median fidelities (``spam``,
``1q``, ``2q``), durations in seconds (``t1``, ``t2``, ``1q``, ``2q``, ``readout``, ``reset``),
the connected qubit pairs and the date. The attribute names are qiskit-ionq's. The error and
duration helpers are what the backend's ``Target`` carries for each instruction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["Characterization"]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class Characterization:
    """One characterization record of a QPU.

    Args:
        record: the characterization object the API returned.
    """

    def __init__(self, record: Mapping[str, Any]) -> None:
        self._record = dict(record)

    def __repr__(self) -> str:
        return (
            f"<Characterization {self.backend!r} id={self.id!r} date={self._record.get('date')!r}>"
        )

    @property
    def record(self) -> dict[str, Any]:
        """The raw record."""
        return self._record

    @property
    def id(self) -> str | None:
        """The characterization's id."""
        value = self._record.get("id")
        return value if isinstance(value, str) else None

    @property
    def backend(self) -> str | None:
        """The QPU it describes, e.g. ``"qpu.aria-1"``."""
        value = self._record.get("backend")
        return value if isinstance(value, str) else None

    @property
    def status(self) -> str:
        """``"available"``: a v0.4 record has no status of its own."""
        value = self._record.get("status")
        return value if isinstance(value, str) else "available"

    @property
    def date(self) -> datetime | None:
        """When it was measured (timezone-aware), if the record says."""
        value = self._record.get("date")
        if not isinstance(value, str):
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None

    @property
    def qubits(self) -> int:
        """The number of qubits characterized."""
        value = self._record.get("qubits")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def connectivity(self) -> list[tuple[int, int]]:
        """The qubit pairs a two-qubit gate may join, as listed (one order per pair)."""
        pairs = self._record.get("connectivity")
        if not isinstance(pairs, list):
            return []
        return [
            (int(p[0]), int(p[1])) for p in pairs if isinstance(p, list | tuple) and len(p) == 2
        ]

    @property
    def fidelity(self) -> dict[str, Any]:
        """The fidelity block: ``{"spam": {"median": ...}, "1q": {...}, "2q": {...}}``."""
        value = self._record.get("fidelity")
        return dict(value) if isinstance(value, Mapping) else {}

    @property
    def median_spam_fidelity(self) -> float | None:
        """The median state-preparation-and-measurement fidelity."""
        return self.median_fidelity("spam")

    @property
    def timing(self) -> dict[str, Any]:
        """The durations, in seconds: ``t1``, ``t2``, ``1q``, ``2q``, ``readout``, ``reset``."""
        value = self._record.get("timing")
        return dict(value) if isinstance(value, Mapping) else {}

    def median_fidelity(self, kind: str) -> float | None:
        """The median fidelity of ``kind`` (``"spam"``, ``"1q"`` or ``"2q"``), if recorded."""
        block = self.fidelity.get(kind)
        value = _number(block.get("median")) if isinstance(block, Mapping) else None
        return value if value is not None and 0.0 <= value <= 1.0 else None

    def error(self, kind: str) -> float | None:
        """``1 - median fidelity`` of ``kind``, as a Qiskit ``Target`` states an error."""
        fidelity = self.median_fidelity(kind)
        return None if fidelity is None else 1.0 - fidelity

    def duration(self, kind: str) -> float | None:
        """The duration of ``kind`` (``"1q"``, ``"2q"``, ``"readout"``, ...) in seconds."""
        value = _number(self.timing.get(kind))
        return value if value is not None and value >= 0 else None
