"""Drop the qubits a transpiled circuit never touches, before it is sent.

``transpile`` onto a characterized QPU target lays a circuit out on the whole device, so a
two-qubit circuit comes back 36 qubits wide for Forte. IonQ's machines are all-to-all and its
compiler places qubits itself, so the unused ones carry no meaning; sending them only makes the
job wider than it is (and wider than a noise model can simulate). Classical bits, registers and
the order of the used qubits are kept, so counts and memory are unchanged.
"""

from __future__ import annotations

from qiskit.circuit import QuantumCircuit, QuantumRegister

__all__ = ["without_idle_qubits"]


def without_idle_qubits(circuit: QuantumCircuit) -> QuantumCircuit:
    """``circuit`` without the qubits no instruction uses, if ``transpile`` laid it out.

    A circuit without a layout (not transpiled) is returned as it is: its width is the
    caller's choice. So is one that uses every qubit.
    """
    if circuit.layout is None:
        return circuit
    used: set[int] = set()
    for instruction in circuit.data:
        used.update(circuit.find_bit(q).index for q in instruction.qubits)
    if len(used) == circuit.num_qubits:
        return circuit
    order = sorted(used)
    register = QuantumRegister(max(len(order), 1), "q")
    compact = QuantumCircuit(
        register, name=circuit.name, global_phase=circuit.global_phase, metadata=circuit.metadata
    )
    compact.add_bits(circuit.clbits)  # same bits, same order
    for creg in circuit.cregs:
        compact.add_register(creg)
    where = {circuit.qubits[q]: register[i] for i, q in enumerate(order)}
    for instruction in circuit.data:
        compact.append(
            instruction.operation,
            [where[q] for q in instruction.qubits],
            instruction.clbits,
            copy=False,
        )
    return compact
