"""to_ionq: exact translation (state vectors up to one global phase), JSON shapes and bad input."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from core_support import assert_same_as_validated
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit import CircuitInstruction, Clbit, Gate, Parameter, Qubit
from qiskit.circuit import library as lib
from qiskit.circuit.annotated_operation import (
    AnnotatedOperation,
    ControlModifier,
    InverseModifier,
    PowerModifier,
)
from qiskit.quantum_info import SparsePauliOp, Statevector

from ionq_direct.errors import InvalidInputError
from ionq_direct.simulate import probabilities, statevector
from qiskit_ionq_direct import GPI2Gate, GPIGate, MSGate, ZZGate, to_ionq, to_ionq_many

TAU = 2 * math.pi
pytestmark = [
    # Statevector of annotated operations goes through scipy's sparse expm; deprecated MCX classes
    # are still tested while Qiskit ships them.
    pytest.mark.filterwarnings("ignore:.*CSC.*"),
    pytest.mark.filterwarnings("ignore:.*MCX.*:DeprecationWarning"),
]
Builder = Callable[[QuantumCircuit, np.random.Generator], None]


# ---------------------------------------------------------------------------------------------
# Helpers


def assert_same_up_to_global_phase(got: np.ndarray, expected: np.ndarray) -> None:
    k = int(np.argmax(np.abs(expected)))
    phase = got[k] / expected[k]
    assert abs(abs(phase) - 1) < 1e-9, f"norms differ at amplitude {k}: {phase}"
    np.testing.assert_allclose(got, phase * expected, atol=1e-9)


def marginal(probs: np.ndarray, measurement_map: list[int]) -> np.ndarray:
    """Distribution of the classical value whose bit i reads qubit measurement_map[i]."""
    keys = np.arange(len(probs))
    values = np.zeros_like(keys)
    for bit, qubit in enumerate(measurement_map):
        if qubit >= 0:  # -1: a classical bit no measurement writes reads 0
            values |= ((keys >> qubit) & 1) << bit
    return np.bincount(values, weights=probs, minlength=2 ** len(measurement_map))


def check_exact(qc: QuantumCircuit, measured: list[int] | None = None, **kwargs: object) -> None:
    """The translation equals ``qc`` up to one global phase, and measures what ``qc`` measures."""
    circuit = to_ionq(qc, **kwargs)  # type: ignore[arg-type]
    n = qc.num_qubits
    assert circuit.qubits == n
    expected = Statevector(qc.remove_final_measurements(inplace=False)).data
    got = statevector(circuit.gates, qubits=n, gateset=circuit.gateset)
    assert_same_up_to_global_phase(got, expected)
    if measured is not None:
        assert list(circuit.measurement_map) == measured
        assert circuit.registers == tuple((c.name, c.size) for c in qc.cregs)
        ours = marginal(probabilities(circuit.gates, qubits=n, gateset=circuit.gateset), measured)
        np.testing.assert_allclose(ours, marginal(np.abs(expected) ** 2, measured), atol=1e-9)


def qubits(rng: np.random.Generator, qc: QuantumCircuit, k: int) -> list[int]:
    return [int(q) for q in rng.choice(qc.num_qubits, k, replace=False)]


def angle(rng: np.random.Generator) -> float:
    return float(rng.uniform(-2 * TAU, 2 * TAU))


# ---------------------------------------------------------------------------------------------
# The gate catalog: every supported gate, including controlled forms


def fixed(name: str) -> Builder:
    return lambda qc, rng: getattr(qc, name)(*qubits(rng, qc, 1))


def rotation(name: str) -> Builder:
    return lambda qc, rng: getattr(qc, name)(angle(rng), *qubits(rng, qc, 1))


def two(name: str, params: int = 0) -> Builder:
    def build(qc: QuantumCircuit, rng: np.random.Generator) -> None:
        getattr(qc, name)(*(angle(rng) for _ in range(params)), *qubits(rng, qc, 2))

    return build


def gate(factory: Callable[[np.random.Generator], lib.Gate]) -> Builder:
    def build(qc: QuantumCircuit, rng: np.random.Generator) -> None:
        op = factory(rng)
        qc.append(op, qubits(rng, qc, op.num_qubits))

    return build


def mcx(qc: QuantumCircuit, rng: np.random.Generator) -> None:
    k = int(rng.integers(1, qc.num_qubits))
    q = qubits(rng, qc, k + 1)
    qc.mcx(q[:k], q[k])


def mcp(qc: QuantumCircuit, rng: np.random.Generator) -> None:
    k = int(rng.integers(1, qc.num_qubits))
    q = qubits(rng, qc, k + 1)
    qc.mcp(angle(rng), q[:k], q[k])


CONTROLLABLE_BASES: list[Callable[[np.random.Generator], lib.Gate]] = [
    lambda rng: lib.XGate(),
    lambda rng: lib.YGate(),
    lambda rng: lib.ZGate(),
    lambda rng: lib.HGate(),
    lambda rng: lib.SGate(),
    lambda rng: lib.SdgGate(),
    lambda rng: lib.TGate(),
    lambda rng: lib.TdgGate(),
    lambda rng: lib.SXGate(),
    lambda rng: lib.SXdgGate(),
    lambda rng: lib.RXGate(angle(rng)),
    lambda rng: lib.RYGate(angle(rng)),
    lambda rng: lib.RZGate(angle(rng)),
    lambda rng: lib.PhaseGate(angle(rng)),
    lambda rng: lib.U1Gate(angle(rng)),
    lambda rng: lib.UGate(angle(rng), angle(rng), angle(rng)),
    lambda rng: lib.U2Gate(angle(rng), angle(rng)),
    lambda rng: lib.U3Gate(angle(rng), angle(rng), angle(rng)),
    lambda rng: lib.RGate(angle(rng), angle(rng)),
    lambda rng: lib.SwapGate(),
]


def controlled(qc: QuantumCircuit, rng: np.random.Generator) -> None:
    """A random base gate with 1-3 controls and a random (often open) control state."""
    base = CONTROLLABLE_BASES[int(rng.integers(len(CONTROLLABLE_BASES)))](rng)
    k = int(rng.integers(1, min(3, qc.num_qubits - base.num_qubits) + 1))
    state = int(rng.integers(2**k))
    op = base.control(k, ctrl_state=state, annotated=bool(rng.random() < 0.3))
    qc.append(op, qubits(rng, qc, op.num_qubits))


def commuting_paulis(rng: np.random.Generator, width: int) -> SparsePauliOp:
    terms: list[str] = []
    for _ in range(8):
        label = "".join(rng.choice(list("IXYZ"), width))
        candidate = SparsePauliOp(label)
        if all(candidate.paulis[0].commutes(SparsePauliOp(t).paulis[0]) for t in terms):
            terms.append(label)
        if len(terms) == 3:
            break
    return SparsePauliOp(terms, rng.uniform(-1.5, 1.5, len(terms)))


def pauli_evolution(qc: QuantumCircuit, rng: np.random.Generator) -> None:
    width = int(rng.integers(1, min(3, qc.num_qubits) + 1))
    operator: SparsePauliOp | list[SparsePauliOp] = commuting_paulis(rng, width)
    if rng.random() < 0.3:
        operator = [operator]
    time = float(rng.uniform(-1.0, 1.5))
    qc.append(lib.PauliEvolutionGate(operator, time=time), qubits(rng, qc, width))


def directives(qc: QuantumCircuit, rng: np.random.Generator) -> None:
    qc.barrier()
    qc.delay(100, qubits(rng, qc, 1)[0])
    qc.id(qubits(rng, qc, 1)[0])
    qc.global_phase += angle(rng)


QIS_CATALOG: dict[str, Builder] = {
    **{name: fixed(name) for name in ["x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "sxdg"]},
    **{name: rotation(name) for name in ["rx", "ry", "rz", "p"]},
    "u1": gate(lambda rng: lib.U1Gate(angle(rng))),
    "u": gate(lambda rng: lib.UGate(angle(rng), angle(rng), angle(rng))),
    "u2": gate(lambda rng: lib.U2Gate(angle(rng), angle(rng))),
    "u3": gate(lambda rng: lib.U3Gate(angle(rng), angle(rng), angle(rng))),
    "r": gate(lambda rng: lib.RGate(angle(rng), angle(rng))),
    **{name: two(name) for name in ["cx", "cy", "cz", "ch", "cs", "csdg", "csx", "swap"]},
    **{name: two(name, 1) for name in ["crx", "cry", "crz", "cp", "rxx", "ryy", "rzz"]},
    "cu1": gate(lambda rng: lib.CU1Gate(angle(rng))),
    "cu": gate(lambda rng: lib.CUGate(angle(rng), angle(rng), angle(rng), angle(rng))),
    "ccx": gate(lambda rng: lib.CCXGate()),
    "ccz": gate(lambda rng: lib.CCZGate()),
    "cswap": gate(lambda rng: lib.CSwapGate()),
    "c3sx": gate(lambda rng: lib.C3SXGate()),
    "mcx": mcx,
    "mcp": mcp,
    "controlled": controlled,
    "PauliEvolution": pauli_evolution,
    "directives": directives,
}


def random_qis_circuit(seed: int) -> tuple[QuantumCircuit, list[int]]:
    """A random circuit over the whole catalog with permuted, partial, multi-register readout.

    Returns the circuit and, per classical bit, the qubit it reads (-1: never written).
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 7))
    measured_count = int(rng.integers(1, n + 1))
    cuts: list[int] = []
    if measured_count > 1 and rng.random() < 0.6:
        cuts = sorted({int(c) for c in rng.integers(1, measured_count, int(rng.integers(1, 3)))})
    sizes = np.diff([0, *cuts, measured_count]).tolist()
    cregs = [ClassicalRegister(size, f"c{r}") for r, size in enumerate(sizes)]
    spare = int(rng.integers(1, 3)) if rng.random() < 0.2 else 0
    if spare:  # a register no measurement writes: its bits read 0
        cregs.append(ClassicalRegister(spare, "spare"))
    qc = QuantumCircuit(QuantumRegister(n, "q"), *cregs)
    for q in range(n):  # superposed controls everywhere
        qc.ry(float(rng.uniform(0.3, 2.8)), q)
        qc.rz(angle(rng), q)
    names = list(QIS_CATALOG)
    order = [names[seed % len(names)], *(str(x) for x in rng.choice(names, 10))]
    for name in order:
        QIS_CATALOG[name](qc, rng)
    readout = [int(q) for q in rng.permutation(n)[:measured_count]]
    for clbit in rng.permutation(measured_count).tolist():
        qc.measure(readout[clbit], clbit)
    return qc, readout + [-1] * spare


# ---------------------------------------------------------------------------------------------
# Exactness over random circuits


@pytest.mark.parametrize("seed", range(360))
def test_random_qis_circuits_are_exact(seed: int) -> None:
    qc, readout = random_qis_circuit(seed)
    check_exact(qc, readout)


@pytest.mark.parametrize("controls", range(1, 8))
@pytest.mark.parametrize(
    "base",
    ["x", "y", "z", "h", "rx", "ry", "rz", "p", "s", "sdg", "t", "tdg", "sx", "u", "swap"],
)
def test_multi_controlled_gates_up_to_seven_controls(base: str, controls: int) -> None:
    rng = np.random.default_rng(controls * 100 + len(base))
    ops: dict[str, lib.Gate] = {
        "x": lib.XGate(),
        "y": lib.YGate(),
        "z": lib.ZGate(),
        "h": lib.HGate(),
        "rx": lib.RXGate(0.7),
        "ry": lib.RYGate(-1.3),
        "rz": lib.RZGate(2.1),
        "p": lib.PhaseGate(0.9),
        "s": lib.SGate(),
        "sdg": lib.SdgGate(),
        "t": lib.TGate(),
        "tdg": lib.TdgGate(),
        "sx": lib.SXGate(),
        "u": lib.UGate(0.4, 1.1, -0.8),
        "swap": lib.SwapGate(),
    }
    op = ops[base].control(controls, ctrl_state=int(rng.integers(2**controls)), annotated=False)
    n = op.num_qubits + 1
    qc = QuantumCircuit(n, 2)
    for q in range(n):
        qc.ry(float(rng.uniform(0.3, 2.8)), q)
        qc.rz(angle(rng), q)
    qc.append(op, qubits(rng, qc, op.num_qubits))
    qc.measure([n - 1, 0], [0, 1])
    check_exact(qc, [n - 1, 0])


@pytest.mark.parametrize("seed", range(12))
def test_annotated_controls_and_inverses(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    base = CONTROLLABLE_BASES[seed % len(CONTROLLABLE_BASES)](rng)
    first, second = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    modifiers = [
        ControlModifier(first, int(rng.integers(2**first))),
        InverseModifier(),
        ControlModifier(second, int(rng.integers(2**second))),
    ]
    if seed % 3 == 0:  # a controlled gate inside the annotation
        base = base.control(1, ctrl_state=0, annotated=False)
    op = AnnotatedOperation(base, modifiers)
    qc = QuantumCircuit(op.num_qubits + 1)
    for q in range(qc.num_qubits):
        qc.ry(float(rng.uniform(0.3, 2.8)), q)
        qc.rz(angle(rng), q)
    qc.append(op, qubits(rng, qc, op.num_qubits))
    check_exact(qc)


@pytest.mark.parametrize("controls", range(1, 4))
@pytest.mark.parametrize("annotated", [False, True])
def test_controlled_global_phase_is_a_phase_on_the_controls(controls: int, annotated: bool) -> None:
    # A controlled global phase is a relative phase: C^n-GlobalPhase(t) = C^(n-1)-P(t).
    rng = np.random.default_rng(controls)
    op = lib.GlobalPhaseGate(0.7).control(controls, ctrl_state=controls - 1, annotated=annotated)
    qc = QuantumCircuit(controls + 1)
    for q in range(qc.num_qubits):
        qc.ry(float(rng.uniform(0.3, 2.8)), q)
    qc.append(op, qubits(rng, qc, controls))
    check_exact(qc)


def test_power_modifier_is_rejected() -> None:
    qc = QuantumCircuit(2)
    qc.append(AnnotatedOperation(lib.HGate(), [ControlModifier(1), PowerModifier(0.5)]), [0, 1])
    raises(qc, "instruction 0", "'annotated'", "transpile(")


@pytest.mark.parametrize("controls", range(1, 8))
def test_mcx_and_mcp_with_one_to_seven_controls(controls: int) -> None:
    rng = np.random.default_rng(controls)
    n = controls + 1
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.ry(float(rng.uniform(0.3, 2.8)), q)
    order = [int(q) for q in rng.permutation(n)]
    qc.mcx(order[:controls], order[controls])
    qc.mcp(1.234, order[1:], order[0])
    qc.append(lib.MCPhaseGate(-0.6, controls), order[::-1])
    qc.append(lib.MCU1Gate(0.3, controls), order)
    check_exact(qc)
    gates = to_ionq(qc).gates
    assert gates[n]["gate"] == "cnot" and gates[n]["target"] == order[controls]


@pytest.mark.parametrize(
    "factory",
    [
        lambda: lib.MCXGate(4),
        lambda: lib.C3XGate(),
        lambda: lib.C4XGate(),
        lambda: lib.MCXGate(3, ctrl_state="010"),
        lambda: lib.MCXGrayCode(4),
        lambda: lib.MCXRecursive(5),
        lambda: lib.MCXVChain(4),
    ],
    ids=["MCXGate", "C3X", "C4X", "open", "gray", "recursive", "vchain"],
)
def test_mcx_variants(factory: Callable[[], lib.Gate]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        op = factory()
    k = op.num_ctrl_qubits
    qc = QuantumCircuit(op.num_qubits)
    for q in range(k + 1):  # ancillas (if any) start and stay in |0>
        qc.h(q)
        qc.t(q)
    qc.append(op, range(op.num_qubits))
    check_exact(qc)


def random_native_circuit(seed: int) -> tuple[QuantumCircuit, list[int]]:
    """A random circuit of native gates with out-of-range parameters; all qubits measured."""
    rng = np.random.default_rng(10_000 + seed)
    n = int(rng.integers(2, 6))
    qc = QuantumCircuit(n, n)
    for q in range(n):
        qc.append(GPI2Gate(float(rng.uniform(-1, 1))), [q])
    for _ in range(12):
        kind = int(rng.integers(4))
        a, b = qubits(rng, qc, 2)
        wide = float(rng.uniform(-3, 3))  # out-of-range values exercise the normalisation
        if kind == 0:
            qc.append(GPIGate(wide), [a])
        elif kind == 1:
            qc.append(GPI2Gate(wide), [a])
        elif kind == 2:
            theta = float(rng.uniform(-1.5, 1.5)) if rng.random() < 0.5 else 0.25
            qc.append(MSGate(float(rng.uniform(-2, 2)), wide, theta), [a, b])
        else:
            qc.append(ZZGate(wide), [a, b])
    qc.barrier()
    readout = [int(q) for q in rng.permutation(n)]
    qc.measure(readout, range(n))
    return qc, readout


@pytest.mark.parametrize("seed", range(40))
def test_random_native_circuits_are_exact(seed: int) -> None:
    qc, readout = random_native_circuit(seed)
    check_exact(qc, readout)
    circuit = to_ionq(qc)
    assert circuit.gateset == "native"
    for g in circuit.gates:
        if g["gate"] == "ms":
            assert 0 <= g["angle"] <= 0.25 and all(-1 <= p <= 1 for p in g["phases"])
        else:
            assert -1 <= g.get("phase", g.get("angle")) <= 1


# ---------------------------------------------------------------------------------------------
# JSON shapes


def test_ghz_is_exactly_ionqs_example() -> None:
    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(0, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    circuit = to_ionq(qc)
    assert circuit.gates == [
        {"gate": "h", "target": 0},
        {"gate": "cnot", "control": 0, "target": 1},
        {"gate": "cnot", "control": 0, "target": 2},
    ]
    assert circuit.qubits == 3
    assert circuit.gateset == "qis"
    assert circuit.measurement_map == (0, 1, 2)
    assert circuit.registers == (("c", 3),)
    assert circuit.to_input() == {"qubits": 3, "gateset": "qis", "circuit": circuit.gates}


def test_json_shapes() -> None:
    qc = QuantumCircuit(5)
    qc.p(0.5, 0)
    qc.cp(0.5, 1, 2)
    qc.mcx([0, 1, 2], 3)
    qc.rzz(0.25, 3, 4)
    qc.cswap(0, 1, 2)
    qc.crx(0.3, 4, 0)
    qc.sdg(1)
    qc.sx(2)
    gates = to_ionq(qc).gates
    assert gates == [
        {"gate": "rz", "target": 0, "rotation": 0.5},
        {"gate": "rz", "control": 1, "target": 2, "rotation": 0.5},
        {"gate": "rz", "target": 1, "rotation": 0.25},
        {"gate": "cnot", "controls": [0, 1, 2], "target": 3},
        {"gate": "zz", "targets": [3, 4], "rotation": 0.25},
        {"gate": "swap", "control": 0, "targets": [1, 2]},
        {"gate": "rx", "control": 4, "target": 0, "rotation": 0.3},
        {"gate": "si", "target": 1},
        {"gate": "v", "target": 2},
    ]


def test_native_json_shapes_and_auto_gateset() -> None:
    qc = QuantumCircuit(2)
    qc.append(GPIGate(0.5), [1])
    qc.append(GPI2Gate(-0.25), [0])
    qc.append(MSGate(0.1, 0.2), [1, 0])
    qc.append(ZZGate(0.125), [0, 1])
    circuit = to_ionq(qc)
    assert circuit.gateset == "native"
    assert circuit.gates == [
        {"gate": "gpi", "target": 1, "phase": 0.5},
        {"gate": "gpi2", "target": 0, "phase": -0.25},
        {"gate": "ms", "targets": [1, 0], "phases": [0.1, 0.2], "angle": 0.25},
        {"gate": "zz", "targets": [0, 1], "angle": 0.125},
    ]


def test_pauli_labels_are_reversed_onto_targets() -> None:
    qc = QuantumCircuit(3)
    qc.append(lib.PauliEvolutionGate(SparsePauliOp(["XZ", "ZX"], [0.5, 0.25]), time=0.4), [2, 0])
    (g,) = to_ionq(qc).gates
    # Qiskit's "XZ" is Z on qargs[0] (qubit 2) and X on qargs[1] (qubit 0).
    assert g == {
        "gate": "pauliexp",
        "targets": [2, 0],
        "terms": ["ZX", "XZ"],
        "coefficients": [0.5, 0.25],
        "time": 0.4,
    }
    check_exact(qc)


def test_identity_and_zero_time_evolutions_are_dropped() -> None:
    qc = QuantumCircuit(2)
    qc.append(lib.PauliEvolutionGate(SparsePauliOp(["II", "ZZ"], [3.0, 0.5]), time=-0.2), [0, 1])
    qc.append(lib.PauliEvolutionGate(SparsePauliOp("XX"), time=0.0), [0, 1])
    (g,) = to_ionq(qc).gates
    assert g["terms"] == ["ZZ"] and g["coefficients"] == [-0.5] and g["time"] == 0.2
    check_exact(qc)


def test_bound_parameters_translate() -> None:
    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.rx(2 * theta, 0)
    qc.cp(theta, 0, 1)
    bound = qc.assign_parameters({theta: 0.3})
    assert to_ionq(bound).gates[0] == {"gate": "rx", "target": 0, "rotation": pytest.approx(0.6)}
    check_exact(bound)


def test_measurement_map_registers_and_name() -> None:
    a, b = ClassicalRegister(2, "alpha"), ClassicalRegister(1, "beta")
    qc = QuantumCircuit(QuantumRegister(3), a, b, name="my circuit/v2")
    qc.h(0)
    qc.measure(2, a[1])
    qc.measure(0, b[0])
    qc.measure(1, a[0])
    qc.measure(1, a[0])  # measuring twice is harmless
    circuit = to_ionq(qc)
    assert circuit.measurement_map == (1, 2, 0)
    assert circuit.registers == (("alpha", 2), ("beta", 1))
    assert circuit.name == "my circuit_v2"
    assert to_ionq(qc, name="custom").name == "custom"


def test_gates_after_measuring_other_qubits_are_fine() -> None:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    qc.h(1)
    qc.barrier()
    qc.measure(1, 1)
    check_exact(qc, [0, 1])


def test_unwritten_clbits_read_zero() -> None:
    qc = QuantumCircuit(QuantumRegister(3), ClassicalRegister(2, "a"), ClassicalRegister(2, "b"))
    qc.x(0)
    qc.h(1)
    qc.measure(0, 2)
    qc.measure(1, 0)
    circuit = to_ionq(qc)
    assert circuit.measurement_map == (1, -1, 0, -1)
    check_exact(qc, [1, -1, 0, -1])
    no_measurements = QuantumCircuit(1, 2)
    no_measurements.h(0)
    assert to_ionq(no_measurements).measurement_map == (-1, -1)


def test_to_ionq_many() -> None:
    first = QuantumCircuit(1)
    first.x(0)
    second = QuantumCircuit(2)
    second.append(MSGate(0, 0), [0, 1])
    circuits = to_ionq_many([first, second], names=["one", None])
    assert [c.gateset for c in circuits] == ["qis", "native"]
    assert circuits[0].name == "one"
    with pytest.raises(InvalidInputError, match="2 names for 1 circuits"):
        to_ionq_many([first], names=["a", "b"])


# ---------------------------------------------------------------------------------------------
# Bad input fails fast, saying what and where


def raises(qc: QuantumCircuit, *fragments: str, **kwargs: object) -> str:
    with pytest.raises(InvalidInputError) as info:
        to_ionq(qc, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


def test_unsupported_gate_names_gate_index_and_transpile() -> None:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.barrier()
    qc.iswap(0, 1)
    raises(qc, "'iswap'", "instruction 2", "transpile(qc, backend)", "basis_gates=")


def test_mid_circuit_measurement() -> None:
    qc = QuantumCircuit(2, 1)
    qc.h(0)
    qc.measure(0, 0)
    qc.cx(0, 1)
    raises(qc, "instruction 2", "qubit 0 is used after it was measured", "v1 JSON")


def test_reset() -> None:
    qc = QuantumCircuit(1)
    qc.h(0)
    qc.reset(0)
    raises(qc, "instruction 1", "reset", "v1 JSON")


def test_classical_control() -> None:
    qc = QuantumCircuit(2, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    raises(qc, "'if_else'", "instruction 2", "classical control flow", "v1 JSON")
    loop = QuantumCircuit(1, 1)
    with loop.for_loop(range(2)):
        loop.x(0)
    raises(loop, "'for_loop'", "classical control flow")


def test_c_if_no_longer_exists_in_qiskit_2() -> None:
    # Qiskit 2 removed Instruction.c_if; if_else (above) is the only classical condition left.
    assert not hasattr(lib.XGate(), "c_if")


def test_unbound_parameter_is_named() -> None:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.rz(Parameter("gamma") * 2, 1)
    raises(qc, "instruction 1", "'rz'", "unbound parameter(s) gamma", "assign_parameters")
    native = QuantumCircuit(2)
    native.append(MSGate(0, 0, Parameter("phi")), [0, 1])
    raises(native, "instruction 0", "'ms'", "phi")


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_non_finite_angle(value: float) -> None:
    qc = QuantumCircuit(1)
    qc.ry(value, 0)
    raises(qc, "instruction 0", "'ry'", "not finite")


def test_more_than_seven_controls() -> None:
    qc = QuantumCircuit(9)
    qc.h(0)
    qc.mcx(list(range(8)), 8)
    raises(qc, "instruction 1", "'mcx'", "8 controls", "at most 7")
    qc = QuantumCircuit(9)
    qc.append(lib.RYGate(0.3).control(8, annotated=False), range(9))
    raises(qc, "instruction 0", "8 controls")
    qc = QuantumCircuit(9)
    qc.mcp(0.3, list(range(8)), 8)
    raises(qc, "instruction 0", "'mcphase'", "8 controls")


def test_non_commuting_pauli_evolution() -> None:
    qc = QuantumCircuit(2)
    qc.append(lib.PauliEvolutionGate(SparsePauliOp(["XX", "ZI"], [1.0, 0.5]), time=0.3), [0, 1])
    raises(qc, "'PauliEvolution'", "do not all commute", "'XX' and 'ZI'", "transpile(")


def test_mixed_native_and_qis() -> None:
    qc = QuantumCircuit(2)
    qc.append(GPIGate(0.1), [0])
    qc.cx(0, 1)
    raises(qc, "instruction 1", "'cx'", "qis gate", "cannot mix native and qis")
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.append(ZZGate(0.1), [0, 1])
    raises(qc, "instruction 0", "'h'", "cannot mix")
    only_native = QuantumCircuit(1)
    only_native.append(GPIGate(0.1), [0])
    raises(only_native, "instruction 0", "native gate", "gateset is 'qis'", gateset="qis")
    only_qis = QuantumCircuit(1)
    only_qis.x(0)
    raises(only_qis, "instruction 0", "qis gate", "gateset is 'native'", gateset="native")


def test_unsupported_controlled_gate() -> None:
    qc = QuantumCircuit(3)
    qc.append(lib.RXXGate(0.2).control(1, annotated=False), [0, 1, 2])
    raises(qc, "instruction 0", "is not supported", "transpile(")


def test_bad_arguments() -> None:
    with pytest.raises(InvalidInputError, match="gateset must be"):
        to_ionq(QuantumCircuit(1), gateset="QIS")
    with pytest.raises(InvalidInputError, match="expected a QuantumCircuit"):
        to_ionq("h q[0];")  # type: ignore[arg-type]


def test_loose_classical_bits() -> None:
    qc = QuantumCircuit([Qubit(), Clbit()])
    qc.measure(0, 0)
    raises(qc, "exactly one ClassicalRegister")


# ---------------------------------------------------------------------------------------------
# The translator builds its Circuit without validating again: prove what validation would say


@pytest.mark.parametrize("seed", range(0, 360, 3))
def test_translated_qis_circuits_pass_full_validation(seed: int) -> None:
    assert_same_as_validated(to_ionq(random_qis_circuit(seed)[0]))


@pytest.mark.parametrize("seed", range(40))
def test_translated_native_circuits_pass_full_validation(seed: int) -> None:
    assert_same_as_validated(to_ionq(random_native_circuit(seed)[0]))


def test_every_fast_emitter_passes_full_validation() -> None:
    """Each entry of the emitter tables, with awkward but legal parameters."""
    rng = np.random.default_rng(3)
    qc = QuantumCircuit(4, 2)
    for name, build in QIS_CATALOG.items():
        if name not in ("controlled", "PauliEvolution", "mcx", "mcp"):
            for _ in range(3):
                build(qc, rng)
    qc.measure([3, 1], [0, 1])
    assert_same_as_validated(to_ionq(qc))
    native = QuantumCircuit(3)
    for value in (-7.3, -1.0, -0.5, 0.0, 0.25, 0.26, 0.75, 1.0, 2.5):
        native.append(GPIGate(value), [0])
        native.append(GPI2Gate(value), [1])
        native.append(MSGate(value, -value, value), [0, 2])
        native.append(MSGate(0.1, 0.2, value), [2, 1])
        native.append(ZZGate(value), [1, 0])
    assert_same_as_validated(to_ionq(native))
    assert_same_as_validated(to_ionq(QuantumCircuit(2)))


def test_an_instruction_on_one_qubit_twice_is_refused() -> None:
    # QuantumCircuit.append refuses this; the unchecked _append does not, so the translator checks.
    for gate, count in [(lib.CXGate(), 2), (lib.RZZGate(0.3), 2), (lib.CSwapGate(), 3)]:
        qc = QuantumCircuit(3)
        qc.h(0)
        qc._append(CircuitInstruction(gate, [qc.qubits[1]] * count))
        raises(qc, "instruction 1", "qubit 1 is used twice")
    native = QuantumCircuit(2)
    native._append(CircuitInstruction(MSGate(0, 0), [native.qubits[0]] * 2))
    raises(native, "instruction 0", "qubit 0 is used twice")


def test_what_circuit_construction_refuses_is_still_refused() -> None:
    with pytest.raises(InvalidInputError, match="qubits must be an integer >= 1, got 0"):
        to_ionq(QuantumCircuit())
    with pytest.raises(InvalidInputError, match=r"circuit name 'a\.b' contains '\.'"):
        to_ionq(QuantumCircuit(1), name="a.b")
    assert to_ionq(QuantumCircuit(1, name="a.b")).name == "a_b"


def test_rare_instructions_are_validated_as_they_are_emitted() -> None:
    # A custom two-qubit gate that calls itself "x", under a control: the emitted cnot would
    # have two targets, which validation refuses.
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.append(AnnotatedOperation(Gate("x", 2, []), [ControlModifier(1)]), [0, 1, 2])
    raises(qc, "instruction 1", "'annotated'", "cnot takes 1 target(s), got 2")
