"""Decode IonQ result distributions into numpy arrays, counts and per-shot memory.

IonQ reports a job's result as a sparse mapping ``{"<decimal key>": probability}``. Bit ``q``
of the key is the measured value of qubit ``q``: qubit 0 is the least-significant bit.
:func:`qubit_bits` is the only place that rule is written down; every other function here
(marginals, bitstrings) asks it for bits.

Outcomes are held as ``int64`` arrays. Keys at or above ``2**62`` (wide registers) are held as
``object`` arrays of Python ints instead; every function accepts and returns either kind with
the same meaning.

Counts come in two flavours. An ideal simulator returns an exact distribution, so counts and
memory are drawn from it with a seeded generator (:func:`sample_indices`). A QPU or noisy
simulator returns observed frequencies, so counts are recovered by largest-remainder rounding
(:func:`largest_remainder_counts`), which always sums to ``shots``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ionq_direct.circuit import UNMEASURED
from ionq_direct.errors import InvalidInputError

__all__ = [
    "Outcomes",
    "counts",
    "decode",
    "derive_seed",
    "largest_remainder_counts",
    "marginalize",
    "memory",
    "memory_indices",
    "qubit_bits",
    "sample_indices",
    "to_bitstrings",
    "to_hex",
]

#: An array of measured outcomes (bit ``q`` = qubit ``q``). ``int64`` normally; ``object`` arrays
#: of Python ints are used when an outcome is ``>= 2**62``.
Outcomes = NDArray[np.int64]

#: Outcomes below this bound are stored as int64; anything at or above it uses Python ints.
_FAST_LIMIT = 1 << 62
#: Number of low bits an int64 outcome can carry (higher qubits always read 0).
_FAST_BITS = 62


def _fail_key(key: object) -> InvalidInputError:
    return InvalidInputError(
        f"result key {key!r} is not a non-negative decimal integer (IonQ keys look like '5')"
    )


def _pack(values: Iterable[int]) -> NDArray[Any]:
    """Store Python ints as int64 when they all fit below 2**62, else as an object array."""
    items = [int(v) for v in values]
    if all(0 <= v < _FAST_LIMIT for v in items):
        return np.array(items, dtype=np.int64)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _outcome_array(outcomes: ArrayLike) -> NDArray[Any]:
    """Validate outcomes as a 1-D array of non-negative integers (int64 or Python-int object)."""
    arr = np.asarray(outcomes)
    if arr.ndim != 1:
        raise InvalidInputError(f"outcomes must be one-dimensional, got shape {arr.shape}")
    if arr.dtype == np.int64:
        if arr.size and int(arr.min()) < 0:
            raise InvalidInputError("outcomes must be non-negative")
        if arr.size and int(arr.max()) >= _FAST_LIMIT:
            return _pack(arr.tolist())
        return arr
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind in "iu" or arr.dtype == object:
        items = arr.tolist()
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
            raise InvalidInputError("outcomes must be integers")
        if min(items) < 0:
            raise InvalidInputError("outcomes must be non-negative")
        return _pack(items)
    raise InvalidInputError(f"outcomes must be integers, got dtype {arr.dtype}")


def _prob_array(probs: ArrayLike, size: int | None = None) -> NDArray[np.float64]:
    """Validate probabilities: 1-D, finite, non-negative, and optionally of a given length."""
    try:
        arr = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"probabilities must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise InvalidInputError(f"probabilities must be one-dimensional, got shape {arr.shape}")
    if size is not None and arr.size != size:
        raise InvalidInputError(f"got {size} outcomes but {arr.size} probabilities")
    if arr.size and not (np.isfinite(arr).all() and arr.min() >= 0):
        raise InvalidInputError("probabilities must be finite and non-negative")
    return arr


def _check_shots(shots: int) -> int:
    if isinstance(shots, bool):
        raise InvalidInputError("shots must be an integer, got a bool")
    try:
        value = operator.index(shots)
    except TypeError:
        raise InvalidInputError(f"shots must be an integer, got {shots!r}") from None
    if value < 0:
        raise InvalidInputError(f"shots must be non-negative, got {value}")
    return value


def _normalised(probs: NDArray[np.float64], shots: int) -> NDArray[np.float64]:
    total = float(probs.sum())
    if not (total > 0 and math.isfinite(total)):
        raise InvalidInputError(f"cannot draw {shots} shots from a distribution with total {total}")
    return probs / total


def _decode_keys(keys: list[str]) -> NDArray[Any]:
    if not all(isinstance(k, str) for k in keys):
        bad = next(k for k in keys if not isinstance(k, str))
        raise _fail_key(bad)
    joined = "".join(keys)
    if not (joined.isascii() and joined.isdigit()) or "" in keys:
        bad = next(k for k in keys if not (k.isascii() and k.isdigit()))
        raise _fail_key(bad)
    try:
        fast = np.array(keys, dtype=np.int64)
    except OverflowError:
        return _pack(int(k) for k in keys)
    if int(fast.max()) >= _FAST_LIMIT:
        return _pack(fast.tolist())
    return fast


def _decode_values(raw: Mapping[str, float | int | str], count: int) -> NDArray[np.float64]:
    try:
        return np.fromiter(raw.values(), dtype=np.float64, count=count)
    except (TypeError, ValueError):
        pass
    values = np.empty(count, dtype=np.float64)
    for i, (key, value) in enumerate(raw.items()):
        if isinstance(value, bool) or not isinstance(value, (int, float, str, np.number)):
            raise InvalidInputError(f"probability for key {key!r} is not a number: {value!r}")
        try:
            values[i] = float(value)
        except (TypeError, ValueError):
            raise InvalidInputError(
                f"probability for key {key!r} is not a number: {value!r}"
            ) from None
    return values


def decode(raw: Mapping[str, float | int | str]) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Turn IonQ's sparse ``{decimal key: probability}`` into sorted arrays.

    Args:
        raw: the probabilities body of a job result; values may be numbers or numeric strings.

    Returns:
        ``(outcomes, probabilities)``: outcomes ascending, exact zeros dropped.

    Raises:
        InvalidInputError: a key is not a non-negative decimal integer, two keys name the same
            outcome, or a probability is non-numeric, negative or non-finite.
    """
    count = len(raw)
    if count == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    outcomes = _decode_keys(list(raw.keys()))
    probs = _decode_values(raw, count)
    bad = ~np.isfinite(probs) | (probs < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        key = list(raw.keys())[i]
        raise InvalidInputError(
            f"probability for key {key!r} must be finite and non-negative, got {probs[i]!r}"
        )
    if outcomes.dtype == object or not bool(np.all(outcomes[1:] > outcomes[:-1])):
        order = np.argsort(outcomes, kind="stable")
        outcomes = outcomes[order]
        probs = probs[order]
        same = outcomes[1:] == outcomes[:-1]
        if bool(np.any(same)):
            dup = outcomes[int(np.flatnonzero(same)[0])]
            raise InvalidInputError(f"two result keys both name outcome {dup}")
    keep = probs != 0
    if not keep.all():
        outcomes = outcomes[keep]
        probs = probs[keep]
    return outcomes, probs


def qubit_bits(outcomes: ArrayLike, qubits: Sequence[int]) -> NDArray[np.uint8]:
    """Read qubits out of outcomes: the single home of IonQ's bit-order rule.

    Qubit ``q`` is bit ``q`` of an outcome (qubit 0 is the least-significant bit). The index
    :data:`~ionq_direct._constants.UNMEASURED` (``-1``) reads as a constant 0: it stands for a
    classical bit that no measurement writes.

    Args:
        outcomes: 1-D array of non-negative integer outcomes.
        qubits: qubit indices to read (or ``-1``); repeats and any order are allowed.

    Returns:
        A ``(len(outcomes), len(qubits))`` uint8 array whose column ``j`` is qubit
        ``qubits[j]`` of each outcome.
    """
    arr = _outcome_array(outcomes)
    qs = [operator.index(q) for q in qubits]
    if any(q < UNMEASURED for q in qs):
        raise InvalidInputError(
            f"qubit indices must be non-negative (or {UNMEASURED} for an unmeasured bit), "
            f"got {list(qubits)}"
        )
    out = np.zeros((arr.size, len(qs)), dtype=np.uint8)
    if arr.dtype == object:
        values = arr.tolist()
        for j, q in enumerate(qs):
            if q != UNMEASURED:
                out[:, j] = [(v >> q) & 1 for v in values]
        return out
    for j, q in enumerate(qs):
        if 0 <= q < _FAST_BITS:
            out[:, j] = (arr >> q) & 1
    return out


def marginalize(
    outcomes: ArrayLike, probs: ArrayLike, measurement_map: Sequence[int]
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """Re-key a distribution by classical bits: classical bit ``i`` reads qubit ``map[i]``.

    Args:
        outcomes: 1-D integer outcomes.
        probs: probability (or weight) of each outcome.
        measurement_map: ``measurement_map[i]`` is the qubit read into classical bit ``i``.

    Returns:
        ``(new_outcomes, probabilities)`` with new outcome ``sum(qubit(map[i]) << i)``; outcomes
        that collide are summed, results are ascending. An empty map gives the single outcome 0
        carrying the total probability (no outcomes in gives no outcomes out).
    """
    arr = _outcome_array(outcomes)
    p = _prob_array(probs, arr.size)
    bits = qubit_bits(arr, measurement_map)
    width = bits.shape[1]
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if width <= _FAST_BITS:
        new = np.zeros(arr.size, dtype=np.int64)
        for i in range(width):
            new |= bits[:, i].astype(np.int64) << i
        keys, inverse = np.unique(new, return_inverse=True)
        summed = np.bincount(inverse.reshape(-1), weights=p, minlength=keys.size)
        return keys, summed.astype(np.float64)
    weights = [1 << i for i in range(width)]
    totals: dict[int, float] = {}
    for row, weight in zip(bits.tolist(), p.tolist(), strict=True):
        key = sum(w for w, b in zip(weights, row, strict=True) if b)
        totals[key] = totals.get(key, 0.0) + weight
    ordered = sorted(totals)
    return _pack(ordered), np.array([totals[k] for k in ordered], dtype=np.float64)


def largest_remainder_counts(probs: ArrayLike, shots: int) -> NDArray[np.int64]:
    """Round a frequency distribution to integer counts that sum exactly to ``shots``.

    Probabilities are first normalised to sum to 1 (results sum to 1 up to float error). Each
    count is ``floor(p * shots)``; the shots left over go one each to the largest fractional
    remainders, ties to the lower index. Every count is within 1 of ``p * shots`` and
    zero-probability entries get 0.

    Args:
        probs: non-negative probabilities.
        shots: the total number of shots.

    Returns:
        int64 counts, aligned with ``probs``.
    """
    n_shots = _check_shots(shots)
    p = _prob_array(probs)
    if n_shots == 0:
        return np.zeros(p.size, dtype=np.int64)
    scaled = _normalised(p, n_shots) * n_shots
    floors = np.floor(scaled)
    result = floors.astype(np.int64)
    remainder = scaled - floors
    # Outcomes with zero probability never receive a leftover shot.
    remainder[p == 0] = -1.0
    leftover = n_shots - int(result.sum())
    if leftover > 0:
        # The `leftover` largest remainders, ties to the lower index, in linear time.
        cut = float(np.partition(remainder, remainder.size - leftover)[remainder.size - leftover])
        above = np.flatnonzero(remainder > cut)
        tied = np.flatnonzero(remainder == cut)[: leftover - above.size]
        result[above] += 1
        result[tied] += 1
    elif leftover < 0:  # float error overshot an integer boundary; give back the smallest
        order = np.argsort(np.where(result > 0, remainder, np.inf), kind="stable")
        result[order[:-leftover]] -= 1
    return result


def sample_indices(probs: ArrayLike, shots: int, seed: int | None) -> NDArray[np.int64]:
    """Draw ``shots`` indices from a distribution with ``np.random.default_rng(seed)``.

    The same ``probs``, ``shots`` and ``seed`` always give the same indices; zero-probability
    indices are never drawn.

    Args:
        probs: non-negative weights (normalised here).
        shots: number of samples.
        seed: generator seed; ``None`` draws fresh entropy.

    Returns:
        int64 indices into ``probs``, one per shot, in draw order.
    """
    n_shots = _check_shots(shots)
    p = _prob_array(probs)
    if n_shots == 0:
        return np.zeros(0, dtype=np.int64)
    _normalised(p, n_shots)
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"invalid seed {seed!r}: {exc}") from None
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    draws = rng.random(n_shots)
    return np.searchsorted(cdf, draws, side="right").astype(np.int64)


def _exact_counts(size: int, indices: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.bincount(indices, minlength=size).astype(np.int64)


def counts(
    outcomes: ArrayLike,
    probs: ArrayLike,
    shots: int,
    *,
    exact: bool,
    seed: int | None = None,
) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """Integer counts for ``shots`` shots of a result distribution.

    Args:
        outcomes: 1-D integer outcomes.
        probs: their probabilities.
        shots: total shots; the counts always sum to it.
        exact: ``True`` for an ideal simulator (sample ``shots`` times with ``seed``);
            ``False`` for a QPU or noisy simulator (largest-remainder rounding, no randomness).
        seed: sampling seed, used only when ``exact`` is true.

    Returns:
        ``(outcomes, counts)`` in input order, outcomes with zero count dropped.
    """
    arr = _outcome_array(outcomes)
    p = _prob_array(probs, arr.size)
    if exact:
        tally = _exact_counts(arr.size, sample_indices(p, shots, seed))
    else:
        tally = largest_remainder_counts(p, shots)
    keep = tally > 0
    return arr[keep], tally[keep]


def memory(
    outcomes: ArrayLike,
    probs: ArrayLike,
    shots: int,
    *,
    exact: bool,
    seed: int | None = None,
) -> NDArray[Any]:
    """Per-shot outcomes whose tally equals :func:`counts` for the same arguments.

    Args:
        outcomes: 1-D integer outcomes.
        probs: their probabilities.
        shots: number of shots.
        exact: ``True``: the seeded samples :func:`counts` tallies, in draw order. ``False``: the
            largest-remainder counts expanded and shuffled with ``default_rng(seed)``.
        seed: seed for the sampling or the shuffle.

    Returns:
        An array of ``shots`` outcomes: ``outcomes[memory_indices(...)]``.
    """
    arr = _outcome_array(outcomes)
    picked: NDArray[Any] = arr[memory_indices(probs, shots, exact=exact, seed=seed, size=arr.size)]
    return picked


def memory_indices(
    probs: ArrayLike,
    shots: int,
    *,
    exact: bool,
    seed: int | None = None,
    size: int | None = None,
) -> NDArray[np.int64]:
    """Which outcome each shot of :func:`memory` is: indices into the distribution's outcomes.

    Reading a few distinct outcomes once and indexing them by shot is cheaper than reading
    every shot (``qubit_bits(outcomes, m)[memory_indices(...)]`` is
    ``qubit_bits(memory(...), m)``).

    Args:
        probs: the outcomes' probabilities.
        shots: number of shots.
        exact: as for :func:`memory`.
        seed: as for :func:`memory`.
        size: the number of outcomes, checked against ``probs``.
    """
    p = _prob_array(probs, size)
    if exact:
        return sample_indices(p, shots, seed)
    # Shuffling positions moves what they hold alike: the permutation memory() always made.
    repeated = np.repeat(np.arange(p.size, dtype=np.int64), largest_remainder_counts(p, shots))
    shuffled: NDArray[np.int64] = np.random.default_rng(seed).permutation(repeated)
    return shuffled


def to_bitstrings(outcomes: ArrayLike, width: int) -> list[str]:
    """Render outcomes as zero-padded binary strings, bit 0 rightmost (Qiskit style).

    Args:
        outcomes: 1-D integer outcomes.
        width: string length; every outcome must fit in ``width`` bits.

    Returns:
        One string of ``width`` characters per outcome.
    """
    arr = _outcome_array(outcomes)
    width = operator.index(width)
    if width < 0:
        raise InvalidInputError(f"width must be non-negative, got {width}")
    if arr.size and int(arr.max()).bit_length() > width:
        raise InvalidInputError(f"outcome {int(arr.max())} does not fit in {width} bits")
    if width == 0:
        return [""] * arr.size
    chars = qubit_bits(arr, range(width - 1, -1, -1)) + np.uint8(ord("0"))
    return [b.decode("ascii") for b in np.ascontiguousarray(chars).view(f"S{width}").ravel()]


def to_hex(outcomes: ArrayLike) -> list[str]:
    """Render outcomes as Qiskit memory strings such as ``'0x5'``.

    Args:
        outcomes: 1-D integer outcomes.

    Returns:
        One lower-case ``0x`` hex string per outcome.
    """
    arr = _outcome_array(outcomes)
    if arr.size == 0:
        return []
    # A shot list repeats a few outcomes: render each distinct one once, then index.
    distinct, where = np.unique(arr, return_inverse=True)
    rendered = np.array([hex(v) for v in distinct.tolist()], dtype=object)
    strings: list[str] = rendered[where.reshape(-1)].tolist()
    return strings


def derive_seed(seed: int, index: int) -> int:
    """An independent sampling seed for circuit ``index`` of a job seeded with ``seed``.

    Circuits of one multi-circuit job each get their own stream (identical circuits do not
    repeat the same samples), and the derivation is stable, so a retrieved job reproduces them.
    """
    state = np.random.SeedSequence([seed % 2**63, index]).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))
