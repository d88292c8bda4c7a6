"""The HTTP layer: one ``requests.Session`` with auth, deadlines, retries and error mapping.

Everything about *how* a request travels lives here; ``client.py`` only says *what* to ask
for. The API key is held privately, sent only in the ``Authorization`` header, and scrubbed
from every error this module raises (whose causes carry no request, so no header either).
Every attempt has a total deadline (connect plus read timeout, cut to the caller's deadline),
enforced on each socket read by ``_http``; sleeps and clocks come from the client's
:class:`~ionq_direct.policy.Policy`.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import platform
import string
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.exceptions import InvalidHeader
from requests.utils import check_header_validity
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from ionq_direct import _json, _prepared
from ionq_direct._attempts import Send, request_plan
from ionq_direct._constants import API_KEY_ENV, CONNECT_TIMEOUT, READ_TIMEOUT
from ionq_direct._http import Budget, deadline_scope, new_session
from ionq_direct._retry import requests_failure
from ionq_direct._steps import Sleep, drive
from ionq_direct.errors import InvalidInputError
from ionq_direct.policy import DEFAULT_POLICY, Policy
from ionq_direct.redaction import redact

logger = logging.getLogger("ionq_direct")

#: A timeout as accepted from users: one number for both phases, or ``(connect, read)``.
Timeout = float | tuple[float, float]

#: Characters a URL's authority (``host[:port]``) may hold: RFC 3986 unreserved, sub-delims,
#: ``:`` and the brackets of an IPv6 literal. No ``\``, ``@``, ``%``, spaces or controls.
_AUTHORITY_CHARS = frozenset(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:[]")
#: What a base URL looks like, for errors that must not echo the (possibly secret) value.
_URL_HINT = "base URL must look like https://host/v0.4 (or http://localhost:port/v0.4)"


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
    if isinstance(timeout, (str, bytes)):
        pair: tuple[object, ...] = (timeout,)
    elif isinstance(timeout, (int, float)):
        pair = (timeout, timeout)
    else:
        try:
            pair = tuple(timeout)
        except TypeError:
            pair = (timeout,)
    if len(pair) != 2 or not all(
        isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t) and t > 0
        for t in pair
    ):
        raise InvalidInputError(
            f"timeout must be a positive number of seconds or a (connect, read) pair, "
            f"got {timeout!r}"
        )
    return (float(pair[0]), float(pair[1]))  # type: ignore[arg-type]


def check_base_url(base_url: object, secret: str = "") -> str:
    """The base URL without a trailing slash, refusing plain http to non-loopback hosts.

    The host is the one ``urllib3`` will connect to; a URL that ``urllib.parse`` reads with a
    different host, or whose authority holds characters no host may contain (a backslash,
    ``@``, ``%``, spaces), is refused. Errors never echo the URL (it may be a misplaced key):
    at most its scheme and host, with ``secret`` scrubbed.
    """
    if not isinstance(base_url, str):
        raise InvalidInputError(f"{_URL_HINT}; got a {type(base_url).__name__}, not a string")
    url = base_url.strip().rstrip("/")
    scheme, _, rest = url.partition("://")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if scheme.lower() not in ("http", "https") or not authority:
        raise InvalidInputError(_URL_HINT)
    if "@" in authority:
        raise InvalidInputError(
            "base URL must not carry credentials; the API key is sent as a header"
        )
    if not set(authority) <= _AUTHORITY_CHARS:
        raise InvalidInputError(
            f"{_URL_HINT}: the host part holds characters no host name has "
            "(a backslash, %, a space or a control character)"
        )
    try:
        parsed = parse_url(url)
        split = urlsplit(url)
        split_host, split_port = split.hostname, split.port
    except (LocationParseError, ValueError):
        raise InvalidInputError(f"{_URL_HINT}: the host or port cannot be read") from None
    host = (parsed.host or "").strip("[]").lower()
    if not host or host != (split_host or "").lower() or parsed.port != split_port:
        raise InvalidInputError(f"{_URL_HINT}: its host is ambiguous")
    if scheme.lower() == "http" and not is_loopback(host):
        shown = redact(host, secret) if secret else host
        raise InvalidInputError(
            f"refusing to send the API key over plain http to {shown!r}: use https:// "
            "(plain http is allowed only for loopback hosts such as localhost or 127.0.0.1)"
        )
    return url


def check_api_key(api_key: object) -> str:
    """The API key, stripped, or a clear error naming ``IONQ_API_KEY`` when there is none.

    Errors never echo the value.
    """
    if api_key is not None and not isinstance(api_key, str):
        raise InvalidInputError(
            f"api_key must be a string (the key from IonQ's cloud console), "
            f"got a {type(api_key).__name__}"
        )
    key = (api_key or "").strip()
    if not key:
        raise InvalidInputError(
            f"no IonQ API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
        )
    if key.lower().startswith(("http://", "https://")):
        raise InvalidInputError(
            "api_key looks like a URL: pass the key as api_key and the URL as base_url "
            "(were the two arguments swapped?)"
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
        raise InvalidInputError(
            f"headers must be a mapping of names to values, got a {type(headers).__name__}"
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInputError("header names and values must be strings")
        if name.strip().lower() == "authorization":
            raise InvalidInputError(
                "headers may not set Authorization: the API key is sent from api_key"
            )
        try:
            check_header_validity((name, value))
        except InvalidHeader:
            raise InvalidInputError(  # neither is echoed: either could hold a secret
                "a header in headers= has a name or value no HTTP header may have "
                "(a line break, leading whitespace, a colon in the name or a control character)"
            ) from None
        checked[name] = value
    return checked


class _Settings:
    """What both transports check and keep from their arguments, checked once for both."""

    _key: str
    base_url: str
    timeout: tuple[float, float]
    max_retries: int
    policy: Policy

    def _configure(
        self,
        api_key: str,
        base_url: str,
        timeout: Timeout | None,
        max_retries: int | None,
        headers: Mapping[str, str] | None,
        policy: Policy,
    ) -> dict[str, str]:
        """Check and keep the settings; returns the checked extra headers."""
        if not isinstance(policy, Policy):
            raise InvalidInputError(f"policy must be a Policy, got a {type(policy).__name__}")
        self._key = check_api_key(api_key)
        self.base_url = check_base_url(base_url, self._key)
        self.timeout = normalize_timeout(timeout)
        if max_retries is None:
            max_retries = policy.max_retries
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidInputError(f"max_retries must be a non-negative int, got {max_retries!r}")
        self.max_retries = max_retries
        self.policy = policy
        return check_headers(headers)


class Transport(_Settings):
    """Sends requests to one IonQ API base URL with one pooled ``requests.Session``.

    Args:
        api_key: the IonQ API key (already resolved from the environment by the caller).
        base_url: the API root, e.g. ``https://api.ionq.co/v0.4``.
        timeout: seconds, or ``(connect, read)`` seconds; ``None`` for the defaults. An
            attempt may take at most connect plus read seconds in all, however the server
            trickles its answer.
        max_retries: retries after the first attempt; ``None`` takes the policy's.
        headers: extra headers sent with every request (they may not set ``Authorization``).
        policy: clocks, sleep and retry numbers.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        policy: Policy = DEFAULT_POLICY,
    ) -> None:
        extra = self._configure(api_key, base_url, timeout, max_retries, headers, policy)
        # Plain http is only ever loopback: never through a proxy, never with .netrc creds.
        self._session = new_session(use_environment=not self.base_url.lower().startswith("http:"))
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
        return redact(text, self._key)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        authenticated: bool = True,
        deadline: float | None = None,
        read_timeout: float | None = None,
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
            deadline: the caller's deadline on the policy's clock; no attempt or retry
                pause runs past it.
            read_timeout: this request's read timeout, instead of the client's.

        Raises:
            APIError: the service answered with an error status (subclass by status).
            APIConnectionError: no answer (``APITimeoutError`` when a timeout or the deadline
                expired).
        """
        method = method.upper()
        if data is None and json_body is not None:
            data = _json.dumps_checked(json_body)
        headers: dict[str, str | None] = {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if not authenticated:
            headers["Authorization"] = None
        query = _encode_params(params)
        url = self.base_url + path
        policy = self.policy

        def perform(step: Send | Sleep) -> Any:
            if isinstance(step, Sleep):
                policy.sleep(step.seconds)
                return None
            budget = Budget(step.end, policy.clock)
            try:
                with deadline_scope(budget):
                    prepared = _prepared.prepare(
                        self._session, method, url, query=query, data=data, headers=headers
                    )
                    return _prepared.send(
                        self._session, prepared, timeout=(step.connect, step.read)
                    )
            except requests.RequestException as exc:
                # Described, never raised: the exception holds the prepared request, and with
                # it the key; the plan raises our error with a key-free cause instead.
                expired = budget.expired or budget.left() <= 0
                return requests_failure(exc, self.scrub(str(exc)), expired=expired)

        plan = request_plan(
            method,
            path,
            timeout=self.timeout,
            max_retries=self.max_retries,
            policy=policy,
            secret=self._key,
            deadline=deadline,
            read_timeout=read_timeout,
        )
        return drive(plan, perform)


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
