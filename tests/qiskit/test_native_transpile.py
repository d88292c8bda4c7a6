"""Compact native transpilation: exact, merged single-qubit runs, virtual Z, IonQ's ranges."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, transpile
from qiskit.circuit import Parameter
from qiskit.circuit.random import random_circuit
from qiskit.converters import circuit_to_dag, dag_to_circuit
from qiskit.quantum_info import Operator, Statevector, random_unitary
from qiskit.transpiler import generate_preset_pass_manager
from qiskit.transpiler.preset_passmanagers.plugin import list_stage_plugins
from scipy.stats import chi2

from ionq_direct import Client
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQBackend, IonQProvider
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.native_passes import IonQNativeOptimizer, exact_natives, virtual_natives
from qiskit_ionq_direct.translate import to_ionq
from qiskit_ionq_direct.transpiler import TRANSLATION_PLUGIN, native_pass_manager

FAMILIES = {"ms": "qpu.aria-1", "zz": "qpu.forte-1"}
ONE_QUBIT = {"gpi", "gpi2"}


def offline_backend(two_qubit: str, gateset: str = "native") -> IonQBackend:
    client = Client("key", "http://127.0.0.1:9/v0.4", max_retries=0)
    info = {"qubits": 25, "supported_native_gates": ["gpi", "gpi2", two_qubit]}
    return IonQBackend(client, FAMILIES[two_qubit], gateset=gateset, info=info)


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def backend(request: pytest.FixtureRequest) -> IonQBackend:
    return offline_backend(request.param)


def ghz3() -> QuantumCircuit:
    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(1, 2)
    qc.measure(range(3), range(3))
    return qc


def one_qubit_runs(qc: QuantumCircuit) -> list[tuple[int, bool]]:
    """(length, ends the qubit's circuit unmeasured) of every maximal one-qubit native run."""
    runs: list[tuple[int, bool]] = []
    current = [0] * qc.num_qubits
    for inst in qc.data:
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        if inst.operation.name in ONE_QUBIT:
            current[qubits[0]] += 1
            continue
        for q in qubits:
            if current[q]:
                runs.append((current[q], False))
            current[q] = 0
    runs.extend((n, True) for n in current if n)
    return runs


def clbit_distribution(qc: QuantumCircuit) -> dict[int, float]:
    """Ideal probabilities of the classical outcomes (terminal measurements), keyed by value."""
    measures = [
        (qc.find_bit(i.qubits[0]).index, qc.find_bit(i.clbits[0]).index)
        for i in qc.data
        if i.operation.name == "measure"
    ]
    state = Statevector.from_instruction(qc.remove_final_measurements(inplace=False))
    out: dict[int, float] = {}
    for index, p in enumerate(state.probabilities()):
        value = sum(((index >> q) & 1) << c for q, c in measures)
        out[value] = out.get(value, 0.0) + float(p)
    return out


def assert_in_ionq_ranges(qc: QuantumCircuit) -> None:
    for inst in qc.data:
        name, params = inst.operation.name, [float(p) for p in inst.operation.params]
        if name in ONE_QUBIT:
            assert 0.0 <= params[0] < 1.0, inst
        elif name == "ms":
            assert all(0.0 <= p < 1.0 for p in params[:2]) and 0.0 < params[2] <= 0.25, inst
        elif name == "zz":
            assert 0.0 < abs(params[0]) <= 0.25, inst
    if not qc.parameters and "if_else" not in qc.count_ops():
        # IonQ's JSON carries the gates as they are: no MS split, same two-qubit count
        payload = to_ionq(qc.remove_final_measurements(inplace=False))
        ops = qc.count_ops()
        assert payload.two_qubit_gates == ops.get("ms", 0) + ops.get("zz", 0)


def test_plugin_is_registered_and_named_by_native_backends() -> None:
    assert TRANSLATION_PLUGIN in list_stage_plugins("translation")
    assert offline_backend("ms").get_translation_stage_plugin() == TRANSLATION_PLUGIN
    assert offline_backend("zz").get_translation_stage_plugin() == TRANSLATION_PLUGIN
    assert offline_backend("ms", gateset="qis").get_translation_stage_plugin() is None


# GHZ-3 on Aria: 2 MS + 5 one-qubit natives (27 without the plugin); on Forte: 2 ZZ + 5 (23).
@pytest.mark.parametrize("level", [1, 2, 3])
def test_ghz3_is_compact(backend: IonQBackend, level: int) -> None:
    two_qubit = "ms" if "aria" in backend.name else "zz"
    out = transpile(ghz3(), backend, optimization_level=level)
    ops = out.count_ops()
    assert ops[two_qubit] == 2
    assert ops.get("gpi", 0) + ops.get("gpi2", 0) <= 5, ops
    plain = transpile(ghz3(), backend, optimization_level=level, translation_method="translator")
    assert plain.count_ops().get("gpi2", 0) + plain.count_ops().get("gpi", 0) >= 20


def test_level_0_translates_without_merging(backend: IonQBackend) -> None:
    out = transpile(ghz3(), backend, optimization_level=0)
    assert set(out.count_ops()) <= {"gpi", "gpi2", "ms", "zz", "measure"}
    assert out.count_ops().get("gpi2", 0) + out.count_ops().get("gpi", 0) > 20
    assert_in_ionq_ranges(out)
    bare = out.remove_final_measurements(inplace=False)
    assert Operator.from_circuit(bare).equiv(Operator(ghz3().remove_final_measurements(False)))


@pytest.mark.parametrize("seed", range(50))
def test_random_circuits_stay_exact_and_compact(backend: IonQBackend, seed: int) -> None:
    two_qubit = "ms" if "aria" in backend.name else "zz"
    qc = random_circuit(2 + seed % 4, 5, max_operands=3, seed=seed)
    level = 1 + seed % 3
    if seed % 2:
        out = transpile(qc, backend, optimization_level=level, seed_transpiler=seed)
    else:
        pm = generate_preset_pass_manager(level, backend=backend, seed_transpiler=seed)
        out = pm.run(qc)
    assert set(out.count_ops()) <= {*ONE_QUBIT, two_qubit}
    assert out.num_qubits == qc.num_qubits
    assert Operator.from_circuit(out).equiv(Operator(qc))
    for length, at_end in one_qubit_runs(out):
        assert length <= (3 if at_end else 2)
    assert_in_ionq_ranges(out)
    assert to_ionq(out).gateset == "native"


def test_measured_distribution_is_unchanged_and_trailing_z_is_dropped(
    backend: IonQBackend,
) -> None:
    for seed in range(20):
        qc = random_circuit(4, 6, max_operands=2, seed=100 + seed, measure=True)
        out = transpile(qc, backend, seed_transpiler=seed, optimization_level=1 + seed % 3)
        expected, got = clbit_distribution(qc), clbit_distribution(out)
        assert set(got) == set(expected)
        assert all(math.isclose(got[k], expected[k], abs_tol=1e-9) for k in expected)
    qc = QuantumCircuit(1, 1)
    qc.h(0)
    qc.rz(0.3, 0)
    qc.t(0)
    qc.measure(0, 0)
    assert sum(transpile(qc, backend).count_ops().get(g, 0) for g in ONE_QUBIT) == 1
    qc = QuantumCircuit(2)
    qc.rz(0.3, 0)
    qc.s(1)
    qc.measure_all()  # a barrier, then measurements: the Z rotations are still dropped
    assert set(transpile(qc, backend).count_ops()) == {"barrier", "measure"}


def test_unmeasured_z_is_kept(backend: IonQBackend) -> None:
    qc = QuantumCircuit(1)
    qc.rz(0.3, 0)
    out = transpile(qc, backend)
    assert 0 < len(out.data) <= 2
    assert Operator(out).equiv(Operator(qc))


def test_parameterized_circuits_are_translated_exactly(backend: IonQBackend) -> None:
    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.rz(theta, 0)
    qc.cx(0, 1)
    qc.ry(2 * theta, 1)
    out = transpile(qc, backend)
    for value in (0.0, 0.7, -2.1):
        bound = out.assign_parameters({theta: value})
        assert Operator.from_circuit(bound).equiv(Operator(qc.assign_parameters({theta: value})))


def test_one_qubit_decompositions() -> None:
    for seed in range(300):
        u = random_unitary(2, seed=seed).data
        alpha, natives = virtual_natives(u)
        assert len(natives) <= 2
        built = QuantumCircuit(1)
        for name, phi in natives:
            built.append(GPIGate(phi) if name == "gpi" else GPI2Gate(phi), [0])
        built.rz(alpha, 0)
        assert Operator(built).equiv(Operator(u))
        exact = exact_natives(u)
        assert len(exact) <= 3
        built = QuantumCircuit(1)
        for name, phi in exact:
            built.append(GPIGate(phi) if name == "gpi" else GPI2Gate(phi), [0])
        assert Operator(built).equiv(Operator(u))
    assert exact_natives(np.eye(2) * 1j) == []
    assert [n for n, _ in exact_natives(Operator(GPI2Gate(0.3)).data)] == ["gpi2"]
    assert [n for n, _ in exact_natives(Operator(GPIGate(0.8)).data)] == ["gpi"]


@pytest.mark.parametrize("merge", [True, False])
def test_pass_is_exact_with_global_phase_on_native_circuits(merge: bool) -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        qc = QuantumCircuit(3)
        for _ in range(14):
            a, b = (int(q) for q in rng.choice(3, 2, replace=False))
            kind = int(rng.integers(5))
            if kind == 0:
                qc.append(GPIGate(rng.uniform(-3, 3)), [a])
            elif kind == 1:
                qc.append(GPI2Gate(rng.uniform(-3, 3)), [a])
            elif kind == 2:
                qc.append(MSGate(*(float(x) for x in rng.uniform(-3, 3, 3))), [a, b])
            elif kind == 3:
                qc.append(ZZGate(rng.uniform(-3, 3)), [a, b])
            else:
                qc.rz(rng.uniform(-7, 7), a)
        out = dag_to_circuit(IonQNativeOptimizer(merge=merge).run(circuit_to_dag(qc)))
        assert np.allclose(Operator(out).data, Operator(qc).data, atol=1e-8)
        assert_in_ionq_ranges(out)


@pytest.mark.parametrize(
    ("theta", "kept"), [(0.3, 1), (-0.1, 1), (1.2, 1), (0.25, 1), (0.5, 0), (1.0, 0), (0.0, 0)]
)
def test_ms_angles_are_normalised(theta: float, kept: int) -> None:
    qc = QuantumCircuit(2)
    qc.append(MSGate(0.1, 0.7, theta), [0, 1])
    out = dag_to_circuit(IonQNativeOptimizer().run(circuit_to_dag(qc)))
    assert out.count_ops().get("ms", 0) == kept
    assert np.allclose(Operator(out).data, Operator(qc).data, atol=1e-9)
    assert_in_ionq_ranges(out)


@pytest.mark.parametrize(("theta", "kept"), [(0.2, 1), (-0.4, 1), (0.5, 0), (1.0, 0), (0.75, 1)])
def test_zz_angles_are_normalised(theta: float, kept: int) -> None:
    qc = QuantumCircuit(2, 2)
    qc.append(ZZGate(theta), [0, 1])
    qc.measure([0, 1], [0, 1])
    out = dag_to_circuit(IonQNativeOptimizer().run(circuit_to_dag(qc)))
    assert out.count_ops().get("zz", 0) == kept
    assert set(out.count_ops()) <= {"zz", "measure"}  # the Z layer is virtual, then dropped
    assert_in_ionq_ranges(out)


def test_other_instructions_are_exact_boundaries() -> None:
    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.rz(0.4, 0)
    qc.cx(0, 1)  # not native: the runs on both sides are emitted exactly, no virtual Z crosses
    qc.append(GPIGate(theta), [1])  # unbound: left as it is
    qc.s(0)
    out = dag_to_circuit(IonQNativeOptimizer().run(circuit_to_dag(qc)))
    assert out.count_ops()["cx"] == 1 and out.count_ops()["gpi"] >= 1
    assert theta in out.parameters
    bound, reference = out.assign_parameters({theta: 0.3}), qc.assign_parameters({theta: 0.3})
    assert np.allclose(Operator(bound).data, Operator(reference).data, atol=1e-9)


def test_native_pass_manager_matches_backend_target() -> None:
    backend = offline_backend("zz")
    qc = ghz3()
    for out in (native_pass_manager(backend).run(qc), native_pass_manager(backend.target).run(qc)):
        assert set(out.count_ops()) <= {"gpi", "gpi2", "zz", "measure"}
        assert out.count_ops()["zz"] == 2


# End to end ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


@pytest.mark.parametrize("two_qubit", sorted(FAMILIES))
def test_emulator_counts_match_the_original_circuit(provider: IonQProvider, two_qubit: str) -> None:
    info = {"qubits": 29, "supported_native_gates": ["gpi", "gpi2", two_qubit]}
    backend = IonQBackend(provider.client, "simulator", gateset="native", info=info)
    qc = random_circuit(4, 5, max_operands=2, seed=11)
    qc.add_register(ClassicalRegister(4, "c"))
    qc.measure(range(4), range(4))
    out = transpile(qc, backend)
    assert two_qubit in out.count_ops()
    shots = 4000
    counts = backend.run(out, shots=shots, seed_simulator=5).result().get_counts()
    probs = Statevector(qc.remove_final_measurements(False)).probabilities_dict()
    expected = {k: p for k, p in probs.items() if p > 1e-12}
    assert sum(counts.values()) == shots
    assert set(counts) <= set(expected)
    stat = sum((counts.get(k, 0) - shots * p) ** 2 / (shots * p) for k, p in expected.items())
    assert stat < chi2.ppf(0.9999, max(len(expected) - 1, 1))
    # standard gates sent straight to a native backend are compacted the same way
    direct = backend.run(qc, shots=shots, seed_simulator=5).result().get_counts()
    assert set(direct) <= set(expected)
    assert math.isclose(sum(direct.values()), shots)
