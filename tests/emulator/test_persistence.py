"""A restart on the same database keeps jobs, results and sessions, and re-runs interrupted jobs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from emulator_support import GHZ_INPUT, Api, circuit_job

from ionq_emulator import Emulator

KEY = "persistent-key"


def test_restart_keeps_jobs_results_and_sessions(tmp_path: Path) -> None:
    db = tmp_path / "emu.sqlite3"
    with Emulator(api_key=KEY, db_path=db) as emu:
        api = Api(emu)
        session = api.post("/sessions", json={"backend": "simulator"}).json()
        job = api.run(circuit_job(GHZ_INPUT["circuit"], qubits=3, session_id=session["id"]))
        probs = api.get(f"/jobs/{job['id']}/results/probabilities").json()
        listing = api.get("/jobs").json()
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with Emulator(api_key=KEY, db_path=db) as emu:
        api = Api(emu)
        assert api.get(f"/jobs/{job['id']}").json() == job
        assert api.get(f"/jobs/{job['id']}/results/probabilities").json() == probs
        assert api.get("/jobs").json() == listing
        assert api.get(f"/sessions/{session['id']}").json()["id"] == session["id"]


def test_job_interrupted_mid_run_completes_after_restart(tmp_path: Path) -> None:
    db = tmp_path / "emu.sqlite3"
    body = circuit_job([{"gate": "x", "targets": [0]}], backend="qpu.forte-1", shots=30)
    with Emulator(api_key=KEY, db_path=db, qpu_delay=1.0, workers=1) as emu:
        api = Api(emu)
        running = api.submit(body)
        queued = api.submit(body)
        api.wait(running, until={"started"}, timeout=15)
        assert api.get(f"/jobs/{queued}").json()["status"] == "submitted"
    with Emulator(api_key=KEY, db_path=db) as emu:
        api = Api(emu)
        for job_id in (running, queued):
            job = api.wait(job_id, timeout=30)
            assert job["status"] == "completed", job
            # forte-1's noise model runs unseeded here: about one such job in 400 reads a
            # shot of the 30 as 0, so the X is checked as the outcome nearly every shot reads.
            probs = api.get(f"/jobs/{job_id}/results/probabilities").json()
            assert set(probs) <= {"0", "1"} and abs(sum(probs.values()) - 1) < 1e-9, probs
            assert probs["1"] >= 0.9, probs


def test_a_started_row_written_by_a_dead_process_is_rerun(tmp_path: Path) -> None:
    db = tmp_path / "emu.sqlite3"
    with Emulator(api_key=KEY, db_path=db) as emu:
        job = Api(emu).run(circuit_job([{"gate": "x", "targets": [0]}]))
    with sqlite3.connect(db) as conn:  # pretend the process died mid-run
        conn.execute(
            "UPDATE jobs SET status = 'started', completed_at = NULL WHERE id = ?", (job["id"],)
        )
        conn.execute("DELETE FROM results WHERE job_id = ?", (job["id"],))
    with Emulator(api_key=KEY, db_path=db) as emu:
        api = Api(emu)
        rerun = api.wait(job["id"])
        assert rerun["status"] == "completed"
        assert api.get(f"/jobs/{job['id']}/results/probabilities").json() == {"1": 1.0}
