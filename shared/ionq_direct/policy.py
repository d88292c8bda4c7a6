"""``Policy``: the clocks, sleep, jitter and numbers every retry, poll and deadline uses.

One frozen object replaces module-level hooks: a ``Client`` holds one (``Client(policy=...)``)
and hands it to its transport, to submission and to every ``Job``, so a test injects a fake clock
and sleep in one place and a caller tunes retries or polling without patching globals. Nothing
here sleeps by itself; the decisions (backoff delays, polling pauses, deadlines) are plain
arithmetic on the numbers, so an asynchronous client can share the same object and only bring
its own way of sleeping.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any

from ionq_direct import _constants as c
from ionq_direct.errors import InvalidInputError

__all__ = ["DEFAULT_POLICY", "Policy"]

#: Callables a policy holds, named for their checks.
_CALLABLES = ("sleep", "async_sleep", "clock", "wall_clock", "jitter")


@dataclass(frozen=True)
class Policy:
    """How the client waits: its clocks, its sleep, and the retry and polling numbers.

    The defaults are real time and the numbers in ``ionq_direct._constants``; pass a
    ``Policy`` to :class:`~ionq_direct.client.Client` to change either (for instance a fake
    clock in tests, or fewer retries). ``dataclasses.replace(policy, max_retries=0)`` derives one.

    Attributes:
        sleep: pauses the calling thread for a number of seconds (retries and polling).
        async_sleep: the same pause for :class:`~ionq_direct.async_client.AsyncClient`, a
            coroutine function (``asyncio.sleep``); give both when faking time.
        clock: monotonic seconds; every deadline is measured on it.
        wall_clock: seconds since the epoch, to read an HTTP-date ``Retry-After`` and job times.
        jitter: uniform numbers in [0, 1) that spread retry delays.
        max_retries: retries after the first attempt for retryable failures.
        backoff_initial: first retry delay in seconds; each retry doubles it.
        backoff_max: longest retry delay before jitter.
        backoff_jitter: fraction of a delay added or removed at random.
        retry_after_max: longest ``Retry-After`` honoured, in seconds.
        poll_ratio: a polling pause is this fraction of the time waited so far, so a job is
            seen done at most that fraction of its run time late.
        poll_floor: shortest pause between status checks, in seconds.
        poll_max_simulator: longest pause for simulator jobs.
        poll_max_qpu: longest pause for QPU jobs.
        reconcile_page_size: jobs asked for per page when looking a client token up.
        reconcile_settle_min: after an ambiguous POST, seconds the token is looked for before
            the payload may be sent again.
        reconcile_settle_factor: the same window, as a multiple of how long the failed POST
            took (a slow server stores slowly); the longer of the two applies.
        reconcile_clock_skew: seconds of disagreement allowed between this machine's clock and
            the service's when deciding that listed jobs are older than the submission.
        reconcile_max_pages: pages scanned at most per lookup, whatever their times say.
    """

    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    jitter: Callable[[], float] = random.random
    max_retries: int = c.MAX_RETRIES
    backoff_initial: float = c.BACKOFF_INITIAL
    backoff_max: float = c.BACKOFF_MAX
    backoff_jitter: float = c.BACKOFF_JITTER
    retry_after_max: float = c.RETRY_AFTER_MAX
    poll_ratio: float = c.POLL_RATIO
    poll_floor: float = c.POLL_FLOOR
    poll_max_simulator: float = c.POLL_MAX_SIMULATOR
    poll_max_qpu: float = c.POLL_MAX_QPU
    reconcile_page_size: int = c.RECONCILE_PAGE_SIZE
    reconcile_settle_min: float = c.RECONCILE_SETTLE_MIN
    reconcile_settle_factor: float = c.RECONCILE_SETTLE_FACTOR
    reconcile_clock_skew: float = c.RECONCILE_CLOCK_SKEW
    reconcile_max_pages: int = c.RECONCILE_MAX_PAGES

    def __post_init__(self) -> None:
        for name in _CALLABLES:
            if not callable(getattr(self, name)):
                raise InvalidInputError(f"Policy.{name} must be callable")
        for item in fields(self):
            if item.name in _CALLABLES:
                continue
            value: Any = getattr(self, item.name)
            whole = item.name in ("max_retries", "reconcile_page_size", "reconcile_max_pages")
            if whole:
                ok = isinstance(value, int) and not isinstance(value, bool)
                ok = ok and value >= (0 if item.name == "max_retries" else 1)
            else:
                ok = (
                    isinstance(value, (int, float))
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                    and value >= 0
                )
            if not ok:
                kind = "a non-negative int" if whole else "a finite non-negative number"
                raise InvalidInputError(f"Policy.{item.name} must be {kind}, got {value!r}")
        if self.backoff_jitter >= 1:
            raise InvalidInputError("Policy.backoff_jitter must be below 1")

    def deadline(self, timeout: float | None) -> float | None:
        """The clock reading ``timeout`` seconds from now; ``None`` for no limit."""
        return None if timeout is None else self.clock() + timeout

    def left(self, deadline: float | None) -> float:
        """Seconds until ``deadline`` (infinite for ``None``; never negative)."""
        return math.inf if deadline is None else max(0.0, deadline - self.clock())

    def backoff(self, retry_index: int) -> float:
        """Seconds to wait before retry number ``retry_index`` (0 for the first retry).

        Exponential from ``backoff_initial``, doubled per retry, capped at ``backoff_max``,
        then spread by up to ``backoff_jitter`` of itself either way.
        """
        base = min(self.backoff_max, self.backoff_initial * (2.0 ** min(max(retry_index, 0), 64)))
        return base * (1.0 + self.backoff_jitter * (2.0 * self.jitter() - 1.0))

    def poll_cap(self, simulator: bool) -> float:
        """The longest pause between status checks of a simulator or QPU job."""
        return self.poll_max_simulator if simulator else self.poll_max_qpu


#: Real time and the documented numbers: what a ``Client`` uses unless told otherwise.
DEFAULT_POLICY = Policy()
