"""The emulator's hottest reads, answered before the framework: a job, and its results.

A client waiting for a job sends ``GET /jobs/{id}`` again and again, then fetches its results
(``probabilities``, ``histogram``, ``shots``, or a multi-circuit job's aggregated probabilities);
through FastAPI's routing, dependency solving and middleware each of those cost about twice
the work of the answer itself. :class:`FastReads` answers them directly when they succeed,
with the very response object the route would build, so the bytes and headers are the same.
Anything else, and any request that would not succeed (no or a wrong key, an unknown job, a
query string), goes on to the application, which gives its usual answer. A job's record and
small results are read on the event loop itself whenever the store is free, sparing the hop to
a thread.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from ionq_emulator.deps import identity_of
from ionq_emulator.records import API_PREFIX
from ionq_emulator.responses import JSONAnswer
from ionq_emulator.service import EmulatorService, Identity
from ionq_emulator.store import ResultTooLarge

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
#: Stored results up to this many characters are decoded on the event loop (well under a
#: millisecond); longer ones on a worker thread.
INLINE_RESULT_CHARS = 64 * 1024


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
        if match is None or caller(scope, self.service) is None:
            return None
        job_id, kind = match.groups()
        read: Callable[..., Any]
        if kind is None:
            read = functools.partial(self.service.get_job, job_id)
        elif kind == _AGGREGATED:
            read = functools.partial(self.service.aggregated, job_id)
        else:
            read = functools.partial(self.service.result, job_id, kind)
        try:
            content = await self._read(read, results=kind is not None)
        except Exception:  # the application answers it, with its own error body
            return None
        return JSONAnswer(content)

    async def _read(self, read: Callable[..., Any], *, results: bool) -> Any:
        """``read()`` on the event loop when the store is free and the answer small.

        A job's record is one indexed row, and a small job's results a short text: reading
        them costs a fraction of the hop to a worker thread. The loop never waits for the
        store, though: while a write holds it (a big job being stored, results being
        written), and for results longer than :data:`INLINE_RESULT_CHARS`, the read goes to
        a thread as before.
        """
        with self.service.store.uncontended() as free:
            if free:
                try:
                    return read(max_chars=INLINE_RESULT_CHARS) if results else read()
                except ResultTooLarge:
                    pass
        return await run_in_threadpool(read)


def caller(scope: Scope, service: EmulatorService) -> Identity | None:
    """The identity of the request's first ``Authorization`` header, as ``require_key`` reads it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return identity_of(value.decode("latin-1"), service)
    return None


def _is_plain_get(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]
