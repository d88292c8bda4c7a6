"""``Job``: status without surprises, waiting, results, failures, and multi-circuit children."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest
import requests_mock
from core_support import BASE, FakeTime, make_client, query

from ionq_direct import (
    InvalidInputError,
    Job,
    JobFailedError,
    JobNotDoneError,
    JobTimeoutError,
    results,
)
from ionq_direct._constants import POLL_FLOOR
from ionq_direct.metadata import SEED_METADATA_KEY

PROBS = {"0": 0.3333, "1": 0.3333, "3": 0.3334}


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "j1",
        "status": "completed",
        "type": "ionq.circuit.v1",
        "backend": "qpu.aria-1",
        "shots": 100,
        "metadata": None,
        "failure": None,
        "child_job_ids": None,
        "results": {"probabilities": {"url": "/v0.4/jobs/j1/results/probabilities"}},
    }
    base.update(overrides)
    return base


def job_with(rec: dict[str, Any], fake: FakeTime | None = None) -> Job:
    return Job(make_client(policy=None if fake is None else fake.policy), rec["id"], rec)


# Status -------------------------------------------------------------------------------


def test_status_is_the_last_known_one_and_never_touches_the_network() -> None:
    with requests_mock.Mocker() as m:
        assert Job(make_client(), "j9").status == "unknown"
        assert job_with(record(status=None)).status == "unknown"
        job = job_with(record(status="ready"))
        assert job.status == "ready"
        assert not job.done
        assert m.call_count == 0
    assert repr(job) == "Job(id='j1', status='ready')"


def test_refresh_refetches_the_record() -> None:
    job = job_with(record(status="ready"))
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json=record(status="completed"))
        assert job.refresh() is job
    assert job.status == "completed"
    assert job.done
    assert job.record["backend"] == "qpu.aria-1"


def test_wait_polls_until_terminal_and_calls_back(fake_time: FakeTime) -> None:
    seen: list[str] = []
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", status_code=201, json={"id": "j1", "status": "submitted"})
        m.get(
            f"{BASE}/jobs/j1",
            [
                {"json": record(status="ready")},
                {"json": record(status="started")},
                {"json": record(status="completed")},
            ],
        )
        client = make_client(policy=fake_time.policy)
        job = client.submit({"type": "ionq.circuit.v1", "backend": "qpu.aria-1"})
        assert job.status == "submitted"
        assert job.wait(timeout=60, callback=lambda j: seen.append(j.status)) is job
    assert seen == ["ready", "started", "completed"]
    assert job.status == "completed"
    # The first check at once; the mock answers in no time, so the pauses are the floor.
    assert fake_time.sleeps == pytest.approx([POLL_FLOOR, POLL_FLOOR])


def test_wait_times_out(fake_time: FakeTime) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json=record(status="started"))
        with pytest.raises(JobTimeoutError, match="j1"):
            job_with(record(status="ready"), fake_time).wait(timeout=3)
    assert sum(fake_time.sleeps) == pytest.approx(3)


# Results ------------------------------------------------------------------------------


def test_probabilities_are_decoded_and_cached() -> None:
    job = job_with(record())
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"0": 0.5, "3": "0.5"})
        first = job.probabilities()
        first[99] = 1.0  # mutating the answer must not poison the cache
        assert job.probabilities() == {0: 0.5, 3: 0.5}
        assert m.call_count == 1
        job.probabilities(sharpen=True)
        assert query(m.last_request) == {"sharpen": ["true"]}
        job.probabilities(sharpen=True)
        assert m.call_count == 2


def test_distribution_gives_cached_read_only_arrays() -> None:
    job = job_with(record())
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"5": 0.25, "1": 0.75})
        outcomes, probs = job.distribution()
        assert outcomes.tolist() == [1, 5] and probs.tolist() == [0.75, 0.25]
        with pytest.raises(ValueError, match="read-only"):
            probs[0] = 1.0
        assert job.counts(shots=4) == {1: 3, 5: 1}
        assert sorted(job.memory(shots=4, seed=2)) == [1, 1, 1, 5]
        assert m.call_count == 1


def test_results_before_completion_ask_for_wait() -> None:
    job = job_with(record(status="submitted"))
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json=record(status="started"))
        with pytest.raises(JobNotDoneError, match=r"wait\(\)"):
            job.probabilities()
        assert m.call_count == 1  # refreshed once in case the status was stale


def test_stale_status_is_refreshed_before_giving_up() -> None:
    job = job_with(record(status="started"))
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json=record(status="completed"))
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"1": 1.0})
        assert job.probabilities() == {1: 1.0}


def test_wait_true_waits_for_results(fake_time: FakeTime) -> None:
    job = job_with(record(status="submitted"), fake_time)
    with requests_mock.Mocker() as m:
        m.get(
            f"{BASE}/jobs/j1",
            [
                {"json": record(status="ready")},
                {"json": record(status="started")},
                {"json": record()},
            ],
        )
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"2": 1.0})
        assert job.probabilities(wait=True) == {2: 1.0}
    assert job.status == "completed"


@pytest.mark.parametrize(
    "failure",
    [
        {"code": "SimulationError", "message": "could not execute simulation"},
        {"code": "SimulationError", "error": "could not execute simulation"},
    ],
)
def test_failed_job_raises_with_code_and_message(failure: dict[str, str]) -> None:
    job = job_with(record(status="failed", failure=failure))
    with requests_mock.Mocker() as m:
        for ask in (job.probabilities, job.counts, job.memory, job.aggregated_probabilities):
            with pytest.raises(JobFailedError) as info:
                ask()
            assert info.value.job_id == "j1"
            assert info.value.code == "SimulationError"
            assert info.value.message == "could not execute simulation"
            assert "could not execute simulation" in str(info.value)
        assert m.call_count == 0


def test_canceled_job_raises() -> None:
    with pytest.raises(JobFailedError, match="canceled") as info:
        job_with(record(status="canceled")).probabilities()
    assert info.value.code == "Canceled"


def test_multi_circuit_parent_points_to_children() -> None:
    parent = record(type="ionq.multi-circuit.v1", child_job_ids=["c1", "c2"])
    with pytest.raises(InvalidInputError, match=r"children\(\)") as info:
        job_with(parent).probabilities()
    assert "aggregated_probabilities" in str(info.value)


def test_qpu_counts_round_by_largest_remainder_and_sum_to_shots() -> None:
    job = job_with(record(shots=100))
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        counts = job.counts()
        assert counts == job.counts(seed=123)  # frequencies: no sampling, seed is irrelevant
        assert sum(job.counts(shots=7).values()) == 7
    assert counts == {0: 33, 1: 33, 3: 34}


def test_ideal_simulator_counts_are_seeded_samples() -> None:
    rec = record(
        backend="simulator",
        noise={"model": "ideal"},
        shots=1000,
        metadata={SEED_METADATA_KEY: "42"},
    )
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        first = job_with(rec).counts()
        again = job_with(rec).counts()
        other = job_with(rec).counts(seed=7)
    outcomes, probs = results.decode(PROBS)
    keys, values = results.counts(outcomes, probs, 1000, exact=True, seed=42)
    expected = {int(k): int(v) for k, v in zip(keys.tolist(), values.tolist(), strict=True) if v}
    assert first == again == expected
    assert sum(first.values()) == 1000
    assert other != first
    assert first != {0: 333, 1: 333, 3: 334}  # sampled, not rounded


def test_noisy_simulator_counts_are_rounded_not_sampled() -> None:
    rec = record(backend="simulator", noise={"model": "aria-1"}, shots=100)
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        assert job_with(rec).counts() == {0: 33, 1: 33, 3: 34}


def test_counts_need_shots_when_the_job_has_none() -> None:
    rec = record(backend="simulator", shots=None)
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        with pytest.raises(InvalidInputError, match="shots="):
            job_with(rec).counts()
        assert sum(job_with(rec).counts(shots=10).values()) == 10


def test_bad_recorded_seed_is_reported() -> None:
    rec = record(backend="simulator", metadata={SEED_METADATA_KEY: "abc"})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        with pytest.raises(InvalidInputError, match=SEED_METADATA_KEY):
            job_with(rec).counts()


def test_memory_uses_recorded_shots_when_advertised() -> None:
    rec = record(
        results={
            "probabilities": {"url": "/v0.4/jobs/j1/results/probabilities"},
            "shots": {"url": "/v0.4/jobs/j1/results/shots"},
        }
    )
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/shots", json=["3", 0, "1", "3"])
        assert job_with(rec).memory() == [3, 0, 1, 3]
        assert m.call_count == 1


def test_memory_uses_a_shots_artifact_when_advertised() -> None:
    descriptor = {"id": "shots", "format": "ionq.result.shots.json.v1"}
    rec = record(results={"ionq.result.shots.json.v1": descriptor})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/artifacts/shots", json=["2", "1"])
        assert job_with(rec).memory() == [2, 1]


@pytest.mark.parametrize("backend", ["simulator", "qpu.aria-1"])
def test_synthesized_memory_agrees_with_counts(backend: str) -> None:
    rec = record(backend=backend, shots=200, metadata={SEED_METADATA_KEY: "5"})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        job = job_with(rec)
        memory = job.memory()
        assert len(memory) == 200
        assert dict(Counter(memory)) == job.counts()
        assert m.call_count == 1
    assert all(isinstance(v, int) for v in memory)


def test_cancel_and_cost() -> None:
    job = job_with(record(status="ready"))
    with requests_mock.Mocker() as m:
        m.put(f"{BASE}/jobs/j1/status/cancel", json={"id": "j1", "status": "canceled"})
        m.get(f"{BASE}/jobs/j1/cost", json={"dry_run": False, "estimated_cost": {"value": 1}})
        assert job.cancel() is job
        assert job.status == "canceled"
        assert job.cost()["estimated_cost"] == {"value": 1}


# Multi-circuit ------------------------------------------------------------------------


def test_children_come_back_in_circuit_order() -> None:
    parent = record(id="p", type="ionq.multi-circuit.v1", child_job_ids=["c3", "c1", "c2"])
    listed = [
        {"id": "c1", "status": "completed", "parent_job_id": "p"},
        {"id": "c3", "status": "started", "parent_job_id": "p"},
    ]
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={"jobs": listed, "next": None})
        m.get(f"{BASE}/jobs/c2", json={"id": "c2", "status": "ready"})
        children = job_with(parent).children()
        assert query(m.request_history[0]) == {"parent_job_id": ["p"]}
    assert [c.id for c in children] == ["c3", "c1", "c2"]
    assert [c.status for c in children] == ["started", "completed", "ready"]


def test_children_of_a_creation_response_fetch_the_record_first() -> None:
    job = Job(make_client(), "p", {"id": "p", "status": "submitted"})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/p", json=record(id="p", child_job_ids=["b", "a"]))
        m.get(f"{BASE}/jobs", json={"jobs": [{"id": "a"}, {"id": "b"}], "next": None})
        assert [c.id for c in job.children()] == ["b", "a"]


def test_single_circuit_job_has_no_children() -> None:
    with requests_mock.Mocker() as m:
        assert job_with(record()).children() == []
        assert m.call_count == 0


def test_aggregated_probabilities_follow_child_order() -> None:
    parent = record(id="p", type="ionq.multi-circuit.v1", child_job_ids=["c2", "c1"])
    aggregate = {"c1": {"0": 1.0}, "c2": {"1": 0.25, "2": 0.75}}
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/p/results/probabilities/aggregated", json=aggregate)
        assert job_with(parent).aggregated_probabilities() == [{1: 0.25, 2: 0.75}, {0: 1.0}]


def test_outcomes_are_plain_ints() -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"5": 1.0})
        probs = job_with(record()).probabilities()
    (key,) = probs
    assert type(key) is int
    assert not isinstance(key, np.integer)


def test_results_of_a_job_known_only_by_a_terminal_creation_answer_use_the_full_record() -> None:
    # A submission reconciled after an ambiguous POST may already be completed; its handle then
    # holds only {"id", "status", "session_id"}. Counts need the backend, shots and seed.
    full = record(backend="simulator", shots=200, metadata={SEED_METADATA_KEY: "11"})
    job = job_with({"id": "j1", "status": "completed", "session_id": None})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json=full)
        m.get(f"{BASE}/jobs/j1/results/probabilities", json=PROBS)
        got = job.counts()
    outcomes, tallies = results.counts(
        [0, 1, 3], [0.3333, 0.3333, 0.3334], 200, exact=True, seed=11
    )
    assert got == dict(zip(outcomes.tolist(), tallies.tolist(), strict=True))
    assert job.backend == "simulator"


# What adapters read off a job ----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "exact"),
    [
        ({"backend": "simulator", "noise": {"model": "ideal"}}, True),
        ({"backend": "simulator"}, True),
        # A simulator variant is the simulator too (the payload builder always said so).
        ({"backend": "simulator.aria-1"}, True),
        ({"backend": "simulator.aria-1", "noise": {"model": "aria-1"}}, False),
        ({"backend": "simulator", "noise": {"model": "aria-1", "seed": 3}}, False),
        ({"backend": "qpu.forte-1"}, False),
    ],
)
def test_is_exact_only_for_the_ideal_simulator(overrides: dict[str, Any], exact: bool) -> None:
    assert job_with(record(**overrides)).is_exact is exact


def test_recorded_seed_and_multi_circuit_flags() -> None:
    assert job_with(record()).recorded_seed is None
    assert job_with(record(metadata={"ionq_direct_seed": "42"})).recorded_seed == 42
    with pytest.raises(InvalidInputError, match=r"ionq_direct_seed.*not an integer"):
        _ = job_with(record(metadata={"ionq_direct_seed": "forty-two"})).recorded_seed
    assert not job_with(record()).is_multi_circuit
    assert job_with(record(type="ionq.multi-circuit.v1")).is_multi_circuit
    assert job_with(record(child_job_ids=["a", "b"])).is_multi_circuit
