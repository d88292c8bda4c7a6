"""Native-gate lowering: exact equivalences, transpile onto GPI/GPI2/MS|ZZ at every level."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile
from qiskit.circuit import Parameter
from qiskit.circuit.library import QFTGate
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Operator

from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.target import build_target, qis_gate_names
from qiskit_ionq_direct.translate import QIS_GATE_NAMES, to_ionq
from qiskit_ionq_direct.transpiler import (
    add_equivalences,
    native_equivalences,
    standard_equivalences,
)

NATIVE = {"gpi", "gpi2", "ms", "zz"}


@pytest.mark.parametrize("index", range(len(native_equivalences())))
def test_every_rule_is_exact_including_global_phase(index: int) -> None:
    gate, circuit = native_equivalences()[index]
    rng = np.random.default_rng(index)
    assert set(circuit.count_ops()) <= NATIVE
    for _ in range(4):
        values = {p.name: float(rng.uniform(-7.0, 7.0)) for p in circuit.parameters}
        reference = QuantumCircuit(gate.num_qubits)
        reference.append(gate, range(gate.num_qubits))
        reference = reference.assign_parameters({p: values[p.name] for p in reference.parameters})
        lowered = circuit.assign_parameters({p: values[p.name] for p in circuit.parameters})
        assert np.allclose(Operator(lowered).data, Operator(reference).data, atol=1e-9)


def test_native_gates_still_lower_to_a_standard_basis() -> None:
    add_equivalences()  # registering natives must not stop them unrolling to standard gates
    qc = QuantumCircuit(3)
    qc.append(GPI2Gate(0.1), [0])
    qc.append(MSGate(0.2, 0.7, 0.2), [0, 2])
    qc.append(ZZGate(0.15), [2, 1])
    qc.append(GPIGate(0.4), [1])
    for level in (0, 2):
        out = transpile(qc, basis_gates=["rz", "sx", "x", "cx"], optimization_level=level)
        assert set(out.count_ops()) <= {"rz", "sx", "x", "cx"}
        assert Operator(out).equiv(Operator(qc))


def test_rules_are_keyed_by_parameters() -> None:
    for gate, circuit in standard_equivalences():
        assert all(isinstance(p, Parameter) for p in gate.params)
        assert not set(circuit.count_ops()) & NATIVE
    for gate, _ in native_equivalences():
        assert all(isinstance(p, Parameter) for p in gate.params)


def test_add_equivalences_is_idempotent() -> None:
    add_equivalences()
    add_equivalences()


@pytest.mark.parametrize("two_qubit", ["ms", "zz"])
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_transpile_to_native_is_exact(two_qubit: str, level: int) -> None:
    add_equivalences()
    target = build_target(11, "native", native_two_qubit=two_qubit)
    qc = random_circuit(4, 5, max_operands=3, seed=40 + level)
    qc.append(QFTGate(3), [0, 2, 3])
    out = transpile(qc, target=target, optimization_level=level, seed_transpiler=3)
    assert set(out.count_ops()) <= {"gpi", "gpi2", two_qubit}
    assert out.num_qubits == 4  # global instructions: no layout widening or routing
    assert Operator.from_circuit(out).equiv(Operator(qc))
    translated = to_ionq(out)
    assert translated.gateset == "native"


@pytest.mark.parametrize("level", [0, 2])
def test_transpile_to_qis_target_is_accepted_by_the_translator(level: int) -> None:
    target = build_target(29, "qis")
    qc = random_circuit(5, 6, max_operands=3, seed=7, measure=True)
    out = transpile(qc, target=target, optimization_level=level, seed_transpiler=1)
    assert set(out.count_ops()) - {"measure", "barrier"} <= qis_gate_names()
    assert out.num_qubits == 5
    assert to_ionq(out).gateset == "qis"


def test_qis_target_lists_only_gates_the_translator_accepts() -> None:
    assert qis_gate_names() <= QIS_GATE_NAMES
