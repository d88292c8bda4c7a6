"""IonQProvider: backend listing, names and aliases, and job retrieval that reproduces results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister

from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider
from qiskit_ionq_direct.provider import backend_name


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def provider(emulator: Emulator) -> IonQProvider:
    return IonQProvider(emulator.api_key, emulator.url)


def test_backends_lists_the_service_backends(provider: IonQProvider) -> None:
    found = {b.name: b for b in provider.backends()}
    assert set(found) == {
        "simulator",
        "qpu.aria-1",
        "qpu.aria-2",
        "qpu.forte-1",
        "qpu.forte-enterprise-1",
    }
    assert found["simulator"].num_qubits == 29
    assert found["qpu.forte-enterprise-1"].num_qubits == 36
    only = provider.backends("ionq_qpu.aria-2")
    assert [b.name for b in only] == ["qpu.aria-2"]
    assert provider.backends("qpu.nowhere") == []


def test_names_and_aliases() -> None:
    assert backend_name("ionq_simulator") == "simulator"
    assert backend_name("ionq_qpu.aria-1") == "qpu.aria-1"
    assert backend_name(" qpu.forte-1 ") == "qpu.forte-1"
    with pytest.raises(InvalidInputError):
        backend_name("")


def test_environment_and_client_arguments(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IONQ_API_KEY", emulator.api_key)
    monkeypatch.setenv("IONQ_API_URL", emulator.url)
    from_env = IonQProvider()
    assert from_env.client.base_url == emulator.url
    assert from_env.get_backend().num_qubits == 29
    shared = Client(emulator.api_key, emulator.url)
    assert IonQProvider(client=shared).client is shared
    with pytest.raises(InvalidInputError, match="not both"):
        IonQProvider("key", client=shared)


def test_retrieved_job_reproduces_counts_memory_and_registers(provider: IonQProvider) -> None:
    q = QuantumRegister(3, "q")
    low, high = ClassicalRegister(1, "low"), ClassicalRegister(2, "high")
    first = QuantumCircuit(q, low, high, name="first")
    first.h(0)
    first.cx(0, 2)
    first.ry(0.4, 1)
    first.measure(2, low[0])
    first.measure(0, high[1])
    first.measure(1, high[0])
    second = QuantumCircuit(2, 2, name="second")
    second.h([0, 1])
    second.measure([1, 0], [0, 1])
    job = provider.get_backend().run([first, second], shots=256)  # seed chosen for us
    original = job.result()
    again = provider.retrieve_job(job.job_id()).result()
    for name in ("first", "second"):
        assert again.get_counts(name) == original.get_counts(name)
        assert again.get_memory(name) == original.get_memory(name)
    assert all(" " in key for key in again.get_counts("first"))
    assert again.results[0].header["creg_sizes"] == [["low", 1], ["high", 2]]
    assert again.job_id == job.job_id()


def test_retrieved_qpu_job_reproduces_counts(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [1, 0])
    job = provider.get_backend("ionq_qpu.forte-1").run(qc, shots=300)
    counts = job.result().get_counts()
    retrieved = provider.retrieve_job(job.job_id())
    assert retrieved.backend().name == "qpu.forte-1"
    assert retrieved.result().get_counts() == counts
    assert sum(counts.values()) == 300


def test_retrieve_a_job_made_elsewhere(provider: IonQProvider) -> None:
    created = provider.client.submit(
        {
            "type": "ionq.circuit.v1",
            "backend": "simulator",
            "shots": 40,
            "input": {"qubits": 2, "gateset": "qis", "circuit": [{"gate": "x", "target": 1}]},
        }
    )
    result = provider.retrieve_job(created.id).result()
    assert result.get_counts() == {"10": 40}  # no layout stored: every qubit is read
    with pytest.raises(InvalidInputError):
        provider.retrieve_job("")


@pytest.mark.parametrize("gateset", ["native", "qis"])
def test_retrieved_job_keeps_its_backends_gateset(provider: IonQProvider, gateset: str) -> None:
    qc = QuantumCircuit(2)
    qc.x(0)
    qc.measure_all()
    job = provider.get_backend("qpu.aria-1", gateset=gateset).run(qc, shots=20)
    counts = job.result().get_counts()
    metadata = provider.client.get_job(job.job_id())["metadata"]
    assert all(isinstance(value, str) for value in metadata.values())
    retrieved = provider.retrieve_job(job.job_id())
    assert retrieved.backend().name == "qpu.aria-1"
    assert retrieved.backend().gateset() == gateset
    assert retrieved.result().get_counts() == counts == {"01": 20}


def test_layouts_too_large_for_metadata_run_and_are_refused_clearly_when_retrieved(
    provider: IonQProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ionq_direct.metadata
    from qiskit_ionq_direct import IonQJobError

    # Eight keys of the caller's leave one (beside seed and token); values of at most 60
    # characters: two circuits' layouts cannot fit in it.
    monkeypatch.setattr(ionq_direct.metadata, "MAX_METADATA_VALUE", 60)
    user = {f"k{i}": "v" for i in range(8)}
    qc = QuantumCircuit(2, 2, name="wide")
    qc.x(1)
    qc.measure([0, 1], [0, 1])
    job = provider.get_backend(gateset="native").run(
        [qc, qc.copy("other")], shots=30, metadata=user
    )
    assert job.result().get_counts("other") == {"10": 30}  # the local layouts format it
    metadata = provider.client.get_job(job.job_id())["metadata"]
    assert len(metadata["ionq_direct_qiskit"]) <= 60 and "ionq_direct_qiskit1" not in metadata
    retrieved = provider.retrieve_job(job.job_id())
    assert retrieved.backend().gateset() == "native"  # the summary keeps the gateset
    with pytest.raises(IonQJobError, match="layouts were too large to store"):
        retrieved.result()
