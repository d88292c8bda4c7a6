"""Reading and writing the register-nested (v2) result artifacts of OpenQASM 3 jobs."""

from __future__ import annotations

import numpy as np
import pytest

from ionq_direct import artifacts
from ionq_direct.errors import InvalidInputError

SHOTS_BODY = {
    "shots": [
        {"registers": {"c": [1, 0, 1], "output_all": [1, 0, 1]}},
        {"registers": {"c": [0, 1, 1], "output_all": [0, 1, 1]}, "leakage_bits": [0, 0]},
        {"registers": {"c": [1, 1, 1], "output_all": [1, 1, 1]}, "leakage_bits": [0, 1]},
        {"registers": {"c": [0, 0, 0], "output_all": [0, 0, 0]}},
    ]
}


def test_register_keys_put_bit_zero_last() -> None:
    assert artifacts.register_key([1, 0, 0]) == "001"
    assert artifacts.key_bits("001") == [1, 0, 0]
    for value in range(16):
        bits = [(value >> i) & 1 for i in range(4)]
        assert artifacts.key_bits(artifacts.register_key(bits)) == bits
    with pytest.raises(InvalidInputError, match="bitstring"):
        artifacts.key_bits("012")
    with pytest.raises(InvalidInputError, match="3 bits"):
        artifacts.key_bits("01", 3)


def test_shots_are_read_and_leaked_shots_left_out() -> None:
    shots = artifacts.parse_shots(SHOTS_BODY)
    assert shots.total == 4 and shots.leaked == 1 and shots.kept == 3
    assert shots.values("c").tolist() == [0b101, 0b110, 0]
    np.testing.assert_array_equal(shots.registers["c"][1], [0, 1, 1])
    with pytest.raises(InvalidInputError, match="no register 'd'"):
        shots.values("d")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"shot": []}, "no 'shots' list"),
        ({"shots": [3]}, "shot 0 must be a JSON object"),
        ({"shots": [{"registers": {"c": [2]}}]}, "must be 0 or 1"),
        ({"shots": [{"registers": {"c": [1]}}, {"registers": {"c": [1, 0]}}]}, "has 2 bits"),
        ({"shots": [{"registers": {"c": [1]}}, {"registers": {"d": [1]}}]}, "missing from"),
        ({"shots": [{"registers": {"c": [1]}, "leakage_bits": 1}]}, "leakage_bits must be"),
    ],
)
def test_malformed_shots_are_named(body: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        artifacts.parse_shots(body)


def test_histogram_and_probabilities_round_trip_through_the_writers() -> None:
    bits = np.array([[1, 0], [1, 0], [0, 1], [0, 0]], dtype=np.uint8)
    histogram = artifacts.histogram_body({"c": bits})
    assert histogram == {"histogram": {"registers": {"c": {"01": 2, "10": 1, "00": 1}}}}
    assert artifacts.parse_histogram(histogram) == {"c": {1: 2, 2: 1, 0: 1}}
    probabilities = artifacts.probabilities_body({"c": {"01": 0.75, "00": 0.25}})
    assert artifacts.parse_probabilities(probabilities) == {"c": {1: 0.75, 0: 0.25}}
    shots = artifacts.parse_shots(artifacts.shots_body({"c": bits}))
    assert shots.values("c").tolist() == [1, 1, 2, 0]


@pytest.mark.parametrize(
    "body",
    [
        {"histogram": {"c": {"01": 2}}},
        {"histogram": {"registers": {"c": {"01": -1}}}},
        {"histogram": {"registers": {"c": {"01": 1.5}}}},
        {"histogram": {"registers": {"c": {"01": 1, "1": 1}}}},
    ],
)
def test_malformed_histograms_are_refused(body: object) -> None:
    with pytest.raises(InvalidInputError):
        artifacts.parse_histogram(body)


def test_outcomes_prefer_recorded_shots() -> None:
    found = artifacts.RegisterResults(
        shots=artifacts.parse_shots(SHOTS_BODY),
        histogram={"c": {5: 1000}},
        probabilities=None,
    )
    assert found.outcomes("c", 100, exact=False, seed=1).tolist() == [0b101, 0b110, 0]


def test_exact_probabilities_are_sampled_with_the_seed() -> None:
    found = artifacts.RegisterResults(None, None, {"c": {0: 0.25, 3: 0.75}})
    first = found.outcomes("c", 4000, exact=True, seed=9)
    assert first.tolist() == found.outcomes("c", 4000, exact=True, seed=9).tolist()
    assert set(first.tolist()) == {0, 3}
    assert abs(float(np.mean(first == 3)) - 0.75) < 0.03
    with pytest.raises(InvalidInputError, match="no register 'd'"):
        found.outcomes("d", 1, exact=True, seed=1)


def test_a_histogram_gives_its_exact_counts_shuffled() -> None:
    found = artifacts.RegisterResults(None, {"c": {1: 3, 2: 1}}, None)
    values = found.outcomes("c", 4, exact=True, seed=5)
    assert sorted(values.tolist()) == [1, 1, 1, 2]
