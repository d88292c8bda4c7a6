"""``kill -9`` of ``serve`` at random moments, restarted on the same database: nothing is lost
or corrupted.

While clients submit jobs (ideal, noisy, multi-circuit, emulated QPU), the server process is
killed without warning, then started again on the same SQLite file. Afterwards every job the
server acknowledged (a 201) exists, every one completes, each result is the bytes an
in-process simulation of the job's stored spec gives, the database passes SQLite's integrity
check, and no simulation worker outlives the server it belonged to.

Slow (``python -m pytest -m slow tests/reliability``); loopback only, bounded rounds.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from emulator_support import GHZ_INPUT, TERMINAL, circuit_job, free_port

from ionq_emulator.simulation import simulate_job
from ionq_emulator.store import Store

KEY = "crash-test-key"
ROUNDS = 8
CLIENTS = 3
_SEED = 20261201


def _bodies() -> list[dict[str, Any]]:
    ghz = GHZ_INPUT["circuit"]
    return [
        circuit_job(ghz, qubits=3),
        circuit_job(ghz, qubits=3, shots=2000, noise={"model": "aria-1", "seed": 11}),
        circuit_job(ghz * 4, qubits=3, shots=20_000, noise={"model": "forte-1", "seed": 5}),
        {
            "type": "ionq.multi-circuit.v1",
            "backend": "simulator",
            "shots": 500,
            "noise": {"model": "harmony", "seed": 2},
            "input": {
                "gateset": "qis",
                "qubits": 3,
                "circuits": [{"circuit": ghz}, {"circuit": [{"gate": "x", "targets": [1]}]}],
            },
        },
        circuit_job(ghz, qubits=3, backend="qpu.aria-1", shots=100),
    ]


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{current}/task/{task}/children").read_text()
            except OSError:
                continue
            for child in map(int, text.split()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class Server:
    """``serve`` in a child process on a fixed port and database."""

    def __init__(self, port: int, db: Path) -> None:
        self.port, self.db = port, db
        self.url = f"http://127.0.0.1:{port}/v0.4"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        code = (
            "from ionq_emulator import serve; "
            f"serve(port={self.port}, db_path={str(self.db)!r}, api_keys=[{KEY!r}], "
            "qpu_delay=0.2, workers=2)"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/backends", timeout=2)
                return
            except requests.ConnectionError:
                assert self.proc.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.05)

    def kill(self) -> set[int]:
        """``kill -9`` the server; returns the helper processes it had."""
        assert self.proc is not None
        helpers = _descendants(self.proc.pid)
        self.proc.kill()
        self.proc.wait(10)
        return helpers


def _client(server: Server, stop: threading.Event, acked: list[str], lock: threading.Lock) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"apiKey {KEY}"
    bodies = _bodies()
    n = 0
    while not stop.is_set():
        body = bodies[n % len(bodies)]
        n += 1
        try:
            response = session.post(server.url + "/jobs", json=body, timeout=10)
        except requests.RequestException:
            time.sleep(0.05)  # the server is down or being killed: no acknowledgement
            continue
        if response.status_code == 201:
            with lock:
                acked.append(response.json()["id"])
        stop.wait(0.1)  # a steady stream, not a flood: the point is where the kills land


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_kill_9_at_random_moments_loses_and_corrupts_nothing(tmp_path: Path) -> None:
    rng = random.Random(_SEED)
    db = tmp_path / "crash.sqlite3"
    server = Server(free_port(), db)
    acked: list[str] = []
    lock = threading.Lock()
    orphans: list[int] = []
    for _ in range(ROUNDS):
        server.start()
        stop = threading.Event()
        clients = [
            threading.Thread(target=_client, args=(server, stop, acked, lock))
            for _ in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        time.sleep(rng.uniform(0.3, 2.5))
        helpers = server.kill()  # while clients send and workers simulate
        stop.set()
        for thread in clients:
            thread.join(30)
        deadline = time.monotonic() + 10
        while any(_running(p) for p in helpers) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans += [p for p in helpers if _running(p)]

    server.start()  # the last restart: everything acknowledged must now finish
    session = requests.Session()
    session.headers["Authorization"] = f"apiKey {KEY}"
    try:
        deadline = time.monotonic() + 600
        records: dict[str, Any] = {}
        for job_id in acked:
            while True:
                response = session.get(f"{server.url}/jobs/{job_id}", timeout=10)
                assert response.status_code == 200, (job_id, response.text)  # not lost
                record = response.json()
                if record["status"] in TERMINAL:
                    break
                assert time.monotonic() < deadline, f"{job_id} stuck in {record['status']}"
                time.sleep(0.05)
            records[job_id] = record
        results = {
            job_id: {
                kind: session.get(f"{server.url}/jobs/{job_id}/results/{kind}", timeout=30)
                for kind in ("probabilities", "histogram", "shots")
            }
            for job_id, record in records.items()
            if record["type"] == "ionq.circuit.v1" and record["backend"] == "simulator"
        }
    finally:
        server.kill()

    assert not orphans, f"simulation workers outlived a killed server: {orphans}"
    assert len(acked) == len(set(acked)) and len(acked) > 10 * ROUNDS
    assert {r["status"] for r in records.values()} == {"completed"}
    check = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"
    store = Store(db)
    try:
        for job_id, served in results.items():  # every simulator result is intact
            row = store.get_job(job_id)
            assert row is not None
            expected = simulate_job(row.spec)
            for kind, response in served.items():
                if kind in expected:
                    assert response.status_code == 200
                    assert json.dumps(response.json()) == json.dumps(expected[kind]), job_id
    finally:
        store.close()
    print(
        f"\ncrash: {ROUNDS} kill -9s, {len(acked)} jobs acknowledged, all present and "
        f"completed, {len(results)} simulator results byte-identical, integrity ok, 0 orphans"
    )
