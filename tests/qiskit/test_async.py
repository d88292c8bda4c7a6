"""Waiting on several Qiskit jobs at once: ``IonQJob.result_async`` and ``wait_for_all``."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from qiskit import QuantumCircuit
from qiskit.providers import JobStatus
from qiskit.quantum_info import Statevector

from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import (
    IonQJob,
    IonQJobFailedError,
    IonQJobTimeoutError,
    IonQProvider,
    wait_for_all,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator(qpu_delay=0.3, workers=3) as emu:
        yield IonQProvider(emu.api_key, emu.url)


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def rotated(theta: float) -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.ry(theta, 0)
    qc.measure(0, 0)
    return qc


def test_result_async_is_the_result_of_result(provider: IonQProvider) -> None:
    backend = provider.get_backend("simulator")
    job = backend.run([bell(), rotated(1.0)], shots=400, seed_simulator=3)
    again = provider.retrieve_job(job.job_id())
    got = asyncio.run(job.result_async(timeout=60))
    expected = again.result()
    for index in range(2):
        assert got.get_counts(index) == expected.get_counts(index)
        assert got.get_memory(index) == expected.get_memory(index)
    assert job.status() is JobStatus.DONE
    # The ideal simulator's counts follow the exact distribution.
    probs = Statevector.from_instruction(rotated(1.0).remove_final_measurements(inplace=False))
    p1 = float(probs.probabilities()[1])
    assert abs(got.get_counts(1).get("1", 0) / 400 - p1) < 0.1


def test_wait_for_all_waits_for_qpu_jobs_together(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    jobs = [backend.run(bell(), shots=100) for _ in range(3)]
    results = asyncio.run(wait_for_all(jobs, timeout=60))
    assert [r.job_id for r in results] == [job.job_id() for job in jobs]
    for result in results:
        counts = result.get_counts()
        assert sum(counts.values()) == 100
        assert len(result.get_memory()) == 100  # QPU memory: the recorded shots
    records = [job.ionq_jobs[0].record for job in jobs]
    # Every job was submitted before any finished: they were waited for together.
    assert max(r["submitted_at"] for r in records) < min(r["completed_at"] for r in records)


def test_wait_for_final_state_async_reports_qiskit_statuses(provider: IonQProvider) -> None:
    job = provider.get_backend("qpu.aria-1").run(bell(), shots=50)
    seen: list[JobStatus] = []

    def callback(job_id: str, status: JobStatus, made: IonQJob) -> None:
        assert job_id == job.job_id() and made is job
        seen.append(status)

    asyncio.run(job.wait_for_final_state_async(timeout=60, callback=callback))
    assert seen[-1] is JobStatus.DONE
    assert job.status() is JobStatus.DONE


def test_failures_and_timeouts_are_qiskits_errors(provider: IonQProvider) -> None:
    wide = QuantumCircuit(12)
    wide.h(range(12))
    wide.measure_all()
    failing = provider.get_backend().run(wide, shots=10, noise_model="harmony")
    with pytest.raises(IonQJobFailedError) as caught:
        asyncio.run(failing.result_async(timeout=60))
    assert caught.value.code == "NotEnoughQubits"

    with Emulator(qpu_delay=30.0) as slow:
        late = IonQProvider(slow.api_key, slow.url).get_backend("qpu.aria-1").run(bell())
        with pytest.raises(IonQJobTimeoutError, match="call result"):
            asyncio.run(wait_for_all([late], timeout=0.3))
