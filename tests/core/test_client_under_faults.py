"""The client end to end against the embedded emulator answering with 429s, 503s and drops."""

from __future__ import annotations

from collections import Counter

import pytest

from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.policy import Policy

BELL = [{"gate": "h", "target": 0}, {"gate": "cnot", "control": 0, "target": 1}]
SINGLE = {
    "type": "ionq.circuit.v1",
    "backend": "simulator",
    "shots": 300,
    "metadata": {"ionq_direct_seed": "7"},
    "input": {"qubits": 2, "gateset": "qis", "circuit": BELL},
}
MULTI = {
    "type": "ionq.multi-circuit.v1",
    "backend": "simulator",
    "shots": 200,
    "noise": {"model": "aria-1", "seed": 3},
    "input": {
        "qubits": 2,
        "gateset": "qis",
        "circuits": [
            {"circuit": [{"gate": "x", "target": 0}]},
            {"circuit": [{"gate": "x", "target": 1}]},
        ],
    },
}


def test_each_submission_under_faults_is_one_job_with_right_results() -> None:
    # Retry delays are cut to a millisecond (the emulator does not enforce its Retry-After: 1);
    # polling is real. Drops run the request and cut the answer, so POSTs must reconcile, not
    # resubmit; an injected 503 is answered before the job is stored, so a short settle window
    # is enough to prove it absent.
    quick = Policy(
        backoff_initial=0.001, backoff_max=0.001, retry_after_max=0.0, reconcile_settle_min=0.2
    )
    with Emulator(faults="429=0.1,503=0.1,drop=0.15", fault_seed=1) as emu:
        client = Client(api_key=emu.api_key, base_url=emu.url, max_retries=10, policy=quick)
        jobs = [client.submit(p) for p in (SINGLE, MULTI, SINGLE, MULTI)]
        for job in jobs:
            assert job.wait(timeout=60).status == "completed"
        listed = list(client.list_jobs())
        assert emu.faults is not None
        assert emu.faults.counts["drop"] > 0
        top = [j for j in listed if not j.get("parent_job_id")]
        assert sorted(j["id"] for j in top) == sorted(job.id for job in jobs)
        assert Counter(j["type"] for j in top) == {"ionq.circuit.v1": 2, "ionq.multi-circuit.v1": 2}
        assert len(listed) == 2 + 2 * 3

        single = jobs[0]
        assert single.probabilities() == pytest.approx({0: 0.5, 3: 0.5})
        counts = single.counts()
        assert sum(counts.values()) == 300
        assert set(counts) == {0, 3}
        memory = single.memory()
        assert Counter(memory) == counts  # seeded from metadata: memory and counts agree

        multi = jobs[1]
        children = multi.children()
        assert [c.id for c in children] == multi.record["child_job_ids"]
        firsts = [max(child.counts(), key=child.counts().get) for child in children]
        assert firsts == [1, 2]  # input order: x on qubit 0 is outcome 1, on qubit 1 outcome 2
        for child in children:
            assert sum(child.counts().values()) == 200
            assert len(child.memory()) == 200
