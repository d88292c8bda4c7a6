"""The native Cirq gates against IonQ's gate table, and their Cirq protocols."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
import sympy

import cirq_ionq_direct
from cirq_ionq_direct import GPI2Gate, GPIGate, MSGate, ZZGate, json_resolver
from ionq_direct.gates import GATES

RNG = np.random.default_rng(20240501)
PHASES = [0.0, 0.25, -0.5, 0.75, 1.0, *RNG.uniform(-1, 1, 6)]
SETUP = "import cirq_ionq_direct\nimport sympy"


def _ionq(name: str, **params: object) -> np.ndarray:
    return GATES[("native", name)].matrix(params)


@pytest.mark.parametrize("phi", PHASES)
def test_one_qubit_unitaries_match_the_gate_table(phi: float) -> None:
    np.testing.assert_allclose(cirq.unitary(GPIGate(phi)), _ionq("gpi", phase=phi), atol=1e-12)
    np.testing.assert_allclose(cirq.unitary(GPI2Gate(phi)), _ionq("gpi2", phase=phi), atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_two_qubit_unitaries_match_the_gate_table(seed: int) -> None:
    rng = np.random.default_rng(seed)
    phi0, phi1 = rng.uniform(-1, 1, 2)
    theta = rng.uniform(0, 0.25)
    expected = _ionq("ms", phases=[phi0, phi1], angle=theta)
    np.testing.assert_allclose(cirq.unitary(MSGate(phi0, phi1, theta)), expected, atol=1e-12)
    zz = rng.uniform(-1, 1)
    np.testing.assert_allclose(cirq.unitary(ZZGate(zz)), _ionq("zz", angle=zz), atol=1e-12)


def test_ms_default_angle_is_fully_entangling() -> None:
    np.testing.assert_allclose(
        cirq.unitary(MSGate(0.1, 0.2)), _ionq("ms", phases=[0.1, 0.2]), atol=1e-12
    )
    assert MSGate(0.1, 0.2).theta == 0.25


def test_ms_on_a_b_has_a_as_the_left_factor_in_cirq_circuits() -> None:
    a, b = cirq.LineQubit.range(2)
    gate = MSGate(0.1, 0.35, 0.2)
    expected = _ionq("ms", phases=[0.1, 0.35], angle=0.2)
    np.testing.assert_allclose(cirq.Circuit(gate.on(a, b)).unitary([a, b]), expected, atol=1e-12)
    # Swapping the qubit order is the same as swapping the phases.
    swapped = _ionq("ms", phases=[0.35, 0.1], angle=0.2)
    np.testing.assert_allclose(cirq.Circuit(gate.on(a, b)).unitary([b, a]), swapped, atol=1e-12)


@pytest.mark.parametrize(
    "gate",
    [GPIGate(0.3), GPI2Gate(0.3), GPI2Gate(0.8), MSGate(0.1, 0.6, 0.2), ZZGate(0.37)],
    ids=str,
)
def test_inverse_is_the_adjoint(gate: cirq.Gate) -> None:
    inverse = cirq.inverse(gate)
    np.testing.assert_allclose(cirq.unitary(inverse), cirq.unitary(gate).conj().T, atol=1e-12)
    np.testing.assert_allclose(cirq.unitary(inverse**-1), cirq.unitary(gate), atol=1e-12)


def test_inverse_keeps_parameters_in_ionq_ranges() -> None:
    assert GPI2Gate(0.75) ** -1 == GPI2Gate(0.25)
    assert cirq.approx_eq(MSGate(0.8, 0.1, 0.2) ** -1, MSGate(0.3, 0.1, 0.2), atol=1e-12)
    assert GPIGate(0.4) ** -1 == GPIGate(0.4)


@pytest.mark.parametrize("power", [0.5, -0.3, 2.0])
def test_ms_and_zz_powers_scale_the_angle(power: float) -> None:
    for gate in (MSGate(0.15, 0.4, 0.2), ZZGate(0.3)):
        u = cirq.unitary(gate)
        values, vectors = np.linalg.eig(u)
        expected = vectors @ np.diag(values**power) @ np.linalg.inv(vectors)
        # The eigenphases stay inside (-pi, pi) here, so principal powers agree.
        np.testing.assert_allclose(cirq.unitary(gate**power), expected, atol=1e-9)


def test_unsupported_powers_are_not_implemented() -> None:
    assert cirq.pow(GPIGate(0.1), 0.5, None) is None
    assert cirq.pow(GPI2Gate(0.1), 2, None) is None
    assert cirq.pow(ZZGate(0.1), sympy.Symbol("t"), None) is None


def test_equality_includes_theta_and_is_approximate() -> None:
    assert MSGate(0, 0, 0.25) != MSGate(0, 0, 0.1)
    assert hash(MSGate(0, 0, 0.25)) != hash(MSGate(0, 0, 0.1))
    assert MSGate(0.1, 0.2, 0.1) == MSGate(0.1, 0.2, 0.1)
    assert cirq.approx_eq(GPIGate(0.1), GPIGate(0.1 + 1e-12))
    assert GPIGate(0.1) != GPI2Gate(0.1)


def test_parameters_resolve() -> None:
    t = sympy.Symbol("t")
    gates = [GPIGate(t), GPI2Gate(t / 2), MSGate(t, 0.1, t / 4), ZZGate(2 * t)]
    resolved = [GPIGate(0.2), GPI2Gate(0.1), MSGate(0.2, 0.1, 0.05), ZZGate(0.4)]
    for gate, expected in zip(gates, resolved, strict=True):
        assert cirq.is_parameterized(gate)
        assert cirq.parameter_names(gate) == {"t"}
        assert not cirq.has_unitary(gate)
        value = cirq.resolve_parameters(gate, {"t": 0.2})
        assert not cirq.is_parameterized(value)
        assert cirq.approx_eq(value, expected, atol=1e-12)
        np.testing.assert_allclose(cirq.unitary(value), cirq.unitary(expected), atol=1e-12)


ALL_GATES = [
    GPIGate(0.125),
    GPI2Gate(-0.5),
    MSGate(0.1, 0.2),
    MSGate(0.1, 0.2, 0.05),
    ZZGate(0.3),
    GPIGate(sympy.Symbol("a")),
    MSGate(sympy.Symbol("a"), 2 * sympy.Symbol("b"), 0.1),
]


@pytest.mark.parametrize("gate", ALL_GATES, ids=repr)
def test_repr_round_trips(gate: cirq.Gate) -> None:
    cirq.testing.assert_equivalent_repr(gate, setup_code=SETUP)


@pytest.mark.parametrize("gate", ALL_GATES, ids=repr)
def test_json_round_trips_with_the_resolver(gate: cirq.Gate) -> None:
    text = cirq.to_json(gate)
    assert '"cirq_type": "ionq_direct.' in text
    back = cirq.read_json(json_text=text, resolvers=[json_resolver, *cirq.DEFAULT_RESOLVERS])
    assert back == gate
    q = cirq.LineQubit.range(gate.num_qubits())
    circuit = cirq.Circuit(gate.on(*q))
    resolvers = [cirq_ionq_direct.json_resolver, *cirq.DEFAULT_RESOLVERS]
    assert cirq.read_json(json_text=cirq.to_json(circuit), resolvers=resolvers) == circuit


def test_consistent_protocols() -> None:
    for gate in [GPIGate(0.125), GPI2Gate(0.3), MSGate(0.1, 0.2, 0.05), ZZGate(0.3)]:
        cirq.testing.assert_implements_consistent_protocols(
            gate, setup_code=SETUP, ignore_decompose_to_default_gateset=True
        )


def test_circuit_diagram() -> None:
    a, b = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(GPIGate(0.25).on(a), GPI2Gate(0.5).on(b), MSGate(0, 0.5).on(a, b))
    circuit.append(ZZGate(0.125).on(a, b))
    cirq.testing.assert_has_diagram(
        circuit,
        """
0: ───GPI(0.25)───MS(0,0.5,0.25)───ZZ(0.125)───
                  │                │
1: ───GPI2(0.5)───MS(0,0.5,0.25)───ZZ(0.125)───
""",
    )
