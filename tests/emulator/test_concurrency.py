"""Twenty clients submitting two hundred jobs at once: none lost, none duplicated."""

from __future__ import annotations

import threading
from collections import Counter

from emulator_support import Api, circuit_job

from ionq_direct.emulator import Emulator

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
