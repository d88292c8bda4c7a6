"""Build ``cirq.ResultDict`` objects from IonQ result distributions.

A :class:`Layout` is what a translated circuit needs to read its results back: the measurement
keys with their sizes, the qubit each classical bit reads and the bits ``invert_mask`` flips.
Per-shot outcomes come from the core :func:`ionq_direct.results.memory` (seeded sampling of an
ideal distribution, or largest-remainder counts shuffled with the seed for QPU and noisy
frequencies), so every repetition is accounted for; bits are read with the core
:func:`~ionq_direct.results.qubit_bits`, the one home of IonQ's bit order.

Within a key, column ``j`` is the ``j``-th qubit given to ``cirq.measure`` (big-endian, like
``cirq.Simulator``); records are ``int8`` of shape ``(repetitions, 1, size)``, as Cirq's own
simulators produce. A dynamic circuit (an OpenQASM 3 job) may measure a key several times:
its records are ``(repetitions, instances, size)`` (:meth:`Layout.records_of`), read from the
per-shot classical bits of the job's register artifacts.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cirq
import numpy as np
import sympy
from numpy.typing import ArrayLike

from cirq_ionq_direct.result_dict import ResultDict
from cirq_ionq_direct.translate import inverted_bits
from ionq_direct import metadata as core_metadata
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
    "layouts_metadata",
    "read_metadata",
]

#: Job metadata key (and prefix of continuation keys) holding a job's measurement layouts.
LAYOUT_METADATA_KEY = "cirq_layout"
#: Job metadata key (and prefix of continuation keys) holding each circuit's parameter values.
PARAMS_METADATA_KEY = "cirq_params"
#: Longest metadata value IonQ documents (40,000 characters); longer values continue in further
#: keys (see :func:`ionq_direct.metadata.encode_value`).
MAX_METADATA_VALUE = core_metadata.MAX_METADATA_VALUE


@dataclass(frozen=True)
class Layout:
    """How to read one circuit's results.

    Attributes:
        registers: ``(key, size)`` per measurement key, in order of first appearance.
        measurement_map: classical bit ``i`` reads qubit ``measurement_map[i]`` (for a dynamic
            circuit: program bit ``measurement_map[i]``).
        inverted: classical bits to flip (from ``invert_mask``).
        qubits: the circuit's width (``None`` in layouts stored before it was recorded).
        repeats: for a dynamic circuit, how many times each key is measured (its classical
            bits are ``size`` per measurement, measurement by measurement); empty otherwise.
    """

    registers: tuple[tuple[str, int], ...]
    measurement_map: tuple[int, ...]
    inverted: tuple[int, ...] = ()
    qubits: int | None = None
    repeats: tuple[int, ...] = ()

    @classmethod
    def of(cls, circuit: Circuit) -> Layout:
        """The layout of a circuit translated by :func:`cirq_ionq_direct.to_ionq`."""
        return cls(
            circuit.registers, circuit.measurement_map, inverted_bits(circuit), circuit.qubits
        )

    @property
    def measurement_dict(self) -> dict[str, list[int]]:
        """Each measurement key's qubit indices, in the order given to ``cirq.measure``."""
        found: dict[str, list[int]] = {}
        offset = 0
        for key, size in self.registers:
            found[key] = list(self.measurement_map[offset : offset + size])
            offset += size
        return found

    @property
    def width(self) -> int:
        """The circuit's width: :attr:`qubits`, or (older layouts) the highest measured qubit."""
        if self.qubits is not None:
            return self.qubits
        return max(self.measurement_map, default=-1) + 1

    @property
    def outcome_bits(self) -> int:
        """Bits of one outcome of the job's distribution: qubits, or a dynamic circuit's bits."""
        return len(self.measurement_map) if self.repeats else self.width

    def columns(self, key: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The outcome bits ``key`` reads (every measurement of it, in order) and which flip.

        Returns:
            The bit positions in the outcome, and the indices among them ``invert_mask`` flips.

        Raises:
            InvalidInputError: the circuit has no measurement key ``key``.
        """
        repeats = self.repeats or (1,) * len(self.registers)
        offset = 0
        for (name, size), times in zip(self.registers, repeats, strict=True):
            span = size * times
            if name == key:
                flips = tuple(b - offset for b in self.inverted if 0 <= b - offset < span)
                return self.measurement_map[offset : offset + span], flips
            offset += span
        raise InvalidInputError(
            f"no measurement key {key!r}; the circuit measures {sorted(self.measurement_dict)}"
        )

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
                bit ``q`` of an outcome is qubit ``q`` (of a dynamic circuit: program bit
                ``q``, and a key measured ``k`` times gets ``k`` instances per record).
            repetitions: number of records per key.
            exact: ``True`` for an ideal simulator's exact distribution (seeded sampling),
                ``False`` for QPU or noisy-simulator frequencies (largest-remainder counts).
            seed: the sampling or shuffling seed.
            params: the parameters the circuit was resolved with.
        """
        outcomes, probs = distribution
        if self.repeats:  # a dynamic circuit's outcomes are its program bits
            shots = results.memory(outcomes, probs, repetitions, exact=exact, seed=seed)
            return self.records_of(shots, params=params)
        distinct = len(np.asarray(outcomes))
        if distinct <= repetitions:
            # Fewer outcomes than shots: read each outcome's bits once, then index them by shot.
            picks = results.memory_indices(
                probs, repetitions, exact=exact, seed=seed, size=distinct
            )
            bits = results.qubit_bits(outcomes, self.measurement_map).astype(np.int8)[picks]
        else:
            shots = results.memory(outcomes, probs, repetitions, exact=exact, seed=seed)
            bits = results.qubit_bits(shots, self.measurement_map).astype(np.int8)
        if self.inverted:
            bits[:, list(self.inverted)] ^= 1
        records: dict[str, np.ndarray[Any, Any]] = {}
        offset = 0
        for key, size in self.registers:
            records[key] = bits[:, offset : offset + size].reshape(repetitions, 1, size)
            offset += size
        return ResultDict(params=params or cirq.ParamResolver({}), records=records)

    def records_of(
        self, values: ArrayLike, *, params: cirq.ParamResolver | None = None
    ) -> cirq.ResultDict:
        """The records of a dynamic circuit from each shot's program bits (bit ``i`` = ``c[i]``).

        A key measured ``k`` times gets records of shape ``(shots, k, size)``, measurement by
        measurement, as ``cirq.Simulator`` gives them.
        """
        shots = np.asarray(values)
        count = shots.shape[0]
        bits = results.qubit_bits(shots, self.measurement_map).astype(np.int8)
        if self.inverted:
            bits[:, list(self.inverted)] ^= 1
        repeats = self.repeats or (1,) * len(self.registers)
        records: dict[str, np.ndarray[Any, Any]] = {}
        offset = 0
        for (key, size), times in zip(self.registers, repeats, strict=True):
            width = size * times
            records[key] = bits[:, offset : offset + width].reshape(count, times, size)
            offset += width
        return ResultDict(params=params or cirq.ParamResolver({}), records=records)


def encode_layouts(layouts: Sequence[Layout], offset: int = 0) -> str:
    """The compact JSON of a job's layouts: distinct layouts, then runs of layout indices.

    Args:
        layouts: one layout per circuit of the job, in order.
        offset: the input index of the job's first circuit (seeds depend on it).
    """
    return json.dumps(_layout_tree(layouts, offset), separators=(",", ":"))


def _layout_tree(layouts: Sequence[Layout], offset: int) -> dict[str, Any]:
    distinct: dict[Layout, int] = {}
    runs: list[list[int]] = []
    for layout in layouts:
        number = distinct.setdefault(layout, len(distinct))
        if runs and runs[-1][0] == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    table = [
        [
            [list(register) for register in layout.registers],
            layout.measurement_map,
            layout.inverted,
            *_layout_extras(layout),
        ]
        for layout in distinct
    ]
    return {"l": table, "r": runs, "o": offset}


def _layout_extras(layout: Layout) -> list[Any]:
    """A layout's optional trailing fields: its width, then a dynamic circuit's repeats.

    The width is ``null`` when unknown but repeats follow; either is left out when it and
    everything after it is empty, so older layouts read the same.
    """
    if layout.repeats:
        return [layout.qubits, list(layout.repeats)]
    return [] if layout.qubits is None else [layout.qubits]


def decode_layouts(text: str) -> tuple[list[Layout], int]:
    """Read :func:`encode_layouts` back: one layout per circuit, and the offset.

    Raises:
        InvalidInputError: the text is not a layout this package wrote.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _unreadable(exc) from exc
    return _read_tree(data)


def _unreadable(exc: Exception) -> InvalidInputError:
    return InvalidInputError(f"job metadata {LAYOUT_METADATA_KEY!r} is not readable: {exc}")


def _read_tree(data: Any) -> tuple[list[Layout], int]:
    try:
        table = [
            Layout(
                tuple((str(key), int(size)) for key, size in registers),
                tuple(int(q) for q in mapping),
                tuple(int(b) for b in inverted),
                # both absent from layouts stored before they were recorded
                int(extras[0]) if extras and extras[0] is not None else None,
                tuple(int(n) for n in extras[1]) if len(extras) > 1 else (),
            )
            for registers, mapping, inverted, *extras in data["l"]
        ]
        layouts = [table[number] for number, count in data["r"] for _ in range(int(count))]
        return layouts, int(data["o"])
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _unreadable(exc) from exc


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
    """The JSON of each circuit's parameters: ``[name, is_symbol, value]`` triples per circuit.

    Returns ``None`` when there are no parameters, or a value is not a plain real number (it is
    then not stored).
    """
    rows = _param_rows(params)
    return None if rows is None else json.dumps(rows, separators=(",", ":"))


def _param_rows(params: Sequence[cirq.ParamResolver]) -> list[list[list[Any]]] | None:
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
    return rows


def decode_params(text: str) -> list[cirq.ParamResolver] | None:
    """Read :func:`encode_params` back (``None`` when the text is not readable)."""
    try:
        return _read_rows(json.loads(text))
    except ValueError:
        return None


def _read_rows(rows: Any) -> list[cirq.ParamResolver] | None:
    try:
        return [
            cirq.ParamResolver(
                {
                    (sympy.Symbol(name) if symbol else str(name)): value
                    for name, symbol, value in row
                }
            )
            for row in rows
        ]
    except (ValueError, TypeError):
        return None


def layouts_metadata(
    layouts: Sequence[Layout],
    offset: int,
    params: Sequence[cirq.ParamResolver],
    *,
    max_keys: int,
) -> dict[str, str]:
    """A job's layouts and parameter values as metadata, with the core metadata codec.

    Layouts come first: they are what reading results needs; parameter values use the keys
    left. Either one that cannot fit is replaced by a summary saying it was left out (see
    :func:`read_metadata`), never dropped silently.

    Args:
        layouts: one layout per circuit of the job, in order.
        offset: the input index of the job's first circuit.
        params: the resolver of each circuit.
        max_keys: metadata keys both may use together.
    """
    rows = _param_rows(params)
    summary = {"omitted": len(layouts)}
    entries = core_metadata.encode_value(
        LAYOUT_METADATA_KEY,
        _layout_tree(layouts, offset),
        max_keys=max(1, max_keys - (rows is not None)),
        fallback=summary,
    )
    if rows is not None:
        entries.update(
            core_metadata.encode_value(
                PARAMS_METADATA_KEY,
                rows,
                max_keys=max(1, max_keys - len(entries)),
                fallback=summary,
            )
        )
    return entries


def read_metadata(
    metadata: Mapping[str, Any], job_id: str
) -> tuple[list[Layout], int, list[cirq.ParamResolver] | None]:
    """The layouts, offset and resolvers :func:`layouts_metadata` stored in a job's metadata.

    Jobs stored before the codec (plain JSON under the same keys) read too. Parameter values
    that were left out as too large give ``None`` with a warning: the records are whole, only
    their ``params`` are empty.

    Raises:
        InvalidInputError: no layouts (not a Cirq job), layouts left out as too large, or not
            readable.
    """
    text = metadata.get(LAYOUT_METADATA_KEY)
    if not isinstance(text, str):
        raise InvalidInputError(
            f"job {job_id} has no {LAYOUT_METADATA_KEY!r} metadata, so its measurement keys "
            "are unknown; only jobs submitted through cirq_ionq_direct can be read as "
            "cirq results (use ionq_direct.Client().job(id) for the raw distribution)"
        )
    if text.startswith("{"):  # stored before the codec: plain JSON
        layouts, offset = decode_layouts(text)
    else:
        tree = core_metadata.decode_value(metadata, LAYOUT_METADATA_KEY)
        if isinstance(tree, dict) and "omitted" in tree:
            raise InvalidInputError(
                f"job {job_id} ran {tree['omitted']} circuits whose measurement layouts were too "
                f"large to store in its metadata ({core_metadata.MAX_METADATA_KEYS} keys of "
                f"{MAX_METADATA_VALUE:,} characters); only the CirqJob returned when it was "
                "submitted can read them as cirq results (ionq_direct.Client().job(id) gives "
                "the raw distributions)"
            )
        if tree is None:
            raise _unreadable(ValueError("not the metadata codec's base64"))
        layouts, offset = _read_tree(tree)
    params = _read_params(metadata, job_id)
    if params is not None and len(params) != len(layouts):
        params = None
    return layouts, offset, params


def _read_params(metadata: Mapping[str, Any], job_id: str) -> list[cirq.ParamResolver] | None:
    text = metadata.get(PARAMS_METADATA_KEY)
    if not isinstance(text, str):
        return None
    if text.startswith("["):  # stored before the codec: plain JSON
        return decode_params(text)
    rows = core_metadata.decode_value(metadata, PARAMS_METADATA_KEY)
    if isinstance(rows, dict) and "omitted" in rows:
        warnings.warn(
            f"job {job_id}'s parameter values were too large to store in its metadata; its "
            "results carry empty parameter resolvers",
            stacklevel=3,
        )
        return None
    return _read_rows(rows)
