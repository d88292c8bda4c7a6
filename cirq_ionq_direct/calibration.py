"""``Calibration``: one QPU characterization, read the way cirq-ionq's ``Calibration`` reads it.

IonQ v0.4 serves characterizations from ``GET /backends/{backend}/characterizations``:
``{"id", "date", "backend", "qubits", "connectivity", "fidelity", "timing"}``, with dates as ISO
strings and timings in seconds. cirq-ionq's object predates v0.4 (it reads ``target`` and needs
fractional seconds in ``date``); this one reads both shapes. It is also a read-only mapping over
the record (``calibration["backend"]``), as ``Service.get_current_calibration`` returned before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

import cirq

from ionq_direct.errors import InvalidInputError

__all__ = ["Calibration"]


class Calibration(Mapping[str, Any]):
    """A QPU's characterization: qubit count, gate fidelities, timings and connectivity.

    Args:
        record: the characterization as the API returns it.

    Raises:
        InvalidInputError: ``record`` is not a mapping.
    """

    def __init__(self, record: Mapping[str, Any]) -> None:
        if not isinstance(record, Mapping):
            raise InvalidInputError(
                f"a calibration is built from a characterization dict, got {type(record).__name__}"
            )
        self._record = dict(record)

    def __repr__(self) -> str:
        backend, date = self._record.get("backend"), self._record.get("date")
        return f"Calibration(target={backend!r}, date={date!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Calibration) and other._record == self._record

    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, name: str) -> Any:
        return self._record[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._record)

    def __len__(self) -> int:
        return len(self._record)

    @property
    def record(self) -> dict[str, Any]:
        """A copy of the characterization as the API returned it."""
        return dict(self._record)

    def _field(self, name: str) -> Any:
        if name not in self._record:
            raise InvalidInputError(f"the characterization has no {name!r} field")
        return self._record[name]

    def num_qubits(self) -> int:
        """The number of qubits on the QPU."""
        return int(self._field("qubits"))

    def target(self) -> str:
        """The QPU's name, e.g. ``"qpu.aria-1"`` (v0.4 ``backend``; older records: ``target``)."""
        name = self._record.get("backend", self._record.get("target"))
        if not isinstance(name, str):
            raise InvalidInputError("the characterization names no backend")
        return name

    def calibration_time(self, tz: datetime.tzinfo | None = None) -> datetime.datetime:
        """When the characterization was taken, as an aware ``datetime``.

        Args:
            tz: the time zone to express it in; ``None`` uses the platform's local zone.
        """
        text = self._field("date")
        if not isinstance(text, str):
            raise InvalidInputError(f"characterization date must be an ISO string, got {text!r}")
        try:
            when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidInputError(f"characterization date {text!r} is not ISO 8601") from exc
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.astimezone(tz)

    def fidelities(self) -> dict[str, Any]:
        """Fidelities by kind (``"spam"``, ``"1q"``, ``"2q"``), each e.g. ``{"median": 0.996}``."""
        value = self._field("fidelity")
        return {k: dict(v) if isinstance(v, Mapping) else v for k, v in value.items()}

    def timings(self) -> dict[str, float]:
        """Durations in seconds: ``t1``, ``t2``, ``1q``, ``2q``, ``readout``, ``reset``."""
        return {str(k): float(v) for k, v in self._field("timing").items() if v is not None}

    def connectivity(self) -> set[tuple[cirq.LineQubit, cirq.LineQubit]]:
        """The pairs of qubits that can interact, each pair in both orders."""
        pairs: set[tuple[cirq.LineQubit, cirq.LineQubit]] = set()
        for pair in self._field("connectivity"):
            a, b = (cirq.LineQubit(int(i)) for i in pair)
            pairs.add((a, b))
            pairs.add((b, a))
        return pairs
