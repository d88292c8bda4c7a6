"""Cirq circuits and experiments that work on any ``cirq.Sampler``, run on ours and the emulator.

Any one- or two-qubit gate with a known unitary should run without the user compiling first
(so ``cirq.experiments`` XEB runs with its default gate), and ``cirq.WaitGate`` is dropped as
Qiskit's ``delay`` is.
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest

import cirq_ionq_direct as ionq
from ionq_direct.emulator import Emulator

REPS = 4000
Q0, Q1 = cirq.LineQubit.range(2)


@pytest.fixture
def sampler(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> cirq.Sampler:
    return ionq.Service(emulator.url, emulator.api_key).sampler("simulator", seed=1)


def assert_matches_simulator(sampler: cirq.Sampler, circuit: cirq.Circuit) -> None:
    """Sampled frequencies of key 'm' match cirq.Simulator's exact probabilities."""
    unitary_part = cirq.Circuit(
        op for op in circuit.all_operations() if not cirq.is_measurement(op)
    )
    qubits = sorted(circuit.all_qubits())
    state = cirq.final_state_vector(unitary_part, qubit_order=qubits)
    exact = np.abs(state) ** 2
    histogram = sampler.run(circuit, repetitions=REPS).histogram(key="m")
    assert sum(histogram.values()) == REPS
    for value, p in enumerate(exact):
        assert abs(histogram.get(value, 0) / REPS - p) < 0.03, (value, histogram, exact)


def test_wait_gate_is_dropped(sampler: cirq.Sampler) -> None:
    circuit = cirq.Circuit(cirq.X(Q0), cirq.wait(Q0, nanos=100), cirq.measure(Q0, key="m"))
    assert sampler.run(circuit, repetitions=50).histogram(key="m") == {1: 50}


def test_phased_xz_gate(sampler: cirq.Sampler) -> None:
    gate = cirq.PhasedXZGate(x_exponent=0.5, z_exponent=0.25, axis_phase_exponent=0.1)
    assert_matches_simulator(sampler, cirq.Circuit(gate(Q0), cirq.measure(Q0, key="m")))


def test_iswap_power(sampler: cirq.Sampler) -> None:
    circuit = cirq.Circuit(cirq.X(Q0), cirq.ISWAP(Q0, Q1) ** 0.5, cirq.measure(Q0, Q1, key="m"))
    assert_matches_simulator(sampler, circuit)


def test_fsim_gate(sampler: cirq.Sampler) -> None:
    gate = cirq.FSimGate(theta=np.pi / 4, phi=np.pi / 6)
    circuit = cirq.Circuit(cirq.X(Q0), gate(Q0, Q1), cirq.measure(Q0, Q1, key="m"))
    assert_matches_simulator(sampler, circuit)


def test_phased_fsim_gate(sampler: cirq.Sampler) -> None:
    gate = cirq.PhasedFSimGate(0.3, 0.2, 0.1, 0.4, 0.5)
    circuit = cirq.Circuit(cirq.H(Q0), gate(Q0, Q1), cirq.measure(Q0, Q1, key="m"))
    assert_matches_simulator(sampler, circuit)


def test_matrix_gate_one_qubit(sampler: cirq.Sampler) -> None:
    gate = cirq.MatrixGate(cirq.unitary(cirq.ry(0.7)))
    assert_matches_simulator(sampler, cirq.Circuit(gate(Q0), cirq.measure(Q0, key="m")))


def test_matrix_gate_two_qubit(sampler: cirq.Sampler) -> None:
    gate = cirq.MatrixGate(cirq.testing.random_unitary(4, random_state=3))
    assert_matches_simulator(sampler, cirq.Circuit(gate(Q0, Q1), cirq.measure(Q0, Q1, key="m")))


@pytest.mark.slow
def test_xeb_with_default_gate(sampler: cirq.Sampler) -> None:
    from cirq.experiments import random_quantum_circuit_generation as rqcg
    from cirq.experiments.xeb_fitting import benchmark_2q_xeb_fidelities
    from cirq.experiments.xeb_sampling import sample_2q_xeb_circuits

    depths = [1, 3, 5]
    circuits = rqcg.generate_library_of_2q_circuits(
        n_library_circuits=4, two_qubit_gate=cirq.ISWAP**0.5, q0=Q0, q1=Q1, random_state=1
    )
    frame = sample_2q_xeb_circuits(
        sampler=sampler, circuits=circuits, cycle_depths=depths, repetitions=1000
    )
    fidelities = benchmark_2q_xeb_fidelities(frame, circuits, cycle_depths=depths)
    # The ideal simulator: every cycle depth's fidelity is close to 1.
    assert (fidelities["fidelity"] > 0.8).all()
