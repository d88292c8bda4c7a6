"""Behaviour of the result-decoding core: bit order, marginals, counts, memory, formats."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ionq_direct import results
from ionq_direct.circuit import UNMEASURED
from ionq_direct.errors import InvalidInputError

# ---------------------------------------------------------------- slow reference implementation


def ref_bit(key: int, qubit: int) -> int:
    """Qubit q is character q of the reversed binary string of the key (IonQ spec §6.2)."""
    text = format(key, "b")[::-1]
    return int(text[qubit]) if qubit < len(text) else 0


def ref_marginal(dist: dict[int, float], mapping: list[int]) -> dict[int, float]:
    out: dict[int, float] = {}
    for key, p in dist.items():
        label = "".join(str(ref_bit(key, q)) for q in mapping)  # classical bit i at index i
        new = int(label[::-1], 2) if label else 0
        out[new] = out.get(new, 0.0) + p
    return out


# ---------------------------------------------------------------- strategies

N_QUBITS = st.integers(min_value=1, max_value=12)


@st.composite
def distributions(draw: st.DrawFn, max_qubits: int = 12) -> tuple[int, dict[int, float]]:
    n = draw(st.integers(min_value=1, max_value=max_qubits))
    keys = draw(st.sets(st.integers(0, 2**n - 1), min_size=1, max_size=40))
    weights = draw(
        st.lists(st.floats(min_value=1e-6, max_value=1.0), min_size=len(keys), max_size=len(keys))
    )
    total = sum(weights)
    return n, {k: w / total for k, w in zip(sorted(keys), weights, strict=True)}


def as_raw(dist: dict[int, float]) -> dict[str, float]:
    return {str(k): p for k, p in dist.items()}


# ---------------------------------------------------------------- decode


def test_decode_sorts_and_accepts_numeric_strings() -> None:
    outcomes, probs = results.decode({"3": "0.25", "0": 0.5, "1": "2.5e-1"})
    assert outcomes.tolist() == [0, 1, 3]
    assert probs.tolist() == [0.5, 0.25, 0.25]
    assert outcomes.dtype == np.int64
    assert probs.dtype == np.float64


def test_decode_accepts_integer_values_and_drops_exact_zeros() -> None:
    outcomes, probs = results.decode({"0": 1, "5": 0, "7": "0", "2": 0.0})
    assert outcomes.tolist() == [0]
    assert probs.tolist() == [1.0]


def test_decode_empty() -> None:
    outcomes, probs = results.decode({})
    assert outcomes.size == 0 and probs.size == 0


def test_lsb_rule_on_two_qubits() -> None:
    # x on qubit 0 gives key "1"; x on qubit 1 gives key "2".
    one, _ = results.decode({"1": 1.0})
    two, _ = results.decode({"2": 1.0})
    assert results.qubit_bits(one, [0, 1]).tolist() == [[1, 0]]
    assert results.qubit_bits(two, [0, 1]).tolist() == [[0, 1]]
    assert results.to_bitstrings(one, 2) == ["01"]
    assert results.to_bitstrings(two, 2) == ["10"]


@pytest.mark.parametrize("key", ["-1", "1.0", "abc", "", " 1", "0x3", "+2", "\u0661", "1e3"])
def test_decode_rejects_non_integer_keys(key: str) -> None:
    with pytest.raises(InvalidInputError, match="key"):
        results.decode({"0": 0.5, key: 0.5})


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "-inf", "nan", "x", None])
def test_decode_rejects_bad_probabilities(value: object) -> None:
    with pytest.raises(InvalidInputError, match="'3'"):
        results.decode({"0": 0.5, "3": value})  # type: ignore[dict-item]


def test_decode_rejects_two_keys_for_one_outcome() -> None:
    with pytest.raises(InvalidInputError, match="outcome 1"):
        results.decode({"1": 0.5, "01": 0.5})


def test_invalid_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        results.decode({"q": 1.0})


# ---------------------------------------------------------------- bit rule and marginals


@given(distributions(), st.data())
@settings(max_examples=200, deadline=None)
def test_qubit_bits_matches_reference(
    nd: tuple[int, dict[int, float]], data: st.DataObject
) -> None:
    n, dist = nd
    qubits = data.draw(st.lists(st.integers(0, n + 3), max_size=16))
    outcomes, _ = results.decode(as_raw(dist))
    bits = results.qubit_bits(outcomes, qubits)
    assert bits.shape == (len(outcomes), len(qubits))
    expected = [[ref_bit(int(k), q) for q in qubits] for k in outcomes]
    assert bits.tolist() == expected


@given(distributions(), st.data())
@settings(max_examples=300, deadline=None)
def test_marginalize_matches_reference(
    nd: tuple[int, dict[int, float]], data: st.DataObject
) -> None:
    n, dist = nd
    mapping = data.draw(
        st.one_of(
            st.permutations(list(range(n))),  # full permutation
            st.lists(st.integers(0, n - 1), unique=True, max_size=n),  # subset, any order
            st.lists(st.integers(0, n - 1), max_size=16),  # repeats allowed
        )
    )
    outcomes, probs = results.decode(as_raw(dist))
    new, new_probs = results.marginalize(outcomes, probs, mapping)
    expected = ref_marginal(dist, list(mapping))
    assert new.tolist() == sorted(expected)
    assert new_probs == pytest.approx([expected[k] for k in sorted(expected)], rel=1e-12, abs=0)
    assert new_probs.sum() == pytest.approx(1.0)


def test_marginalize_collision_and_order() -> None:
    # 3 qubits: keys 0b011 and 0b111 collide when qubit 2 is not read.
    outcomes, probs = results.decode({"3": 0.25, "7": 0.5, "4": 0.25})
    new, p = results.marginalize(outcomes, probs, [1, 0])
    assert new.tolist() == [0, 3]
    assert p.tolist() == [0.25, 0.75]
    # Classical bit 0 reads qubit 2: key 4 (only qubit 2 set) becomes outcome 1.
    new, p = results.marginalize(outcomes, probs, [2])
    assert new.tolist() == [0, 1]
    assert p.tolist() == [0.25, 0.75]


def test_marginalize_empty_map_gives_total() -> None:
    new, p = results.marginalize(np.array([1, 2, 5]), np.array([0.2, 0.3, 0.4]), [])
    assert new.tolist() == [0]
    assert p.tolist() == pytest.approx([0.9])


def test_negative_qubit_rejected() -> None:
    # -1 is UNMEASURED (reads 0); anything below it is an error.
    with pytest.raises(InvalidInputError):
        results.qubit_bits(np.array([1]), [-3])


# ---------------------------------------------------------------- counts


def test_round_loses_shots_but_largest_remainder_does_not() -> None:
    probs = np.array([1 / 3, 1 / 3, 1 / 3])
    assert sum(round(p * 100) for p in probs) == 99  # qiskit-ionq style rounding loses a shot
    c = results.largest_remainder_counts(probs, 100)
    assert c.tolist() == [34, 33, 33]  # the leftover shot goes to the lowest index on a tie


def test_round_invents_shots_but_largest_remainder_does_not() -> None:
    probs = np.array([0.125, 0.125, 0.75])
    assert sum(round(p * 4) for p in probs) == 3  # banker's rounding loses one ...
    probs = np.array([0.5, 0.5 / 3, 0.5 / 3, 0.5 / 3])
    assert sum(round(p * 10) for p in probs) == 11  # ... and here rounding invents one
    c = results.largest_remainder_counts(probs, 10)
    assert c.sum() == 10
    assert c.tolist() == [5, 2, 2, 1]


def test_largest_remainder_normalises_and_skips_zeros() -> None:
    c = results.largest_remainder_counts(np.array([0.0, 0.3, 0.0, 0.7 + 1e-12]), 7)
    assert c.tolist() == [0, 2, 0, 5]


@given(
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=60).filter(
        lambda w: sum(w) > 1e-9
    ),
    st.integers(min_value=0, max_value=100_000),
)
@example([1 / 3, 1 / 3, 1 / 3], 100)
@example([0.5, 0.5 / 3, 0.5 / 3, 0.5 / 3], 10)
@settings(max_examples=300, deadline=None)
def test_largest_remainder_sums_to_shots_and_stays_close(weights: list[float], shots: int) -> None:
    probs = np.array(weights) / sum(weights)
    c = results.largest_remainder_counts(probs, shots)
    assert c.dtype == np.int64
    assert int(c.sum()) == shots
    assert np.all(np.abs(c - probs * shots) < 1 + 1e-9)
    assert np.all(c[probs == 0] == 0)


@given(distributions(), st.integers(min_value=0, max_value=5000), st.booleans(), st.integers(0, 9))
@example((2, {0: 1 / 3, 1: 1 / 3, 2: 1 / 3}), 100, False, 0)
@settings(max_examples=200, deadline=None)
def test_counts_sum_to_shots(
    nd: tuple[int, dict[int, float]], shots: int, exact: bool, seed: int
) -> None:
    _, dist = nd
    outcomes, probs = results.decode(as_raw(dist))
    out, c = results.counts(outcomes, probs, shots, exact=exact, seed=seed)
    assert int(c.sum()) == shots
    assert np.all(c > 0)
    assert set(out.tolist()) <= set(dist)
    assert out.tolist() == sorted(out.tolist())


def test_counts_exact_false_is_deterministic_frequencies() -> None:
    outcomes, probs = results.decode({"0": "0.6", "1": "0.4"})
    out, c = results.counts(outcomes, probs, 1000, exact=False)
    assert out.tolist() == [0, 1]
    assert c.tolist() == [600, 400]


def test_counts_exact_true_samples_with_seed() -> None:
    outcomes, probs = results.decode({"0": 0.5, "3": 0.5})
    a = results.counts(outcomes, probs, 1000, exact=True, seed=7)
    b = results.counts(outcomes, probs, 1000, exact=True, seed=7)
    assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
    # sampling, not rounding: a fair coin over 1000 shots is almost never exactly 500/500
    different = [results.counts(outcomes, probs, 1000, exact=True, seed=s)[1] for s in range(20)]
    assert any(c.tolist() != [500, 500] for c in different)
    assert len({tuple(c.tolist()) for c in different}) > 1
    for c in different:
        assert 400 < c[0] < 600  # still drawn from the right distribution


def test_sampling_never_draws_zero_probability_outcomes() -> None:
    idx = results.sample_indices(np.array([0.0, 0.5, 0.0, 0.5, 0.0]), 10_000, seed=3)
    assert set(idx.tolist()) == {1, 3}


def test_sample_indices_reproducible_and_shaped() -> None:
    probs = np.array([0.1, 0.2, 0.7])
    a = results.sample_indices(probs, 500, seed=11)
    assert a.dtype == np.int64 and a.shape == (500,)
    assert a.tolist() == results.sample_indices(probs, 500, seed=11).tolist()
    assert a.tolist() != results.sample_indices(probs, 500, seed=12).tolist()


@pytest.mark.parametrize("shots", [-1, 1.5, True, "10"])
def test_bad_shots_rejected(shots: object) -> None:
    with pytest.raises(InvalidInputError):
        results.counts(np.array([0]), np.array([1.0]), shots, exact=False)  # type: ignore[arg-type]


def test_shots_from_empty_distribution_rejected() -> None:
    with pytest.raises(InvalidInputError):
        results.counts(np.array([], dtype=np.int64), np.array([]), 5, exact=True)


def test_mismatched_lengths_rejected() -> None:
    with pytest.raises(InvalidInputError):
        results.counts(np.array([0, 1]), np.array([1.0]), 5, exact=False)


# ---------------------------------------------------------------- memory


@given(distributions(), st.integers(min_value=0, max_value=3000), st.booleans(), st.integers(0, 99))
@settings(max_examples=150, deadline=None)
def test_memory_multiset_equals_counts(
    nd: tuple[int, dict[int, float]], shots: int, exact: bool, seed: int
) -> None:
    _, dist = nd
    outcomes, probs = results.decode(as_raw(dist))
    mem = results.memory(outcomes, probs, shots, exact=exact, seed=seed)
    out, c = results.counts(outcomes, probs, shots, exact=exact, seed=seed)
    assert len(mem) == shots
    assert Counter(mem.tolist()) == dict(zip(out.tolist(), c.tolist(), strict=True))


def test_memory_reproducible_from_seed_and_shuffled() -> None:
    outcomes, probs = results.decode({"0": 0.5, "1": 0.25, "2": 0.25})
    for exact in (True, False):
        a = results.memory(outcomes, probs, 400, exact=exact, seed=5)
        b = results.memory(outcomes, probs, 400, exact=exact, seed=5)
        assert a.tolist() == b.tolist()
    frequencies = results.memory(outcomes, probs, 400, exact=False, seed=5)
    assert Counter(frequencies.tolist()) == {0: 200, 1: 100, 2: 100}
    assert frequencies.tolist() != sorted(frequencies.tolist())  # per-shot order is shuffled


def test_memory_is_its_indices_into_the_outcomes_and_keeps_its_shuffle() -> None:
    for raw in ({"0": 0.5, "1": 0.25, "6": 0.25}, {str(BIG): 0.5, "3": 0.2, str(2**80): 0.3}):
        outcomes, probs = results.decode(raw)
        for exact in (True, False):
            for seed in (0, 5, 77):
                mem = results.memory(outcomes, probs, 257, exact=exact, seed=seed)
                picks = results.memory_indices(probs, 257, exact=exact, seed=seed)
                assert mem.tolist() == outcomes[picks].tolist()
        # Frequencies: the counts expanded in outcome order, then permuted with the seed.
        expanded = np.repeat(outcomes, results.largest_remainder_counts(probs, 257))
        shuffled = np.random.default_rng(5).permutation(expanded)
        assert results.memory(outcomes, probs, 257, exact=False, seed=5).tolist() == (
            shuffled.tolist()
        )
    with pytest.raises(InvalidInputError):
        results.memory_indices([0.5, 0.5], 3, exact=True, seed=1, size=3)


# ---------------------------------------------------------------- formats


def test_to_bitstrings_qiskit_style() -> None:
    assert results.to_bitstrings(np.array([0, 1, 6, 5]), 3) == ["000", "001", "110", "101"]
    assert results.to_bitstrings(np.array([5]), 6) == ["000101"]
    assert results.to_bitstrings(np.array([0]), 0) == [""]


def test_to_bitstrings_rejects_too_narrow_width() -> None:
    with pytest.raises(InvalidInputError):
        results.to_bitstrings(np.array([8]), 3)


@given(st.lists(st.integers(0, 2**12 - 1), max_size=30), st.integers(12, 20))
def test_to_bitstrings_matches_format(values: list[int], width: int) -> None:
    got = results.to_bitstrings(np.array(values, dtype=np.int64), width)
    assert got == [format(v, f"0{width}b") for v in values]


def test_to_hex_qiskit_memory_style() -> None:
    assert results.to_hex(np.array([0, 5, 10, 255])) == ["0x0", "0x5", "0xa", "0xff"]
    assert results.to_hex(np.array([], dtype=np.int64)) == []


# ---------------------------------------------------------------- keys of 62 bits and more


BIG = 2**99 + 2**62 + 5  # qubits 0, 2, 62 and 99 set


def test_decode_wide_keys_uses_python_ints() -> None:
    raw = {str(BIG): "0.5", "3": 0.25, str(2**62): 0.25}
    outcomes, probs = results.decode(raw)
    assert outcomes.dtype == object
    assert outcomes.tolist() == [3, 2**62, BIG]
    assert probs.tolist() == [0.25, 0.25, 0.5]


def test_key_just_below_two_to_62_stays_fast() -> None:
    outcomes, _ = results.decode({str(2**62 - 1): 1.0})
    assert outcomes.dtype == np.int64
    assert results.qubit_bits(outcomes, [0, 61, 62, 63, 100]).tolist() == [[1, 1, 0, 0, 0]]


def test_wide_key_bits_and_formats() -> None:
    outcomes, _ = results.decode({str(BIG): 0.5, "3": 0.5})
    assert results.qubit_bits(outcomes, [0, 1, 2, 62, 99, 100]).tolist() == [
        [1, 1, 0, 0, 0, 0],
        [1, 0, 1, 1, 1, 0],
    ]
    assert results.to_hex(outcomes) == ["0x3", hex(BIG)]
    assert results.to_bitstrings(outcomes, 100) == [format(3, "0100b"), format(BIG, "0100b")]


def test_wide_key_marginalize_back_to_fast_path() -> None:
    outcomes, probs = results.decode({str(BIG): 0.5, "3": 0.5})
    # Classical bit 0 <- qubit 99, bit 1 <- qubit 0: key 3 -> 0b10, BIG -> 0b11.
    new, p = results.marginalize(outcomes, probs, [99, 0])
    assert new.dtype == np.int64
    assert new.tolist() == [2, 3]
    assert p.tolist() == [0.5, 0.5]
    # A wide measurement map keeps Python ints: bit 70 <- qubit 99.
    wide_map = [0] * 70 + [99]
    new, p = results.marginalize(outcomes, probs, wide_map)
    assert new.dtype == object
    assert new.tolist() == [2**70 - 1, 2**71 - 1]


@given(
    st.dictionaries(st.integers(0, 2**100), st.floats(1e-6, 1.0), min_size=1, max_size=20),
    st.lists(st.integers(0, 105), max_size=12),
)
@settings(max_examples=100, deadline=None)
def test_wide_marginalize_matches_reference(dist: dict[int, float], mapping: list[int]) -> None:
    outcomes, probs = results.decode(as_raw(dist))
    new, p = results.marginalize(outcomes, probs, mapping)
    expected = ref_marginal(dist, mapping)
    assert new.tolist() == sorted(expected)
    assert p == pytest.approx([expected[k] for k in sorted(expected)], rel=1e-12, abs=0)


def test_wide_counts_and_memory_agree() -> None:
    outcomes, probs = results.decode({str(BIG): 0.5, "3": 0.25, str(2**80): 0.25})
    for exact in (True, False):
        out, c = results.counts(outcomes, probs, 101, exact=exact, seed=1)
        mem = results.memory(outcomes, probs, 101, exact=exact, seed=1)
        assert int(c.sum()) == 101
        assert Counter(mem.tolist()) == dict(zip(out.tolist(), c.tolist(), strict=True))
    _, c = results.counts(outcomes, probs, 100, exact=False)
    assert c.tolist() == [25, 25, 50]


def test_unmeasured_classical_bits_read_zero() -> None:
    # Classical bit 0 reads qubit 1, bit 1 is written by no measurement, bit 2 reads qubit 0.
    outcomes, probs = results.decode({"1": 0.25, "2": 0.75})
    keys, marginal = results.marginalize(outcomes, probs, [1, UNMEASURED, 0])
    assert dict(zip(keys.tolist(), marginal.tolist(), strict=True)) == {1: 0.75, 4: 0.25}
    assert results.qubit_bits(outcomes, [UNMEASURED]).tolist() == [[0], [0]]
    with pytest.raises(InvalidInputError, match="non-negative"):
        results.qubit_bits(outcomes, [-2])
