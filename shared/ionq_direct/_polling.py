"""Adaptive waiting for a job to reach a terminal status.

The first check comes after ``POLL_INITIAL``; each later interval is ``POLL_FACTOR`` times
the previous, up to a cap (short for the simulator, longer for QPUs). When the service gives
``predicted_wait_time_ms`` the next check moves closer to that prediction; a short prediction
pulls one check forward only once, since a job still not done after it shows it was stale. No
sleep ever runs past the deadline, so ``wait(timeout=...)`` always ends on time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from ionq_direct._constants import POLL_FACTOR, POLL_INITIAL, POLL_MAX_QPU, POLL_MAX_SIMULATOR
from ionq_direct.errors import JobTimeoutError
from ionq_direct.options import check_timeout
from ionq_direct.records import JobRecord, is_simulator, predicted_wait_seconds

#: Sleep and clock used by :func:`wait_for`; tests replace them to run without waiting.
_sleep: Callable[[float], None] = time.sleep
_clock: Callable[[], float] = time.monotonic


def interval_cap(backend: str | None) -> float:
    """The longest pause between checks for a job on ``backend``."""
    return POLL_MAX_SIMULATOR if is_simulator(backend) else POLL_MAX_QPU


def next_delay(base: float, predicted_wait_s: float | None, cap: float) -> float:
    """The pause before the next check, given the geometric ``base`` and a prediction.

    A prediction shorter than ``base`` pulls the check forward to when the job is due; a
    long one lets the pause stretch to half the prediction (never beyond ``cap``).
    """
    if predicted_wait_s is None:
        return min(base, cap)
    if predicted_wait_s <= base:
        return min(max(predicted_wait_s, POLL_INITIAL), cap)
    return min(max(base, predicted_wait_s / 2.0), cap)


def predicted_wait(record: Mapping[str, Any]) -> float | None:
    """``predicted_wait_time_ms`` of a job record, in seconds, when usable."""
    return predicted_wait_seconds(record.get("predicted_wait_time_ms"))


def wait_for(
    poll: Callable[[], Mapping[str, Any]],
    record: Mapping[str, Any],
    *,
    timeout: float | None = None,
    on_poll: Callable[[], None] | None = None,
) -> Mapping[str, Any]:
    """Poll until the job record reaches a terminal status, and return that record.

    Args:
        poll: fetches the current job record.
        record: the last known record (returned at once if already terminal).
        timeout: seconds to wait at most; ``None`` (or infinity) waits as long as it takes.
        on_poll: called after every check.

    Raises:
        JobTimeoutError: the deadline passed first.
    """
    timeout = check_timeout(timeout)
    deadline = None if timeout is None else _clock() + timeout
    base = POLL_INITIAL
    delay = POLL_INITIAL
    pulled_forward = False
    job = JobRecord.parse(record)
    while not job.done:
        if deadline is not None:
            remaining = deadline - _clock()
            if remaining <= 0:
                raise JobTimeoutError(
                    f"job {job.id} is still {job.status!r} "
                    f"after {timeout:g} s; call wait() again or raise the timeout"
                )
            delay = min(delay, remaining)
        _sleep(delay)
        record = poll()
        job = JobRecord.parse(record)
        if on_poll is not None:
            on_poll()
        cap = interval_cap(job.backend)
        base = min(base * POLL_FACTOR, cap)
        predicted = job.predicted_wait_s
        if predicted is not None and predicted <= base:
            # A short prediction pulls one check forward; if the job is still not done after
            # it, the prediction is stale (the emulator says 0 for a whole simulator run).
            if pulled_forward:
                predicted = None
            pulled_forward = True
        delay = next_delay(base, predicted, cap)
    return record
