"""Dynamic circuits from Qiskit: mid-circuit measurement, reset and reuse as ionq.qasm3.v1 jobs.

Every circuit of the corpus runs through ``backend.run`` on the emulator and is compared with
qiskit-aer running the original circuit locally, outcome by outcome, within shot noise
(``dynamic_support``: 5 standard deviations of the two samples' difference; runs are seeded).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from dynamic_support import assert_same_distribution, assert_within_noise
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.primitives import BackendSamplerV2
from qiskit_aer import AerSimulator

from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError
from qiskit_ionq_direct import GPI2Gate, GPIGate, IonQJobError, IonQProvider, MSGate, Session
from qiskit_ionq_direct.translate import is_dynamic, to_dynamic

SHOTS = 2000
REFERENCE_SHOTS = 6000


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def provider(emulator: Emulator) -> IonQProvider:
    return IonQProvider(emulator.api_key, emulator.url)


def aer_counts(qc: QuantumCircuit, shots: int = REFERENCE_SHOTS, seed: int = 7) -> dict[str, int]:
    sim = AerSimulator(seed_simulator=seed)
    counts: dict[str, int] = sim.run(transpile(qc, sim), shots=shots).result().get_counts()
    return counts


# The corpus ----------------------------------------------------------------------------------


def reset_and_reuse() -> QuantumCircuit:
    qc = QuantumCircuit(2, 3)
    qc.h(0)
    qc.measure(0, 0)
    qc.reset(0)
    qc.ry(1.1, 0)
    qc.cx(0, 1)
    qc.measure(0, 1)
    qc.measure(1, 2)
    return qc


def parity_check_with_ancilla() -> QuantumCircuit:
    data, ancilla = QuantumRegister(2, "d"), QuantumRegister(1, "a")
    syndrome, out = ClassicalRegister(2, "syndrome"), ClassicalRegister(2, "data")
    qc = QuantumCircuit(data, ancilla, syndrome, out)
    qc.h(data[0])
    qc.ry(0.8, data[1])
    for round_ in range(2):
        qc.cx(data[0], ancilla[0])
        qc.cx(data[1], ancilla[0])
        qc.measure(ancilla[0], syndrome[round_])
        qc.reset(ancilla[0])
        qc.rx(0.6, data[1])
    qc.measure(data, out)
    return qc


def measured_twice() -> QuantumCircuit:
    qc = QuantumCircuit(1, 2)
    qc.ry(1.1, 0)
    qc.measure(0, 0)
    qc.ry(0.7, 0)
    qc.measure(0, 1)
    return qc


def measure_then_rotate() -> QuantumCircuit:
    qc = QuantumCircuit(2, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure(0, 0)
    qc.rx(0.9, 0)
    qc.rz(0.4, 0)
    qc.h(0)
    qc.measure(0, 1)
    qc.measure(1, 2)
    return qc


def several_registers() -> QuantumCircuit:
    q = QuantumRegister(3, "q")
    a, b, c = ClassicalRegister(2, "a"), ClassicalRegister(1, "b"), ClassicalRegister(2, "c")
    qc = QuantumCircuit(q, a, b, c)
    qc.h(q[0])
    qc.cx(q[0], q[1])
    qc.measure(q[1], b[0])
    qc.x(q[1])
    qc.ccx(q[0], q[1], q[2])
    qc.measure([q[0], q[1]], a)
    qc.reset(q[0])
    qc.swap(q[0], q[2])
    qc.measure([q[0], q[2]], c)
    return qc


def controlled_and_phase_gates() -> QuantumCircuit:
    qc = QuantumCircuit(3, 4)
    qc.h([0, 1, 2])
    qc.cp(0.7, 0, 1)
    qc.measure(1, 0)
    qc.crx(1.2, 1, 2)
    qc.rzz(0.5, 0, 2)
    qc.rxx(0.9, 1, 2)
    qc.ryy(0.3, 0, 1)
    qc.mcx([0, 1], 2)
    qc.cswap(0, 1, 2)
    qc.reset(1)
    qc.sx(1)
    qc.t(2)
    qc.measure([0, 1, 2], [1, 2, 3])
    return qc


CORPUS: dict[str, Callable[[], QuantumCircuit]] = {
    "reset and reuse": reset_and_reuse,
    "parity check with an ancilla": parity_check_with_ancilla,
    "a qubit measured twice": measured_twice,
    "measure then rotate": measure_then_rotate,
    "several registers": several_registers,
    "controlled and phase gates": controlled_and_phase_gates,
}

_GATES_1Q = ("h", "x", "s", "t", "sx")
_GATES_ROT = ("rx", "ry", "rz")
_GATES_2Q = ("cx", "cz", "swap")


def random_dynamic(seed: int, qubits: int = 3, depth: int = 14) -> QuantumCircuit:
    """A random circuit with measurements and resets in the middle, every qubit read at the end."""
    rng = np.random.default_rng(seed)
    clbits = qubits + depth // 3
    qc = QuantumCircuit(qubits, clbits)
    spare = list(range(qubits, clbits))
    for _ in range(depth):
        kind = rng.choice(["1q", "rot", "2q", "measure", "reset"], p=[0.25, 0.25, 0.25, 0.15, 0.1])
        q = int(rng.integers(qubits))
        if kind == "1q":
            getattr(qc, str(rng.choice(_GATES_1Q)))(q)
        elif kind == "rot":
            getattr(qc, str(rng.choice(_GATES_ROT)))(float(rng.uniform(-math.pi, math.pi)), q)
        elif kind == "2q":
            a, b = (int(x) for x in rng.choice(qubits, size=2, replace=False))
            getattr(qc, str(rng.choice(_GATES_2Q)))(a, b)
        elif kind == "measure" and spare:
            qc.measure(q, spare.pop(0))
        else:
            qc.reset(q)
    qc.measure(range(qubits), range(qubits))
    return qc


def _check(backend_counts: dict[str, int], qc: QuantumCircuit, what: str) -> None:
    assert_same_distribution(backend_counts, aer_counts(qc), what)


# Tests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_matches_aer_on_the_ideal_simulator(provider: IonQProvider, case: str) -> None:
    qc = CORPUS[case]()
    assert is_dynamic(qc)
    job = provider.get_backend().run(qc, shots=SHOTS, seed_simulator=11)
    result = job.result()
    counts = result.get_counts()
    assert sum(counts.values()) == SHOTS
    memory = result.get_memory()
    assert len(memory) == SHOTS
    assert {key: memory.count(key) for key in set(memory)} == counts  # memory tallies counts
    assert all(part.info.type == "ionq.qasm3.v1" for part in job.ionq_jobs)
    _check(counts, qc, case)


#: IonQ's forte-1 depolarizing rates (spec section 4.5): one- and two-qubit.
FORTE_1 = (0.0002666666666666667, 0.004949333333333333)


def channels(qc: QuantumCircuit) -> dict[float, int]:
    """How many forte-1 channels the emulator applies: one per gate, n - 1 for n qubits."""
    one = two = 0
    for inst in qc.data:
        if inst.name in ("measure", "reset", "barrier"):
            continue
        if len(inst.qubits) == 1:
            one += 1
        else:
            two += len(inst.qubits) - 1
    return {FORTE_1[0]: one, FORTE_1[1]: 2 * two}  # generous: gates may be written as two


@pytest.mark.parametrize("case", ["parity check with an ancilla", "several registers"])
def test_corpus_stays_within_noise_of_aer_with_a_noise_model(
    provider: IonQProvider, case: str
) -> None:
    qc = CORPUS[case]()
    backend = provider.get_backend(noise_model="forte-1")
    counts = backend.run(qc, shots=SHOTS, seed_simulator=5).result().get_counts()
    assert sum(counts.values()) == SHOTS
    assert_within_noise(counts, aer_counts(qc), channels(qc), case)


def test_emulated_qpu_runs_mid_circuit_measurement(provider: IonQProvider) -> None:
    qc = measured_twice()
    counts = provider.get_backend("qpu.forte-1").run(qc, shots=SHOTS).result().get_counts()
    assert sum(counts.values()) == SHOTS
    assert_within_noise(counts, aer_counts(qc), channels(qc), "qpu.forte-1")


@pytest.mark.parametrize("seed", range(3))
def test_random_dynamic_circuits_match_aer(provider: IonQProvider, seed: int) -> None:
    qc = random_dynamic(seed)
    counts = provider.get_backend().run(qc, shots=SHOTS, seed_simulator=seed).result().get_counts()
    _check(counts, qc, f"random circuit {seed}")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3, 15))
def test_more_random_dynamic_circuits_match_aer(provider: IonQProvider, seed: int) -> None:
    qc = random_dynamic(seed, qubits=4, depth=24)
    if seed % 2:
        backend = provider.get_backend(noise_model="forte-1")
        counts = backend.run(qc, shots=SHOTS, seed_simulator=seed).result().get_counts()
        assert_within_noise(counts, aer_counts(qc), channels(qc), f"random circuit {seed}")
        return
    counts = provider.get_backend().run(qc, shots=SHOTS, seed_simulator=seed).result().get_counts()
    _check(counts, qc, f"random circuit {seed}")


def test_native_gates_export_to_openqasm3(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2, 3)
    qc.append(GPI2Gate(0.1), [0])
    qc.append(MSGate(0.2, 0.7, 0.25), [0, 1])
    qc.measure(0, 0)
    qc.append(GPIGate(0.3), [0])
    qc.append(GPI2Gate(0.6), [1])
    qc.measure(0, 1)
    qc.measure(1, 2)
    program = to_dynamic(qc).to_qasm3()
    assert "gpi" not in program  # written exactly with standard gates
    backend = provider.get_backend(gateset="native")
    counts = backend.run(qc, shots=SHOTS, seed_simulator=3).result().get_counts()
    _check(counts, qc, "native gates")


def test_native_backend_lowers_standard_gates_around_measurements(provider: IonQProvider) -> None:
    qc = measure_then_rotate()
    counts = provider.get_backend(gateset="native").run(qc, shots=SHOTS).result().get_counts()
    _check(counts, qc, "native backend")


def test_per_register_counts_are_formatted_as_qiskit_does(provider: IonQProvider) -> None:
    qr = QuantumRegister(1, "q")
    mid, out = ClassicalRegister(1, "mid"), ClassicalRegister(2, "result")
    qc = QuantumCircuit(qr, mid, out)
    qc.x(0)
    qc.measure(0, mid[0])
    qc.x(0)
    qc.measure(0, out[0])
    qc.x(0)
    qc.measure(0, out[1])
    result = provider.get_backend().run(qc, shots=50).result()
    assert result.get_counts() == {"10 1": 50}
    assert result.get_memory() == ["10 1"] * 50
    assert result.results[0].header["creg_sizes"] == [["mid", 1], ["result", 2]]


def test_probabilities_are_the_register_distribution(provider: IonQProvider) -> None:
    qc = QuantumCircuit(1, 2)
    qc.h(0)
    qc.measure(0, 0)
    qc.reset(0)
    qc.measure(0, 1)
    result = provider.get_backend().run(qc, shots=100, seed_simulator=2).result()
    assert result.get_probabilities() == {"00": pytest.approx(0.5), "01": pytest.approx(0.5)}
    assert sum(result.get_counts().values()) == 100


def test_transpiled_onto_a_characterized_qpu_runs_on_the_qubits_it_uses(
    provider: IonQProvider,
) -> None:
    qpu = provider.get_backend("qpu.forte-1")
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    qc.reset(0)
    qc.x(1)
    qc.cx(1, 0)
    qc.measure([0, 1], [0, 1])
    transpiled = transpile(qc, qpu, seed_transpiler=1)
    assert transpiled.num_qubits == qpu.num_qubits and "reset" in transpiled.count_ops()
    job = qpu.run(transpiled, shots=200, sampler_seed=5, name="reuse")  # qiskit-ionq's names
    counts = job.get_counts()
    assert sum(counts.values()) == 200
    assert counts.get("11", 0) > 180  # the reset qubit is flipped back by cx; q1 reads 1
    record = qpu.client.get_job(job.job_id())
    assert record["type"] == "ionq.qasm3.v1" and record["name"] == "reuse"
    assert record["stats"]["qubits"] == 2  # the idle qubits transpile added are dropped


def test_dynamic_circuits_join_sessions_and_dry_runs(provider: IonQProvider) -> None:
    qpu = provider.get_backend("qpu.aria-1")
    qc = QuantumCircuit(1, 2)
    qc.x(0)
    qc.measure(0, 0)
    qc.reset(0)
    qc.measure(0, 1)
    with Session(qpu, max_jobs=3) as session:
        job = qpu.run(qc, shots=100)
        assert qpu.client.get_job(job.job_id())["session_id"] == session.session_id
        assert max(job.get_counts(), key=job.get_counts().get) == "01"
    dry = qpu.run(qc, dry_run=True)
    dry.wait_for_final_state()
    assert qpu.client.get_job(dry.job_id())["type"] == "ionq.qasm3.v1"
    with pytest.raises(IonQJobError, match="dry run"):
        dry.result()


def test_retrieved_job_formats_the_same_counts(provider: IonQProvider) -> None:
    backend = provider.get_backend(noise_model="aria-1")
    job = backend.run(several_registers(), shots=300, seed_simulator=4)
    counts = job.result().get_counts()
    assert backend.retrieve_job(job.job_id()).result().get_counts() == counts


def test_batch_with_dynamic_and_static_circuits_keeps_order(provider: IonQProvider) -> None:
    bell = QuantumCircuit(2, 2, name="bell")
    bell.h(0)
    bell.cx(0, 1)
    bell.measure([0, 1], [0, 1])
    flip = QuantumCircuit(1, 2, name="flip")
    flip.x(0)
    flip.measure(0, 0)
    flip.reset(0)
    flip.measure(0, 1)
    job = provider.get_backend().run([bell, flip, bell, bell], shots=200, seed_simulator=1)
    result = job.result()
    assert set(result.get_counts(0)) <= {"00", "11"}
    assert result.get_counts(1) == {"01": 200}
    assert set(result.get_counts(3)) <= {"00", "11"}
    types = [part.info.type for part in job.ionq_jobs]
    assert types == ["ionq.circuit.v1", "ionq.qasm3.v1", "ionq.multi-circuit.v1"]


def test_sampler_v2_reads_mid_circuit_registers(provider: IonQProvider) -> None:
    qc = parity_check_with_ancilla()
    sampler = BackendSamplerV2(backend=provider.get_backend())
    pub = sampler.run([qc], shots=SHOTS).result()[0]
    syndrome = pub.data.syndrome.get_counts()
    assert sum(syndrome.values()) == SHOTS
    reference = aer_counts(qc)
    expected: dict[str, int] = {}
    for key, n in reference.items():
        expected[key.split(" ")[1]] = expected.get(key.split(" ")[1], 0) + n
    assert_same_distribution(syndrome, expected, "sampler syndrome register")


def _if_test() -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    qc.measure(1, 1)
    return qc


def _for_loop() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    with qc.for_loop(range(3)):
        qc.x(0)
    qc.measure(0, 0)
    return qc


def _while_loop() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.measure(0, 0)
    with qc.while_loop((qc.clbits[0], 0)):
        qc.h(0)
        qc.measure(0, 0)
    return qc


def _switch() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.switch(qc.clbits[0]) as case:
        with case(0):
            qc.x(0)
        with case(1):
            qc.h(0)
    qc.measure(0, 0)
    return qc


@pytest.mark.parametrize("build", [_if_test, _for_loop, _while_loop, _switch])
def test_feed_forward_is_refused_before_sending(
    provider: IonQProvider, build: Callable[[], QuantumCircuit]
) -> None:
    backend = provider.get_backend()
    before = len(list(provider.client.list_jobs()))
    with pytest.raises(InvalidInputError, match=r"no classical branches or loops .* on any target"):
        backend.run(build(), shots=10)
    assert len(list(provider.client.list_jobs())) == before


def test_multi_circuit_qasm3_job_is_refused() -> None:
    from ionq_direct.payload import build_qasm3_jobs

    program = to_dynamic(measured_twice())
    with pytest.raises(InvalidInputError, match=r"multi-circuit\.v1 jobs carry JSON"):
        build_qasm3_jobs([program, program], backend="simulator", multi_circuit=True)


def test_static_circuits_still_go_out_as_json(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    qc.measure(0, 1)  # measured twice at the end: still expressible in v1 JSON
    assert not is_dynamic(qc)
    job = provider.get_backend().run(qc, shots=10)
    counts = job.result().get_counts()
    assert sum(counts.values()) == 10 and set(counts) <= {"00", "11"}
    assert job.ionq_jobs[0].info.type == "ionq.circuit.v1"
