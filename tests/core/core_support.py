"""Constants and helpers for the REST-layer tests (requests-mock based)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ionq_direct import Client
from ionq_direct.circuit import Circuit
from ionq_direct.gates import validate_circuit
from ionq_direct.policy import Policy

#: A recognisable fake key: tests assert it never leaks into errors, reprs or logs.
API_KEY = "ionq-test-key-SECRET-9f8e7d6c5b4a"
#: A base URL no test really reaches (requests-mock answers instead).
BASE = "https://api.test.invalid/v0.4"


def make_client(**kwargs: Any) -> Client:
    """A client on the fake base URL with the fake key."""
    return Client(API_KEY, BASE, **kwargs)


def query(request: Any) -> dict[str, list[str]]:
    """The query string of a recorded request, case preserved, names to all their values."""
    return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


def path(request: Any) -> str:
    """The path of a recorded request, as sent."""
    return urlsplit(request.url).path


def assert_same_as_validated(circuit: Circuit) -> None:
    """A translator's trusted Circuit equals what full validation of its gates would build."""
    counts = validate_circuit(circuit.gates, gateset=circuit.gateset, qubits=circuit.qubits)
    assert (counts.one_qubit, counts.two_qubit) == (
        circuit.one_qubit_gates,
        circuit.two_qubit_gates,
    )
    validated = Circuit(
        circuit.gates,
        circuit.qubits,
        gateset=circuit.gateset,
        measurement_map=circuit.measurement_map,
        registers=circuit.registers,
        name=circuit.name,
        metadata=circuit.metadata,
    )
    for attribute in Circuit.__slots__:
        assert getattr(validated, attribute) == getattr(circuit, attribute), attribute
    assert type(circuit.measurement_map) is tuple and type(circuit.registers) is tuple


class FakeTime:
    """A monotonic clock that moves only when the code under test sleeps, and its policy.

    ``policy`` is a :class:`~ionq_direct.policy.Policy` on this clock with the jitter pinned
    to its midpoint (no spread), for ``Client(..., policy=fake.policy)``.
    """

    def __init__(self, **numbers: object) -> None:
        self.now = 1000.0
        self.wall = 1_800_000_000.0
        self.sleeps: list[float] = []
        self.policy = Policy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            clock=self.clock,
            wall_clock=self.wall_clock,
            jitter=lambda: 0.5,
            **numbers,  # type: ignore[arg-type]
        )

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
        self.wall += seconds

    async def async_sleep(self, seconds: float) -> None:
        """The same fake pause for the asyncio client; other tasks get to run meanwhile."""
        self.sleep(seconds)
        await asyncio.sleep(0)

    def clock(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass without a sleep (time spent in a request)."""
        self.now += seconds
        self.wall += seconds


class LoopbackServer:
    """A tiny TCP server on 127.0.0.1 that hands every connection to ``handle`` in a thread.

    Used to prove deadlines against real sockets: a black hole that accepts and never answers,
    a server that trickles its answer a byte at a time, a recording proxy. Stopping it closes
    the listener and every connection it accepted.
    """

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self._handle = handle
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        """A v0.4 base URL pointing at it."""
        return f"http://127.0.0.1:{self.port}/v0.4"

    @property
    def stopping(self) -> threading.Event:
        """Set when the server is being stopped; handlers should return soon after."""
        return self._stop

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            self._held.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self._handle(conn)

    def stop(self) -> None:
        """Stop accepting and close every connection."""
        self._stop.set()
        self._thread.join()
        for conn in self._held:
            conn.close()
        self._listener.close()


def read_request(conn: socket.socket) -> bytes:
    """Read one HTTP request's head (and its body, by ``Content-Length``) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def json_response(body: bytes, status: str = "200 OK") -> bytes:
    """A complete HTTP/1.1 response carrying ``body`` as JSON."""
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
