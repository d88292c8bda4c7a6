"""Job lifecycle on a QPU with delays: statuses, cancel (queued, running, finished), delete."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from emulator_support import Api, circuit_job

from ionq_emulator import Emulator

DELAY = 0.4


@pytest.fixture(scope="module")
def slow() -> Iterator[Api]:
    with Emulator(qpu_delay=DELAY, workers=2) as emu:
        yield Api(emu)


def _qpu_job(**extra: object) -> dict[str, object]:
    return circuit_job([{"gate": "h", "targets": [0]}], backend="qpu.forte-1", shots=50, **extra)


def test_qpu_job_walks_through_every_status(slow: Api) -> None:
    job_id = slow.submit(_qpu_job())
    seen: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = slow.get(f"/jobs/{job_id}").json()
        if not seen or seen[-1] != job["status"]:
            seen.append(job["status"])
        if job["status"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    assert seen[-1] == "completed", seen
    assert [s for s in ("ready", "started", "completed") if s in seen] == [
        "ready",
        "started",
        "completed",
    ]
    assert job["execution_duration_ms"] >= DELAY * 1000 * 0.8
    assert job["started_at"] <= job["completed_at"]
    assert job["predicted_wait_time_ms"] == int(DELAY * 1000)


def test_cancel_a_queued_job(slow: Api) -> None:
    job_id = slow.submit(_qpu_job())
    answer = slow.put(f"/jobs/{job_id}/status/cancel")
    assert answer.status_code == 200
    assert answer.json() == {"id": job_id, "status": "canceled"}
    time.sleep(DELAY * 2.5)
    job = slow.get(f"/jobs/{job_id}").json()
    assert job["status"] == "canceled" and job["results"] is None
    cost = slow.get(f"/jobs/{job_id}/cost").json()
    assert cost["cost"]["value"] == 0


def test_cancel_a_running_job_discards_its_result(slow: Api) -> None:
    job_id = slow.submit(_qpu_job())
    slow.wait(job_id, until={"started"}, timeout=10)
    assert slow.put(f"/jobs/{job_id}/status/cancel").json()["status"] == "canceled"
    time.sleep(DELAY * 2)
    assert slow.get(f"/jobs/{job_id}").json()["status"] == "canceled"
    assert slow.get(f"/jobs/{job_id}/results/probabilities").status_code == 404


def test_cancel_of_a_finished_job_changes_nothing(slow: Api) -> None:
    job = slow.run(circuit_job([{"gate": "x", "targets": [0]}]))
    assert job["status"] == "completed"
    answer = slow.put(f"/jobs/{job['id']}/status/cancel").json()
    assert answer == {"id": job["id"], "status": "completed"}
    assert slow.get(f"/jobs/{job['id']}/results/probabilities").status_code == 200


def test_bulk_cancel(slow: Api) -> None:
    ids = [slow.submit(_qpu_job()) for _ in range(3)]
    answer = slow.put("/jobs/status/cancel", json={"ids": [*ids, "unknown"]}).json()
    assert answer == {"ids": ids, "status": "canceled"}
    for job_id in ids:
        assert slow.get(f"/jobs/{job_id}").json()["status"] == "canceled"
    bad = slow.put("/jobs/status/cancel", json={"ids": "x"})
    assert bad.status_code == 400 and bad.json()["validation"]["keys"] == ["ids"]


def test_delete_removes_the_job_and_its_results(slow: Api) -> None:
    job = slow.run(circuit_job([{"gate": "x", "targets": [0]}]))
    assert slow.delete(f"/jobs/{job['id']}").json() == {"id": job["id"], "status": "deleted"}
    assert slow.get(f"/jobs/{job['id']}").status_code == 404
    assert slow.get(f"/jobs/{job['id']}/results/probabilities").status_code == 404
    assert slow.delete(f"/jobs/{job['id']}").status_code == 404
    listed = slow.get("/jobs", params={"ids": job["id"]}).json()["jobs"]
    assert listed == []


def test_delete_a_running_job(slow: Api) -> None:
    job_id = slow.submit(_qpu_job())
    slow.wait(job_id, until={"started"}, timeout=10)
    assert slow.delete(f"/jobs/{job_id}").status_code == 200
    time.sleep(DELAY * 2)
    assert slow.get(f"/jobs/{job_id}").status_code == 404


#: A multi-circuit job of three one-gate circuits on an emulated QPU (slow enough to catch).
THREE_CHILD_QPU_JOB = {
    "type": "ionq.multi-circuit.v1",
    "backend": "qpu.forte-1",
    "shots": 20,
    "input": {"gateset": "qis", "circuits": [{"circuit": [{"gate": "x", "targets": [0]}]}] * 3},
}


def test_bulk_delete(slow: Api) -> None:
    ids = [
        slow.submit(circuit_job([{"gate": "x", "targets": [0]}], dry_run=True)) for _ in range(2)
    ]
    answer = slow.request("DELETE", "/jobs", json={"ids": [*ids, "missing"]}).json()
    assert answer == {"ids": ids, "status": "deleted"}
    assert all(slow.get(f"/jobs/{i}").status_code == 404 for i in ids)


def test_cancel_a_multi_circuit_parent_cancels_its_children(slow: Api) -> None:
    parent_id = slow.submit(THREE_CHILD_QPU_JOB)
    assert slow.put(f"/jobs/{parent_id}/status/cancel").json()["status"] == "canceled"
    parent = slow.get(f"/jobs/{parent_id}").json()
    for child_id in parent["child_job_ids"]:
        assert slow.get(f"/jobs/{child_id}").json()["status"] == "canceled"


def test_deleting_the_last_running_child_lets_its_parent_end(slow: Api) -> None:
    parent_id = slow.submit(THREE_CHILD_QPU_JOB)
    children = slow.get(f"/jobs/{parent_id}").json()["child_job_ids"]
    for child_id in children[:2]:  # two workers: the third child waits for one of these
        slow.wait(child_id)
    slow.wait(children[2], until={"ready", "started"})
    assert slow.delete(f"/jobs/{children[2]}").status_code == 200
    parent = slow.wait(parent_id, timeout=5)
    assert parent["status"] == "completed"
    aggregated = slow.get(f"/jobs/{parent_id}/results/probabilities/aggregated").json()
    assert list(aggregated) == children[:2]
