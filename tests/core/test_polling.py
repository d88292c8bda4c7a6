"""Adaptive polling: the ladder's overshoot and request count, caps, predictions, deadlines.

Every test runs on a fake clock (``FakeTime``): the poll functions advance it by a round trip,
the poller's sleeps advance it by what it asked for, and nothing really waits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from core_support import FakeTime

from ionq_direct import APITimeoutError, JobTimeoutError
from ionq_direct import _polling as polling
from ionq_direct._constants import POLL_MAX_QPU, POLL_MAX_SIMULATOR, POLL_RATIO


class FakeJob:
    """A job that finishes ``runs_for`` seconds after waiting began; each check takes ``rtt``."""

    def __init__(
        self,
        fake: FakeTime,
        runs_for: float,
        *,
        rtt: float = 0.005,
        backend: str = "simulator",
        **extra: Any,
    ) -> None:
        self.fake = fake
        self.done_at = fake.now + runs_for
        self.rtt = rtt
        self.backend = backend
        self.extra = extra
        self.checks = 0
        self.seen_done_at: float | None = None

    def poll(self, deadline: float | None) -> dict[str, Any]:
        self.checks += 1
        self.fake.advance(self.rtt / 2)
        status = "completed" if self.fake.now >= self.done_at else "started"
        self.fake.advance(self.rtt / 2)
        if status == "completed":
            self.seen_done_at = self.fake.now
        return {"id": "j", "status": status, "backend": self.backend, **self.extra}

    def wait(self, **kwargs: Any) -> dict[str, Any]:
        record = polling.wait_for(
            self.poll, {"id": "j", "status": "submitted"}, policy=self.fake.policy, **kwargs
        )
        return dict(record)

    @property
    def overshoot(self) -> float:
        assert self.seen_done_at is not None
        return self.seen_done_at - self.done_at


def ladder_checks_bound(runs_for: float, rtt: float) -> int:
    """Checks the ladder may spend: round-trip paced ones, then a geometric run to the end."""
    paced = 1 + math.ceil(1 / (2 * POLL_RATIO))
    stretched = math.log(max(1.0, runs_for * POLL_RATIO / rtt)) / math.log(1 + POLL_RATIO)
    return paced + math.ceil(stretched) + 1


@pytest.mark.parametrize("runs_for", [0.0, 0.003, 0.02, 0.1, 0.6, 2.0, 10.0, 45.0])
@pytest.mark.parametrize("rtt", [0.002, 0.005, 0.05])
def test_overshoot_is_a_small_fraction_of_the_run_or_about_a_round_trip(
    fake_time: FakeTime, runs_for: float, rtt: float
) -> None:
    job = FakeJob(fake_time, runs_for, rtt=rtt)
    assert job.wait()["status"] == "completed"
    # Seen done at most one pause (a fraction of the run, or one round trip) late, beyond the
    # unavoidable latency of the checks themselves (the answer's way back, one more check).
    pause = max(POLL_RATIO * (runs_for + 2 * rtt), rtt)
    assert job.overshoot <= pause + 1.5 * rtt + 1e-9
    if runs_for * POLL_RATIO < rtt:
        assert job.overshoot <= 2.5 * rtt + 1e-9  # short jobs: one round trip of pause
    assert job.checks <= ladder_checks_bound(runs_for, rtt)


def test_the_first_check_goes_out_at_once(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 0.0)
    job.wait()
    assert job.checks == 1
    assert fake_time.sleeps == []


def test_a_half_second_job_costs_a_bounded_number_of_checks(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 0.6, rtt=0.005)
    job.wait()
    assert job.overshoot <= 0.065
    assert job.checks <= 32  # versus a check per round trip: 60


def test_pauses_stop_growing_at_the_simulator_cap(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 600.0)
    job.wait()
    assert max(fake_time.sleeps) == POLL_MAX_SIMULATOR
    assert job.overshoot <= POLL_MAX_SIMULATOR + job.rtt
    # Long waits at the cap: about one check per cap interval, not more.
    capped = [s for s in fake_time.sleeps if s == POLL_MAX_SIMULATOR]
    assert len(capped) <= 600.0 / POLL_MAX_SIMULATOR


def test_qpu_jobs_use_the_longer_cap(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 3600.0, backend="qpu.forte-1")
    job.wait()
    assert max(fake_time.sleeps) == POLL_MAX_QPU
    assert POLL_MAX_SIMULATOR < fake_time.sleeps[-2] <= POLL_MAX_QPU
    assert job.checks <= ladder_checks_bound(POLL_MAX_QPU / POLL_RATIO, job.rtt) + 3600 / 30


def test_a_prediction_spares_the_checks_before_the_job_is_due(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 0.6, predicted_wait_time_ms=600)
    job.wait()
    assert job.checks == 2  # once at once (to read the prediction), once when due
    assert job.overshoot <= job.rtt + 1e-9


def test_a_prediction_that_has_passed_no_longer_pins_the_pause(fake_time: FakeTime) -> None:
    # The emulator reports 0 for simulator jobs for as long as they run (and a service's
    # prediction can go stale): past the due time the ladder takes over again.
    job = FakeJob(fake_time, 30.0, predicted_wait_time_ms=60)
    job.wait()
    assert job.checks <= ladder_checks_bound(30.0, job.rtt)
    assert job.overshoot <= POLL_RATIO * 30.0 + 2 * job.rtt


def test_long_prediction_is_kept_within_the_cap(fake_time: FakeTime) -> None:
    job = FakeJob(fake_time, 20.0, backend="qpu.aria-1", predicted_wait_time_ms=20_000)
    job.wait()
    assert fake_time.sleeps[0] == pytest.approx(20.0 - job.rtt)
    assert job.checks == 2
    assert polling.next_pause(1.0, 0.005, cap=POLL_MAX_QPU, due_in=600.0) == POLL_MAX_QPU


def test_timeout_is_never_overshot(fake_time: FakeTime) -> None:
    start = fake_time.now
    job = FakeJob(fake_time, 1e9, rtt=0.0)
    with pytest.raises(JobTimeoutError, match="after 2 s"):
        job.wait(timeout=2.0)
    assert fake_time.now - start == pytest.approx(2.0)
    assert sum(fake_time.sleeps) == pytest.approx(2.0)
    assert fake_time.sleeps[-1] < fake_time.sleeps[-2]  # the last pause was cut short


def test_each_check_is_given_the_deadline(fake_time: FakeTime) -> None:
    deadlines: list[float | None] = []

    def poll(deadline: float | None) -> dict[str, Any]:
        deadlines.append(deadline)
        return {"status": "completed" if len(deadlines) > 2 else "started"}

    start = fake_time.now
    polling.wait_for(poll, {"status": "submitted"}, timeout=5, policy=fake_time.policy)
    assert deadlines == [start + 5] * 3
    polling.wait_for(poll, {"status": "submitted"}, policy=fake_time.policy)
    assert deadlines[-1] is None


def test_a_request_cut_by_the_deadline_is_a_job_timeout(fake_time: FakeTime) -> None:
    def poll(deadline: float | None) -> dict[str, Any]:
        assert deadline is not None
        fake_time.advance(deadline - fake_time.now)  # the request used up the time left
        raise APITimeoutError("GET /jobs/j: no complete answer within the time allowed")

    with pytest.raises(JobTimeoutError) as info:
        polling.wait_for(poll, {"id": "j", "status": "ready"}, timeout=1.0, policy=fake_time.policy)
    assert isinstance(info.value.__cause__, APITimeoutError)


def test_a_request_timeout_before_the_deadline_is_not_hidden(fake_time: FakeTime) -> None:
    def poll(deadline: float | None) -> dict[str, Any]:
        raise APITimeoutError("GET /jobs/j: no answer within the read timeout of 1 s")

    with pytest.raises(APITimeoutError):
        polling.wait_for(poll, {"status": "ready"}, timeout=60.0, policy=fake_time.policy)


def test_zero_timeout_checks_nothing(fake_time: FakeTime) -> None:
    calls: list[int] = []

    def poll(deadline: float | None) -> dict[str, Any]:
        calls.append(1)
        return {"status": "started"}

    with pytest.raises(JobTimeoutError):
        polling.wait_for(poll, {"status": "submitted"}, timeout=0, policy=fake_time.policy)
    assert calls == []


def statuses(*sequence: str) -> Callable[[float | None], Any]:
    """A poll function answering the given statuses in turn, then the last one forever."""
    items = list(sequence)

    def poll(deadline: float | None) -> dict[str, Any]:
        status = items.pop(0) if len(items) > 1 else items[0]
        return {"id": "j", "status": status, "backend": "simulator"}

    return poll


def test_terminal_record_returns_without_polling(fake_time: FakeTime) -> None:
    record = {"status": "failed"}
    assert polling.wait_for(statuses("started"), record, policy=fake_time.policy) is record
    assert fake_time.sleeps == []


@pytest.mark.parametrize("bad", [None, "soon", True, -5, float("nan")])
def test_unusable_predictions_are_ignored(bad: Any) -> None:
    assert polling.predicted_wait({"predicted_wait_time_ms": bad}) is None


def test_on_poll_runs_after_every_check(fake_time: FakeTime) -> None:
    seen: list[float] = []
    polling.wait_for(
        statuses("ready", "started", "completed"),
        {"status": "submitted"},
        on_poll=lambda: seen.append(fake_time.now),
        policy=fake_time.policy,
    )
    assert len(seen) == 3
    assert seen == sorted(seen)


@pytest.mark.parametrize("bad", [-1, float("nan"), "5", True, [1]])
def test_bad_timeouts_are_refused_before_any_check(bad: object) -> None:
    calls: list[int] = []

    def poll(deadline: float | None) -> dict[str, Any]:
        calls.append(1)
        return {"status": "started"}

    with pytest.raises(ValueError, match="timeout"):
        polling.wait_for(poll, {"status": "submitted"}, timeout=bad)
    assert calls == []


def test_infinity_means_no_limit(fake_time: FakeTime) -> None:
    final = polling.wait_for(
        statuses("ready", "started", "completed"),
        {"status": "submitted"},
        timeout=float("inf"),
        policy=fake_time.policy,
    )
    assert final["status"] == "completed"
