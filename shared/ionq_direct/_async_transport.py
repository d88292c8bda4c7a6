"""The asyncio HTTP layer: one ``httpx.AsyncClient`` running the shared request plan.

The checks (key, base URL and its plain-http rule, timeouts, headers), the retry decisions,
the error mapping and the redaction are the sync transport's own (``_transport``,
``_attempts``, ``_responses``); this module only performs an attempt with ``httpx`` and
describes its failures as a :class:`~ionq_direct._retry.Failure`. Each attempt runs under
``asyncio.wait_for`` with what is left of its total budget, so a server that trickles its
answer cannot hold a call past its deadline. ``httpx`` is imported here only, so the core
imports without it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import platform
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ionq_direct import _json
from ionq_direct._attempts import Send, request_plan
from ionq_direct._retry import Failure
from ionq_direct._steps import Sleep, drive_async
from ionq_direct._transport import Timeout, _encode_params, _Settings
from ionq_direct.errors import InvalidInputError
from ionq_direct.policy import DEFAULT_POLICY, Policy
from ionq_direct.redaction import redact

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("ionq_direct")

__all__ = ["AsyncTransport", "async_user_agent", "describe_failure"]


def _httpx() -> Any:
    """The ``httpx`` module, or an error naming the extra that installs it."""
    try:
        import httpx
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise InvalidInputError(
            "the asyncio client needs httpx: pip install 'ionq-direct[async]'"
        ) from exc
    return httpx


@functools.cache
def async_user_agent() -> str:
    """``ionq-direct/<version> python/<x.y> httpx/<version>``, built once per process."""
    from ionq_direct import __version__

    major, minor, _ = platform.python_version_tuple()
    return f"ionq-direct/{__version__} python/{major}.{minor} httpx/{_httpx().__version__}"


def describe_failure(exc: BaseException, secret: str) -> Failure:
    """The library-neutral :class:`Failure` for an ``httpx`` (or budget) exception.

    A failure to open the connection (refused, DNS, TLS handshake, connect or pool timeout)
    proves the request never left; a read or write failure, a protocol error or a dropped
    connection after sending is ambiguous.
    """
    httpx = _httpx()
    kind = type(exc).__name__
    detail = redact(str(exc), secret)
    if isinstance(exc, asyncio.TimeoutError):
        return Failure("TimeoutError", detail, never_sent=False, transient=True, expired=True)
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return Failure(kind, detail, never_sent=True, transient=True, timeout="connect")
    if isinstance(exc, httpx.TimeoutException):
        return Failure(kind, detail, never_sent=False, transient=True, timeout="read")
    if isinstance(exc, httpx.ConnectError):
        return Failure(kind, detail, never_sent=True, transient=True)
    transient = isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError))
    transient = transient or isinstance(exc, httpx.DecodingError)
    return Failure(kind, detail, never_sent=False, transient=transient)


class AsyncTransport(_Settings):
    """Sends requests to one IonQ API base URL with one pooled ``httpx.AsyncClient``.

    Takes the same arguments, and checks them the same way, as the sync ``Transport``.
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
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._headers = self._configure(api_key, base_url, timeout, max_retries, headers, policy)
        self._http_transport = http_transport
        self._client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        return f"AsyncTransport(base_url={self.base_url!r})"

    def _session(self) -> httpx.AsyncClient:
        """The pooled client, made on first use (inside the event loop that uses it)."""
        if self._client is None:
            httpx = _httpx()
            headers = {
                **self._headers,
                "User-Agent": async_user_agent(),
                "Accept": "application/json",
            }
            # Plain http is only ever loopback: never through a proxy, never with .netrc creds.
            self._client = httpx.AsyncClient(
                headers=headers,
                trust_env=not self.base_url.lower().startswith("http:"),
                follow_redirects=True,
                transport=self._http_transport,
            )
        return self._client

    async def aclose(self) -> None:
        """Release pooled connections."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    def scrub(self, text: str) -> str:
        """``text`` with the API key removed."""
        return redact(text, self._key)

    async def request(
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

        The arguments, retries, deadlines and errors are those of the sync transport.
        """
        method = method.upper()
        if data is None and json_body is not None:
            data = _json.dumps_checked(json_body)
        headers: dict[str, str] = {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if authenticated:
            headers["Authorization"] = f"apiKey {self._key}"
        query: list[tuple[str, str | int | float | bool | None]] = list(_encode_params(params))
        url = self.base_url + path
        session = self._session()
        httpx = _httpx()

        async def perform(step: Send | Sleep) -> Any:
            if isinstance(step, Sleep):
                await self.policy.async_sleep(step.seconds)
                return None
            limits = httpx.Timeout(
                connect=step.connect, read=step.read, write=step.read, pool=step.connect
            )
            request = session.build_request(
                method, url, params=query, content=data, headers=headers, timeout=limits
            )
            left = step.end - self.policy.clock()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                return await asyncio.wait_for(session.send(request), timeout=left)
            except (httpx.HTTPError, asyncio.TimeoutError) as exc:
                # Described, never raised: the exception holds the request and its headers.
                failure = describe_failure(exc, self._key)
                if self.policy.clock() >= step.end:
                    failure = dataclasses.replace(failure, expired=True)
                return failure

        plan = request_plan(
            method,
            path,
            timeout=self.timeout,
            max_retries=self.max_retries,
            policy=self.policy,
            secret=self._key,
            deadline=deadline,
            read_timeout=read_timeout,
        )
        return await drive_async(plan, perform)
