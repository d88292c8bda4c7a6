"""Gates with a known unitary but no IonQ name are lowered exactly (checked on random instances).

Each translated circuit is simulated with the core's reference simulator and compared, state
vector against state vector up to a global phase, with ``cirq.Simulator``.
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest
import sympy

from cirq_ionq_direct import to_ionq
from cirq_ionq_direct._known_unitary import lower_known_unitary
from ionq_direct.errors import InvalidInputError
from ionq_direct.simulate import statevector

A, B, C = cirq.LineQubit.range(3)
ATOL = 1e-9


def _ionq_state(circuit: cirq.Circuit, order: list[cirq.Qid]) -> np.ndarray:
    translated = to_ionq(circuit, qubit_order=order)
    n = translated.qubits
    state = statevector(translated.gates, qubits=n, gateset=translated.gateset)
    return state.reshape((2,) * n).transpose(tuple(reversed(range(n)))).reshape(-1)


def _assert_exact(circuit: cirq.Circuit) -> None:
    order = sorted(circuit.all_qubits())
    expected = cirq.Simulator(dtype=np.complex128).simulate(circuit, qubit_order=order)
    want = expected.final_state_vector
    got = _ionq_state(circuit, order)
    overlap = np.vdot(got, want)
    assert abs(abs(overlap) - 1) < ATOL, abs(overlap)
    np.testing.assert_allclose(got * overlap / abs(overlap), want, atol=1e-8)


def _random_gate(rng: np.random.Generator) -> tuple[cirq.Gate, int]:
    angle = lambda: float(rng.uniform(-2 * np.pi, 2 * np.pi))  # noqa: E731
    kind = int(rng.integers(7))
    if kind == 0:
        return cirq.ISWAP ** float(rng.uniform(-2, 2)), 2
    if kind == 1:
        return cirq.FSimGate(theta=angle(), phi=angle()), 2
    if kind == 2:
        return cirq.PhasedFSimGate(angle(), angle(), angle(), angle(), angle()), 2
    if kind == 3:
        seed = int(rng.integers(2**31))
        return cirq.MatrixGate(cirq.testing.random_unitary(4, random_state=seed)), 2
    if kind == 4:
        seed = int(rng.integers(2**31))
        return cirq.MatrixGate(cirq.testing.random_unitary(2, random_state=seed)), 1
    if kind == 5:
        return cirq.PhasedISwapPowGate(
            phase_exponent=float(rng.uniform(-1, 1)), exponent=float(rng.uniform(-2, 2))
        ), 2
    return cirq.givens(angle()), 2


@pytest.mark.parametrize("seed", range(40))
def test_random_known_unitaries_match_cirq(seed: int) -> None:
    rng = np.random.default_rng(seed)
    qubits = [A, B, C]
    # A random entangled start state, so every matrix entry of the gate matters.
    circuit = cirq.Circuit(cirq.H.on_each(*qubits), cirq.CNOT(A, B), cirq.T(C), cirq.CNOT(B, C))
    for _ in range(4):
        gate, width = _random_gate(rng)
        picked = [qubits[i] for i in rng.permutation(3)[:width]]
        circuit.append(gate.on(*picked))
    _assert_exact(circuit)


@pytest.mark.parametrize(
    "gate",
    [
        cirq.ISWAP**0.5,
        cirq.SQRT_ISWAP_INV,
        cirq.FSimGate(np.pi / 2, np.pi / 6),
        cirq.FSimGate(0.0, 0.0),  # the identity: lowered to single-qubit gates only
        cirq.MatrixGate(np.kron(cirq.unitary(cirq.H), cirq.unitary(cirq.S))),  # a product
        cirq.MatrixGate(np.diag([1, 1j]).astype(complex)),
        cirq.MatrixGate(np.eye(2)),
    ],
)
def test_special_instances_are_exact(gate: cirq.Gate) -> None:
    qubits = [A, B][: cirq.num_qubits(gate)]
    _assert_exact(cirq.Circuit(cirq.H.on_each(A, B), cirq.CZ(A, B), gate.on(*qubits)))


def test_symbols_are_resolved_before_lowering() -> None:
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(cirq.H(A), cirq.FSimGate(theta, 0.3)(A, B), cirq.measure(A, B, key="m"))
    resolved = cirq.resolve_parameters(circuit, {"theta": 0.7})
    translated = to_ionq(circuit, param_resolver={"theta": 0.7})
    assert translated.gates == to_ionq(resolved).gates
    with pytest.raises(InvalidInputError, match="theta"):
        to_ionq(circuit)


def test_wait_gate_is_dropped_even_after_a_measurement() -> None:
    circuit = cirq.Circuit(
        cirq.X(A), cirq.wait(A, nanos=50), cirq.measure(A, key="m"), cirq.wait(A, micros=1)
    )
    assert to_ionq(circuit).gates == to_ionq(cirq.Circuit(cirq.X(A), cirq.measure(A))).gates


def test_lowered_gate_after_a_measurement_is_refused() -> None:
    circuit = cirq.Circuit(cirq.measure(A, key="m"), (cirq.ISWAP**0.5)(A, B))
    with pytest.raises(InvalidInputError, match="already measured"):
        to_ionq(circuit)


def test_what_cannot_be_lowered_is_left_to_the_translator() -> None:
    assert lower_known_unitary(cirq.MatrixGate(np.eye(8)).on(A, B, C)) is None
    assert lower_known_unitary(cirq.depolarize(0.1).on(A)) is None
    assert lower_known_unitary(cirq.FSimGate(sympy.Symbol("t"), 0).on(A, B)) is None
    with pytest.raises(InvalidInputError, match="unsupported gate"):
        to_ionq(cirq.Circuit(cirq.depolarize(0.1).on(A), cirq.measure(A)))
