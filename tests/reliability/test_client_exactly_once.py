"""One ``submit()`` makes one job even when the server stores it slower than the read timeout.

The emulator is real HTTP on loopback; the job is a big, valid dry run (parsed, validated and
stored like any job, but not simulated), so storing it takes longer than the client's 0.5 s
read timeout: the POST fails ambiguously while the job is still being written.
"""

from __future__ import annotations

import time

import pytest

from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.metadata import CLIENT_TOKEN_KEY

#: Gates in the big job: several MB of JSON, which the emulator takes over a second to store.
BIG_GATES = 100_000


def big_job() -> dict[str, object]:
    gates = [
        {"gate": "rz", "target": i % 2, "rotation": 0.1234567890123 + i * 1e-9}
        for i in range(BIG_GATES)
    ]
    return {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": 100,
        "dry_run": True,
        "input": {"qubits": 2, "gateset": "qis", "circuit": gates},
    }


@pytest.mark.slow
def test_a_post_slower_than_the_read_timeout_makes_exactly_one_job() -> None:
    payload = big_job()
    with Emulator() as emu:
        probe = Client(emu.api_key, emu.url)
        started = time.monotonic()
        probe.submit(payload)
        stored_in = time.monotonic() - started
        assert stored_in > 0.5, "the job must take longer to store than the read timeout"

        client = Client(emu.api_key, emu.url, timeout=(5, 0.5))
        jobs = [client.submit(payload) for _ in range(3)]
        listed = [j for j in probe.list_jobs() if not j.get("parent_job_id")]
    # The probe's job plus one per submit() call, never more.
    assert len(listed) == 4
    tokens = [j["metadata"][CLIENT_TOKEN_KEY] for j in listed]
    assert len(set(tokens)) == 4
    assert {job.id for job in jobs} <= {j["id"] for j in listed}
