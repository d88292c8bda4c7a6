"""Simulations run in worker processes: HTTP answers while they run, cancel and stop end them,
and a job's results are the same bytes as an in-process simulation of its stored spec."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from emulator_support import GHZ_INPUT, TERMINAL, Api, circuit_job

from ionq_emulator import Emulator
from ionq_emulator.processes import default_workers
from ionq_emulator.simulation import simulate_job
from ionq_emulator.store import Store


def _endless_noisy_job() -> dict[str, Any]:
    """A noisy run of minutes in ONE Aer call (a million shots of a small circuit).

    One call holds the GIL from start to end: in the server's process it would freeze every
    answer for minutes, and it cannot stop between batches of shots (there is one batch).
    """
    ghz = [
        {"gate": "h", "targets": [0]},
        {"gate": "cnot", "controls": [0], "targets": [1]},
        {"gate": "cnot", "controls": [1], "targets": [2]},
    ]
    return circuit_job(ghz * 3, shots=1_000_000, noise={"model": "forte-1", "seed": 3})


def _small_noisy_job() -> dict[str, Any]:
    """A job that needs a worker (a small ideal one runs at once, in the server's process)."""
    return circuit_job([{"gate": "x", "targets": [0]}], shots=10, noise={"model": "aria-1"})


def _worker_pids(emu: Emulator) -> list[int]:
    service = emu._service
    assert service is not None
    return [p.pid for p in service.pool._processes if p.pid is not None]


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_http_answers_promptly_while_a_simulation_holds_aer() -> None:
    # Aer holds the GIL for most of this run: in the server's process, a status check sent
    # during it waited for about three quarters of the run (2.6 s of 3.5 s, measured).
    ghz = GHZ_INPUT["circuit"]
    body = circuit_job(ghz, qubits=3, shots=20_000, noise={"model": "forte-1", "seed": 3})
    with Emulator(workers=1) as emu:
        api = Api(emu)
        job_id = api.submit(body)
        slowest = 0.0
        while True:
            sent = time.monotonic()
            job = api.get(f"/jobs/{job_id}").json()
            slowest = max(slowest, time.monotonic() - sent)
            if job["status"] in TERMINAL:
                break
        assert job["status"] == "completed"
        run_seconds = job["execution_duration_ms"] / 1000
        assert slowest < max(0.25 * run_seconds, 0.2), (slowest, run_seconds)


def test_cancel_kills_the_running_simulation_and_frees_its_worker() -> None:
    with Emulator(workers=1) as emu:
        api = Api(emu)
        long_id = api.submit(_endless_noisy_job())
        api.wait(long_id, until={"started"}, timeout=60)
        (pid,) = _worker_pids(emu)
        assert pid != os.getpid() and _alive(pid)
        assert api.put(f"/jobs/{long_id}/status/cancel").json()["status"] == "canceled"
        # The one worker is free again: a small job completes instead of queueing for minutes.
        small = api.run(_small_noisy_job(), timeout=60)
        assert small["status"] == "completed"
        assert not _alive(pid)  # the canceled run's worker was killed, a new one runs jobs
        assert api.get(f"/jobs/{long_id}").json()["status"] == "canceled"


def test_canceling_a_multi_circuit_job_ends_the_run_its_children_share() -> None:
    endless = _endless_noisy_job()
    body = {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "shots": endless["shots"],
        "noise": endless["noise"],
        "input": {"gateset": "qis", "qubits": 3, "circuits": [endless["input"]] * 3},
    }
    with Emulator(workers=1) as emu:  # one worker: the three children are one run
        api = Api(emu)
        parent_id = api.submit(body)
        children = api.get(f"/jobs/{parent_id}").json()["child_job_ids"]
        for child_id in children:  # the whole run has started, in one worker
            api.wait(child_id, until={"started"}, timeout=60)
        (pid,) = _worker_pids(emu)
        assert api.put(f"/jobs/{parent_id}/status/cancel").json()["status"] == "canceled"
        small = api.run(_small_noisy_job(), timeout=60)
        assert small["status"] == "completed"
        assert not _alive(pid)
        statuses = [api.get(f"/jobs/{c}").json()["status"] for c in children]
        assert statuses == ["canceled"] * 3


def test_stop_kills_every_running_simulation(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    with Emulator(workers=2, db_path=db) as emu:
        api = Api(emu)
        ids = [api.submit(_endless_noisy_job()) for _ in range(2)]
        for job_id in ids:
            api.wait(job_id, until={"started"}, timeout=60)
        pids = _worker_pids(emu)
        assert len(pids) == 2 and all(_alive(p) for p in pids)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
    store = Store(db)
    try:
        # Stopped, not lost: both stay active and run again on the next start.
        assert [store.job_status(i) for i in ids] == ["started", "started"]
    finally:
        store.close()


def test_worker_count_defaults_to_the_cores_and_is_configurable() -> None:
    with Emulator() as emu:
        assert emu._service is not None and emu._service.pool.workers == default_workers()
    with Emulator(workers=3) as emu:
        assert emu._service is not None and emu._service.pool.workers == 3
        ids = [Api(emu).submit(circuit_job(GHZ_INPUT["circuit"], qubits=3)) for _ in range(6)]
        assert all(Api(emu).wait(i)["status"] == "completed" for i in ids)
    with pytest.raises(ValueError, match="at least 1"):
        Emulator(workers=0)


@pytest.mark.parametrize(
    "body",
    [
        circuit_job(GHZ_INPUT["circuit"], qubits=3),
        circuit_job(
            GHZ_INPUT["circuit"], qubits=5, shots=300, noise={"model": "aria-1", "seed": 9}
        ),
        circuit_job(
            [
                {"gate": "gpi2", "phase": 0.25, "targets": [0]},
                {"gate": "zz", "angle": 0.125, "targets": [0, 1]},
            ],
            gateset="native",
            shots=200,
            noise={"model": "forte-1", "seed": 4},
        ),
        {
            "type": "ionq.multi-circuit.v1",
            "backend": "simulator",
            "shots": 100,
            "noise": {"model": "harmony", "seed": 5},
            "input": {
                "gateset": "qis",
                "qubits": 2,
                "circuits": [
                    {"circuit": [{"gate": "h", "targets": [0]}]},
                    {"circuit": [{"gate": "rx", "rotation": 0.3, "targets": [1]}]},
                ],
            },
        },
        {  # quick circuits share Aer calls; the wide one in the middle runs alone
            "type": "ionq.multi-circuit.v1",
            "backend": "simulator",
            "input": {
                "gateset": "qis",
                "qubits": 3,
                "circuits": [
                    *(
                        {"circuit": [{"gate": "rx", "rotation": t / 7, "targets": [t % 3]}]}
                        for t in range(6)
                    ),
                    {"qubits": 13, "circuit": [{"gate": "h", "targets": [q]} for q in range(13)]},
                    *(
                        {
                            "circuit": [
                                *GHZ_INPUT["circuit"],
                                {"gate": "ry", "rotation": t / 5, "targets": [2]},
                            ]
                        }
                        for t in range(6)
                    ),
                ],
            },
        },
    ],
    ids=["ideal", "aria-1", "native-forte-1", "multi-harmony", "multi-ideal-sweep"],
)
def test_results_are_the_bytes_an_in_process_simulation_gives(
    api: Api, emulator: Emulator, body: dict[str, Any]
) -> None:
    job = api.run(body, timeout=60)
    assert job["status"] == "completed"
    ids = job["child_job_ids"] or [job["id"]]
    store = Store(emulator.db_path)
    try:
        for job_id in ids:
            row = store.get_job(job_id)
            assert row is not None
            expected = simulate_job(row.spec)
            for kind, result in expected.items():
                served = api.get(f"/jobs/{job_id}/results/{kind}")
                assert served.status_code == 200
                assert json.dumps(served.json()) == json.dumps(result)
    finally:
        store.close()


def _stored(
    store: Store, spec: dict[str, Any], *, backend: str = "simulator", **record: Any
) -> Any:
    from ionq_emulator.store import JobRow

    row = JobRow(
        id=str(uuid.uuid4()),
        type="ionq.circuit.v1",
        status="submitted",
        backend=backend,
        session_id=None,
        parent_id=None,
        submitted_at="2026-12-02T00:00:00Z",
        record=record,
        spec=spec,
    )
    store.insert_jobs([row])
    return row


def test_only_small_ideal_simulator_jobs_run_in_the_servers_process(tmp_path: Path) -> None:
    from ionq_emulator.worker import WorkerPool

    store = Store(tmp_path / "jobs.sqlite3")
    pool = WorkerPool(store, workers=1)  # never started: nothing but run_now runs a job
    ghz = {**GHZ_INPUT, "shots": 100, "noise_model": "ideal", "seed": None}
    try:
        slow = [
            _stored(store, {**ghz, "noise_model": "aria-1", "seed": 1}),
            _stored(store, ghz, backend="qpu.aria-1"),
            _stored(store, ghz, dry_run=True),
            _stored(store, {**ghz, "qubits": 13, "circuit": GHZ_INPUT["circuit"] * 5}),
        ]
        for row in slow:
            assert pool.run_now([row]) is None
            assert store.job_status(row.id) == "submitted"
        quick = _stored(store, ghz)
        ended = pool.run_now([quick])
        assert ended is not None
        assert store.job_status(quick.id) == "submitted"  # the changes are the caller's to store
        store.set_statuses(ended)
        done = store.get_job(quick.id)
        assert done is not None and done.status == "completed"
        assert done.started_at is not None and done.completed_at is not None
        assert store.get_result(quick.id, "probabilities") == simulate_job(ghz)["probabilities"]
        outside = _stored(store, {**ghz, "circuit": [{"gate": "h", "targets": [5]}]})
        ended = pool.run_now([outside])  # quick, and fails as a worker's run of it would
        assert ended is not None
        store.set_statuses(ended)
        failed = store.get_job(outside.id)
        assert failed is not None and failed.status == "failed"
        assert failed.failure is not None and failed.failure["code"] == "InvalidInput"
    finally:
        pool.stop()
        store.close()


def test_a_quick_multi_circuit_job_ends_with_its_children(tmp_path: Path) -> None:
    from ionq_emulator.store import JobRow
    from ionq_emulator.worker import WorkerPool

    store = Store(tmp_path / "jobs.sqlite3")
    pool = WorkerPool(store, workers=1)  # never started
    ghz = {**GHZ_INPUT, "shots": 100, "noise_model": "ideal", "seed": None}
    outside = {**ghz, "circuit": [{"gate": "h", "targets": [5]}]}

    def row(job_id: str, spec: dict[str, Any], parent: str | None, kind: str) -> JobRow:
        return JobRow(job_id, kind, "submitted", "simulator", None, parent, "t", {}, spec)

    try:
        for specs, status in (([ghz, ghz], "completed"), ([ghz, outside], "failed")):
            parent = str(uuid.uuid4())
            rows = [row(parent, {}, None, "ionq.multi-circuit.v1")]
            rows += [row(str(uuid.uuid4()), s, parent, "ionq.circuit.v1") for s in specs]
            ended = pool.run_now(rows)
            assert ended is not None
            store.insert_jobs(rows, then=ended)
            done = store.get_job(parent)
            assert done is not None and done.status == status
            children = [store.get_job(r.id) for r in rows[1:]]
            assert done.started_at is not None and done.completed_at is not None
            assert done.execution_duration_ms == sum(
                c.execution_duration_ms or 0 for c in children if c is not None
            )
            if status == "failed":
                assert done.failure is not None
                assert done.failure["message"].startswith(f"Circuit 1 (job {rows[2].id}) failed")
    finally:
        pool.stop()
        store.close()


def test_a_small_ideal_job_has_ended_when_its_post_is_answered(api: Api) -> None:
    job_id = api.submit(circuit_job(GHZ_INPUT["circuit"], qubits=3))
    job = api.get(f"/jobs/{job_id}").json()  # the first check: no waiting
    assert job["status"] == "completed"
    assert job["started_at"] is not None and job["execution_duration_ms"] is not None
