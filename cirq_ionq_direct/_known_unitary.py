"""Lower gates the translator has no name for, when Cirq knows their unitary, exactly.

Any one- or two-qubit gate with a unitary (``ISWAP**t``, ``FSimGate``, ``PhasedFSimGate``,
``MatrixGate``, ``cirq.experiments``' gates, user gates defining ``_unitary_``) is rewritten with
Cirq's own synthesis: ``cirq.single_qubit_matrix_to_phxz`` for one qubit, and
``cirq.two_qubit_matrix_to_cz_operations`` (KAK, at most three CZs plus single-qubit gates) for
two. The result is kept only when its unitary equals the gate's up to a global phase, so the
lowering is exact or not done. ``cirq.WaitGate`` lowers to nothing, as Qiskit's ``delay`` is
dropped: IonQ's circuits have no timing.
"""

from __future__ import annotations

import cirq

__all__ = ["ATOL", "lower_known_unitary"]

#: Largest entry-wise difference (after removing the global phase) accepted as equal.
ATOL = 1e-9


def lower_known_unitary(operation: cirq.Operation) -> list[cirq.Operation] | None:
    """``operation`` as CZs and single-qubit ``PhasedXZGate``s, or ``None`` when not possible.

    Args:
        operation: a resolved (parameter-free) operation the translator has no handler for.

    Returns:
        The equivalent operations (empty for ``cirq.WaitGate``), or ``None`` when the gate acts
        on more than two qubits, has no unitary, or Cirq's synthesis is not exact.
    """
    gate = operation.gate
    if isinstance(gate, cirq.WaitGate):
        return []
    qubits = operation.qubits
    if gate is None or len(qubits) not in (1, 2) or cirq.is_parameterized(operation):
        return None
    if any(q.dimension != 2 for q in qubits) or not cirq.has_unitary(operation):
        return None
    target = cirq.unitary(operation)
    if len(qubits) == 1:
        phxz = cirq.single_qubit_matrix_to_phxz(target, atol=ATOL)
        ops: list[cirq.Operation] = [] if phxz is None else [phxz.on(qubits[0])]
    else:
        ops = list(
            cirq.two_qubit_matrix_to_cz_operations(
                qubits[0], qubits[1], target, allow_partial_czs=False, atol=ATOL
            )
        )
    got = cirq.Circuit(ops).unitary(qubit_order=list(qubits), qubits_that_should_be_present=qubits)
    if not cirq.allclose_up_to_global_phase(got, target, atol=1e-8):
        return None
    return ops
