"""A ``requests.Session`` whose responses are read against a total deadline.

``requests`` only knows per-read timeouts: a server that sends one byte a second keeps a call
with a 2 s read timeout alive for as long as it likes. Here every socket read of a response
(status line, headers and body) first shrinks the socket's timeout to what is left of the
deadline in force (:func:`deadline_scope`), so no response takes longer than its budget, and a
read that ran out of it is flagged for the transport to report as a timeout.

The hook sits where ``http.client`` makes the response's file from the socket; everything else
(pooling, TLS, proxies for https) is ``requests`` and ``urllib3`` as they are.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.poolmanager import PoolManager

__all__ = ["Budget", "deadline_scope", "new_session"]


class Budget:
    """The deadline of the request being sent, on ``clock``; ``expired`` once a read hit it."""

    __slots__ = ("clock", "deadline", "expired")

    def __init__(self, deadline: float, clock: Callable[[], float]) -> None:
        self.deadline = deadline
        self.clock = clock
        self.expired = False

    def left(self) -> float:
        """Seconds left; marks the budget expired when there are none."""
        remaining = self.deadline - self.clock()
        if remaining <= 0:
            self.expired = True
        return remaining


_budget: ContextVar[Budget | None] = ContextVar("ionq_direct_budget", default=None)


@contextlib.contextmanager
def deadline_scope(budget: Budget) -> Iterator[Budget]:
    """Make ``budget`` bound every response read in this context (thread or task)."""
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


class _DeadlineReader(io.RawIOBase):
    """A socket's raw reader that never waits past the budget in force."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._per_read = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        budget = _budget.get()
        if budget is not None:
            remaining = budget.left()
            if remaining <= 0:
                raise TimeoutError("the request's deadline passed")
            limit = remaining if self._per_read is None else min(self._per_read, remaining)
            self._sock.settimeout(limit)
            try:
                return self._raw.readinto(buffer)
            except TimeoutError:
                budget.left()
                raise
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _SocketShim:
    """What ``http.client.HTTPResponse`` needs of a socket: a ``makefile`` for reading."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock))


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(_SocketShim(sock), *args, **kwargs)  # type: ignore[arg-type]


class _HTTPConnection(HTTPConnection):
    response_class = _DeadlineResponse


class _HTTPSConnection(HTTPSConnection):
    response_class = _DeadlineResponse


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _DeadlineAdapter(HTTPAdapter):
    """``HTTPAdapter`` whose pools (direct or through a proxy) read with deadlines."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


def new_session(*, use_environment: bool) -> requests.Session:
    """A session whose responses honour :func:`deadline_scope`.

    Args:
        use_environment: read proxies, ``.netrc`` and CA bundles from the environment, as
            ``requests`` does by default; ``False`` ignores all of them (plain-http loopback
            URLs, which must never travel through a proxy).
    """
    session = requests.Session()
    adapter = _DeadlineAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.trust_env = use_environment
    if not use_environment:
        session.proxies = {}
    return session
