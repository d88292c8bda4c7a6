"""Retry policy: which failures are worth another attempt, and how long to wait before it.

The numbers and clocks come from a :class:`~ionq_direct.policy.Policy`; this module only turns
failures into decisions so the transport can stay a plain loop. Nothing here sleeps or touches
the network.
"""

from __future__ import annotations

import email.utils
import enum
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from ionq_direct._constants import RETRY_AFTER_MAX, RETRYABLE_STATUSES


class RetryMode(enum.Enum):
    """How freely a request may be repeated.

    ``IDEMPOTENT`` requests (GET, PUT, DELETE) are retried on any transport failure and on
    every retryable status. ``UNSAFE`` requests (POST) are retried only when the service
    provably never received them: a failed connection or a 429.
    """

    IDEMPOTENT = "idempotent"
    UNSAFE = "unsafe"


def parse_retry_after(
    value: str | None,
    *,
    wall_clock: Callable[[], float] = time.time,
    cap: float = RETRY_AFTER_MAX,
) -> float | None:
    """Seconds named by a ``Retry-After`` header (delta-seconds or HTTP-date), capped.

    Args:
        value: the header's value.
        wall_clock: seconds since the epoch, to turn an HTTP-date into a delay.
        cap: the longest delay returned.

    Returns ``None`` when the header is absent or unreadable; negative or past values give 0.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - wall_clock()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), cap)


def never_sent(exc: requests.RequestException) -> bool:
    """Whether a transport failure proves the request never reached the server.

    True for failures to open the connection (connect timeout, refused, DNS, TLS handshake).
    A read timeout or a connection dropped after sending is ambiguous and gives False.
    """
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError) or not exc.args:
        return False
    reason = exc.args[0]
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def status_is_retryable(status_code: int, mode: RetryMode) -> bool:
    """Whether an error status may be retried as-is under ``mode``."""
    if mode is RetryMode.UNSAFE:
        return status_code == 429
    return status_code in RETRYABLE_STATUSES


@dataclass(frozen=True)
class Failure:
    """A transport failure, as any HTTP library's exception can be described.

    Each transport describes its own library's exceptions this way (:func:`requests_failure`
    here, ``_async_transport.describe_failure`` for httpx), and every decision is made on it.

    Attributes:
        kind: the library's exception name (shown in the error's cause).
        detail: its text, with the API key already removed.
        never_sent: the failure proves the request never reached the server (the connection
            could not be opened), so even a POST may be sent again.
        transient: a connection, protocol or timeout failure, worth retrying a GET, PUT or
            DELETE (as opposed to a malformed request).
        timeout: ``"connect"`` or ``"read"`` when a timeout of that phase fired.
        expired: the attempt's total time (or the call's deadline) ran out.
    """

    kind: str
    detail: str
    never_sent: bool
    transient: bool
    timeout: str | None = None
    expired: bool = False


def failure_is_retryable(failure: Failure, mode: RetryMode) -> bool:
    """Whether a transport failure may be retried as-is under ``mode``."""
    if mode is RetryMode.UNSAFE:
        return failure.never_sent
    return failure.transient


def requests_failure(exc: requests.RequestException, detail: str, *, expired: bool) -> Failure:
    """The :class:`Failure` a ``requests`` exception stands for (``detail``: its key-free text)."""
    timeout = None
    if isinstance(exc, requests.exceptions.Timeout):
        timeout = "connect" if isinstance(exc, requests.exceptions.ConnectTimeout) else "read"
    transient = isinstance(
        exc,
        (
            requests.exceptions.ConnectionError,
            requests.exceptions.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ),
    )
    return Failure(
        type(exc).__name__,
        detail,
        never_sent=never_sent(exc),
        transient=transient,
        timeout=timeout,
        expired=expired,
    )
