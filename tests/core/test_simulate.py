"""The reference simulator and the gate table's matrices against Qiskit's Statevector."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import RYGate
from qiskit.quantum_info import Operator, Statevector

from ionq_direct.errors import GateError
from ionq_direct.simulate import probabilities, statevector


def _equal_up_to_phase(a: np.ndarray, b: np.ndarray) -> bool:
    overlap = np.vdot(a, b)
    return bool(abs(abs(overlap) - 1) < 1e-9 and np.allclose(a * overlap / abs(overlap), b))


def test_x_on_qubit_zero_sets_the_least_significant_bit() -> None:
    probs = probabilities([{"gate": "x", "target": 0}], qubits=3)
    assert probs[1] == pytest.approx(1.0)


def test_ghz_gives_zero_and_seven() -> None:
    circuit = [
        {"gate": "h", "targets": [0]},
        {"gate": "cnot", "controls": [0], "targets": [1]},
        {"gate": "cnot", "control": 0, "target": 2},
    ]
    probs = probabilities(circuit, qubits=3)
    assert probs[0] == pytest.approx(0.5)
    assert probs[7] == pytest.approx(0.5)
    assert probs.sum() == pytest.approx(1.0)


QIS_CASES = [
    ({"gate": "h", "target": 1}, lambda qc: qc.h(1)),
    ({"gate": "y", "target": 0}, lambda qc: qc.y(0)),
    ({"gate": "s", "target": 2}, lambda qc: qc.s(2)),
    ({"gate": "si", "target": 2}, lambda qc: qc.sdg(2)),
    ({"gate": "t", "target": 0}, lambda qc: qc.t(0)),
    ({"gate": "ti", "target": 0}, lambda qc: qc.tdg(0)),
    ({"gate": "v", "target": 1}, lambda qc: qc.sx(1)),
    ({"gate": "vi", "target": 1}, lambda qc: qc.sxdg(1)),
    ({"gate": "rx", "target": 0, "rotation": 0.3}, lambda qc: qc.rx(0.3, 0)),
    ({"gate": "ry", "target": 1, "rotation": -1.1}, lambda qc: qc.ry(-1.1, 1)),
    ({"gate": "rz", "target": 2, "rotation": 2.5}, lambda qc: qc.rz(2.5, 2)),
    ({"gate": "cnot", "control": 2, "target": 0}, lambda qc: qc.cx(2, 0)),
    ({"gate": "x", "controls": [0, 2], "target": 1}, lambda qc: qc.ccx(0, 2, 1)),
    ({"gate": "swap", "targets": [0, 2]}, lambda qc: qc.swap(0, 2)),
    ({"gate": "swap", "targets": [1, 2], "controls": [0]}, lambda qc: qc.cswap(0, 1, 2)),
    ({"gate": "xx", "targets": [2, 0], "rotation": 0.7}, lambda qc: qc.rxx(0.7, 2, 0)),
    ({"gate": "yy", "targets": [0, 1], "rotation": 0.4}, lambda qc: qc.ryy(0.4, 0, 1)),
    ({"gate": "zz", "targets": [1, 2], "rotation": 1.9}, lambda qc: qc.rzz(1.9, 1, 2)),
    ({"gate": "rz", "controls": [1], "target": 0, "rotation": 0.8}, lambda qc: qc.crz(0.8, 1, 0)),
]


@pytest.mark.parametrize(("gate", "build"), QIS_CASES)
def test_qis_gates_match_qiskit_exactly(gate: dict, build) -> None:  # type: ignore[no-untyped-def]
    prep = QuantumCircuit(3)
    for q in range(3):
        prep.ry(0.3 + 0.4 * q, q)
        prep.rz(0.2 * q + 0.1, q)
    prep_json = []
    for q in range(3):
        prep_json.append({"gate": "ry", "target": q, "rotation": 0.3 + 0.4 * q})
        prep_json.append({"gate": "rz", "target": q, "rotation": 0.2 * q + 0.1})
    build(prep)
    ours = statevector([*prep_json, gate], qubits=3)
    # Controlled gates are compared exactly (global phase matters under control).
    assert np.allclose(ours, Statevector(prep).data, atol=1e-12)


# Qiskit exponentiates the operator with SciPy, which warns about its sparse format.
@pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning")
def test_pauliexp_matches_qiskit_evolution() -> None:
    from qiskit.circuit.library import PauliEvolutionGate
    from qiskit.quantum_info import SparsePauliOp

    # Qiskit labels are little-endian: "XZ" puts Z on qubit 0 and X on qubit 1. The terms
    # commute, so the product of exponentials is the exact evolution Qiskit computes.
    op = SparsePauliOp(["XY", "YX"], coeffs=[0.4, -0.9])
    qc = QuantumCircuit(2)
    qc.append(PauliEvolutionGate(op, time=0.7), [0, 1])
    gate = {
        "gate": "pauliexp",
        "targets": [0, 1],
        "terms": ["YX", "XY"],
        "coefficients": [0.4, -0.9],
        "time": 0.7,
    }
    assert _equal_up_to_phase(statevector([gate], qubits=2), Statevector(qc).data)


def test_native_gates_match_their_documented_equivalents() -> None:
    # GPI(0) = X, GPI2(0) = RX(pi/2), MS(0,0) = RXX(pi/2), native ZZ(t) = RZZ(2 pi t).
    for native, qis in [
        ({"gate": "gpi", "target": 0, "phase": 0}, [{"gate": "x", "target": 0}]),
        (
            {"gate": "gpi2", "target": 1, "phase": 0},
            [{"gate": "rx", "target": 1, "rotation": math.pi / 2}],
        ),
        (
            {"gate": "ms", "targets": [0, 1], "phases": [0, 0]},
            [{"gate": "xx", "targets": [0, 1], "rotation": math.pi / 2}],
        ),
        (
            {"gate": "zz", "targets": [0, 1], "angle": 0.1},
            [{"gate": "zz", "targets": [0, 1], "rotation": 2 * math.pi * 0.1}],
        ),
    ]:
        prep = {"gate": "gpi2", "target": 0, "phase": 0.0}
        a = statevector([prep, native], qubits=2, gateset="native")
        b_json = [{"gate": "rx", "target": 0, "rotation": math.pi / 2}, *qis]
        b = statevector(b_json, qubits=2)
        assert _equal_up_to_phase(a, b), native


def test_ms_matches_its_rz_rxx_rz_decomposition() -> None:
    phi0, phi1, theta = 0.13, -0.37, 0.2
    ms = Operator(_ms_from_table(phi0, phi1, theta))
    qc = QuantumCircuit(2)
    # targets[0] is the left factor in IonQ's matrix; in Qiskit's order that is qubit 1.
    # In circuit order: rotate the phases away, entangle about XX, rotate them back.
    qc.rz(-2 * math.pi * phi0, 1)
    qc.rz(-2 * math.pi * phi1, 0)
    qc.rxx(2 * math.pi * theta, 0, 1)
    qc.rz(2 * math.pi * phi0, 1)
    qc.rz(2 * math.pi * phi1, 0)
    assert ms.equiv(Operator(qc))


def _ms_from_table(phi0: float, phi1: float, theta: float) -> np.ndarray:
    from ionq_direct.gates import GATES

    return GATES[("native", "ms")].matrix({"phases": [phi0, phi1], "angle": theta})


def test_bad_gates_raise_gate_errors_naming_the_field() -> None:
    with pytest.raises(GateError, match=r"input.circuit\[0\]: qubit index 3 out of range"):
        statevector([{"gate": "x", "target": 3}], qubits=3)
    with pytest.raises(GateError, match=r"gpi.*native gate"):
        statevector([{"gate": "gpi", "target": 0, "phase": 0}], qubits=1)


def test_evolve_takes_parsed_gates_and_agrees_with_statevector() -> None:
    from ionq_direct.gates import iter_parsed
    from ionq_direct.simulate import evolve, statevector

    circuit = [
        {"gate": "h", "targets": [0]},
        {"gate": "rx", "targets": [2], "rotation": 0.7},
        {"gate": "cnot", "controls": [0], "targets": [1]},
    ]
    parsed = iter_parsed(circuit, gateset="qis", qubits=3, max_controls=None)
    assert np.array_equal(evolve(parsed, 3), statevector(circuit, qubits=3))
    with pytest.raises(ValueError, match=r"1\.\.24"):
        evolve([], 0)


def _random_qis(rng: np.random.Generator, n: int) -> tuple[list[dict[str, Any]], QuantumCircuit]:
    """A random qis circuit on ``n`` qubits and the same circuit built in Qiskit."""
    gates: list[dict[str, Any]] = []
    qc = QuantumCircuit(n)
    for _ in range(int(rng.integers(5, 25))):
        order = [int(q) for q in rng.permutation(n)]
        angle = float(rng.uniform(-3, 3))
        kind = int(rng.integers(6 if n > 1 else 3))
        if kind == 0:
            gates.append({"gate": "h", "target": order[0]})
            qc.h(order[0])
        elif kind == 1:
            gates.append({"gate": "rx", "target": order[0], "rotation": angle})
            qc.rx(angle, order[0])
        elif kind == 2:
            gates.append({"gate": "rz", "target": order[0], "rotation": angle})
            qc.rz(angle, order[0])
        elif kind == 3:
            gates.append({"gate": "cnot", "control": order[0], "target": order[1]})
            qc.cx(order[0], order[1])
        elif kind == 4:
            count = int(rng.integers(1, n))
            controls = order[1 : 1 + count]
            gate = {"gate": "ry", "controls": controls, "target": order[0], "rotation": angle}
            gates.append(gate)
            qc.append(RYGate(angle).control(count), [*controls, order[0]])
        else:
            gates.append({"gate": "xx", "targets": order[:2], "rotation": angle})
            qc.rxx(angle, order[0], order[1])
    return gates, qc


@pytest.mark.parametrize("seed", range(40))
def test_random_circuits_match_qiskit_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 1 + seed % 6
    gates, qc = _random_qis(rng, n)
    assert np.allclose(statevector(gates, qubits=n), Statevector(qc).data, atol=1e-12)


def test_a_wide_state_takes_the_general_path_alike() -> None:
    # Controlled gates on more than _PAIRS_MAX_QUBITS qubits go through the tensor contraction.
    gates, qc = _random_qis(np.random.default_rng(7), 13)
    assert np.allclose(statevector(gates, qubits=13), Statevector(qc).data, atol=1e-12)
