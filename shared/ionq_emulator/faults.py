"""Fault injection: answer a fraction of requests with 429, 5xx, a delay or a dropped connection.

The spec is a comma-separated list of ``kind=fraction`` items, for example
``"429=0.1,503=0.05,delay=0.2,drop=0.02"``:

* ``429``: answer 429 with IonQ's body and ``Retry-After: 1``.
* ``500``, ``502``, ``503``, ``504``: answer that status with IonQ's body.
* ``delay``: run the request normally after sleeping ``delay_s`` seconds (default 0.5).
* ``drop``: run the request normally (a ``POST /jobs`` stores its job) and then close the
  connection without sending any response.
* ``delay_s=SECONDS`` is not a fraction: it sets the delay.

Each request draws one number from a seedable generator and falls into at most one fault, so
fractions must add up to at most 1.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from ionq_emulator.errors import (
    RATE_LIMIT_MESSAGE,
    SERVER_ERROR_MESSAGE,
    UNAVAILABLE_MESSAGE,
    error_body,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_STATUS_KINDS = ("429", "500", "502", "503", "504")
KINDS = (*_STATUS_KINDS, "delay", "drop")
DEFAULT_DELAY_SECONDS = 0.5
_MESSAGES = {
    429: RATE_LIMIT_MESSAGE,
    500: SERVER_ERROR_MESSAGE,
    502: "Bad Gateway. This request can be retried; see https://status.ionq.co/",
    503: UNAVAILABLE_MESSAGE,
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class FaultSpec:
    """Parsed fault fractions (kind -> fraction) and the delay length."""

    fractions: dict[str, float] = field(default_factory=dict)
    delay_seconds: float = DEFAULT_DELAY_SECONDS

    @classmethod
    def parse(cls, text: str | None) -> FaultSpec:
        """Parse ``"429=0.1,drop=0.02"``; ``None`` or ``""`` means no faults.

        Raises:
            ValueError: naming the item that is malformed.
        """
        fractions: dict[str, float] = {}
        delay = DEFAULT_DELAY_SECONDS
        for item in (text or "").split(","):
            item = item.strip()
            if not item:
                continue
            kind, sep, value = item.partition("=")
            kind = kind.strip()
            if not sep:
                raise ValueError(f"fault spec item {item!r} is not of the form kind=value")
            try:
                number = float(value)
            except ValueError:
                raise ValueError(
                    f"fault spec item {item!r}: {value.strip()!r} is not a number"
                ) from None
            if kind == "delay_s":
                if not 0 <= number <= 60:
                    raise ValueError(f"fault spec item {item!r}: delay_s must be 0..60 seconds")
                delay = number
                continue
            if kind not in KINDS:
                raise ValueError(
                    f"fault spec item {item!r}: unknown kind {kind!r}; "
                    f"expected one of {', '.join((*KINDS, 'delay_s'))}"
                )
            if kind in fractions:
                raise ValueError(f"fault spec gives {kind!r} twice")
            if not 0 <= number <= 1:
                raise ValueError(f"fault spec item {item!r}: fraction must be between 0 and 1")
            fractions[kind] = number
        if sum(fractions.values()) > 1 + 1e-9:
            raise ValueError("fault spec fractions add up to more than 1")
        return cls(fractions=fractions, delay_seconds=delay)

    def __bool__(self) -> bool:
        return any(v > 0 for v in self.fractions.values())


class FaultInjector:
    """ASGI middleware that applies a :class:`FaultSpec` to every HTTP request.

    Args:
        app: the wrapped ASGI app.
        spec: what to inject.
        seed: seed of the draw sequence, for reproducible tests.
    """

    def __init__(self, app: ASGIApp, spec: FaultSpec, seed: int | None = None) -> None:
        self.app = app
        self.spec = spec
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)

    def choose(self) -> str | None:
        """Draw the fault for one request, or ``None``."""
        with self._lock:
            u = self._random.random()
            edge = 0.0
            for kind in KINDS:
                edge += self.spec.fractions.get(kind, 0.0)
                if u < edge:
                    self.counts[kind] += 1
                    return kind
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection, maybe injecting a fault."""
        if scope["type"] != "http" or not self.spec:
            await self.app(scope, receive, send)
            return
        kind = self.choose()
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "delay":
            await asyncio.sleep(self.spec.delay_seconds)
            await self.app(scope, receive, send)
        elif kind == "drop":
            await self._drop(scope, receive, send)
        else:
            await self._answer(int(kind), send)

    async def _answer(self, status: int, send: Send) -> None:
        body = json.dumps(error_body(status, _MESSAGES[status])).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        if status in (429, 503):
            headers.append((b"retry-after", b"1"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request to the end, swallow the response, then cut the connection."""

        async def swallow(message: Message) -> None:
            return None

        await self.app(scope, receive, swallow)
        # uvicorn's ``send`` is a bound method of the request cycle, which holds the transport.
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionAbortedError("fault injection: dropping the connection")
        transport.abort()
        await asyncio.sleep(0)
