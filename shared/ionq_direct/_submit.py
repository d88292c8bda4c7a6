"""Exactly-once job submission over an API that has no idempotency key.

Every payload carries a client token in ``metadata[CLIENT_TOKEN_KEY]``. The transport already
retries a POST that provably never reached the service (failed connection) or was refused
with 429. When a POST fails *ambiguously* (read timeout, connection dropped after sending,
5xx) the job may exist, so this module looks the token up with ``GET /jobs`` and returns that
job; only if it is not listed does it send the same payload, with the same token, again.
"""

from __future__ import annotations

import itertools
import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from ionq_direct import _json
from ionq_direct._constants import RECONCILE_MAX_PAGES, RECONCILE_PAGE_SIZE, RETRYABLE_STATUSES
from ionq_direct._retry import never_sent
from ionq_direct.errors import APIConnectionError, APIError, InvalidInputError, IonQError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.payload import PreparedJob
from ionq_direct.records import JobRecord

logger = logging.getLogger("ionq_direct")

#: Lists jobs: called with ``backend=`` (may be ``None``) and ``limit=``, or with ``ids=``.
JobLister = Callable[..., Iterator[dict[str, Any]]]


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
        return not (isinstance(cause, requests.RequestException) and never_sent(cause))
    if isinstance(exc, APIError):
        return exc.status_code >= 500 or (
            exc.status_code in RETRYABLE_STATUSES and exc.status_code != 429
        )
    return False


def find_by_token(list_jobs: JobLister, token: str, backend: str | None) -> dict[str, Any] | None:
    """The job whose metadata carries ``token``, scanning a bounded number of pages.

    The children of a multi-circuit job inherit its metadata, token included, and are newer
    than it, so a newest-first listing shows them first (and a large batch pushes the parent
    past the scanned pages): a match with a ``parent_job_id`` stands for that parent, which is
    then fetched by id.
    """
    recent = list_jobs(backend=backend, limit=RECONCILE_PAGE_SIZE)
    for job in itertools.islice(recent, RECONCILE_PAGE_SIZE * RECONCILE_MAX_PAGES):
        info = JobRecord.parse(job)
        if info.metadata.get(CLIENT_TOKEN_KEY) != token:
            continue
        parent_id = info.parent_job_id
        if parent_id is None:
            return job
        for parent in list_jobs(ids=[parent_id]):
            if JobRecord.parse(parent).id == parent_id:
                return parent
        return {"id": parent_id, "status": None, "session_id": info.session_id}
    return None


def submit_once(
    post: Callable[[bytes], Any],
    list_jobs: JobLister,
    submission: Submission,
    max_resubmits: int,
) -> dict[str, Any]:
    """POST a prepared submission so that it creates at most one job.

    Args:
        post: sends the body to ``POST /jobs`` and returns the decoded response.
        list_jobs: lists jobs (see :data:`JobLister`), used to reconcile.
        submission: the prepared payload.
        max_resubmits: how many times the payload may be sent again after an ambiguous
            failure whose lookup found nothing.

    Returns:
        The creation response ``{"id", "status", "session_id"}`` (rebuilt from the listed job
        when reconciliation found it).
    """
    resubmits = 0
    while True:
        try:
            created = post(submission.body)
        except IonQError as exc:
            if not is_ambiguous(exc):
                raise
            logger.debug("POST /jobs failed ambiguously (%s); looking up its client token", exc)
            try:
                found = find_by_token(list_jobs, submission.token, submission.backend)
            except IonQError as lookup_exc:
                logger.warning("could not look up the client token after a failed submission")
                raise _unknown_outcome(exc, submission.token) from lookup_exc
            if found is not None:
                logger.debug("the failed POST had created job %s", found.get("id"))
                # The creation answer's three fields, as the service stated them.
                return {key: found.get(key) for key in ("id", "status", "session_id")}
            if resubmits >= max_resubmits:
                raise _unknown_outcome(exc, submission.token) from exc
            resubmits += 1
            logger.debug("no job carries the client token; sending it again")
            continue
        if not isinstance(created, dict):
            raise APIError(
                "POST /jobs answered with something other than a JSON object",
                status_code=201,
                body=created,
            )
        return created


def _unknown_outcome(exc: IonQError, token: str) -> IonQError:
    """A copy of ``exc`` whose message says the job may exist and how to find it."""
    note = (
        f"; the job may or may not have been created: look for "
        f"metadata[{CLIENT_TOKEN_KEY!r}] == {token!r}"
    )
    if isinstance(exc, APIError):
        return type(exc)(
            exc.message + note,
            status_code=exc.status_code,
            body=exc.body,
            request_id=exc.request_id,
        )
    return type(exc)(str(exc) + note)
