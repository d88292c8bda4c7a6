"""N concurrent clients x M jobs against one emulator: none lost, none duplicated.

Each client submits its jobs one after another and waits for each; afterwards the listing holds
exactly the jobs acknowledged, each once (by id and by its unique name), all completed. The
figures (jobs/s, p50/p99 submit-to-completed latency) are printed with ``-s``.

Slow (``python -m pytest -m slow -s tests/reliability``); loopback only, bounded counts.
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections import Counter

import pytest
from emulator_support import GHZ_INPUT, TERMINAL, Api, circuit_job

from ionq_emulator import Emulator

PLAN = [(1, 20), (5, 10), (20, 5), (50, 2)]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


@pytest.mark.slow
@pytest.mark.parametrize(("clients", "per_client"), PLAN)
def test_concurrent_clients_lose_and_duplicate_nothing(clients: int, per_client: int) -> None:
    with Emulator() as emu:
        acked: list[str] = []
        latencies: list[float] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def client(index: int) -> None:
            api = Api(emu)
            try:
                for n in range(per_client):
                    body = circuit_job(
                        GHZ_INPUT["circuit"],
                        qubits=3,
                        shots=500,
                        noise={"model": "aria-1", "seed": n},
                        name=f"client {index} job {n}",
                    )
                    start = time.monotonic()
                    job_id = api.submit(body)
                    with lock:
                        acked.append(job_id)
                    while api.get(f"/jobs/{job_id}").json()["status"] not in TERMINAL:
                        time.sleep(0.01)
                    with lock:
                        latencies.append(time.monotonic() - start)
            except BaseException as exc:
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        wall = time.monotonic() - start
        assert not errors, errors[0]
        total = clients * per_client
        assert len(acked) == total and len(set(acked)) == total

        api = Api(emu)
        listed = api.get("/jobs", params={"limit": 1000}).json()["jobs"]
        assert {j["id"] for j in listed} == set(acked)  # none lost, none extra
        assert set(Counter(j["name"] for j in listed).values()) == {1}  # none duplicated
        assert {j["status"] for j in listed} == {"completed"}
        print(
            f"\nload: {clients} clients x {per_client} jobs: {total / wall:.1f} jobs/s, "
            f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {_percentile(latencies, 99) * 1000:.0f} ms, 0 lost, 0 duplicated"
        )
