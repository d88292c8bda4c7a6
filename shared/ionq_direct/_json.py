"""JSON encoding for request bodies: one fast encoder (orjson), compact UTF-8 bytes.

Request bodies can hold 150,000 gates; orjson writes them about 15x faster than the standard
library. NumPy scalars are written as plain numbers. Non-finite floats are refused (orjson would
write ``null``), so callers that have not validated numbers learn about them here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import orjson


def _default(value: object) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: object) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON bytes.

    Raises:
        TypeError: for values JSON cannot hold.
    """
    return orjson.dumps(value, default=_default)


def dumps_checked(value: object) -> bytes:
    """Like :func:`dumps`, but refuse NaN and infinities anywhere in ``value``."""
    _check_finite(value)
    return dumps(value)


def _check_finite(value: object) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                raise ValueError(f"{item!r} is not a finite number; JSON cannot hold it")
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, np.floating) and not np.isfinite(item):
            raise ValueError(f"{item!r} is not a finite number; JSON cannot hold it")
