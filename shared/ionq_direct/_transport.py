"""The HTTP layer: one ``requests.Session`` with auth, timeouts, retries and error mapping.

Everything about *how* a request travels lives here; ``client.py`` only says *what* to ask
for. The API key is held privately, sent only in the ``Authorization`` header, and scrubbed
from every error this module raises. Sleeps go through :data:`_sleep` so tests can record
them instead of waiting.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import platform
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from ionq_direct import _json
from ionq_direct._constants import API_KEY_ENV, CONNECT_TIMEOUT, MAX_RETRIES, READ_TIMEOUT
from ionq_direct._redact import scrub_text
from ionq_direct._responses import decode_success, error_from_response
from ionq_direct._retry import (
    RetryMode,
    backoff_delay,
    failure_is_retryable,
    parse_retry_after,
    status_is_retryable,
)
from ionq_direct.errors import APIConnectionError, APITimeoutError, InvalidInputError

logger = logging.getLogger("ionq_direct")

#: The one function every retry delay goes through; tests replace it to record delays.
_sleep: Callable[[float], None] = time.sleep

#: A timeout as accepted from users: one number for both phases, or ``(connect, read)``.
Timeout = float | tuple[float, float]

_METHOD_MODES = {
    "GET": RetryMode.IDEMPOTENT,
    "PUT": RetryMode.IDEMPOTENT,
    "DELETE": RetryMode.IDEMPOTENT,
    "POST": RetryMode.UNSAFE,
}


@functools.cache
def user_agent() -> str:
    """``ionq-direct/<version> python/<x.y> requests/<version>``, built once per process."""
    from ionq_direct import __version__

    major, minor, _ = platform.python_version_tuple()
    return f"ionq-direct/{__version__} python/{major}.{minor} requests/{requests.__version__}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (``localhost`` or a loopback address)."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def normalize_timeout(timeout: Timeout | None) -> tuple[float, float]:
    """``(connect, read)`` seconds from a user's timeout; ``None`` means the defaults."""
    if timeout is None:
        return (CONNECT_TIMEOUT, READ_TIMEOUT)
    pair = (timeout, timeout) if isinstance(timeout, (int, float)) else tuple(timeout)
    if len(pair) != 2 or not all(
        isinstance(t, (int, float)) and math.isfinite(t) and t > 0 for t in pair
    ):
        raise InvalidInputError(
            f"timeout must be a positive number of seconds or a (connect, read) pair, "
            f"got {timeout!r}"
        )
    return (float(pair[0]), float(pair[1]))


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash, refusing plain http to non-loopback hosts."""
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"base URL must look like https://host/v0.4, got {url!r}")
    if parts.username or parts.password:
        raise InvalidInputError(
            "base URL must not carry credentials; the API key is sent as a header"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidInputError(
            f"refusing to send the API key over plain http to {parts.hostname!r}: use https:// "
            "(plain http is allowed only for loopback hosts such as localhost or 127.0.0.1)"
        )
    return url


def check_api_key(api_key: str | None) -> str:
    """The API key, stripped, or a clear error naming ``IONQ_API_KEY`` when there is none."""
    key = (api_key or "").strip()
    if not key:
        raise InvalidInputError(
            f"no IonQ API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
        )
    if not key.isascii() or any(ch.isspace() or not ch.isprintable() for ch in key):
        raise InvalidInputError(
            "the IonQ API key contains whitespace, control or non-ASCII characters (IonQ keys "
            "are plain ASCII, and an ellipsis means a truncated copy); copy the whole key again"
        )
    return key


def check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra request headers as a plain dict, refusing any that would replace the API key."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InvalidInputError(f"headers must be a mapping of names to values, got {headers!r}")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInputError("header names and values must be strings")
        if name.strip().lower() == "authorization":
            raise InvalidInputError(
                "headers may not set Authorization: the API key is sent from api_key"
            )
        checked[name] = value
    return checked


class Transport:
    """Sends requests to one IonQ API base URL with one pooled ``requests.Session``.

    Args:
        api_key: the IonQ API key (already resolved from the environment by the caller).
        base_url: the API root, e.g. ``https://api.ionq.co/v0.4``.
        timeout: seconds, or ``(connect, read)`` seconds; ``None`` for the defaults.
        max_retries: retries after the first attempt for retryable failures.
        headers: extra headers sent with every request (they may not set ``Authorization``).
    """

    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int = MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._key = check_api_key(api_key)
        self.base_url = check_base_url(base_url)
        self.timeout = normalize_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidInputError(f"max_retries must be a non-negative int, got {max_retries!r}")
        self.max_retries = max_retries
        extra = check_headers(headers)
        self._session = requests.Session()
        self._session.headers.update(extra)
        self._session.headers.update(
            {
                "Authorization": f"apiKey {self._key}",
                "User-Agent": user_agent(),
                "Accept": "application/json",
            }
        )

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def scrub(self, text: str) -> str:
        """``text`` with the API key removed."""
        return scrub_text(text, self._key)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        authenticated: bool = True,
    ) -> Any:
        """Send a request, retrying as the method allows, and return the decoded body.

        Args:
            method: ``GET``, ``POST``, ``PUT`` or ``DELETE``.
            path: path below the base URL, starting with ``/``.
            params: query parameters; ``None`` values are dropped, lists repeat the name,
                booleans become ``true``/``false``.
            json_body: a value to send as JSON.
            data: an already-serialized JSON body (wins over ``json_body``).
            authenticated: send the ``Authorization`` header (off for public endpoints).

        Raises:
            APIError: the service answered with an error status (subclass by status).
            APIConnectionError: no answer (``APITimeoutError`` when a timeout expired).
        """
        method = method.upper()
        mode = _METHOD_MODES.get(method, RetryMode.UNSAFE)
        if data is None and json_body is not None:
            data = _json.dumps_checked(json_body)
        headers: dict[str, str | None] = {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if not authenticated:
            headers["Authorization"] = None
        query = _encode_params(params)
        url = self.base_url + path
        retry = 0
        while True:
            logger.debug("%s %s attempt %d", method, path, retry + 1)
            try:
                response = self._session.request(
                    method, url, params=query, data=data, headers=headers, timeout=self.timeout
                )
            except requests.RequestException as exc:
                if retry < self.max_retries and failure_is_retryable(exc, mode):
                    self._pause(method, path, backoff_delay(retry), type(exc).__name__, retry)
                    retry += 1
                    continue
                raise self._connection_error(method, path, exc) from exc
            status = response.status_code
            logger.debug("%s %s -> %d (attempt %d)", method, path, status, retry + 1)
            if status < 400:
                return decode_success(response, self._key)
            if retry < self.max_retries and status_is_retryable(status, mode):
                hint = parse_retry_after(response.headers.get("Retry-After"))
                delay = backoff_delay(retry) if hint is None else hint
                self._pause(method, path, delay, f"HTTP {status}", retry)
                retry += 1
                continue
            raise error_from_response(response, self._key)

    def _pause(self, method: str, path: str, delay: float, reason: str, retry: int) -> None:
        logger.debug(
            "retrying %s %s in %.3f s after %s (retry %d of %d)",
            method,
            path,
            delay,
            reason,
            retry + 1,
            self.max_retries,
        )
        _sleep(delay)

    def _connection_error(
        self, method: str, path: str, exc: requests.RequestException
    ) -> APIConnectionError:
        if isinstance(exc, requests.exceptions.Timeout):
            phase = "connect" if isinstance(exc, requests.exceptions.ConnectTimeout) else "read"
            limit = self.timeout[0] if phase == "connect" else self.timeout[1]
            return APITimeoutError(
                f"{method} {path}: no answer within the {phase} timeout of {limit:g} s"
            )
        detail = self.scrub(str(exc)) or type(exc).__name__
        return APIConnectionError(f"{method} {path}: could not reach the service: {detail}")


def _encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Query pairs in order: ``None`` dropped, sequences repeated, booleans lower-cased."""
    pairs: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            pairs.append((name, text))
    return pairs
