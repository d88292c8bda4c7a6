"""One request's attempts as a plan: deadlines, retry decisions, pauses and error mapping.

Both transports (``requests`` for ``Client``, ``httpx`` for ``AsyncClient``) run
:func:`request_plan`: it yields a :class:`Send` per attempt and a
:class:`~ionq_direct._steps.Sleep` per retry pause, and is sent back either the HTTP response
or a :class:`Failure`, the library-neutral description of a transport failure each transport
makes of its own exceptions. Everything else (when an attempt may still start, which failures
and statuses are retried under the method's :class:`~ionq_direct._retry.RetryMode`, how long
to wait, ``Retry-After``, the errors and their key-free causes) is decided here, once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ionq_direct._responses import HTTPResponse, decode_success, error_from_response
from ionq_direct._retry import (
    Failure,
    RetryMode,
    failure_is_retryable,
    parse_retry_after,
    status_is_retryable,
)
from ionq_direct._steps import Plan, Sleep
from ionq_direct.errors import APIConnectionError, APIError, APITimeoutError, TransportFailure
from ionq_direct.policy import Policy

__all__ = ["METHOD_MODES", "Send", "failure_error", "request_plan"]

logger = logging.getLogger("ionq_direct")

#: How freely each method may be repeated; anything else is treated as a POST.
METHOD_MODES = {
    "GET": RetryMode.IDEMPOTENT,
    "PUT": RetryMode.IDEMPOTENT,
    "DELETE": RetryMode.IDEMPOTENT,
    "POST": RetryMode.UNSAFE,
}


@dataclass(frozen=True)
class Send:
    """Send the request once: ``connect`` and ``read`` timeouts, all done by ``end``.

    ``end`` is on the policy's clock: no part of the answer may be waited for past it.
    """

    connect: float
    read: float
    end: float


def request_plan(
    method: str,
    path: str,
    *,
    timeout: tuple[float, float],
    max_retries: int,
    policy: Policy,
    secret: str,
    deadline: float | None = None,
    read_timeout: float | None = None,
) -> Plan[Send | Sleep, Any]:
    """Send one request, retrying as its method allows; returns the decoded body.

    Args:
        method: the HTTP method (upper case).
        path: the path below the base URL, for messages.
        timeout: the client's ``(connect, read)`` seconds; an attempt takes at most their sum.
        max_retries: retries after the first attempt.
        policy: clock, backoff and ``Retry-After`` numbers.
        secret: the API key, scrubbed from every error.
        deadline: the caller's deadline on the policy's clock; no attempt or pause passes it.
        read_timeout: this request's read timeout instead of the client's.

    Raises:
        APIError: the service answered with an error status (subclass by status).
        APIConnectionError: no answer (``APITimeoutError`` when a timeout or the deadline
            expired).
    """
    mode = METHOD_MODES.get(method, RetryMode.UNSAFE)
    connect, read = timeout
    if read_timeout is not None:
        read = read_timeout
    retry = 0
    while True:
        attempt_end = policy.clock() + connect + read
        if deadline is not None:
            attempt_end = min(attempt_end, deadline)
        left = attempt_end - policy.clock()
        if left <= 0:
            raise APITimeoutError(f"{method} {path}: the call's deadline passed")
        logger.debug("%s %s attempt %d", method, path, retry + 1)
        outcome = yield Send(min(connect, left), min(read, left), attempt_end)
        if isinstance(outcome, Failure):
            error = failure_error(method, path, outcome, timeout)
            cause = TransportFailure(outcome.kind, outcome.detail, never_sent=outcome.never_sent)
            if retry < max_retries and failure_is_retryable(outcome, mode):
                delay = policy.backoff(retry)
                if _may_pause(policy, method, path, delay, outcome.kind, deadline):
                    logger.debug(
                        _RETRYING, method, path, delay, outcome.kind, retry + 1, max_retries
                    )
                    yield Sleep(delay)
                    retry += 1
                    continue
                error = APITimeoutError(f"{error}; no time left before the call's deadline")
            raise error from cause
        response: HTTPResponse = outcome
        status = response.status_code
        logger.debug("%s %s -> %d (attempt %d)", method, path, status, retry + 1)
        if status < 400:
            return decode_success(response, secret)
        if retry < max_retries and status_is_retryable(status, mode):
            hint = parse_retry_after(
                response.headers.get("Retry-After"),
                wall_clock=policy.wall_clock,
                cap=policy.retry_after_max,
            )
            delay = policy.backoff(retry) if hint is None else hint
            reason = f"HTTP {status}"
            if _may_pause(policy, method, path, delay, reason, deadline):
                logger.debug(_RETRYING, method, path, delay, reason, retry + 1, max_retries)
                yield Sleep(delay)
                retry += 1
                continue
            late = error_from_response(response, secret, policy.wall_clock)
            raise APITimeoutError(
                f"{method} {path}: gave up at the call's deadline after "
                f"{_short(late)}; the next retry was due in {delay:.3g} s"
            ) from late
        raise error_from_response(response, secret, policy.wall_clock)


_RETRYING = "retrying %s %s in %.3f s after %s (retry %d of %d)"


def _may_pause(
    policy: Policy, method: str, path: str, delay: float, reason: str, deadline: float | None
) -> bool:
    """Whether a pause of ``delay`` before the next attempt still ends before the deadline."""
    if deadline is not None and policy.clock() + delay >= deadline:
        logger.debug("not retrying %s %s after %s: past the deadline", method, path, reason)
        return False
    return True


def failure_error(
    method: str, path: str, failure: Failure, timeout: tuple[float, float]
) -> APIConnectionError:
    """The error a transport failure is reported as (its cause is added by the caller)."""
    connect, read = timeout
    if failure.expired:
        return APITimeoutError(
            f"{method} {path}: no complete answer within the time allowed "
            f"({connect + read:g} s per attempt, or the call's deadline)"
        )
    if failure.timeout is not None:
        limit = connect if failure.timeout == "connect" else read
        return APITimeoutError(
            f"{method} {path}: no answer within the {failure.timeout} timeout of {limit:g} s"
        )
    detail = failure.detail or failure.kind
    return APIConnectionError(f"{method} {path}: could not reach the service: {detail}")


def _short(error: APIError) -> str:
    return error.message.split(" (request id")[0]
