"""The emulator's hottest reads, answered before the framework: a job, and its results.

A client waiting for a job sends ``GET /jobs/{id}`` again and again, then fetches its results
(``probabilities``, ``histogram``, ``shots``, or a multi-circuit job's aggregated probabilities);
through FastAPI's routing, dependency solving and middleware each of those cost about twice
the work of the answer itself. :class:`FastReads` answers them directly when they succeed,
with the very response object the route would build, so the bytes and headers are the same.
Anything else, and any request that would not succeed (no or a wrong key, an unknown job, a
query string), goes on to the application, which gives its usual answer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from ionq_emulator.records import API_PREFIX
from ionq_emulator.responses import JSONAnswer
from ionq_emulator.service import EmulatorService

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PATH = re.compile(
    re.escape(API_PREFIX)
    + r"/jobs/([0-9a-fA-F-]{36})"
    + r"(?:/results/(probabilities/aggregated|probabilities|histogram|shots))?"
)
_AGGREGATED = "probabilities/aggregated"


class FastReads:
    """ASGI wrapper of the emulator app that answers successful job and result reads itself.

    Args:
        app: the emulator's FastAPI application.
        service: the service behind it.
    """

    def __init__(self, app: ASGIApp, service: EmulatorService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a read of a job or its results, or hand the request to the application."""
        answer = await self._answer(scope) if _is_plain_get(scope) else None
        if answer is None:
            await self.app(scope, receive, send)
        else:
            await answer(scope, receive, send)

    async def _answer(self, scope: Scope) -> JSONAnswer | None:
        match = _PATH.fullmatch(scope["path"])
        if match is None or self._caller(scope) is None:
            return None
        job_id, kind = match.groups()
        try:
            if kind is None:
                content = await run_in_threadpool(self.service.get_job, job_id)
            elif kind == _AGGREGATED:
                content = await run_in_threadpool(self.service.aggregated, job_id)
            else:
                content = await run_in_threadpool(self.service.result, job_id, kind)
        except Exception:  # the application answers it, with its own error body
            return None
        return JSONAnswer(content)

    def _caller(self, scope: Scope) -> object | None:
        """The identity of the request's ``Authorization: apiKey`` header, or ``None``."""
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, key = value.decode("latin-1").strip().partition(" ")
                if scheme.lower() != "apikey":
                    return None
                return self.service.identify(key.strip())
        return None


def _is_plain_get(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]
