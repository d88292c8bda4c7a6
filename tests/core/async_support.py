"""Run one behaviour test against both clients: ``Client`` (requests) and ``AsyncClient`` (httpx).

A test takes the ``api`` fixture (parametrized ``sync`` / ``async``) and writes itself once:

    with api.mocker() as m:                    # requests_mock.Mocker, or HttpxMocker
        m.post(f"{BASE}/jobs", json=handler)   # the same scripting for both
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))

``HttpxMocker`` speaks the part of requests-mock's interface these tests use (``get``/``post``/
``put``/``delete`` with ``json=`` values or ``(request, context)`` callbacks, lists of
responses, ``status_code=``, ``headers=``, ``exc=``; ``request_history`` and ``call_count``),
through ``httpx.MockTransport``. A callback that raises a ``requests`` exception stands for
the same failure in httpx terms, so one script drives both clients' failure handling.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import requests
import requests_mock
from core_support import API_KEY, BASE

from ionq_direct import AsyncClient, AsyncJob, Client, Job


@dataclass
class Context:
    """What a callback may set on the answer (requests-mock's ``context``)."""

    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class RecordedRequest:
    """A request as the mocker saw it: method, url, headers, body, ``json()``."""

    def __init__(self, request: httpx.Request) -> None:
        self.method = request.method
        self.url = str(request.url)
        self.headers = request.headers
        self.body = request.content or None
        self.timeout = request.extensions.get("timeout")

    def json(self) -> Any:
        return jsonlib.loads(self.body or b"null")


def _to_httpx(exc: BaseException, request: httpx.Request) -> BaseException:
    """The httpx failure a ``requests`` exception in a script stands for."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return httpx.ConnectTimeout("connect timed out", request=request)
    if isinstance(exc, requests.exceptions.Timeout):
        return httpx.ReadTimeout("read timed out", request=request)
    if isinstance(exc, requests.exceptions.ConnectionError):
        # A bare ConnectionError proves nothing about sending: an ambiguous drop.
        return httpx.RemoteProtocolError("Server disconnected", request=request)
    return exc


def _bare(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class HttpxMocker:
    """requests-mock's scripting for ``AsyncClient``, via ``httpx.MockTransport``."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.request_history: list[RecordedRequest] = []
        self.transport = httpx.MockTransport(self._handle)

    def __enter__(self) -> HttpxMocker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    @property
    def call_count(self) -> int:
        return len(self.request_history)

    @property
    def last_request(self) -> RecordedRequest:
        return self.request_history[-1]

    def register_uri(
        self, method: str, url: str, responses: list[dict[str, Any]] | None = None, **kw: Any
    ) -> None:
        self._routes[(method.upper(), _bare(url))] = list(responses) if responses else [kw]

    def get(self, url: str, responses: list[dict[str, Any]] | None = None, **kw: Any) -> None:
        self.register_uri("GET", url, responses, **kw)

    def post(self, url: str, responses: list[dict[str, Any]] | None = None, **kw: Any) -> None:
        self.register_uri("POST", url, responses, **kw)

    def put(self, url: str, responses: list[dict[str, Any]] | None = None, **kw: Any) -> None:
        self.register_uri("PUT", url, responses, **kw)

    def delete(self, url: str, responses: list[dict[str, Any]] | None = None, **kw: Any) -> None:
        self.register_uri("DELETE", url, responses, **kw)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        recorded = RecordedRequest(request)
        self.request_history.append(recorded)
        queue = self._routes.get((request.method, _bare(str(request.url))))
        if queue is None:
            raise AssertionError(f"no mocked answer for {request.method} {request.url}")
        spec = queue.pop(0) if len(queue) > 1 else queue[0]
        exc = spec.get("exc")
        if exc is not None:
            raise _to_httpx(exc() if isinstance(exc, type) else exc, request)
        context = Context(status_code=spec.get("status_code", 200))
        context.headers.update(spec.get("headers") or {})
        try:
            if "json" in spec:
                value = spec["json"]
                if callable(value):
                    value = value(recorded, context)
                content = jsonlib.dumps(value).encode()
                context.headers.setdefault("Content-Type", "application/json")
            else:
                text = spec.get("text", "")
                content = (text(recorded, context) if callable(text) else text).encode()
        except requests.RequestException as failure:
            raise _to_httpx(failure, request) from None
        return httpx.Response(context.status_code, headers=context.headers, content=content)


class Api:
    """One of the two clients, with its mocker, its constructor and its way to run a call."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.job_class: type[Job] | type[AsyncJob] = Job if kind == "sync" else AsyncJob
        self._current: HttpxMocker | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def mocker(self) -> Any:
        """A fresh mocker for this client kind (use it as a context manager)."""
        if self.kind == "sync":
            return requests_mock.Mocker()
        self._current = HttpxMocker()
        return self._current

    def client(self, *args: Any, **kwargs: Any) -> Any:
        """A client of this kind; positional ``api_key, base_url`` default to the fake ones."""
        key, url = (list(args) + [API_KEY, BASE][len(args) :])[:2]
        if self.kind == "sync":
            return Client(key, url, **kwargs)
        transport = None if self._current is None else self._current.transport
        return AsyncClient(key, url, http_transport=transport, **kwargs)

    def run(self, value: Any) -> Any:
        """The value of a call: as it is for the sync client, awaited for the async one."""
        if self.kind == "sync":
            return value
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(value)

    def collect(self, iterator: Any) -> list[Any]:
        """Every item of a ``list_*`` iterator, sync or async."""
        if self.kind == "sync":
            return list(iterator)

        async def gather() -> list[Any]:
            return [item async for item in iterator]

        return self.run(gather())  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._loop is not None:
            self._loop.close()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    """Each test once with ``Client`` and once with ``AsyncClient``."""
    made = Api(request.param)
    yield made
    made.close()


Handler = Callable[[Any, Any], Any]
