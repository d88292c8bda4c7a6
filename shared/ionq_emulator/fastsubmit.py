"""``POST /jobs`` answered before the framework: read, checked and stored as the route does.

Through FastAPI's routing, dependency solving and middleware, creating a small job took about
30% longer than checking and storing it. :class:`FastSubmit` reads the body, decodes it with
:func:`ionq_emulator.deps.decode_json` and checks it with
:func:`ionq_emulator.validation.validate_job`, the route's own functions, then stores the job
and answers 201 with the response the route would build.

A request that would fail before anything is stored (no or a wrong key, a query string, a body
too large, not JSON, not a valid job) goes on to the application with its body replayed, so
the error it gets is the application's. Once the job is being stored nothing is handed on: an
error from then on is answered as the application's handlers answer it, so no job is ever
stored twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ionq_direct.limits import MAX_BODY_BYTES
from ionq_emulator.app import crash_response, error_response
from ionq_emulator.deps import declared_too_large, decode_json
from ionq_emulator.errors import ApiError
from ionq_emulator.fastpath import ASGIApp, Message, Receive, Scope, Send, caller
from ionq_emulator.records import API_PREFIX
from ionq_emulator.responses import JSONAnswer
from ionq_emulator.service import EmulatorService, Identity
from ionq_emulator.validation import validate_job

log = logging.getLogger(__name__)

_JOBS = API_PREFIX + "/jobs"


class _HandOn(Exception):
    """The request would fail before anything is stored: the application answers it."""


class FastSubmit:
    """ASGI wrapper of the emulator app that creates jobs itself when they are valid.

    Args:
        app: the application (with its other wrappers) to hand every other request to.
        service: the service behind it.
    """

    def __init__(self, app: ASGIApp, service: EmulatorService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Create a valid job, or hand the request to the application."""
        who = self._who(scope)
        if who is None:
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive, MAX_BODY_BYTES)
        replayed = _replay(messages, receive)
        try:
            if body is None:  # too large, or the client went away: the application says so
                raise _HandOn
            answer = await run_in_threadpool(self._create, body, who)
        except _HandOn:
            await self.app(scope, replayed, send)
            return
        await answer(scope, replayed, send)

    def _who(self, scope: Scope) -> Identity | None:
        """The caller of a plain, keyed ``POST /jobs`` this wrapper may answer, else ``None``."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != _JOBS:
            return None
        if scope["query_string"]:
            return None
        for name, value in scope["headers"]:
            if name == b"content-length" and declared_too_large(
                value.decode("latin-1"), MAX_BODY_BYTES
            ):
                return None
        return caller(scope, self.service)

    def _create(self, body: bytes, who: Identity) -> Response:
        """Decode, check and store the job; ``_HandOn`` if it fails before it is stored."""
        try:
            plan = validate_job(decode_json(body))
        except Exception as exc:  # the same checks in the route give the error answer
            raise _HandOn from exc
        try:
            return JSONAnswer(self.service.submit(plan, who), status_code=201)
        except ApiError as exc:
            return error_response(exc)
        except Exception:
            log.exception("creating a job failed")
            return crash_response()


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes | None]:
    """The request's messages as read, and its body (``None`` past ``limit`` or on a disconnect)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return messages, None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Callable[[], Any]:
    """A ``receive`` that gives ``messages`` again, then whatever ``receive`` gives."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
