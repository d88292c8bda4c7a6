"""A small exact state-vector simulator of IonQ JSON circuits, built on the gate table.

It is the independent reference the translators are tested against (and a handy offline check
for users): it reads nothing but the JSON gate dicts and :mod:`ionq_direct.gates`. Outcome index
``k`` has qubit ``q`` as bit ``q`` of ``k`` (qubit 0 is the least significant bit), matching the
keys IonQ returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct.gates import ParsedGate, iter_parsed

#: Widest circuit the reference simulator will take (2**24 amplitudes is 256 MiB).
MAX_QUBITS = 24


def _apply(state: NDArray[np.complex128], gate: ParsedGate, num_qubits: int) -> None:
    # `state` has shape (2,)*n in C order, so qubit q lives on axis n-1-q.
    k = len(gate.targets)
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
