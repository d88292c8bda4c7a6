"""Checks of run options (shots, seeds, timeouts, noise), written once.

The payload builder, polling and both adapters call these, so a bad value is refused with the
same message wherever it is given, before any network call.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from ionq_direct.errors import InvalidInputError
from ionq_direct.limits import MAX_SHOTS, NOISE_MODEL_QUBITS
from ionq_direct.records import is_simulator

__all__ = [
    "INT32_MAX",
    "INT32_MIN",
    "check_flag",
    "check_noise",
    "check_noise_seed",
    "check_seed",
    "check_shots",
    "check_timeout",
]

#: Range of a 32-bit signed integer (a noise model's seed).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def _as_int(value: object) -> int | None:
    """``value`` as an int when it is an integer (Python or NumPy), never a bool; else ``None``."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def check_shots(value: object, name: str = "shots") -> int:
    """``value`` as a shot count, an integer from 1 to 1,000,000.

    Args:
        value: the count (a NumPy integer is accepted).
        name: the option's name in messages (``"repetitions"`` for Cirq).

    Raises:
        InvalidInputError: not an integer (bools included), or out of range.
    """
    number = _as_int(value)
    if number is None or not 1 <= number <= MAX_SHOTS:
        note = "" if name == "shots" else " (IonQ's shot limit)"
        shown = value if number is None else number
        raise InvalidInputError(
            f"{name} must be an integer from 1 to {MAX_SHOTS:,}{note}, got {shown!r}"
        )
    return number


def check_seed(value: object, name: str = "seed") -> int:
    """``value`` as a sampling seed, a non-negative integer.

    Raises:
        InvalidInputError: not an integer, or negative.
    """
    number = _as_int(value)
    if number is None or number < 0:
        raise InvalidInputError(f"{name} must be a non-negative int, got {value!r}")
    return number


def check_noise_seed(value: object) -> int:
    """``value`` as a noise model's seed, a 32-bit signed integer.

    Raises:
        InvalidInputError: not an integer, or out of the 32-bit range.
    """
    number = _as_int(value)
    if number is None or not INT32_MIN <= number <= INT32_MAX:
        shown = value if number is None else number
        raise InvalidInputError(f"noise_seed must be a 32-bit signed integer, got {shown!r}")
    return number


def check_timeout(value: object, name: str = "timeout") -> float | None:
    """``value`` as seconds to wait; ``None`` (or infinity) waits as long as it takes.

    Raises:
        InvalidInputError: not a number, negative, or NaN.
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        number = math.nan
    else:
        number = float(value)
    if math.isnan(number) or number < 0:
        raise InvalidInputError(
            f"{name} must be a non-negative number of seconds or None, got {value!r}"
        )
    return None if math.isinf(number) else number


def check_flag(value: object, name: str) -> bool | None:
    """``value`` if it is ``True``, ``False`` or ``None``.

    Raises:
        InvalidInputError: anything else (``1``, ``"yes"``, ...).
    """
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be True, False or None, got {value!r}")
    return value


def check_noise(backend: str, model: object, seed: object = None) -> dict[str, Any] | None:
    """The job's ``noise`` field for a noise ``model`` and its ``seed``, or ``None`` without one.

    Raises:
        InvalidInputError: an empty, non-string or unknown model, a model on a QPU backend, a seed
            without a model, or a seed outside the 32-bit range.
    """
    if model is None:
        if seed is not None:
            raise InvalidInputError(
                "noise_seed needs noise_model; pass noise_model='aria-1' (or another model) too"
            )
        return None
    if not isinstance(model, str) or not model:
        raise InvalidInputError(
            f"noise_model must be a model name such as 'aria-1' or 'ideal', got {model!r}"
        )
    if model not in NOISE_MODEL_QUBITS:
        raise InvalidInputError(
            f"unknown noise_model {model!r}; IonQ's simulator has "
            f"{', '.join(map(repr, NOISE_MODEL_QUBITS))}"
        )
    if not is_simulator(backend):
        raise InvalidInputError(
            f"noise models run only on the simulator, not {backend!r}; use "
            "backend='simulator' or drop noise_model"
        )
    noise: dict[str, Any] = {"model": model}
    if seed is not None:
        noise["seed"] = check_noise_seed(seed)
    return noise
