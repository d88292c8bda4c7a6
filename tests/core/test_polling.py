"""Adaptive polling: growing intervals, per-backend caps, predictions, and a firm deadline."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from ionq_direct import JobTimeoutError
from ionq_direct import _polling as polling
from ionq_direct._constants import POLL_FACTOR, POLL_INITIAL, POLL_MAX_QPU, POLL_MAX_SIMULATOR


class FakeTime:
    """A clock that only moves when the poller sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(polling, "_sleep", fake.sleep)
    monkeypatch.setattr(polling, "_clock", fake.clock)
    return fake


def statuses(*sequence: str, backend: str = "simulator", **extra: Any) -> Callable[[], Any]:
    """A poll function answering the given statuses in turn, then the last one forever."""
    items = list(sequence)

    def poll() -> dict[str, Any]:
        status = items.pop(0) if len(items) > 1 else items[0]
        return {"id": "j", "status": status, "backend": backend, **extra}

    return poll


def test_intervals_grow_by_the_factor_up_to_the_simulator_cap(fake_time: FakeTime) -> None:
    poll = statuses(*(["started"] * 20), "completed")
    record = polling.wait_for(poll, {"status": "submitted"})
    assert record["status"] == "completed"
    sleeps = fake_time.sleeps
    assert sleeps[0] == POLL_INITIAL
    growing = [s for s in sleeps if s < POLL_MAX_SIMULATOR]
    for earlier, later in itertools.pairwise(growing):
        assert later == pytest.approx(earlier * POLL_FACTOR)
    assert max(sleeps) == POLL_MAX_SIMULATOR
    assert sleeps[-1] == POLL_MAX_SIMULATOR
    assert len(sleeps) == 21


def test_qpu_jobs_use_the_longer_cap(fake_time: FakeTime) -> None:
    poll = statuses(*(["ready"] * 30), "completed", backend="qpu.forte-1")
    polling.wait_for(poll, {"status": "submitted"})
    assert max(fake_time.sleeps) == POLL_MAX_QPU
    assert POLL_MAX_SIMULATOR < fake_time.sleeps[-2] <= POLL_MAX_QPU


def test_timeout_is_never_overshot(fake_time: FakeTime) -> None:
    start = fake_time.now
    with pytest.raises(JobTimeoutError, match="after 2 s"):
        polling.wait_for(statuses("started"), {"id": "j", "status": "submitted"}, timeout=2.0)
    assert fake_time.now - start == pytest.approx(2.0)
    assert sum(fake_time.sleeps) == pytest.approx(2.0)
    assert fake_time.sleeps[-1] < fake_time.sleeps[-2]  # the last pause was cut short


def test_zero_timeout_checks_nothing(fake_time: FakeTime) -> None:
    calls: list[int] = []

    def poll() -> dict[str, Any]:
        calls.append(1)
        return {"status": "started"}

    with pytest.raises(JobTimeoutError):
        polling.wait_for(poll, {"status": "submitted"}, timeout=0)
    assert calls == []


def test_terminal_record_returns_without_polling(fake_time: FakeTime) -> None:
    record = {"status": "failed"}
    assert polling.wait_for(statuses("started"), record) is record
    assert fake_time.sleeps == []


def test_short_prediction_pulls_the_next_check_forward(fake_time: FakeTime) -> None:
    poll = statuses("ready", "completed", predicted_wait_time_ms=60)
    polling.wait_for(poll, {"status": "submitted"}, timeout=100)
    assert fake_time.sleeps == [POLL_INITIAL, pytest.approx(0.06)]


@pytest.mark.parametrize("predicted_ms", [0, 60])
def test_a_prediction_that_has_passed_no_longer_pins_the_interval(
    fake_time: FakeTime, predicted_ms: int
) -> None:
    # The emulator reports 0 for simulator jobs for as long as they run (and a service's
    # prediction can go stale): once it has been waited for, the interval grows again instead
    # of checking 20 times a second for the whole run.
    poll = statuses(*(["started"] * 40), "completed", predicted_wait_time_ms=predicted_ms)
    polling.wait_for(poll, {"status": "submitted"}, timeout=1000)
    assert fake_time.sleeps[-1] == POLL_MAX_SIMULATOR
    assert len([s for s in fake_time.sleeps if s <= 0.1]) <= 3


def test_long_prediction_stretches_the_pause_within_the_cap(fake_time: FakeTime) -> None:
    poll = statuses(
        "ready", "ready", "completed", backend="qpu.aria-1", predicted_wait_time_ms=20_000
    )
    polling.wait_for(poll, {"status": "submitted"})
    assert fake_time.sleeps == [POLL_INITIAL, 10.0, 10.0]
    assert polling.next_delay(1.0, 600.0, POLL_MAX_QPU) == POLL_MAX_QPU


@pytest.mark.parametrize("bad", [None, "soon", True, -5, float("nan")])
def test_unusable_predictions_are_ignored(bad: Any) -> None:
    assert polling.predicted_wait({"predicted_wait_time_ms": bad}) is None


def test_on_poll_runs_after_every_check(fake_time: FakeTime) -> None:
    seen: list[float] = []
    polling.wait_for(
        statuses("ready", "started", "completed"),
        {"status": "submitted"},
        on_poll=lambda: seen.append(fake_time.now),
    )
    assert len(seen) == 3
    assert seen == sorted(seen)


def test_negative_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="timeout"):
        polling.wait_for(statuses("started"), {"status": "submitted"}, timeout=-1)


def test_nan_timeout_is_refused_and_infinity_means_no_limit(fake_time: FakeTime) -> None:
    with pytest.raises(ValueError, match="timeout"):
        polling.wait_for(statuses("started"), {"status": "submitted"}, timeout=float("nan"))
    final = polling.wait_for(
        statuses("ready", "started", "completed"), {"status": "submitted"}, timeout=float("inf")
    )
    assert final["status"] == "completed"
