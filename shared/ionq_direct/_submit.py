"""Exactly-once job submission over an API that has no idempotency key.

Every payload carries a client token in ``metadata[CLIENT_TOKEN_KEY]``. The transport already
retries a POST that provably never reached the service (failed connection) or was refused
with 429. When a POST fails *ambiguously* (read timeout, connection dropped after sending,
5xx) the job may exist, or may still be being stored by a server that is slower than our read
timeout. So this module keeps looking the token up with ``GET /jobs`` (newest first, filtered by
backend, scanning until the listed jobs predate the submission) for a settle window that grows
with how long the failed POST took, and returns the job when it shows up. Only a lookup that
began after the window and found nothing lets the same payload, with the same token, go out
again. When neither outcome can be proven in time (lookups failing, or the call's deadline),
the error says so and names the token.

The procedure is a plan (:func:`submit_plan`, see ``_steps``): it yields :class:`Post`,
:class:`ListJobs` and ``Sleep`` steps, and ``Client`` and ``AsyncClient`` each perform them
their way (blocking or awaited), so both clients reconcile by the very same rules.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ionq_direct import _json
from ionq_direct._constants import RETRYABLE_STATUSES
from ionq_direct._pagination import next_cursor
from ionq_direct._steps import Plan, Sleep
from ionq_direct.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidInputError,
    IonQError,
)
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.payload import PreparedJob
from ionq_direct.policy import Policy

logger = logging.getLogger("ionq_direct")


@dataclass(frozen=True)
class Submission:
    """A job payload ready to send: its JSON bytes, its client token and (if known) backend."""

    body: bytes
    token: str
    backend: str | None


def prepare(
    payload: Mapping[str, Any] | bytes | PreparedJob, client_token: str | None = None
) -> Submission:
    """Attach a client token to a payload (on a copy) and serialize it.

    Args:
        payload: a job payload mapping; a :class:`~ionq_direct.payload.PreparedJob`, whose
            builder wrote its token (it is taken as it is, the body never searched); or
            already-serialized JSON bytes whose metadata already carries ``client_token``.
        client_token: the token to use; generated (uuid4 hex) for mappings when omitted.

    Raises:
        InvalidInputError: metadata is not a string-to-string mapping, the token conflicts
            with the payload's, or bytes were given without their token.
    """
    if client_token is not None and (not isinstance(client_token, str) or not client_token):
        raise InvalidInputError("client_token must be a non-empty string")
    if isinstance(payload, PreparedJob):
        if client_token is not None and client_token != payload.client_token:
            raise InvalidInputError(
                f"client_token {client_token!r} differs from the prepared job's "
                f"{payload.client_token!r}"
            )
        return Submission(payload.body, payload.client_token, None)
    if isinstance(payload, (bytes, bytearray)):
        return _prepare_bytes(bytes(payload), client_token)
    if not isinstance(payload, Mapping):
        raise InvalidInputError(
            f"a job payload must be a mapping or JSON bytes, got {type(payload).__name__}"
        )
    body = dict(payload)
    raw_meta = body.get("metadata")
    if raw_meta is None:
        raw_meta = {}
    if not isinstance(raw_meta, Mapping):
        raise InvalidInputError("payload metadata must be a mapping of strings to strings")
    metadata = dict(raw_meta)
    existing = metadata.get(CLIENT_TOKEN_KEY)
    if existing is not None and client_token is not None and existing != client_token:
        raise InvalidInputError(
            f"client_token {client_token!r} differs from metadata[{CLIENT_TOKEN_KEY!r}]"
        )
    token = existing or client_token or uuid.uuid4().hex
    metadata[CLIENT_TOKEN_KEY] = token
    bad = [k for k, v in metadata.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        raise InvalidInputError(
            f"metadata values must be strings (IonQ rejects anything else); "
            f"convert {sorted(map(str, bad))} with str()"
        )
    body["metadata"] = metadata
    try:
        data = _json.dumps_checked(body)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"the job payload is not valid JSON: {exc}") from exc
    backend = body.get("backend")
    return Submission(data, token, backend if isinstance(backend, str) else None)


def _prepare_bytes(data: bytes, client_token: str | None) -> Submission:
    if client_token is None:
        raise InvalidInputError(
            f"pre-serialized payloads need client_token=... matching their "
            f"metadata[{CLIENT_TOKEN_KEY!r}], so a failed submission can be reconciled"
        )
    if json.dumps(client_token).encode() not in data:
        raise InvalidInputError(
            f"the serialized payload does not contain client_token {client_token!r}; "
            f"put it in metadata[{CLIENT_TOKEN_KEY!r}]"
        )
    return Submission(data, client_token, None)


def is_ambiguous(exc: IonQError) -> bool:
    """Whether a failed POST may nevertheless have created the job."""
    if isinstance(exc, APIConnectionError):
        cause = exc.__cause__
        return not getattr(cause, "never_sent", False)
    if isinstance(exc, APIError):
        return exc.status_code >= 500 or (
            exc.status_code in RETRYABLE_STATUSES and exc.status_code != 429
        )
    return False


def _submitted_at(job: Mapping[str, Any]) -> float | None:
    """A listed job's ``submitted_at`` as epoch seconds, when it states a readable one."""
    value = job.get("submitted_at")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _answer(job: Mapping[str, Any]) -> dict[str, Any]:
    """The creation answer's three fields, as the listed job states them."""
    return {key: job.get(key) for key in ("id", "status", "session_id")}


def _unknown_outcome(exc: IonQError, token: str, *, timed_out: bool) -> IonQError:
    """An error like ``exc`` whose message says the job may exist and how to find it."""
    note = (
        f"; the job may or may not have been created: look for "
        f"metadata[{CLIENT_TOKEN_KEY!r}] == {token!r}"
    )
    if timed_out:
        return APITimeoutError(f"POST /jobs: the call's deadline passed ({exc})" + note)
    if isinstance(exc, APIError):
        return type(exc)(
            exc.message + note,
            status_code=exc.status_code,
            body=exc.body,
            request_id=exc.request_id,
        )
    return type(exc)(str(exc) + note)


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
    first_409_is_final: bool = False,
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
        first_409_is_final: a 409 answering the first attempt is raised as it is (the
            service refused the request, so nothing was created: a move of a job that has
            ended); a 409 to a resend goes through reconciliation like any ambiguous outcome.

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
            refused = first_409_is_final and resubmits == 0 and _status(exc) == 409
            if refused or not is_ambiguous(exc):
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


def _status(exc: IonQError) -> int | None:
    return exc.status_code if isinstance(exc, APIError) else None


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
