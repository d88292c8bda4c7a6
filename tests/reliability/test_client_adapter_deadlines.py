"""The adapters' timeouts ride on the core deadline: they end on time, whatever the server does.

Qiskit ``result(timeout=)`` and ``wait_for_final_state(timeout=)`` and the Cirq sampler's
``timeout`` each bound their whole wait, status requests included, against a job that stays
queued on the emulator and against a black hole that never answers a status check.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from core_support import API_KEY, LoopbackServer

from ionq_direct import Client, Job, JobTimeoutError
from ionq_direct.emulator import Emulator

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def slow_qpu() -> Iterator[Emulator]:
    """An emulator whose QPU jobs stay queued for a minute."""
    with Emulator(qpu_delay=60.0) as emu:
        yield emu


@pytest.fixture
def black_hole() -> Iterator[LoopbackServer]:
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket) -> None:
        holder[0].stopping.wait()

    server = LoopbackServer(handle)
    holder.append(server)
    yield server
    server.stop()


def test_qiskit_result_timeout_holds_on_a_queued_job(slow_qpu: Emulator) -> None:
    qiskit = pytest.importorskip("qiskit")
    from qiskit_ionq_direct import IonQProvider

    circuit = qiskit.QuantumCircuit(1, 1)
    circuit.h(0)
    circuit.measure(0, 0)
    provider = IonQProvider(slow_qpu.api_key, slow_qpu.url)
    job = provider.get_backend("qpu.aria-1").run(circuit, shots=10)
    started = time.monotonic()
    with pytest.raises(qiskit.providers.JobTimeoutError):
        job.result(timeout=1.0)
    with pytest.raises(qiskit.providers.JobTimeoutError):
        job.wait_for_final_state(timeout=0.5)
    assert time.monotonic() - started < 3.5


def test_qiskit_result_timeout_holds_against_a_black_hole(
    slow_qpu: Emulator, black_hole: LoopbackServer
) -> None:
    # Submitted on the emulator; its status is then asked of a server that never answers.
    qiskit = pytest.importorskip("qiskit")
    from qiskit_ionq_direct import IonQJob, IonQProvider

    circuit = qiskit.QuantumCircuit(1, 1)
    circuit.x(0)
    circuit.measure(0, 0)
    backend = IonQProvider(slow_qpu.api_key, slow_qpu.url).get_backend("qpu.aria-1")
    submitted = backend.run(circuit, shots=10).ionq_jobs[0]
    unreachable = Job(Client(API_KEY, black_hole.url), submitted.id, {"id": submitted.id})
    job = IonQJob(backend, [unreachable])
    started = time.monotonic()
    with pytest.raises(qiskit.providers.JobTimeoutError):
        job.result(timeout=1.0)
    assert time.monotonic() - started < 3.0


def test_cirq_sampler_timeout_holds_on_a_queued_job(slow_qpu: Emulator) -> None:
    cirq = pytest.importorskip("cirq")
    from cirq_ionq_direct import Sampler

    qubit = cirq.LineQubit(0)
    circuit = cirq.Circuit(cirq.H(qubit), cirq.measure(qubit, key="m"))
    sampler = Sampler(Client(slow_qpu.api_key, slow_qpu.url), "qpu.aria-1", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(JobTimeoutError):
        sampler.run(circuit, repetitions=10)
    assert time.monotonic() - started < 3.5
