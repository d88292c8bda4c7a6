"""The native Qiskit gates match IonQ's documented matrices, their definitions and each other."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile
from qiskit.circuit import Parameter
from qiskit.quantum_info import Operator, Statevector

from ionq_direct.gates import GATES
from ionq_direct.simulate import statevector
from qiskit_ionq_direct import GPI2Gate, GPIGate, MSGate, ZZGate

RNG = np.random.default_rng(20260501)
SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
PHASES = [0.0, 0.25, -0.5, 0.75, 1.0, -1.0, 0.123, *RNG.uniform(-1, 1, 5).tolist()]
MS_ANGLES = [0.0, 0.05, 0.125, 0.25, *RNG.uniform(0, 0.25, 3).tolist()]


def ionq_matrix(name: str, **params: object) -> np.ndarray:
    return GATES["native", name].matrix(params)


def random_gates(count: int) -> list[tuple[object, dict[str, object]]]:
    """Native gates with random (also out-of-range) parameters, with the IonQ JSON parameters."""
    gates: list[tuple[object, dict[str, object]]] = []
    for _ in range(count):
        a, b = RNG.uniform(-1, 1, 2).tolist()
        theta = float(RNG.uniform(0, 0.25))
        gates.append((GPIGate(a), {"phase": a}))
        gates.append((GPI2Gate(b), {"phase": b}))
        gates.append((MSGate(a, b, theta), {"phases": [a, b], "angle": theta}))
        gates.append((ZZGate(a), {"angle": a}))
    return gates


def test_names_and_sizes() -> None:
    assert (GPIGate(0).name, GPIGate(0).num_qubits) == ("gpi", 1)
    assert (GPI2Gate(0).name, GPI2Gate(0).num_qubits) == ("gpi2", 1)
    assert (MSGate(0, 0).name, MSGate(0, 0).num_qubits) == ("ms", 2)
    assert (ZZGate(0).name, ZZGate(0).num_qubits) == ("zz", 2)
    assert MSGate(0.1, 0.2).params == [0.1, 0.2, 0.25]


@pytest.mark.parametrize("phi", PHASES)
def test_one_qubit_matrices_equal_ionq(phi: float) -> None:
    np.testing.assert_allclose(GPIGate(phi).to_matrix(), ionq_matrix("gpi", phase=phi), atol=1e-12)
    np.testing.assert_allclose(
        GPI2Gate(phi).to_matrix(), ionq_matrix("gpi2", phase=phi), atol=1e-12
    )


def test_known_values() -> None:
    np.testing.assert_allclose(GPIGate(0).to_matrix(), [[0, 1], [1, 0]], atol=1e-12)
    np.testing.assert_allclose(GPIGate(0.25).to_matrix(), [[0, -1j], [1j, 0]], atol=1e-12)
    np.testing.assert_allclose(GPI2Gate(0).to_matrix(), _rx(math.pi / 2), atol=1e-12)
    # ZZ(theta) is Qiskit's rzz(2 pi theta); MS(0, 0, theta) is rxx(2 pi theta).
    qc = QuantumCircuit(2)
    qc.rzz(2 * math.pi * 0.3, 0, 1)
    np.testing.assert_allclose(ZZGate(0.3).to_matrix(), Operator(qc).data, atol=1e-12)
    qc = QuantumCircuit(2)
    qc.rxx(2 * math.pi * 0.2, 0, 1)
    np.testing.assert_allclose(MSGate(0, 0, 0.2).to_matrix(), Operator(qc).data, atol=1e-12)


def _rx(theta: float) -> np.ndarray:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


@pytest.mark.parametrize("theta", MS_ANGLES)
def test_ms_matrix_is_ionq_matrix_in_qiskit_order(theta: float) -> None:
    for phi0, phi1 in RNG.uniform(-1, 1, (4, 2)).tolist():
        ionq = ionq_matrix("ms", phases=[phi0, phi1], angle=theta)
        qiskit = MSGate(phi0, phi1, theta).to_matrix()
        np.testing.assert_allclose(qiskit, SWAP @ ionq @ SWAP, atol=1e-12)
        if phi0 != phi1 and theta > 0:
            # The reordering matters: the unswapped matrix is a different gate.
            assert not np.allclose(qiskit, ionq)


@pytest.mark.parametrize("theta", PHASES)
def test_zz_matrix_equals_ionq(theta: float) -> None:
    np.testing.assert_allclose(ZZGate(theta).to_matrix(), ionq_matrix("zz", angle=theta))


@pytest.mark.parametrize(
    ("gate", "params"), random_gates(6), ids=lambda v: getattr(v, "name", None)
)
def test_definition_equals_matrix(gate: object, params: dict[str, object]) -> None:
    assert isinstance(gate, (GPIGate, GPI2Gate, MSGate, ZZGate))
    np.testing.assert_allclose(Operator(gate.definition).data, gate.to_matrix(), atol=1e-12)
    np.testing.assert_allclose(np.asarray(gate), gate.to_matrix())


@pytest.mark.parametrize(
    ("gate", "params"), random_gates(4), ids=lambda v: getattr(v, "name", None)
)
def test_inverse(gate: object, params: dict[str, object]) -> None:
    assert isinstance(gate, (GPIGate, GPI2Gate, MSGate, ZZGate))
    inverse = gate.inverse()
    assert inverse.name == gate.name
    product = Operator(inverse).data @ Operator(gate).data
    np.testing.assert_allclose(product, np.eye(2**gate.num_qubits), atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_statevector_of_native_circuit_matches_ionq_simulator(seed: int) -> None:
    """A Qiskit circuit of native gates on qubits (a, b) is IonQ's gate with targets [a, b]."""
    rng = np.random.default_rng(seed)
    n = 4
    qc = QuantumCircuit(n)
    json: list[dict[str, object]] = []
    for _ in range(12):
        kind = int(rng.integers(4))
        a, b = (int(q) for q in rng.choice(n, 2, replace=False))
        p0, p1 = (float(x) for x in rng.uniform(-1, 1, 2))
        theta = float(rng.uniform(0, 0.25))
        if kind == 0:
            qc.append(GPIGate(p0), [a])
            json.append({"gate": "gpi", "target": a, "phase": p0})
        elif kind == 1:
            qc.append(GPI2Gate(p0), [a])
            json.append({"gate": "gpi2", "target": a, "phase": p0})
        elif kind == 2:
            qc.append(MSGate(p0, p1, theta), [a, b])
            json.append({"gate": "ms", "targets": [a, b], "phases": [p0, p1], "angle": theta})
        else:
            qc.append(ZZGate(p0), [a, b])
            json.append({"gate": "zz", "targets": [a, b], "angle": p0})
    expected = statevector(json, qubits=n, gateset="native")
    np.testing.assert_allclose(Statevector(qc).data, expected, atol=1e-10)


def test_parameters_bind_and_unbound_matrix_fails() -> None:
    a, b, t = Parameter("a"), Parameter("b"), Parameter("t")
    qc = QuantumCircuit(2)
    qc.append(MSGate(a, b, t), [0, 1])
    qc.append(GPI2Gate(a + 0.5), [1])
    qc.append(ZZGate(2 * t), [0, 1])
    assert set(qc.parameters) == {a, b, t}
    bound = qc.assign_parameters({a: 0.1, b: -0.3, t: 0.2})
    reference = QuantumCircuit(2)
    reference.append(MSGate(0.1, -0.3, 0.2), [0, 1])
    reference.append(GPI2Gate(0.6), [1])
    reference.append(ZZGate(0.4), [0, 1])
    assert Operator(bound).equiv(Operator(reference))
    np.testing.assert_allclose(Operator(bound).data, Operator(reference).data, atol=1e-12)
    with pytest.raises(TypeError, match="unbound parameter"):
        MSGate(a, 0.0).to_matrix()


def test_transpile_through_definitions() -> None:
    qc = QuantumCircuit(3)
    qc.append(GPI2Gate(0.1), [0])
    qc.append(MSGate(0.2, 0.7, 0.2), [0, 2])
    qc.append(ZZGate(0.15), [2, 1])
    qc.append(GPIGate(0.4), [1])
    out = transpile(qc, basis_gates=["rz", "sx", "x", "cx"], optimization_level=2)
    assert set(out.count_ops()) <= {"rz", "sx", "x", "cx"}
    assert Operator(out).equiv(Operator(qc))
