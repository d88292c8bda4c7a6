"""qiskit-ionq 1.1's documented usage, written as its users write it, with only the import changed.

Each test is one call that qiskit-ionq's README or docstrings document, and asserts the meaning
qiskit-ionq gives it (types, counts that sum to the shots, Qiskit's bit order, statuses), run
against the embedded emulator. A call that does not work here yet is marked ``xfail(strict=True)``
with its root cause, so the mark has to go when it is fixed.
"""

from __future__ import annotations

import math

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.providers import BackendV2, JobStatus
from qiskit.result import Result
from qiskit.transpiler import CouplingMap

from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider

SHOTS = 1000
#: A loopback port nothing listens on: a URL that must not be the one used.
DEAD_URL = "http://127.0.0.1:9/v0.4"


def bell() -> QuantumCircuit:
    """The README's Bell-state circuit."""
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def x_on_qubit_0() -> QuantumCircuit:
    """A deterministic circuit: qubit 0 flipped, so clbit 0 (the rightmost bit) reads 1."""
    qc = QuantumCircuit(2, 2)
    qc.x(0)
    qc.measure([0, 1], [0, 1])
    return qc


@pytest.fixture
def provider(deployment: Emulator) -> IonQProvider:
    """``IonQProvider("token")`` as the README writes it; the URL comes from the environment."""
    return IonQProvider(deployment.api_key)


@pytest.fixture
def simulator_backend(provider: IonQProvider) -> BackendV2:
    return provider.get_backend("ionq_simulator")


def assert_bell_counts(counts: dict[str, int], shots: int = SHOTS) -> None:
    assert sum(counts.values()) == shots
    assert set(counts) <= {"00", "11"}


def assert_noisy_bell_counts(counts: dict[str, int], shots: int = SHOTS) -> None:
    """A Bell state on an emulated QPU: its noise flips a few shots to '01' or '10'."""
    assert sum(counts.values()) == shots
    assert set(counts) <= {"00", "01", "10", "11"}
    assert counts.get("00", 0) + counts.get("11", 0) >= 0.9 * shots
    assert min(counts.get("00", 0), counts.get("11", 0)) > shots // 4


# Constructor arguments and environment variables ------------------------------------------


def test_provider_positional_token(deployment: Emulator) -> None:
    provider = IonQProvider(deployment.api_key)
    assert isinstance(provider.get_backend("ionq_simulator"), BackendV2)


def test_provider_token_and_url_keywords(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    provider = IonQProvider(token=emulator.api_key, url=emulator.url)
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_provider_token_and_url_positional(
    clean_env: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    provider = IonQProvider(emulator.api_key, emulator.url)
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_provider_custom_headers(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    provider = IonQProvider(emulator.api_key, emulator.url, custom_headers={"X-Team": "qa"})
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_env_ionq_api_key_and_url(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    clean_env.setenv("IONQ_API_KEY", emulator.api_key)
    clean_env.setenv("IONQ_API_URL", emulator.url)
    provider = IonQProvider()
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_env_qiskit_ionq_api_token_and_url(
    clean_env: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    clean_env.setenv("QISKIT_IONQ_API_TOKEN", emulator.api_key)
    clean_env.setenv("QISKIT_IONQ_API_URL", emulator.url)
    provider = IonQProvider()
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_env_ionq_api_token(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    clean_env.setenv("IONQ_API_TOKEN", emulator.api_key)
    clean_env.setenv("IONQ_API_URL", emulator.url)
    provider = IonQProvider()
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_env_token_precedence(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    # qiskit-ionq's order: QISKIT_IONQ_API_TOKEN, then IONQ_API_KEY, then IONQ_API_TOKEN.
    clean_env.setenv("QISKIT_IONQ_API_TOKEN", emulator.api_key)
    clean_env.setenv("IONQ_API_KEY", "not-the-key")
    clean_env.setenv("IONQ_API_TOKEN", "not-the-key-either")
    clean_env.setenv("IONQ_API_URL", emulator.url)
    provider = IonQProvider()
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_env_url_precedence(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> None:
    # qiskit-ionq's order: QISKIT_IONQ_API_URL, then IONQ_API_URL.
    clean_env.setenv("IONQ_API_KEY", emulator.api_key)
    clean_env.setenv("QISKIT_IONQ_API_URL", emulator.url)
    clean_env.setenv("IONQ_API_URL", DEAD_URL)
    provider = IonQProvider()
    counts = provider.get_backend("ionq_simulator").run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)


def test_provider_name() -> None:
    assert IonQProvider.name == "ionq_provider"


# Provider and backends -------------------------------------------------------------------


def test_provider_backends_lists_backends(provider: IonQProvider) -> None:
    backends = provider.backends()
    assert backends and all(isinstance(b, BackendV2) for b in backends)
    assert any("simulator" in b.name for b in backends)


def test_provider_backends_by_name(provider: IonQProvider) -> None:
    [backend] = provider.backends("ionq_simulator")
    assert "simulator" in backend.name


def test_provider_backends_filters(provider: IonQProvider) -> None:
    found = provider.backends(filters=lambda b: "simulator" in b.name)
    assert found and all("simulator" in b.name for b in found)


def test_provider_backends_attribute(provider: IonQProvider) -> None:
    backend = provider.backends.ionq_simulator
    assert isinstance(backend, BackendV2) and "simulator" in backend.name


def test_get_backend_ionq_simulator(simulator_backend: BackendV2) -> None:
    assert simulator_backend.num_qubits == 29


def test_get_backend_without_prefix(provider: IonQProvider) -> None:
    assert provider.get_backend("simulator").num_qubits == 29


def test_get_backend_named_qpu(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_qpu.aria-1")
    assert backend.num_qubits == 25
    counts = backend.run(bell(), shots=200).result().get_counts()
    assert sum(counts.values()) == 200


def test_get_backend_native_gateset(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_simulator", gateset="native")
    assert {"gpi", "gpi2"} <= set(backend.operation_names)


def test_backend_with_name(simulator_backend: BackendV2) -> None:
    qpu = simulator_backend.with_name("ionq_qpu.aria-1")
    assert isinstance(qpu, BackendV2) and qpu.num_qubits == 25


def test_backend_gateset_method(simulator_backend: BackendV2) -> None:
    assert simulator_backend.gateset() == "qis"


def test_backend_basis_gates(simulator_backend: BackendV2) -> None:
    assert {"h", "cx", "rz", "measure"} <= set(simulator_backend.basis_gates)


def test_backend_coupling_map_is_full(provider: IonQProvider) -> None:
    # qiskit-ionq: "IonQ hardware is fully connected". A QPU's map is full here too; the
    # simulator's is None (its target is global), a documented difference (docs/migrating.md).
    qpu = provider.get_backend("ionq_qpu.aria-1")
    coupling = qpu.coupling_map
    n = qpu.num_qubits
    assert isinstance(coupling, CouplingMap) and len(coupling.get_edges()) == n * (n - 1)


def test_backend_default_shots(simulator_backend: BackendV2) -> None:
    assert simulator_backend.options.shots == 1024


def test_backend_status(simulator_backend: BackendV2) -> None:
    assert simulator_backend.status() is True


def test_backend_calibration_simulator_is_none(simulator_backend: BackendV2) -> None:
    assert simulator_backend.calibration() is None


def test_backend_calibration_qpu(provider: IonQProvider) -> None:
    cal = provider.get_backend("ionq_qpu.aria-1").calibration()
    assert cal.qubits == 25
    assert cal.backend == "qpu.aria-1"
    assert (0, 1) in {tuple(sorted(p)) for p in cal.connectivity}
    assert 0.5 < cal.fidelity["spam"]["median"] <= 1
    assert cal.timing["2q"] > cal.timing["1q"] > 0


def test_backend_retrieve_job(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=SHOTS)
    again = simulator_backend.retrieve_job(job.job_id())
    assert again.job_id() == job.job_id()
    assert again.result().get_counts() == job.result().get_counts()


def test_backend_retrieve_jobs(simulator_backend: BackendV2) -> None:
    ids = [simulator_backend.run(bell(), shots=SHOTS).job_id() for _ in range(2)]
    jobs = simulator_backend.retrieve_jobs(ids)
    assert [j.job_id() for j in jobs] == ids
    for job in jobs:
        assert_bell_counts(job.result().get_counts())


def test_backend_cancel_job(clean_env: pytest.MonkeyPatch, queued_emulator: Emulator) -> None:
    backend = IonQProvider(queued_emulator.api_key, queued_emulator.url).get_backend(
        "ionq_qpu.aria-1"
    )
    job = backend.run(bell(), shots=100)
    answer = backend.cancel_job(job.job_id())
    assert isinstance(answer, dict) and answer.get("status") == "canceled"
    assert job.status() is JobStatus.CANCELLED


def test_backend_cancel_jobs(clean_env: pytest.MonkeyPatch, queued_emulator: Emulator) -> None:
    backend = IonQProvider(queued_emulator.api_key, queued_emulator.url).get_backend(
        "ionq_qpu.aria-1"
    )
    jobs = [backend.run(bell(), shots=100) for _ in range(2)]
    answers = backend.cancel_jobs([j.job_id() for j in jobs])
    assert len(answers) == 2 and all(isinstance(a, dict) for a in answers)
    assert all(j.status() is JobStatus.CANCELLED for j in jobs)


# Run options ---------------------------------------------------------------------------


def test_run_bell_counts(simulator_backend: BackendV2) -> None:
    counts = simulator_backend.run(bell(), shots=SHOTS).result().get_counts()
    assert_bell_counts(counts)
    assert min(counts.values()) > SHOTS // 4


def test_counts_bit_order(simulator_backend: BackendV2) -> None:
    # Qiskit's order: clbit 0 is the rightmost character.
    counts = simulator_backend.run(x_on_qubit_0(), shots=100).result().get_counts()
    assert counts == {"01": 100}


def test_counts_across_registers(simulator_backend: BackendV2) -> None:
    a, b = ClassicalRegister(1, "a"), ClassicalRegister(2, "b")
    qc = QuantumCircuit(QuantumRegister(3), a, b)
    qc.x(2)
    qc.measure(0, a[0])
    qc.measure([1, 2], [b[0], b[1]])
    counts = simulator_backend.run(qc, shots=50).result().get_counts()
    assert counts == {"10 0": 50}


def test_run_error_mitigation_debiasing(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import ErrorMitigation

    backend = provider.get_backend("ionq_qpu.aria-1")
    job = backend.run(bell(), shots=SHOTS, error_mitigation=ErrorMitigation.DEBIASING)
    assert_noisy_bell_counts(job.result().get_counts())
    settings = backend.client.get_job(job.job_id()).get("settings") or {}
    assert settings.get("error_mitigation", {}).get("debiasing") is True


def test_run_error_mitigation_no_debiasing(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import ErrorMitigation

    backend = provider.get_backend("ionq_qpu.aria-1")
    job = backend.run(bell(), shots=SHOTS, error_mitigation=ErrorMitigation.NO_DEBIASING)
    assert_noisy_bell_counts(job.result().get_counts())
    settings = backend.client.get_job(job.job_id()).get("settings") or {}
    assert settings.get("error_mitigation", {}).get("debiasing") is False


def test_result_sharpen(provider: IonQProvider) -> None:
    job = provider.get_backend("ionq_qpu.aria-1").run(bell(), shots=SHOTS)
    assert_noisy_bell_counts(job.result(sharpen=True).get_counts())


def test_result_get_probabilities(simulator_backend: BackendV2) -> None:
    probabilities = simulator_backend.run(bell(), shots=SHOTS).result().get_probabilities()
    assert set(probabilities) == {"00", "11"}
    assert math.isclose(probabilities["00"], 0.5) and math.isclose(probabilities["11"], 0.5)


def test_run_sampler_seed_reproduces_counts(simulator_backend: BackendV2) -> None:
    first = simulator_backend.run(bell(), shots=SHOTS, sampler_seed=42).result().get_counts()
    second = simulator_backend.run(bell(), shots=SHOTS, sampler_seed=42).result().get_counts()
    assert first == second
    assert_bell_counts(first)


def test_run_job_settings(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_qpu.aria-1")
    job = backend.run(bell(), shots=SHOTS, job_settings={"compilation": {"opt": 0}})
    assert_noisy_bell_counts(job.result().get_counts())
    assert backend.client.get_job(job.job_id())["settings"]["compilation"]["opt"] == 0


def test_run_extra_metadata(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=SHOTS, extra_metadata={"experiment": "bell"})
    assert_bell_counts(job.result().get_counts())
    assert simulator_backend.client.get_job(job.job_id())["metadata"]["experiment"] == "bell"


def test_run_extra_query_params(simulator_backend: BackendV2) -> None:
    # qiskit-ionq merges these fields into the job's request body.
    job = simulator_backend.run(bell(), shots=SHOTS, extra_query_params={"name": "via-extra"})
    assert_bell_counts(job.result().get_counts())
    assert simulator_backend.client.get_job(job.job_id())["name"] == "via-extra"


def test_run_name(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=SHOTS, name="bell-state")
    assert_bell_counts(job.result().get_counts())
    assert simulator_backend.client.get_job(job.job_id())["name"] == "bell-state"


def test_run_noise_model(simulator_backend: BackendV2) -> None:
    qc = QuantumCircuit(2, 2)
    for _ in range(30):
        qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    counts = simulator_backend.run(qc, shots=SHOTS, noise_model="aria-1").result().get_counts()
    assert sum(counts.values()) == SHOTS
    assert counts.get("00", 0) < SHOTS  # 30 noisy CNOTs flip some shots


def test_run_memory_and_result_get_memory(simulator_backend: BackendV2) -> None:
    result = simulator_backend.run(bell(), shots=100, memory=True).result()
    memory = result.get_memory()
    assert len(memory) == 100 and set(memory) <= {"00", "11"}


def test_job_get_memory(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=100, memory=True, noise_model="aria-1")
    memory = job.get_memory()
    assert len(memory) == 100 and all(len(m) == 2 and set(m) <= {"0", "1"} for m in memory)


def test_run_list_of_circuits(simulator_backend: BackendV2) -> None:
    result = simulator_backend.run([bell(), x_on_qubit_0()], shots=100).result()
    first, second = result.get_counts()
    assert_bell_counts(first, 100)
    assert second == {"01": 100}


def test_transpile_u_gate(simulator_backend: BackendV2) -> None:
    qc = QuantumCircuit(1, 1)
    qc.u(math.pi, math.pi / 2, math.pi / 4, 0)
    qc.measure(0, 0)
    transpiled = transpile(qc, simulator_backend)
    assert simulator_backend.run(transpiled, shots=100).result().get_counts() == {"1": 100}


def test_mid_circuit_measurement_registers(simulator_backend: BackendV2) -> None:
    qr = QuantumRegister(1, "q")
    mid = ClassicalRegister(1, "mid")
    out = ClassicalRegister(2, "result")
    qc = QuantumCircuit(qr, mid, out)
    qc.h(0)
    qc.measure(0, mid[0])
    qc.x(0)
    qc.measure(0, out[0])
    qc.x(0)
    qc.measure(0, out[1])
    result = simulator_backend.run(qc, shots=100, memory=True, noise_model="aria-1").result()
    counts = result.get_counts()
    assert sum(counts.values()) == 100
    # mid = m, result[0] = not m, result[1] = m: mostly "01 0" and "10 1".
    assert counts.get("01 0", 0) + counts.get("10 1", 0) > 80
    assert len(result.get_memory()) == 100


def test_dry_run_compiled_circuit(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_qpu.forte-1")
    job = backend.run(
        bell(), dry_run=True, job_settings={"compilation": {"service_version": "v0.4"}}
    )
    job.wait_for_final_state()
    native = job.compiled_circuit(lang="native")
    assert isinstance(native, dict)
    assert {g["gate"] for g in native["circuit"]} <= {"gpi", "gpi2", "zz", "ms"}


def test_dry_run_property_and_result_refused(provider: IonQProvider) -> None:
    from qiskit_ionq_direct.exceptions import IonQJobError

    job = provider.get_backend("ionq_qpu.forte-1").run(bell(), dry_run=True)
    assert job.dry_run is True
    with pytest.raises(IonQJobError, match="compiled_circuit"):
        job.result()


# Job methods -----------------------------------------------------------------------------


def test_job_get_counts(simulator_backend: BackendV2) -> None:
    assert_bell_counts(simulator_backend.run(bell(), shots=SHOTS).get_counts())


def test_job_get_counts_of_circuit(simulator_backend: BackendV2) -> None:
    circuits = [bell(), x_on_qubit_0()]
    job = simulator_backend.run(circuits, shots=100)
    assert job.get_counts(circuits[1]) == {"01": 100}


def test_job_get_probabilities(simulator_backend: BackendV2) -> None:
    probabilities = simulator_backend.run(bell(), shots=SHOTS).get_probabilities()
    assert set(probabilities) == {"00", "11"}
    assert math.isclose(sum(probabilities.values()), 1.0)


def test_job_status_done(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=SHOTS)
    job.result()
    assert job.status() is JobStatus.DONE


def test_job_status_detailed(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run([bell(), bell()], shots=100)
    job.result()
    detail = job.status(detailed=True)
    assert detail["total"] == 2 and detail["completed"] == 2 and detail["failed"] == 0
    assert detail["percentage_complete"] == 1
    assert detail["statuses"] == [JobStatus.DONE, JobStatus.DONE]


def test_job_wait_for_final_state(simulator_backend: BackendV2) -> None:
    job = simulator_backend.run(bell(), shots=SHOTS)
    job.wait_for_final_state(timeout=60)
    assert job.status() is JobStatus.DONE


def test_job_result_timeout_wait(simulator_backend: BackendV2) -> None:
    result = simulator_backend.run(bell(), shots=SHOTS).result(timeout=60, wait=0.1)
    assert isinstance(result, Result)
    assert_bell_counts(result.get_counts())


def test_job_result_callback(simulator_backend: BackendV2) -> None:
    seen: list[tuple[str, JobStatus]] = []
    job = simulator_backend.run(bell(), shots=SHOTS)
    job.result(callback=lambda job_id, status, j: seen.append((job_id, status)))
    assert all(job_id == job.job_id() for job_id, _ in seen)
    assert all(isinstance(status, JobStatus) for _, status in seen)


def test_job_result_extra_query_params(simulator_backend: BackendV2) -> None:
    result = simulator_backend.run(bell(), shots=SHOTS).result(extra_query_params={})
    assert_bell_counts(result.get_counts())


def test_job_result_timeout_error(clean_env: pytest.MonkeyPatch, queued_emulator: Emulator) -> None:
    from qiskit_ionq_direct.exceptions import IonQJobTimeoutError

    backend = IonQProvider(queued_emulator.api_key, queued_emulator.url).get_backend(
        "ionq_qpu.aria-1"
    )
    job = backend.run(bell(), shots=100)
    with pytest.raises(IonQJobTimeoutError):
        job.result(timeout=0.2)
    job.cancel()


def test_job_cancel(clean_env: pytest.MonkeyPatch, queued_emulator: Emulator) -> None:
    backend = IonQProvider(queued_emulator.api_key, queued_emulator.url).get_backend(
        "ionq_qpu.aria-1"
    )
    job = backend.run(bell(), shots=100)
    job.cancel()
    assert job.status() is JobStatus.CANCELLED


def test_result_of_canceled_job_raises_state_error(
    clean_env: pytest.MonkeyPatch, queued_emulator: Emulator
) -> None:
    from qiskit_ionq_direct.exceptions import IonQJobStateError

    backend = IonQProvider(queued_emulator.api_key, queued_emulator.url).get_backend(
        "ionq_qpu.aria-1"
    )
    job = backend.run(bell(), shots=100)
    job.cancel()
    with pytest.raises(IonQJobStateError):
        job.result()


def test_run_warns_without_measurement(simulator_backend: BackendV2) -> None:
    qc = QuantumCircuit(1)
    qc.h(0)
    with pytest.warns(UserWarning, match="not measuring"):
        simulator_backend.run(qc, shots=10)


# Sessions --------------------------------------------------------------------------------


def test_session_context_manager(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import Session

    backend = provider.get_backend("ionq_qpu.aria-1")
    with Session(backend, max_jobs=5, max_time=10, max_cost=5) as session:
        job = backend.run(bell(), shots=100)
        assert_noisy_bell_counts(job.result().get_counts(), 100)
        assert session.status() in {"active", "started", "created"}
    record = backend.client.get_job(job.job_id())
    assert record["session_id"] == session.session_id
    assert (
        backend.client.get_session(session.session_id)["status"] == "ended"
    )  # v0.4 names it status


def test_session_from_id_and_run(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import Session

    backend = provider.get_backend("ionq_qpu.aria-1")
    first = Session(backend, max_jobs=2)
    again = Session.from_id(first.session_id, backend=backend)
    job = again.run(bell(), shots=100)
    assert backend.client.get_job(job.job_id())["session_id"] == first.session_id
    assert isinstance(again.details(), dict)
    assert again.usage() is None or again.usage() >= 0
    again.close()


# Top-level names and native gates --------------------------------------------------------


def test_version() -> None:
    import qiskit_ionq_direct

    assert isinstance(qiskit_ionq_direct.__version__, str) and qiskit_ionq_direct.__version__


def test_trapped_ion_optimizer_plugin(provider: IonQProvider) -> None:
    from qiskit.transpiler import PassManagerConfig

    from qiskit_ionq_direct import TrappedIonOptimizerPlugin

    backend = provider.get_backend("ionq_simulator", gateset="native")
    pm = TrappedIonOptimizerPlugin().pass_manager(
        PassManagerConfig(target=backend.target), optimization_level=3
    )
    native = pm.run(transpile(bell(), backend))
    assert set(native.count_ops()) <= {"gpi", "gpi2", "ms", "zz", "measure", "barrier"}
    assert_bell_counts(backend.run(native, shots=SHOTS).result().get_counts())


def test_add_equivalences() -> None:
    from qiskit_ionq_direct import add_equivalences

    add_equivalences()


def test_native_gates_run(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import GPI2Gate, GPIGate, MSGate

    backend = provider.get_backend("ionq_simulator", gateset="native")
    qc = QuantumCircuit(2, 2)
    qc.append(GPIGate(0), [0])  # a bit flip: GPI(0) is X
    qc.append(GPI2Gate(0.25), [1])
    qc.append(GPI2Gate(0.75), [1])  # GPI2(0.75) undoes GPI2(0.25)
    qc.append(MSGate(0, 0, 0), [0, 1])  # theta 0: identity
    qc.measure([0, 1], [0, 1])
    assert backend.run(qc, shots=100).result().get_counts() == {"01": 100}


def test_zz_gate_on_forte_native(provider: IonQProvider) -> None:
    from qiskit_ionq_direct import GPIGate, ZZGate

    backend = provider.get_backend("ionq_qpu.forte-1", gateset="native")
    qc = QuantumCircuit(2, 2)
    qc.append(GPIGate(0), [1])
    qc.append(ZZGate(0.25), [0, 1])
    qc.measure([0, 1], [0, 1])
    counts = backend.run(qc, shots=200).result().get_counts()
    assert sum(counts.values()) == 200 and counts.get("10", 0) > 150
