"""IonQBackend against the real embedded emulator: targets, run, registers, batches, bad input."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.circuit.library import UnitaryGate
from qiskit.quantum_info import Statevector
from qiskit.result.postprocess import format_counts
from scipy.stats import chi2

from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQBackend, IonQProvider


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


def ghz(n: int = 3) -> QuantumCircuit:
    qc = QuantumCircuit(n, n)
    qc.h(0)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    qc.measure(range(n), range(n))
    return qc


def exact_distribution(qc: QuantumCircuit) -> dict[str, float]:
    """Ideal probabilities keyed as Qiskit formats counts, from Statevector and qc's measures."""
    measures = [
        (qc.find_bit(i.qubits[0]).index, qc.find_bit(i.clbits[0]).index)
        for i in qc.data
        if i.operation.name == "measure"
    ]
    state = Statevector(qc.remove_final_measurements(inplace=False))
    raw: dict[str, float] = {}
    for index, p in enumerate(state.probabilities()):
        if p < 1e-12:
            continue
        value = sum(((index >> q) & 1) << c for q, c in measures)
        raw[hex(value)] = raw.get(hex(value), 0.0) + float(p)
    header = {"creg_sizes": [[r.name, r.size] for r in qc.cregs], "memory_slots": qc.num_clbits}
    return format_counts(raw, header)


def assert_matches(counts: dict[str, int], expected: dict[str, float], shots: int) -> None:
    assert sum(counts.values()) == shots
    assert set(counts) <= set(expected), set(counts) - set(expected)
    if len(expected) > 1:
        stat = sum((counts.get(k, 0) - shots * p) ** 2 / (shots * p) for k, p in expected.items())
        assert stat < chi2.ppf(0.9999, len(expected) - 1), (counts, expected)


def jobs_on(provider: IonQProvider) -> int:
    return len(list(provider.client.list_jobs()))


def test_targets_are_global_and_sized_from_the_backend_record(provider: IonQProvider) -> None:
    sim = provider.get_backend("simulator")
    assert sim.num_qubits == 29
    assert sim.coupling_map is None
    assert {"h", "cx", "rzz", "ccx", "measure"} <= set(sim.operation_names)
    aria = provider.get_backend("qpu.aria-1", gateset="native")
    assert aria.num_qubits == 25
    assert set(aria.operation_names) >= {"gpi", "gpi2", "ms", "measure"}
    assert "zz" not in aria.operation_names and "h" not in aria.operation_names
    forte = provider.get_backend("ionq_qpu.forte-1", gateset="native")
    assert forte.num_qubits == 36
    assert "zz" in forte.operation_names and "ms" not in forte.operation_names
    assert {"ms", "zz"} <= set(provider.get_backend(gateset="native").operation_names)
    assert sim.max_circuits == 5000


def test_transpile_keeps_width_and_ghz_gives_only_all_equal(provider: IonQProvider) -> None:
    backend = provider.get_backend("simulator")
    compiled = transpile(ghz(), backend)
    assert compiled.num_qubits == 3
    result = backend.run(compiled, shots=800).result()
    counts = result.get_counts()
    assert sum(counts.values()) == 800
    assert set(counts) == {"000", "111"}
    assert result.results[0].shots == 800 and result.success


def test_registers_and_permuted_partial_measurement(provider: IonQProvider) -> None:
    q = QuantumRegister(3, "q")
    a, b = ClassicalRegister(2, "a"), ClassicalRegister(3, "b")
    qc = QuantumCircuit(q, a, b, name="regs")
    qc.x(0)
    qc.ry(1.1, 1)
    qc.h(2)
    qc.cx(2, 1)
    qc.measure(0, b[2])
    qc.measure(1, a[0])
    qc.measure(2, b[0])  # a[1] and b[1] are never written: they read 0
    shots = 4000
    result = provider.get_backend().run(qc, shots=shots, seed_simulator=11).result()
    counts = result.get_counts("regs")
    assert all(len(k) == 6 and k[3] == " " for k in counts)
    assert all(k[1] == "0" and k[4] == "0" for k in counts)
    assert all(k[0] == "1" for k in counts)  # b[2] holds qubit 0, which is |1>
    assert_matches(counts, exact_distribution(qc), shots)
    memory = result.get_memory("regs")
    assert len(memory) == shots and sorted(set(memory)) == sorted(counts)
    assert all(m.startswith("0x") for m in result.results[0].data.memory)


def test_unmeasured_clbits_read_zero(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2, 4)
    qc.x([0, 1])
    qc.measure(1, 2)
    counts = provider.get_backend().run(qc, shots=10).result().get_counts()
    assert counts == {"0100": 10}


def test_multi_circuit_is_one_ionq_job_in_input_order(provider: IonQProvider) -> None:
    circuits = []
    for value in (1, 6, 3):
        qc = QuantumCircuit(3, 3, name=f"v{value}")
        for bit in range(3):
            if value >> bit & 1:
                qc.x(bit)
        qc.measure(range(3), range(3))
        circuits.append(qc)
    before = jobs_on(provider)
    job = provider.get_backend().run(circuits, shots=50)
    assert len(job.ionq_jobs) == 1
    assert job.ionq_jobs[0].refresh().record["type"] == "ionq.multi-circuit.v1"
    result = job.result()
    assert [result.get_counts(i) for i in range(3)] == [{"001": 50}, {"110": 50}, {"011": 50}]
    assert result.get_counts("v6") == {"110": 50}
    assert jobs_on(provider) - before == 4  # the parent and its three children


def test_same_seed_same_counts_and_memory(provider: IonQProvider) -> None:
    backend = provider.get_backend()
    qc = QuantumCircuit(2, 2)
    qc.h([0, 1])
    qc.measure([0, 1], [0, 1])
    one = backend.run(qc, shots=300, seed_simulator=5).result()
    two = backend.run(qc, shots=300, seed_simulator=5).result()
    other = backend.run(qc, shots=300, seed_simulator=6).result()
    assert one.get_counts() == two.get_counts()
    assert one.get_memory() == two.get_memory()
    assert one.get_memory() != other.get_memory()


def test_noisy_simulator_and_emulated_qpu(provider: IonQProvider) -> None:
    qc = ghz()
    noisy = provider.get_backend().run(qc, shots=500, noise_model="aria-1", seed_simulator=2)
    for result in (noisy.result(), provider.get_backend("qpu.aria-1").run(qc, shots=500).result()):
        counts = result.get_counts()
        assert sum(counts.values()) == 500
        assert counts.get("000", 0) + counts.get("111", 0) > 400
        memory = result.results[0].data.memory
        assert len(memory) == 500 and all(m.startswith("0x") for m in memory)
        tally: dict[str, int] = {}
        for m in result.get_memory():
            tally[m] = tally.get(m, 0) + 1
        assert tally == counts
    again = provider.get_backend().run(qc, shots=500, noise_model="aria-1", seed_simulator=2)
    assert again.result().get_counts() == noisy.result().get_counts()


@pytest.mark.parametrize("name", ["simulator", "qpu.aria-1", "qpu.forte-1"])
def test_native_backend_runs_transpiled_circuit(provider: IonQProvider, name: str) -> None:
    backend = provider.get_backend(name, gateset="native")
    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 2)
    qc.ry(0.8, 1)
    qc.measure(range(3), range(3))
    compiled = transpile(qc, backend)
    assert set(compiled.count_ops()) <= {"gpi", "gpi2", "ms", "zz", "measure"}
    counts = backend.run(compiled, shots=2000, seed_simulator=1).result().get_counts()
    expected = exact_distribution(qc)
    if name == "simulator":
        assert_matches(counts, expected, 2000)
    else:  # emulated hardware noise: close, not exact
        tvd = 0.5 * sum(
            abs(counts.get(k, 0) / 2000 - expected.get(k, 0.0)) for k in set(counts) | set(expected)
        )
        assert tvd < 0.08


@pytest.mark.parametrize(
    ("make", "options", "match"),
    [
        (lambda: _with_unitary(), {}, "not supported"),
        (lambda: QuantumCircuit(30), {}, "30 qubits"),
        (lambda: ghz(), {"shots": 0}, "shots"),
        (lambda: ghz(), {"shots": 1_000_001}, "shots"),
        (lambda: ghz(), {"seed": 3}, "unknown run option"),
        (lambda: ghz(), {"job_name": "bad/name"}, "job name"),
        (lambda: ghz(), {"noise_model": "aria-1", "debiasing": True}, "debiasing"),
    ],
)
def test_bad_input_fails_before_any_job(provider: IonQProvider, make, options, match) -> None:  # type: ignore[no-untyped-def]
    backend = provider.get_backend()
    assert backend.num_qubits == 29  # the record may be fetched; no job may be created
    before = jobs_on(provider)
    with pytest.raises(InvalidInputError, match=match):
        backend.run(make(), **options)
    assert jobs_on(provider) == before


def _with_unitary() -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.append(UnitaryGate(np.eye(4)), [0, 1])
    return qc


def test_native_gates_on_the_qis_backend_are_refused(provider: IonQProvider) -> None:
    native = transpile(ghz(), provider.get_backend("qpu.aria-1", gateset="native"))
    with pytest.raises(InvalidInputError, match="gateset"):
        provider.get_backend("qpu.aria-1").run(native)


def test_options_and_constructor_checks(provider: IonQProvider) -> None:
    backend = provider.get_backend(shots=77)
    assert backend.options.shots == 77 and backend.options.memory is True
    with pytest.raises(InvalidInputError, match="unknown run option"):
        provider.get_backend(shotz=3)
    with pytest.raises(InvalidInputError, match="gateset"):
        IonQBackend(provider.client, "simulator", gateset="fancy")
    result = backend.run(ghz(), memory=False).result()
    assert sum(result.get_counts().values()) == 77
    assert getattr(result.results[0].data, "memory", None) is None


def test_backend_is_built_without_network() -> None:
    client = Client("key", "http://127.0.0.1:9/v0.4", max_retries=0)
    backend = IonQProvider(client=client).get_backend("qpu.forte-1", gateset="native")
    assert backend.name == "qpu.forte-1" and backend.gateset() == "native"


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"shots": 0}, "shots"),
        ({"shots": 1_000_001}, "shots"),
        ({"shots": 10.0}, "shots"),
        ({"seed_simulator": -1}, "seed_simulator"),
        ({"seed_simulator": 1.5}, "seed_simulator"),
        ({"timeout": "5"}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"memory": "yes"}, "memory"),
    ],
)
def test_bad_option_values_fail_when_set(provider: IonQProvider, options, match) -> None:  # type: ignore[no-untyped-def]
    backend = provider.get_backend()
    with pytest.raises(InvalidInputError, match=match):
        backend.set_options(**options)
    assert backend.options.shots == 1024 and backend.options.timeout is None
    with pytest.raises(InvalidInputError, match=match):
        provider.get_backend(**options)
    before = jobs_on(provider)
    with pytest.raises(InvalidInputError, match=match):
        backend.run(ghz(), **options)
    assert jobs_on(provider) == before


def test_numpy_integers_are_accepted_as_shots_and_seed(provider: IonQProvider) -> None:
    backend = provider.get_backend()
    backend.set_options(shots=np.int64(30), seed_simulator=np.uint32(4))
    one = backend.run(ghz()).result()
    two = backend.run(ghz(), shots=30, seed_simulator=4).result()
    assert one.get_memory() == two.get_memory() and len(one.get_memory()) == 30
