"""qiskit-ionq's names on the provider, jobs and exceptions: one meaning each, clear errors."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.providers import JobError, JobStatus

import ionq_direct
from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider, exceptions


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def test_key_and_url_are_given_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QISKIT_IONQ_API_TOKEN", "IONQ_API_KEY", "IONQ_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(InvalidInputError, match="token= or api_key="):
        IonQProvider("a", api_key="b")
    with pytest.raises(InvalidInputError, match="url= or base_url="):
        IonQProvider("a", "http://127.0.0.1:9/v0.4", base_url="http://127.0.0.1:9/v0.4")
    with pytest.raises(InvalidInputError, match="QISKIT_IONQ_API_TOKEN, IONQ_API_KEY, IONQ_API"):
        IonQProvider()
    client = Client("key", "http://127.0.0.1:9/v0.4")
    with pytest.raises(InvalidInputError, match="not both"):
        IonQProvider(custom_headers={"X-A": "b"}, client=client)
    with pytest.raises(InvalidInputError, match="Authorization"):
        IonQProvider("key", custom_headers={"Authorization": "apiKey other"})


def test_backend_service(provider: IonQProvider) -> None:
    service = provider.backends
    assert service.qpu_aria_2.name == "qpu.aria-2" and service.ionq_qpu_aria_2.name == "qpu.aria-2"
    assert "ionq_qpu_forte_1" in dir(service)
    with pytest.raises(AttributeError, match=r"provider\.backends"):
        _ = service.ionq_qpu_nowhere
    assert [b.name for b in service(qubits=25)] == ["qpu.aria-1", "qpu.aria-2"]
    assert [b.name for b in service("ionq_qpu.forte-1", status="available")] == ["qpu.forte-1"]
    native = service("simulator", gateset="native")[0]
    assert native.gateset() == "native"
    with pytest.raises(InvalidInputError, match="callable"):
        service(filters="simulator")  # type: ignore[arg-type]


def test_exception_names_are_our_classes() -> None:
    assert exceptions.IonQError is ionq_direct.IonQError
    assert issubclass(exceptions.IonQJobStateError, exceptions.IonQJobFailureError)
    assert issubclass(exceptions.IonQJobFailureError, ionq_direct.JobFailedError)
    for name in ("IonQJobError", "IonQJobFailureError", "IonQJobStateError"):
        assert issubclass(getattr(exceptions, name), JobError)
    assert issubclass(exceptions.IonQGateError, InvalidInputError)
    assert issubclass(exceptions.IonQAPIError, ionq_direct.APIError)
    assert set(exceptions.__all__) <= set(dir(exceptions))


def test_probabilities_are_keyed_like_counts(provider: IonQProvider) -> None:
    a, b = ClassicalRegister(1, "a"), ClassicalRegister(2, "b")
    qc = QuantumCircuit(QuantumRegister(3), a, b)
    qc.h(0)
    qc.x(2)
    qc.measure(0, a[0])
    qc.measure([1, 2], [b[0], b[1]])
    job = provider.get_backend().run([qc, bell()], shots=100)
    first, second = job.get_probabilities()
    assert first.keys() == {"10 0", "10 1"} and math.isclose(first["10 1"], 0.5)
    assert job.get_probabilities(1) == second and math.isclose(sum(second.values()), 1.0)
    noisy = provider.get_backend("qpu.aria-1").run(bell(), shots=500)
    frequencies = noisy.get_probabilities()
    assert math.isclose(sum(frequencies.values()), 1.0)
    assert frequencies == {k: v / 500 for k, v in noisy.get_counts().items()}


def test_job_methods_refuse_what_they_cannot_give(provider: IonQProvider) -> None:
    job = provider.get_backend().run(bell(), shots=10, memory=False)
    job.result()
    with pytest.raises(exceptions.IonQJobError, match="memory=False"):
        job.get_memory()
    with pytest.raises(exceptions.IonQJobError, match="only"):
        job.result(extra_query_params={"aggregation": "voting"})
    with pytest.raises(exceptions.IonQJobError, match="True, False or None"):
        job.result(sharpen="yes")  # type: ignore[arg-type]
    with pytest.raises(exceptions.IonQJobError, match="dry_run=True jobs"):
        job.compiled_circuit()
    assert job.dry_run is False
    detail = job.status(detailed=True)
    assert detail["total"] == 1 and detail["statuses"] == [JobStatus.DONE]


def test_retrieved_dry_run_knows_it_is_one(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    job = backend.run([bell(), bell()], dry_run=True)
    again = provider.retrieve_job(job.job_id())
    again.wait_for_final_state(timeout=30)
    assert again.dry_run is True
    compiled = again.compiled_circuit("ionq.native.v1")
    assert len(compiled) == 2 and all(c["gateset"] == "native" for c in compiled)
    with pytest.raises(exceptions.IonQJobError, match="dry run"):
        again.result()
