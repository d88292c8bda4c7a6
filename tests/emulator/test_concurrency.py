"""Twenty clients submitting two hundred jobs at once: none lost, none duplicated."""

from __future__ import annotations

import threading
import time
from collections import Counter

from emulator_support import Api, circuit_job

from ionq_emulator import Emulator

CLIENTS = 20
PER_CLIENT = 10


def test_concurrent_submissions_are_all_stored_once() -> None:
    with Emulator(workers=2) as emu:
        created: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def client(index: int) -> None:
            api = Api(emu)
            try:
                for n in range(PER_CLIENT):
                    body = circuit_job(
                        [{"gate": "x", "targets": [n % 3]}],
                        qubits=3,
                        name=f"client {index} job {n}",
                    )
                    job_id = api.submit(body)
                    with lock:
                        created.append(job_id)
            except BaseException as exc:
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors[0]
        assert len(created) == CLIENTS * PER_CLIENT
        assert len(set(created)) == len(created)

        api = Api(emu)
        listed = api.get("/jobs", params={"limit": 1000}).json()
        names = Counter(j["name"] for j in listed["jobs"])
        assert len(listed["jobs"]) == CLIENTS * PER_CLIENT and listed["next"] is None
        assert {j["id"] for j in listed["jobs"]} == set(created)
        assert all(count == 1 for count in names.values())
        for job_id in created:
            assert api.wait(job_id, timeout=60)["status"] == "completed"


def _long_noisy_job() -> dict[str, object]:
    """A noisy simulation of several seconds (many batches of shots on 16 qubits)."""
    width = 16
    layer = [{"gate": "h", "targets": [q]} for q in range(width)] + [
        {"gate": "cnot", "controls": [q], "targets": [q + 1]} for q in range(width - 1)
    ]
    return circuit_job(layer * 3, shots=4000, noise={"model": "aria-1", "seed": 1})


def test_a_canceled_simulation_frees_the_simulator_for_the_next_job() -> None:
    with Emulator(workers=2) as emu:
        api = Api(emu)
        long_id = api.submit(_long_noisy_job())
        api.wait(long_id, until={"started"})
        started = time.monotonic()
        assert api.get(f"/jobs/{long_id}").status_code == 200
        assert time.monotonic() - started < 1.0  # status answers while it simulates
        assert api.put(f"/jobs/{long_id}/status/cancel").json()["status"] == "canceled"
        small = api.run(circuit_job([{"gate": "x", "targets": [0]}]), timeout=30)
        assert small["status"] == "completed"
        assert time.monotonic() - started < 3.0  # not queued behind the canceled run


def test_stopping_mid_simulation_is_prompt_and_the_next_emulator_runs_at_once() -> None:
    with Emulator(workers=2) as emu:
        api = Api(emu)
        api.wait(api.submit(_long_noisy_job()), until={"started"})
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 3.0
    with Emulator(workers=2) as emu:
        started = time.monotonic()
        assert Api(emu).run(circuit_job([{"gate": "x", "targets": [0]}]))["status"] == "completed"
        assert time.monotonic() - started < 3.0
