"""Target gatesets: compiled circuits translate and equal the original up to a global phase."""

from __future__ import annotations

import math

import cirq
import numpy as np
import pytest

from cirq_ionq_direct import GPI2Gate, GPIGate, MSGate, ZZGate, to_ionq
from cirq_ionq_direct.gatesets import (
    AriaNativeGateset,
    ForteNativeGateset,
    IonQTargetGateset,
    single_qubit_to_native,
)

Q = cirq.LineQubit.range(4)
GATESETS = [IonQTargetGateset(), AriaNativeGateset(), ForteNativeGateset()]
NATIVE = {
    "AriaNativeGateset": {GPIGate, GPI2Gate, MSGate},
    "ForteNativeGateset": {GPIGate, GPI2Gate, ZZGate},
}


def _same_unitary(a: cirq.AbstractCircuit, b: cirq.AbstractCircuit, qubits: list[cirq.Qid]) -> bool:
    return bool(
        cirq.allclose_up_to_global_phase(
            a.unitary(qubit_order=qubits), b.unitary(qubit_order=qubits), atol=1e-7
        )
    )


@pytest.mark.parametrize("gateset", GATESETS, ids=lambda g: type(g).__name__)
@pytest.mark.parametrize("seed", range(6))
def test_random_circuits_compile_exactly_and_translate(gateset: cirq.Gateset, seed: int) -> None:
    circuit = cirq.testing.random_circuit(Q, 6, 0.8, random_state=seed)
    circuit += cirq.Circuit(cirq.CCZ(*Q[:3]), cirq.FSimGate(0.3, 0.2)(Q[1], Q[3]))
    compiled = cirq.optimize_for_target_gateset(circuit, gateset=gateset)
    assert _same_unitary(circuit, compiled, Q)
    translated = to_ionq(compiled + cirq.Circuit(cirq.measure(*Q, key="m")), qubit_order=Q)
    name = type(gateset).__name__
    if name in NATIVE:
        assert translated.gateset == "native"
        used = {type(op.gate) for op in compiled.all_operations()}
        assert used <= NATIVE[name]
    else:
        assert translated.gateset == "qis"


@pytest.mark.parametrize("gateset", GATESETS[1:], ids=lambda g: type(g).__name__)
def test_measured_distribution_is_kept(gateset: cirq.Gateset) -> None:
    circuit = cirq.Circuit(
        cirq.H(Q[0]), cirq.CNOT(Q[0], Q[1]), cirq.ry(0.7)(Q[2]), cirq.CZ(Q[1], Q[2]), cirq.T(Q[2])
    )
    circuit += cirq.measure(Q[2], Q[0], Q[1], key="m")
    compiled = cirq.optimize_for_target_gateset(circuit, gateset=gateset)
    cirq.testing.assert_circuits_with_terminal_measurements_are_equivalent(
        circuit, compiled, atol=1e-7
    )


def test_single_qubit_native_forms_are_exact_and_short() -> None:
    rng = np.random.RandomState(5)
    for _ in range(200):
        matrix = cirq.testing.random_unitary(2, random_state=rng)
        ops = single_qubit_to_native(matrix, Q[0])
        assert len(ops) <= 4
        assert cirq.allclose_up_to_global_phase(cirq.Circuit(ops).unitary(), matrix, atol=1e-9)
    assert single_qubit_to_native(np.eye(2) * 1j, Q[0]) == []
    for gate in (GPIGate(0.3), GPI2Gate(0.7), GPI2Gate(0.0), GPIGate(0.0)):
        [op] = single_qubit_to_native(cirq.unitary(gate), Q[0])
        assert cirq.allclose_up_to_global_phase(cirq.unitary(op), cirq.unitary(gate))
    for angle in (0.1, math.pi / 2, math.pi, -2.0):
        ops = single_qubit_to_native(cirq.unitary(cirq.rz(angle)), Q[0])
        assert len(ops) == 2 and all(isinstance(op.gate, GPIGate) for op in ops)


@pytest.mark.parametrize("gateset", [AriaNativeGateset(), ForteNativeGateset()], ids=str)
def test_cz_rewrite_is_exact(gateset: AriaNativeGateset | ForteNativeGateset) -> None:
    rewrite = cirq.Circuit(gateset._cz(Q[0], Q[1]))
    assert cirq.allclose_up_to_global_phase(
        rewrite.unitary(qubit_order=Q[:2]), cirq.unitary(cirq.CZ), atol=1e-12
    )


def test_gatesets_accept_their_gates() -> None:
    assert cirq.X(Q[0]) in IonQTargetGateset()
    assert cirq.CNOT(Q[0], Q[1]) in IonQTargetGateset()
    assert MSGate(0, 0).on(Q[0], Q[1]) in AriaNativeGateset()
    assert ZZGate(0.25).on(Q[0], Q[1]) not in AriaNativeGateset()
    assert ZZGate(0.25).on(Q[0], Q[1]) in ForteNativeGateset()
    assert cirq.H(Q[0]) not in ForteNativeGateset()
