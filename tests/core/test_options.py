"""Run options are checked once, with the same messages wherever they are given."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ionq_direct import InvalidInputError
from ionq_direct.limits import NOISE_MODEL_QUBITS
from ionq_direct.options import (
    INT32_MAX,
    INT32_MIN,
    check_flag,
    check_noise,
    check_noise_seed,
    check_seed,
    check_shots,
    check_timeout,
)


@pytest.mark.parametrize("value", [1, 1_000_000, np.int64(30), np.uint16(7)])
def test_good_shots_come_back_as_int(value: object) -> None:
    got = check_shots(value)
    assert type(got) is int and got == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (1_000_001, "1000001"), (True, "True"), (10.0, "10.0"), ("5", "'5'")],
)
def test_bad_shots_name_the_limit_and_the_value(value: object, shown: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_shots(value)
    assert str(info.value) == f"shots must be an integer from 1 to 1,000,000, got {shown}"


def test_repetitions_are_shots_under_cirqs_name() -> None:
    assert check_shots(5, "repetitions") == 5
    with pytest.raises(InvalidInputError, match=r"repetitions must .* \(IonQ's shot limit\)"):
        check_shots(np.bool_(True), "repetitions")


def test_seeds_are_non_negative_integers() -> None:
    assert check_seed(np.uint32(4), "seed_simulator") == 4
    for bad in (-1, 1.5, True, None):
        with pytest.raises(InvalidInputError, match="seed_simulator must be a non-negative int"):
            check_seed(bad, "seed_simulator")


def test_noise_seeds_are_32_bit() -> None:
    assert check_noise_seed(INT32_MIN) == INT32_MIN and check_noise_seed(INT32_MAX) == INT32_MAX
    for bad in (INT32_MAX + 1, INT32_MIN - 1, True, 2.0):
        with pytest.raises(InvalidInputError, match="noise_seed must be a 32-bit signed integer"):
            check_noise_seed(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (0, 0.0), (2, 2.0), (np.float32(0.5), 0.5), (math.inf, None)],
)
def test_good_timeouts(value: object, expected: float | None) -> None:
    assert check_timeout(value) == expected


@pytest.mark.parametrize("value", [-1, -0.5, math.nan, "10", True, np.bool_(False), [1]])
def test_bad_timeouts(value: object) -> None:
    with pytest.raises(InvalidInputError, match="timeout must be a non-negative number"):
        check_timeout(value)


def test_flags_are_true_false_or_none() -> None:
    assert [check_flag(v, "dry_run") for v in (True, False, None)] == [True, False, None]
    with pytest.raises(InvalidInputError, match="dry_run must be True, False or None, got 1"):
        check_flag(1, "dry_run")


def test_noise_field() -> None:
    assert check_noise("simulator", None) is None
    assert check_noise("simulator", "aria-1") == {"model": "aria-1"}
    assert check_noise("simulator.aria-1", "aria-1", np.int64(3)) == {"model": "aria-1", "seed": 3}
    with pytest.raises(InvalidInputError, match="noise models run only on the simulator"):
        check_noise("qpu.aria-1", "aria-1")
    with pytest.raises(InvalidInputError, match="noise_seed needs noise_model"):
        check_noise("simulator", None, 3)
    with pytest.raises(InvalidInputError, match="noise_model must be a model name"):
        check_noise("simulator", "")


def test_noise_model_must_be_one_ionq_lists() -> None:
    for model in NOISE_MODEL_QUBITS:
        assert check_noise("simulator", model) == {"model": model}
    with pytest.raises(InvalidInputError, match="unknown noise_model 'aria-3'; IonQ's simulator"):
        check_noise("simulator", "aria-3")
    assert NOISE_MODEL_QUBITS["aria-1"] == 25 and NOISE_MODEL_QUBITS["ideal"] == 29
