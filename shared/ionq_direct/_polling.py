"""Adaptive waiting for a job to reach a terminal status, within one deadline.

The ladder: the first check goes out at once (a small simulator job is often done by then);
after each check the pause is ``poll_ratio`` of the time waited so far, never shorter than the
check's own round trip (nor ``poll_floor``) and never longer than the backend's cap. So a job
that finishes at time ``T`` is seen by about ``T * (1 + poll_ratio)`` plus one round trip, with
a number of checks that grows only with the logarithm of ``T`` until the cap. When the service
predicts the job's wait (``predicted_wait_time_ms``, read as counted from the submission), no
check is spent before the job is due. No sleep and no request runs past the deadline, so
``wait(timeout=...)`` ends on time with :class:`~ionq_direct.errors.JobTimeoutError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ionq_direct._steps import Plan, Sleep, drive
from ionq_direct.errors import APITimeoutError, JobTimeoutError
from ionq_direct.options import check_timeout
from ionq_direct.policy import DEFAULT_POLICY, Policy
from ionq_direct.records import JobRecord, is_simulator, predicted_wait_seconds

#: Fetches the current job record; called with the deadline its request must keep.
Poll = Callable[[float | None], Mapping[str, Any]]


def interval_cap(backend: str | None, policy: Policy = DEFAULT_POLICY) -> float:
    """The longest pause between checks for a job on ``backend``."""
    return policy.poll_cap(is_simulator(backend))


def next_pause(
    waited: float,
    round_trip: float,
    *,
    cap: float,
    due_in: float | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> float:
    """The pause before the next status check.

    Args:
        waited: seconds since waiting began.
        round_trip: seconds the last check took.
        cap: the backend's longest pause.
        due_in: seconds until the service's prediction says the job is due, if it gave one.
        policy: the ratio and floor.
    """
    pause = max(policy.poll_floor, round_trip, policy.poll_ratio * waited)
    if due_in is not None and due_in > pause:
        pause = due_in
    return min(pause, cap)


def predicted_wait(record: Mapping[str, Any]) -> float | None:
    """``predicted_wait_time_ms`` of a job record, in seconds, when usable."""
    return predicted_wait_seconds(record.get("predicted_wait_time_ms"))


def wait_for(
    poll: Poll,
    record: Mapping[str, Any],
    *,
    timeout: object = None,
    on_poll: Callable[[], None] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Mapping[str, Any]:
    """Poll until the job record reaches a terminal status, and return that record.

    Args:
        poll: fetches the current job record, keeping the deadline it is given.
        record: the last known record (returned at once if already terminal).
        timeout: seconds to wait at most, requests included; ``None`` (or infinity) waits as
            long as it takes.
        on_poll: called after every check.
        policy: clock, sleep and ladder numbers.

    Raises:
        InvalidInputError: ``timeout`` is not a non-negative number or ``None``.
        JobTimeoutError: the deadline passed first.
    """

    def perform(step: PollStep | Sleep) -> Any:
        if isinstance(step, Sleep):
            policy.sleep(step.seconds)
            return None
        fetched = poll(step.deadline)
        if on_poll is not None:
            on_poll()
        return fetched

    return drive(wait_plan(record, timeout=timeout, policy=policy), perform)


def _timed_out(job: JobRecord, limit: float | None) -> JobTimeoutError:
    shown = math.inf if limit is None else limit
    return JobTimeoutError(
        f"job {job.id} is still {job.status!r} after {shown:g} s; "
        "call wait() again or raise the timeout"
    )


@dataclass(frozen=True)
class PollStep:
    """Fetch the job record once, keeping ``deadline``; answered with the record."""

    deadline: float | None


def wait_plan(
    record: Mapping[str, Any], *, timeout: object = None, policy: Policy = DEFAULT_POLICY
) -> Plan[PollStep | Sleep, Mapping[str, Any]]:
    """:func:`wait_for` as a plan of :class:`PollStep` and ``Sleep`` steps, for either client.

    The ladder, the prediction and the deadline are exactly those of :func:`wait_for`; the
    driver fetches the record (and calls any per-check callback) when asked to poll.

    Raises:
        InvalidInputError: ``timeout`` is not a non-negative number or ``None``.
        JobTimeoutError: the deadline passed first.
    """
    limit = check_timeout(timeout)
    clock = policy.clock
    start = clock()
    deadline = None if limit is None else start + limit
    job = JobRecord.parse(record)
    delay = 0.0
    while not job.done:
        if deadline is not None:
            remaining = deadline - clock()
            if remaining <= 0:
                raise _timed_out(job, limit)
            delay = min(delay, remaining)
        if delay > 0:
            yield Sleep(delay)
        sent = clock()
        try:
            record = yield PollStep(deadline)
        except APITimeoutError as exc:
            if deadline is not None and clock() >= deadline:
                raise _timed_out(job, limit) from exc
            raise
        now = clock()
        job = JobRecord.parse(record)
        predicted = job.predicted_wait_s
        due_in = None if predicted is None else start + predicted - now
        delay = next_pause(
            now - start,
            now - sent,
            cap=interval_cap(job.backend, policy),
            due_in=due_in,
            policy=policy,
        )
    return record
