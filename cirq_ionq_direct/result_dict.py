"""The results our samplers return: a ``cirq.ResultDict`` whose histograms count with numpy.

``cirq.ResultDict.histogram`` folds every repetition into an integer one Python call at a
time: about a millisecond and a half per thousand shots, more than an IonQ round trip on
loopback. :class:`ResultDict` is Cirq's class with that one method computed on the whole
records array at once, giving the same ``collections.Counter``: the same keys (Python ints,
big-endian as Cirq folds them), the same counts, in the same first-seen order. Anything else
(a ``fold_func`` or ``fold_base``, more than 62 bits, digits other than 0 and 1, a key given
as a ``cirq.MeasurementKey``) is Cirq's own code. It is a ``cirq.ResultDict`` in every other
way: equality, ``repr``, addition, and JSON, which it writes as Cirq's ``ResultDict`` so
``cirq.read_json`` reads it back without this package.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable
from typing import Any

import cirq
import numpy as np

__all__ = ["ResultDict"]

#: Widest measurement folded here: its integers must fit an ``int64``.
_MAX_BITS = 62


class ResultDict(cirq.ResultDict):
    """A ``cirq.ResultDict`` whose default ``histogram`` is computed with numpy."""

    @classmethod
    def _json_namespace_(cls) -> str:
        """Cirq's namespace: serialized as ``ResultDict``, read back as Cirq's class."""
        return ""

    def histogram(
        self,
        *,
        key: str | cirq.Qid | Iterable[cirq.Qid],
        fold_func: Callable[[tuple[Any, ...]], Any] | None = None,
        fold_base: int | Iterable[int] | None = None,
    ) -> collections.Counter[Any]:
        """How often each value of measurement ``key`` occurred (see ``cirq.Result``)."""
        if fold_func is None and fold_base is None and isinstance(key, str):
            bits = np.asarray(self.measurements[key])
            if bits.ndim == 2 and bits.shape[1] <= _MAX_BITS and _binary(bits):
                return _count(bits)
        return super().histogram(key=key, fold_func=fold_func, fold_base=fold_base)


def _binary(bits: np.ndarray[Any, Any]) -> bool:
    """Whether every digit is 0 or 1 (qudit digits fold differently)."""
    return bits.size == 0 or bool(((bits == 0) | (bits == 1)).all())


def _count(bits: np.ndarray[Any, Any]) -> collections.Counter[int]:
    """Big-endian integers of each row of ``bits``, counted in the order first seen."""
    width = bits.shape[1]
    weights = np.left_shift(np.int64(1), np.arange(width - 1, -1, -1, dtype=np.int64))
    values = bits.astype(np.int64) @ weights if width else np.zeros(len(bits), np.int64)
    found, first, counts = np.unique(values, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return collections.Counter(
        dict(zip(found[order].tolist(), counts[order].tolist(), strict=True))
    )
