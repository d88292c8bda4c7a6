"""Session: limits checked early, runs inside the block join it, the block's end ends it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from qiskit import QuantumCircuit

import ionq_direct
from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider, Session
from qiskit_ionq_direct.session import active_session


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator(qpu_delay=0.5) as emu:
        yield IonQProvider(emu.api_key, emu.url)


def one_x() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.x(0)
    qc.measure(0, 0)
    return qc


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        ({"max_jobs": 0}, "max_jobs"),
        ({"max_jobs": 1.5}, "max_jobs"),
        ({"max_time": -1}, "max_time"),
        ({"max_time": True}, "max_time"),
        ({"max_cost": 0}, "max_cost"),
        ({"max_cost": float("inf")}, "max_cost"),
        ({"max_cost": "lots"}, "max_cost"),
    ],
)
def test_bad_limits_are_refused_before_any_request(limits: dict[str, object], match: str) -> None:
    backend = IonQProvider(client=Client("key", "http://127.0.0.1:9/v0.4", max_retries=0))
    with pytest.raises(InvalidInputError, match=match):
        Session(backend.get_backend("qpu.aria-1"), **limits)  # type: ignore[arg-type]


def test_limits_are_sent_as_ionq_settings(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    session = Session(backend, max_jobs=3, max_time=5, max_cost="12.5")
    settings = session.details()["settings"]
    assert settings["job_count_limit"] == 3 and settings["duration_limit_min"] == 5
    assert settings["cost_limit"] == {"unit": "usd", "value": 12.5}
    session.close()
    assert session.status() == "ended"


def test_only_runs_inside_the_block_on_that_backend_join(provider: IonQProvider) -> None:
    aria, forte = provider.get_backend("qpu.aria-1"), provider.get_backend("qpu.forte-1")
    client = aria.client
    with Session(aria, max_jobs=5) as session:
        assert active_session(aria) is session and active_session(forte) is None
        inside = aria.run(one_x(), shots=10)
        elsewhere = forte.run(one_x(), shots=10)  # another QPU: not the session's
        seen: list[object] = []
        thread = threading.Thread(target=lambda: seen.append(active_session(aria)))
        thread.start()
        thread.join()
        assert seen == [None]  # a thread started here does not inherit the block
        inside.result()
    after = aria.run(one_x(), shots=10)
    assert client.get_job(inside.job_id())["session_id"] == session.session_id
    assert client.get_job(elsewhere.job_id())["session_id"] is None
    assert client.get_job(after.job_id())["session_id"] is None
    assert client.get_session(session.session_id)["status"] == "ended"


def test_an_error_in_the_block_cancels_its_unfinished_jobs(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    with pytest.raises(RuntimeError, match="stop"), Session(backend) as session:
        job = backend.run(one_x(), shots=10)
        raise RuntimeError("stop")
    assert job.status().name == "CANCELLED"
    assert backend.client.get_session(session.session_id)["status"] == "ended"


def test_from_id_checks_the_session_exists(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    with pytest.raises(ionq_direct.NotFoundError):
        Session.from_id("00000000-0000-0000-0000-000000000000", backend=backend)
    with pytest.raises(InvalidInputError, match="create_new=True"):
        Session(backend, create_new=False)
