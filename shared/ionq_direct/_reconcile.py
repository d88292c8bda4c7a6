"""Exactly-once submission as a plan, shared by ``Client`` and ``AsyncClient``.

The rules are those of ``_submit`` (see its docstring): POST once; after an ambiguous
failure look the client token up with ``GET /jobs`` for a settle window that grows with how
long the failed POST took; return the job when it shows; send the same payload again only
after a lookup that began once the window had passed found nothing; otherwise say the outcome
is unknown and name the token. Here they are a generator of steps (:class:`Post`,
:class:`ListJobs`, :class:`~ionq_direct._steps.Sleep`) that either client performs its way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ionq_direct._pagination import next_cursor
from ionq_direct._steps import Plan, Sleep
from ionq_direct._submit import (
    Submission,
    _answer,
    _submitted_at,
    _unknown_outcome,
    is_ambiguous,
)
from ionq_direct.errors import APIError, IonQError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.policy import Policy

__all__ = ["ListJobs", "Post", "Step", "find_plan", "submit_plan"]

logger = logging.getLogger("ionq_direct")


@dataclass(frozen=True)
class Post:
    """Send the submission's body (to ``POST /jobs``, or a clone or move path) once."""

    body: bytes
    deadline: float | None


@dataclass(frozen=True)
class ListJobs:
    """Fetch one page of ``GET /jobs`` (newest first); answered with the page mapping."""

    backend: str | None
    ids: Sequence[str] | None
    limit: int | None
    cursor: str | None
    deadline: float | None
    read_timeout: float | None

    def params(self) -> dict[str, Any]:
        """The query this page is asked with (``None`` values are dropped when sent)."""
        return {
            "target": self.backend,
            "ids": list(self.ids) if self.ids is not None else None,
            "limit": self.limit,
            "next": self.cursor,
        }


Step = Post | ListJobs | Sleep


def find_plan(
    token: str,
    backend: str | None,
    *,
    policy: Policy,
    since: float | None = None,
    deadline: float | None = None,
    read_timeout: float | None = None,
) -> Plan[Step, dict[str, Any] | None]:
    """The job whose metadata carries ``token``, or ``None`` when no listed job does.

    Lists newest first (filtered by ``backend``) and stops at the first job submitted before
    ``since`` (epoch seconds, less the policy's clock-skew allowance), after
    ``policy.reconcile_max_pages`` pages' worth of jobs, and at the listing's end. A match with
    a ``parent_job_id`` is a child of a multi-circuit job, which inherits its token: it stands
    for that parent, which is then fetched by id.
    """
    floor = None if since is None else since - policy.reconcile_clock_skew
    budget = policy.reconcile_page_size * policy.reconcile_max_pages
    scanned = 0
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page: Mapping[str, Any] = yield ListJobs(
            backend, None, policy.reconcile_page_size, cursor, deadline, read_timeout
        )
        items = page.get("jobs") or []
        for job in items:
            if scanned >= budget:
                logger.debug("client token lookup ended after at most %d jobs", budget)
                return None
            scanned += 1
            metadata = job.get("metadata")
            if isinstance(metadata, Mapping) and metadata.get(CLIENT_TOKEN_KEY) == token:
                parent_id = job.get("parent_job_id")
                if not parent_id:
                    return _answer(job)
                parents: Mapping[str, Any] = yield ListJobs(
                    None, [str(parent_id)], None, None, deadline, read_timeout
                )
                for parent in parents.get("jobs") or []:
                    if parent.get("id") == parent_id:
                        return _answer(parent)
                return {"id": parent_id, "status": None, "session_id": job.get("session_id")}
            when = _submitted_at(job)
            if floor is not None and when is not None and when < floor:
                return None
        cursor = next_cursor(page, items, seen)
        if cursor is None:
            return None
        if scanned >= budget:
            logger.debug("client token lookup ended after at most %d jobs", budget)
            return None


def submit_plan(
    submission: Submission,
    max_resubmits: int,
    *,
    policy: Policy,
    deadline: float | None = None,
    read_timeout: float | None = None,
) -> Plan[Step, dict[str, Any]]:
    """POST a prepared submission so that it creates at most one job.

    Args:
        submission: the prepared payload.
        max_resubmits: how many times the payload may be sent again after an ambiguous
            failure whose settle window passed without the token showing up.
        policy: clocks and the reconciliation numbers.
        deadline: the call's deadline on the policy's clock.
        read_timeout: the client's read timeout. Lookups double it each time (up to the
            settle window), so a server too busy to answer a listing within the timeout
            that the POST already missed can still prove the outcome.

    Returns:
        The creation response ``{"id", "status", "session_id"}`` (rebuilt from the listed job
        when reconciliation found it).

    Raises:
        IonQError: the POST failed unambiguously, or its outcome could not be proven (the
            message then names the client token, to look the job up later).
    """
    since = policy.wall_clock()
    resubmits = 0
    while True:
        sent = policy.clock()
        try:
            created = yield Post(submission.body, deadline)
        except IonQError as exc:
            if not is_ambiguous(exc):
                raise
            logger.debug("the POST failed ambiguously (%s); looking up its client token", exc)
            window = max(
                policy.reconcile_settle_min,
                policy.reconcile_settle_factor * (policy.clock() - sent),
            )
            found, verdict = yield from _settle_plan(
                submission,
                since=since,
                window=window,
                deadline=deadline,
                policy=policy,
                read_timeout=read_timeout,
            )
            if found is not None:
                logger.debug("the failed POST had created job %s", found.get("id"))
                return found
            if verdict != "absent" or resubmits >= max_resubmits:
                timed_out = verdict == "deadline"
                raise _unknown_outcome(exc, submission.token, timed_out=timed_out) from exc
            resubmits += 1
            logger.debug("no job carries the client token after %.3g s; sending it again", window)
            continue
        if not isinstance(created, dict):
            raise APIError(
                "POST /jobs answered with something other than a JSON object",
                status_code=201,
                body=created,
            )
        return created


def _settle_plan(
    submission: Submission,
    *,
    since: float,
    window: float,
    deadline: float | None,
    policy: Policy,
    read_timeout: float | None,
) -> Plan[Step, tuple[dict[str, Any] | None, str]]:
    """Look the token up until it shows, the window passes or the deadline comes.

    Returns the job found (or ``None``) and a verdict: ``"found"``; ``"absent"`` when a lookup
    that began once the window had passed completed and found nothing; ``"unproven"`` when
    that last lookup failed; ``"deadline"`` when the call's deadline came first.
    """
    clock = policy.clock
    settled_at = clock() + window
    lookup = 0
    while True:
        began = clock()
        patience = None
        if read_timeout is not None:
            patience = max(read_timeout, min(read_timeout * 2.0 ** min(lookup, 30), window))
        try:
            found = yield from find_plan(
                submission.token,
                submission.backend,
                policy=policy,
                since=since,
                deadline=deadline,
                read_timeout=patience,
            )
        except IonQError as exc:
            logger.debug("client token lookup %d failed: %s", lookup + 1, exc)
            if began >= settled_at:
                return None, "unproven"
        else:
            if found is not None:
                return found, "found"
            if began >= settled_at:
                return None, "absent"
        pause = min(policy.backoff(lookup), max(0.0, settled_at - clock()))
        if deadline is not None and clock() + pause >= deadline:
            return None, "deadline"
        lookup += 1
        yield Sleep(pause)
