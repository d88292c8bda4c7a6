"""Register-nested (v2) result artifacts: read them, and write them (the emulator does).

``ionq.qasm3.v1`` jobs answer with artifacts keyed by classical register name
(spec §6.8, IonQ's OpenAPI ``IonqResult*JsonV2``):

* ``ionq.result.shots.json.v2``: ``{"shots": [{"registers": {"c": [1, 0, ...]}}, ...]}``, one
  object per shot, element ``i`` of a register's array being bit ``i`` of that register;
* ``ionq.result.histogram.json.v2``: ``{"histogram": {"registers": {"c": {"01": 500}}}}``;
* ``ionq.result.probabilities.json.v2``: ``{"probabilities": {"registers": {"c": {"01": 0.5}}}}``.

``output_all`` (:data:`OUTPUT_ALL`) is the system's whole-register entry beside the user's
registers. A shot may carry ``leakage_bits`` (one flag per qubit); shots with a nonzero flag are
left out of every aggregate, as IonQ does, and :class:`RegisterShots` drops them.

Aggregate keys are zero-padded bitstrings. IonQ's examples (``"11"``, ``"00"``) do not fix
which end is bit 0 (spec §13); here bit 0 is the rightmost character, as in Qiskit and as the
binary form of IonQ's v1 decimal keys (qubit 0 = least significant bit). :func:`register_key`
and :func:`key_bits` are the one home of that rule. Per-shot arrays are unambiguous, so readers
prefer them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct import results
from ionq_direct.errors import InvalidInputError

if TYPE_CHECKING:
    from ionq_direct.jobs import Job

__all__ = [
    "HISTOGRAM_V2",
    "LEAKAGE_KEY",
    "OUTPUT_ALL",
    "PROBABILITIES_V2",
    "SHOTS_V2",
    "RegisterResults",
    "RegisterShots",
    "fetch",
    "histogram_body",
    "key_bits",
    "parse_histogram",
    "parse_probabilities",
    "parse_shots",
    "probabilities_body",
    "register_key",
    "register_values",
    "shots_body",
]

SHOTS_V2 = "ionq.result.shots.json.v2"
HISTOGRAM_V2 = "ionq.result.histogram.json.v2"
PROBABILITIES_V2 = "ionq.result.probabilities.json.v2"
#: The register the system adds: every declared classical bit, in declaration order.
OUTPUT_ALL = "output_all"
#: Per-shot flags (one per qubit) of leakage out of the qubit subspace.
LEAKAGE_KEY = "leakage_bits"


def register_key(bits: Sequence[int]) -> str:
    """The aggregate key of a register value: bit ``i`` is character ``-1 - i`` (bit 0 last)."""
    return "".join("1" if b else "0" for b in reversed(bits))


def key_bits(key: str, width: int | None = None) -> list[int]:
    """The bits of an aggregate key (bit 0 first), the inverse of :func:`register_key`.

    Raises:
        InvalidInputError: the key is not a bitstring (of ``width`` characters, if given).
    """
    if not isinstance(key, str) or not key.isascii() or set(key) - {"0", "1"}:
        raise InvalidInputError(f"register key {key!r} is not a bitstring such as '0101'")
    if width is not None and len(key) != width:
        raise InvalidInputError(f"register key {key!r} does not have {width} bits")
    return [1 if ch == "1" else 0 for ch in reversed(key)]


def _value(bits: Sequence[int] | NDArray[Any]) -> int:
    return sum(1 << i for i, b in enumerate(bits) if b)


@dataclass(frozen=True)
class RegisterShots:
    """Per-shot register bits, with the shots tagged as leaked left out.

    Attributes:
        registers: register name -> ``(kept shots, register width)`` array of 0/1.
        total: shots in the artifact.
        leaked: shots left out because their ``leakage_bits`` were not all 0.
    """

    registers: Mapping[str, NDArray[np.uint8]]
    total: int
    leaked: int

    @property
    def kept(self) -> int:
        """The shots that count."""
        return self.total - self.leaked

    def values(self, name: str) -> NDArray[np.int64]:
        """Each kept shot's value of register ``name`` (bit ``i`` = element ``i``)."""
        bits = self.registers.get(name)
        if bits is None:
            raise InvalidInputError(
                f"the shots hold no register {name!r} (they hold {sorted(self.registers)})"
            )
        return register_values(bits)


def register_values(bits: NDArray[Any]) -> NDArray[np.int64]:
    """Row-wise integer values of a ``(shots, width)`` bit array, bit ``i`` = column ``i``."""
    array = np.asarray(bits)
    if array.ndim != 2:
        raise InvalidInputError(f"register bits must be two-dimensional, got {array.shape}")
    if array.shape[1] >= 63:
        out = np.empty(array.shape[0], dtype=object)
        out[:] = [_value(row) for row in array.tolist()]
        return out
    weights = np.left_shift(np.int64(1), np.arange(array.shape[1], dtype=np.int64))
    values: NDArray[np.int64] = array.astype(np.int64) @ weights
    return values


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


def _bit(value: object, what: str) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise InvalidInputError(f"{what} must be 0 or 1, got {value!r}")
    return int(value)


def parse_shots(body: object) -> RegisterShots:
    """Read a ``ionq.result.shots.json.v2`` body.

    Raises:
        InvalidInputError: the body is not shaped as IonQ documents, or shots disagree on a
            register's width.
    """
    shots = _mapping(body, "the shots artifact").get("shots")
    if not isinstance(shots, list):
        raise InvalidInputError("the shots artifact has no 'shots' list")
    columns: dict[str, list[list[int]]] = {}
    widths: dict[str, int] = {}
    leaked = 0
    for number, shot in enumerate(shots):
        entry = _mapping(shot, f"shot {number}")
        flags = entry.get(LEAKAGE_KEY)
        if flags is not None:
            if not isinstance(flags, list):
                raise InvalidInputError(f"shot {number} {LEAKAGE_KEY} must be a list of 0/1")
            if any(_bit(f, f"shot {number} {LEAKAGE_KEY}") for f in flags):
                leaked += 1
                continue
        registers = _mapping(entry.get("registers"), f"shot {number} registers")
        for name, raw in registers.items():
            if not isinstance(raw, list):
                raise InvalidInputError(f"shot {number} register {name!r} must be a bit list")
            bits = [_bit(b, f"shot {number} register {name!r} bit") for b in raw]
            width = widths.setdefault(name, len(bits))
            if width != len(bits):
                raise InvalidInputError(
                    f"shot {number} register {name!r} has {len(bits)} bits, earlier shots {width}"
                )
            columns.setdefault(name, []).append(bits)
    kept = len(shots) - leaked
    arrays: dict[str, NDArray[np.uint8]] = {}
    for name, rows in columns.items():
        if len(rows) != kept:
            raise InvalidInputError(f"register {name!r} is missing from some shots")
        arrays[name] = np.array(rows, dtype=np.uint8).reshape(kept, widths[name])
    return RegisterShots(arrays, len(shots), leaked)


def _registers(body: object, kind: str) -> Mapping[str, Mapping[str, Any]]:
    inner = _mapping(_mapping(body, f"the {kind} artifact").get(kind), f"the {kind} artifact")
    registers = _mapping(inner.get("registers"), f"the {kind} artifact's registers")
    checked: dict[str, Mapping[str, Any]] = {}
    for name, table in registers.items():
        checked[str(name)] = _mapping(table, f"{kind} register {name!r}")
    return checked


def _numbers(table: Mapping[str, Any], what: str) -> dict[int, float]:
    out: dict[int, float] = {}
    width: int | None = None
    for key, raw in table.items():
        bits = key_bits(key, width)
        width = len(bits)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not raw >= 0:
            raise InvalidInputError(f"{what} {key!r} must be a non-negative number, got {raw!r}")
        out[_value(bits)] = float(raw)
    return out


def parse_histogram(body: object) -> dict[str, dict[int, int]]:
    """Read a ``ionq.result.histogram.json.v2`` body: register -> value -> shot count."""
    counts: dict[str, dict[int, int]] = {}
    for name, table in _registers(body, "histogram").items():
        numbers = _numbers(table, f"histogram register {name!r} count of")
        if any(not n.is_integer() for n in numbers.values()):
            raise InvalidInputError(f"histogram register {name!r} holds a non-integer count")
        counts[name] = {value: int(n) for value, n in numbers.items()}
    return counts


def parse_probabilities(body: object) -> dict[str, dict[int, float]]:
    """Read a ``ionq.result.probabilities.json.v2`` body: register -> value -> probability."""
    return {
        name: _numbers(table, f"probabilities register {name!r} probability of")
        for name, table in _registers(body, "probabilities").items()
    }


# ---------------------------------------------------------------------------------------------
# Writing (the emulator's side)


def shots_body(
    registers: Mapping[str, NDArray[Any]], leakage: NDArray[Any] | None = None
) -> dict[str, Any]:
    """A ``ionq.result.shots.json.v2`` body from ``(shots, width)`` bit arrays per register."""
    names = list(registers)
    rows = {name: np.asarray(registers[name], dtype=np.uint8).tolist() for name in names}
    count = len(rows[names[0]]) if names else 0
    shots: list[dict[str, Any]] = []
    for i in range(count):
        shot: dict[str, Any] = {"registers": {name: rows[name][i] for name in names}}
        if leakage is not None:
            shot[LEAKAGE_KEY] = np.asarray(leakage[i], dtype=np.uint8).tolist()
        shots.append(shot)
    return {"shots": shots}


def _tally(bits: NDArray[Any]) -> dict[str, int]:
    keys = [register_key(row) for row in np.asarray(bits, dtype=np.uint8).tolist()]
    labels, counts = np.unique(np.array(keys, dtype=object), return_counts=True)
    return {str(k): int(n) for k, n in zip(labels.tolist(), counts.tolist(), strict=True)}


def histogram_body(registers: Mapping[str, NDArray[Any]]) -> dict[str, Any]:
    """A ``ionq.result.histogram.json.v2`` body tallying per-shot register bits."""
    return {"histogram": {"registers": {name: _tally(bits) for name, bits in registers.items()}}}


def probabilities_body(distributions: Mapping[str, Mapping[str, float]]) -> dict[str, Any]:
    """A ``ionq.result.probabilities.json.v2`` body from register -> key -> probability."""
    return {"probabilities": {"registers": {k: dict(v) for k, v in distributions.items()}}}


# ---------------------------------------------------------------------------------------------
# Fetching


@dataclass(frozen=True)
class RegisterResults:
    """What a finished OpenQASM 3 job advertised, downloaded and read.

    Attributes:
        shots: per-shot register bits (QPU and noisy simulator), or ``None``.
        histogram: register -> value -> count, or ``None``.
        probabilities: register -> value -> probability, or ``None``.
        widths: register -> its number of bits, as the artifacts show it.
    """

    shots: RegisterShots | None
    histogram: dict[str, dict[int, int]] | None
    probabilities: dict[str, dict[int, float]] | None
    widths: Mapping[str, int] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Every register the artifacts hold, ``output_all`` (when present) last."""
        found: dict[str, None] = {}
        for table in (
            self.shots.registers if self.shots is not None else {},
            self.histogram or {},
            self.probabilities or {},
        ):
            found.update(dict.fromkeys(table))
        return sorted(found, key=lambda name: name == OUTPUT_ALL)

    def distribution(self, register: str) -> dict[int, float]:
        """``register``'s value -> probability: the probabilities artifact's, else frequencies.

        Without a probabilities entry for it, the histogram's (else the kept shots')
        frequencies are given, so shots tagged with leakage stay out as in every aggregate.

        Raises:
            InvalidInputError: no artifact holds ``register``.
        """
        if self.probabilities is not None and register in self.probabilities:
            return dict(self.probabilities[register])
        table: dict[int, float] | None = None
        if self.histogram is not None and register in self.histogram:
            table = {k: float(v) for k, v in self.histogram[register].items()}
        elif self.shots is not None and register in self.shots.registers:
            values, tally = np.unique(self.shots.values(register), return_counts=True)
            table = {int(k): float(c) for k, c in zip(values.tolist(), tally.tolist(), strict=True)}
        if table is None:
            raise InvalidInputError(f"the job's results hold no register {register!r}")
        total = sum(table.values())
        return {k: v / total for k, v in sorted(table.items())} if total > 0 else {}

    def outcomes(self, register: str, shots: int, *, exact: bool, seed: int | None) -> NDArray[Any]:
        """Per-shot values of ``register``: recorded shots when there are any, else drawn.

        Without recorded shots, ``exact`` results (the ideal simulator's probabilities) are
        sampled ``shots`` times with ``seed``; frequencies (a histogram, or probabilities
        from a shot-based run) become largest-remainder counts shuffled with ``seed``.

        Raises:
            InvalidInputError: no artifact holds ``register``.
        """
        if self.shots is not None and register in self.shots.registers:
            return self.shots.values(register)
        table: Mapping[int, float] | None = None
        if self.histogram is not None and register in self.histogram:
            table = {k: float(v) for k, v in self.histogram[register].items()}
            exact = False
        elif self.probabilities is not None and register in self.probabilities:
            table = self.probabilities[register]
        if table is None:
            raise InvalidInputError(f"the job's results hold no register {register!r}")
        if not table:
            return np.zeros(0, dtype=np.int64)
        keys = sorted(table)
        outcomes = np.array(keys, dtype=np.int64) if max(keys) < 2**62 else np.array(keys, object)
        probs = np.array([table[k] for k in keys], dtype=np.float64)
        return results.memory(outcomes, probs, shots, exact=exact, seed=seed)


def fetch(job: Job) -> RegisterResults:
    """Download and read the v2 artifacts a completed job's ``results`` advertises.

    Raises:
        InvalidInputError: the job advertises none of them (an ideal simulator job still gives
            probabilities).
    """
    client, job_id, record = job.client, job.id, job.info
    artifacts = record.results.artifacts
    found: dict[str, Any] = {}
    for fmt in (SHOTS_V2, HISTOGRAM_V2, PROBABILITIES_V2):
        artifact_id = artifacts.get(fmt)
        if artifact_id is not None:
            found[fmt] = client.download_artifact(job_id, artifact_id)
    if not found:
        raise InvalidInputError(
            f"job {job_id} advertises no register (v2) result artifacts; its results are "
            f"{sorted(record.results.kinds)}"
        )
    shots = parse_shots(found[SHOTS_V2]) if SHOTS_V2 in found else None
    widths: dict[str, int] = {}
    for fmt, kind in ((PROBABILITIES_V2, "probabilities"), (HISTOGRAM_V2, "histogram")):
        if fmt in found:
            for name, table in _registers(found[fmt], kind).items():
                widths[name] = max((len(key) for key in table), default=0)
    if shots is not None:
        widths.update({name: bits.shape[1] for name, bits in shots.registers.items()})
    return RegisterResults(
        shots=shots,
        histogram=parse_histogram(found[HISTOGRAM_V2]) if HISTOGRAM_V2 in found else None,
        probabilities=(
            parse_probabilities(found[PROBABILITIES_V2]) if PROBABILITIES_V2 in found else None
        ),
        widths=widths,
    )
