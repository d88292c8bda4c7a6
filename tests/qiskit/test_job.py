"""IonQJob: status mapping, failures as Qiskit JobError subclasses, timeouts, cancel."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from qiskit import QuantumCircuit
from qiskit.providers import JobError, JobStatus
from qiskit.providers import JobTimeoutError as QiskitJobTimeoutError
from qiskit.providers.jobstatus import JOB_FINAL_STATES

import ionq_direct
from ionq_direct.emulator import Emulator
from ionq_direct.records import TERMINAL_STATUSES
from qiskit_ionq_direct import (
    IonQJobError,
    IonQJobFailedError,
    IonQJobTimeoutError,
    IonQProvider,
)
from qiskit_ionq_direct.job import STATUS_MAP


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    # QPU jobs wait 0.5 s in the queue and again while running, so they can be seen unfinished.
    with Emulator(qpu_delay=0.5) as emu:
        yield IonQProvider(emu.api_key, emu.url)


def wide(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(range(n))
    qc.measure_all()
    return qc


def test_status_map_covers_every_ionq_status() -> None:
    # IonQ's lifecycle in order, then its terminal statuses, as Qiskit names them.
    ionq = ["submitted", "ready", "started", "completed", "failed", "canceled"]
    qiskit = ["INITIALIZING", "QUEUED", "RUNNING", "DONE", "ERROR", "CANCELLED"]
    expected = {status: JobStatus[name] for status, name in zip(ionq, qiskit, strict=True)}
    assert expected == STATUS_MAP
    assert {s for s in ionq if STATUS_MAP[s] in JOB_FINAL_STATES} == TERMINAL_STATUSES


def test_failed_job_raises_a_job_error_with_ionqs_code(provider: IonQProvider) -> None:
    # The harmony noise model simulates at most 11 qubits: the service fails the job.
    job = provider.get_backend().run(wide(12), shots=10, noise_model="harmony")
    with pytest.raises(IonQJobFailedError) as caught:
        job.result()
    error = caught.value
    assert isinstance(error, JobError) and isinstance(error, ionq_direct.JobFailedError)
    assert error.code == "NotEnoughQubits"
    assert error.message and "12" in error.message
    assert job.status() is JobStatus.ERROR  # status() reports, it does not raise
    with pytest.raises(IonQJobFailedError):
        provider.retrieve_job(job.job_id()).result()


def test_timeout_then_cancel(provider: IonQProvider) -> None:
    job = provider.get_backend("qpu.aria-1").run(wide(2), shots=10)
    assert job.status() in (JobStatus.INITIALIZING, JobStatus.QUEUED, JobStatus.RUNNING)
    with pytest.raises(IonQJobTimeoutError) as caught:
        job.result(timeout=0.05)
    assert isinstance(caught.value, QiskitJobTimeoutError)
    assert isinstance(caught.value, ionq_direct.JobTimeoutError)
    assert job.cancel() is True
    assert job.status() is JobStatus.CANCELLED
    with pytest.raises(IonQJobFailedError) as failed:
        job.result()
    assert failed.value.code


def test_result_waits_reports_progress_and_is_cached(provider: IonQProvider) -> None:
    seen: list[JobStatus] = []
    job = provider.get_backend("qpu.aria-1").run(wide(2), shots=20)
    # Qiskit's callback form, as wait_for_final_state calls it: (job_id, status, job).
    result = job.result(callback=lambda job_id, status, j: seen.append(status))
    assert seen and seen[-1] is JobStatus.DONE
    assert job.status() is JobStatus.DONE and job.done()
    assert job.result() is result
    assert job.backend().name == "qpu.aria-1"
    assert job.job_id() == job.ionq_jobs[0].id


def test_submit_is_not_a_second_submission(provider: IonQProvider) -> None:
    job = provider.get_backend().run(wide(1), shots=5)
    with pytest.raises(IonQJobError, match="already submitted"):
        job.submit()
    assert job.cancel() in (True, False)  # an ideal job may already be done


def test_timeout_option_is_the_default_result_timeout(provider: IonQProvider) -> None:
    job = provider.get_backend("qpu.aria-1", timeout=0.01).run(wide(2), shots=10)
    with pytest.raises(IonQJobTimeoutError):
        job.result()
    job.cancel()


@pytest.mark.parametrize("count", [1, 2])
def test_cancel_after_completion_still_gives_the_results(
    provider: IonQProvider, count: int
) -> None:
    # The cancel answer of a finished job carries only its id and status: result() must still
    # read the full record (shots, type, seed), not report empty counts or fail.
    qc = QuantumCircuit(1)
    qc.x(0)
    qc.measure_all()
    job = provider.get_backend().run([qc] * count, shots=5)
    handle = job.ionq_jobs[0]
    # Wait through the client, so the handle still holds only the creation answer.
    deadline = time.monotonic() + 10
    while provider.client.get_job(handle.id)["status"] != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    job.cancel()
    assert handle.status == "completed"
    result = job.result()
    assert [result.get_counts(i) for i in range(count)] == [{"1": 5}] * count


def test_wait_for_final_state_keeps_to_the_timeout(provider: IonQProvider) -> None:
    # JobV1's version sleeps `wait` (5 s) between checks and overran a short timeout by as much.
    job = provider.get_backend("qpu.aria-1").run(wide(2), shots=10)
    start = time.monotonic()
    with pytest.raises(IonQJobTimeoutError) as caught:
        job.wait_for_final_state(timeout=0.2)
    assert time.monotonic() - start < 1.5
    assert isinstance(caught.value, QiskitJobTimeoutError)
    job.cancel()


def test_wait_for_final_state_polls_adaptively_with_qiskits_callback(
    provider: IonQProvider,
) -> None:
    calls: list[tuple[str, JobStatus, object]] = []
    job = provider.get_backend("qpu.aria-1").run(wide(2), shots=10)
    start = time.monotonic()
    job.wait_for_final_state(timeout=20, callback=lambda *args: calls.append(args))
    assert time.monotonic() - start < 4.5  # the job takes about 1 s; JobV1 slept 5 s per check
    assert job.status() is JobStatus.DONE
    assert calls and all(jid == job.job_id() and obj is job for jid, _, obj in calls)
    assert all(isinstance(status, JobStatus) for _, status, _ in calls)
    assert calls[-1][1] is JobStatus.DONE
