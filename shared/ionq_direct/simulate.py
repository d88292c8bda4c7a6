"""A small exact state-vector simulator of IonQ JSON circuits, built on the gate table.

It is the independent reference the translators are tested against (and a handy offline check
for users): it reads nothing but the JSON gate dicts and :mod:`ionq_direct.gates`. Outcome index
``k`` has qubit ``q`` as bit ``q`` of ``k`` (qubit 0 is the least significant bit), matching the
keys IonQ returns.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct.gates import ParsedGate, iter_parsed

#: Widest circuit the reference simulator will take (2**24 amplitudes is 256 MiB).
MAX_QUBITS = 24


#: Widest state whose controlled-gate index pairs are kept (two arrays of at most 2**11 ints).
_PAIRS_MAX_QUBITS = 12


@functools.lru_cache(maxsize=256)
def _pairs(num_qubits: int, controls: tuple[int, ...], target: int) -> tuple[Any, Any]:
    """Flat indices with every control set: those with the target clear, and their partners."""
    index = np.arange(1 << num_qubits)
    mask = sum(1 << c for c in controls)
    low = index[(index & mask == mask) & (index & (1 << target) == 0)]
    high = low | (1 << target)
    low.setflags(write=False)
    high.setflags(write=False)
    return low, high


def _apply(state: NDArray[np.complex128], gate: ParsedGate, num_qubits: int) -> None:
    # `state` has shape (2,)*n in C order, so qubit q lives on axis n-1-q: flat index bit q.
    k = len(gate.targets)
    if k == 1 and not gate.controls:
        # One target: the 2x2 matrix on each pair of amplitudes (the commonest gates).
        pairs = state.reshape(-1, 2, 1 << gate.targets[0])
        pairs[...] = gate.unitary() @ pairs
        return
    if k == 1 and num_qubits <= _PAIRS_MAX_QUBITS:
        # Controlled, one target: the same on the pairs whose controls are all set.
        flat = state.reshape(-1)
        low, high = _pairs(num_qubits, gate.controls, gate.targets[0])
        matrix = gate.unitary()
        zero, one = flat[low], flat[high]
        flat[low] = matrix[0, 0] * zero + matrix[0, 1] * one
        flat[high] = matrix[1, 0] * zero + matrix[1, 1] * one
        return
    matrix = gate.unitary().reshape((2,) * (2 * k))
    index: list[Any] = [slice(None)] * num_qubits
    for c in gate.controls:
        index[num_qubits - 1 - c] = 1
    view = state[tuple(index)]
    # Axes of the view after integer indexing: the surviving axes keep their relative order.
    remaining = [ax for ax in range(num_qubits) if not isinstance(index[ax], int)]
    axes = [remaining.index(num_qubits - 1 - t) for t in gate.targets]
    moved = np.tensordot(matrix, view, axes=(list(range(k, 2 * k)), axes))
    state[tuple(index)] = np.moveaxis(moved, list(range(k)), axes)


def statevector(
    circuit: Sequence[Mapping[str, Any]], *, qubits: int, gateset: str = "qis"
) -> NDArray[np.complex128]:
    """The final state of ``circuit`` on ``qubits`` qubits starting from all zeros.

    Args:
        circuit: IonQ JSON gate dicts.
        qubits: register width.
        gateset: ``"qis"`` or ``"native"``.

    Returns:
        A vector of length ``2**qubits``; entry ``k`` is the amplitude of outcome key ``k``.
    """
    if not 1 <= qubits <= MAX_QUBITS:
        raise ValueError(f"the reference simulator takes 1..{MAX_QUBITS} qubits, got {qubits}")
    return evolve(iter_parsed(circuit, gateset=gateset, qubits=qubits, max_controls=None), qubits)


def evolve(gates: Iterable[ParsedGate], qubits: int) -> NDArray[np.complex128]:
    """The final state of already parsed gates on ``qubits`` qubits, from all zeros.

    The same as :func:`statevector` for a circuit whose gates :func:`iter_parsed` gave.
    """
    if not 1 <= qubits <= MAX_QUBITS:
        raise ValueError(f"the reference simulator takes 1..{MAX_QUBITS} qubits, got {qubits}")
    state = np.zeros((2,) * qubits, dtype=np.complex128)
    state[(0,) * qubits] = 1.0
    for gate in gates:
        _apply(state, gate, qubits)
    return state.reshape(-1)


def probabilities(
    circuit: Sequence[Mapping[str, Any]], *, qubits: int, gateset: str = "qis"
) -> NDArray[np.float64]:
    """Outcome probabilities of ``circuit``, indexed by IonQ's decimal result key."""
    amplitudes = statevector(circuit, qubits=qubits, gateset=gateset)
    return np.abs(amplitudes) ** 2
