"""Build ``cirq.ResultDict`` objects from IonQ result distributions.

A :class:`Layout` is what a translated circuit needs to read its results back: the measurement
keys with their sizes, the qubit each classical bit reads and the bits ``invert_mask`` flips.
Per-shot outcomes come from the core :func:`ionq_direct.results.memory` (seeded sampling of an
ideal distribution, or largest-remainder counts shuffled with the seed for QPU and noisy
frequencies), so every repetition is accounted for; bits are read with the core
:func:`~ionq_direct.results.qubit_bits`, the one home of IonQ's bit order.

Within a key, column ``j`` is the ``j``-th qubit given to ``cirq.measure`` (big-endian, like
``cirq.Simulator``); records are ``int8`` of shape ``(repetitions, 1, size)``, as Cirq's own
simulators produce.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cirq
import numpy as np
import sympy
from numpy.typing import ArrayLike

from cirq_ionq_direct.translate import inverted_bits
from ionq_direct import results
from ionq_direct.circuit import Circuit
from ionq_direct.errors import InvalidInputError

__all__ = [
    "LAYOUT_METADATA_KEY",
    "PARAMS_METADATA_KEY",
    "Layout",
    "decode_layouts",
    "decode_params",
    "encode_layouts",
    "encode_params",
]

#: Job metadata key holding the JSON measurement layouts of a job's circuits.
LAYOUT_METADATA_KEY = "cirq_layout"
#: Job metadata key holding the JSON parameter values each circuit was resolved with.
PARAMS_METADATA_KEY = "cirq_params"
#: Longest metadata value IonQ documents (40,000 characters); longer layouts are not stored.
MAX_METADATA_VALUE = 40_000


@dataclass(frozen=True)
class Layout:
    """How to read one circuit's results.

    Attributes:
        registers: ``(key, size)`` per measurement key, in order of first appearance.
        measurement_map: classical bit ``i`` reads qubit ``measurement_map[i]``.
        inverted: classical bits to flip (from ``invert_mask``).
    """

    registers: tuple[tuple[str, int], ...]
    measurement_map: tuple[int, ...]
    inverted: tuple[int, ...] = ()

    @classmethod
    def of(cls, circuit: Circuit) -> Layout:
        """The layout of a circuit translated by :func:`cirq_ionq_direct.to_ionq`."""
        return cls(circuit.registers, circuit.measurement_map, inverted_bits(circuit))

    def to_result(
        self,
        distribution: tuple[ArrayLike, ArrayLike],
        repetitions: int,
        *,
        exact: bool,
        seed: int | None,
        params: cirq.ParamResolver | None = None,
    ) -> cirq.ResultDict:
        """``repetitions`` per-shot records drawn from an IonQ distribution.

        Args:
            distribution: ``(outcomes, probabilities)`` arrays (as ``Job.distribution()`` gives);
                bit ``q`` of an outcome is qubit ``q``.
            repetitions: number of records per key.
            exact: ``True`` for an ideal simulator's exact distribution (seeded sampling),
                ``False`` for QPU or noisy-simulator frequencies (largest-remainder counts).
            seed: the sampling or shuffling seed.
            params: the parameters the circuit was resolved with.
        """
        outcomes, probs = distribution
        shots = results.memory(outcomes, probs, repetitions, exact=exact, seed=seed)
        bits = results.qubit_bits(shots, self.measurement_map).astype(np.int8)
        if self.inverted:
            bits[:, list(self.inverted)] ^= 1
        records: dict[str, np.ndarray[Any, Any]] = {}
        offset = 0
        for key, size in self.registers:
            records[key] = bits[:, offset : offset + size].reshape(repetitions, 1, size)
            offset += size
        return cirq.ResultDict(params=params or cirq.ParamResolver({}), records=records)


def encode_layouts(layouts: Sequence[Layout], offset: int = 0) -> str:
    """The compact JSON stored in job metadata: distinct layouts, then runs of layout indices.

    Args:
        layouts: one layout per circuit of the job, in order.
        offset: the input index of the job's first circuit (seeds depend on it).
    """
    distinct: dict[Layout, int] = {}
    runs: list[list[int]] = []
    for layout in layouts:
        number = distinct.setdefault(layout, len(distinct))
        if runs and runs[-1][0] == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    table = [
        [[list(register) for register in layout.registers], layout.measurement_map, layout.inverted]
        for layout in distinct
    ]
    return json.dumps({"l": table, "r": runs, "o": offset}, separators=(",", ":"))


def decode_layouts(text: str) -> tuple[list[Layout], int]:
    """Read :func:`encode_layouts` back: one layout per circuit, and the offset.

    Raises:
        InvalidInputError: the text is not a layout this package wrote.
    """
    try:
        data = json.loads(text)
        table = [
            Layout(
                tuple((str(key), int(size)) for key, size in registers),
                tuple(int(q) for q in mapping),
                tuple(int(b) for b in inverted),
            )
            for registers, mapping, inverted in data["l"]
        ]
        layouts = [table[number] for number, count in data["r"] for _ in range(int(count))]
        return layouts, int(data["o"])
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise InvalidInputError(
            f"job metadata {LAYOUT_METADATA_KEY!r} is not readable: {exc}"
        ) from exc


def _real(value: Any) -> int | float | None:
    """``value`` as a JSON number, or ``None`` when it is not a plain real number."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer, sympy.Integer)):
        return int(value)
    if isinstance(value, (float, np.floating, sympy.Float, sympy.Rational)):
        return float(value)
    return None


def encode_params(params: Sequence[cirq.ParamResolver]) -> str | None:
    """The JSON stored in job metadata: ``[name, is_symbol, value]`` triples per circuit.

    Returns ``None`` when there are no parameters, or a value is not a plain real number (it is
    then not stored).
    """
    rows: list[list[list[Any]]] = []
    for resolver in params:
        row: list[list[Any]] = []
        for key, value in resolver.param_dict.items():
            number = _real(value)
            if number is None or not isinstance(key, (str, sympy.Symbol)):
                return None
            if isinstance(key, sympy.Symbol):
                row.append([key.name, 1, number])
            else:
                row.append([key, 0, number])
        rows.append(row)
    if not any(rows):
        return None
    return json.dumps(rows, separators=(",", ":"))


def decode_params(text: str) -> list[cirq.ParamResolver] | None:
    """Read :func:`encode_params` back (``None`` when the text is not readable)."""
    try:
        return [
            cirq.ParamResolver(
                {
                    (sympy.Symbol(name) if symbol else str(name)): value
                    for name, symbol, value in row
                }
            )
            for row in json.loads(text)
        ]
    except (ValueError, TypeError):
        return None
