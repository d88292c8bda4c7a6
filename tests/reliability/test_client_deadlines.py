"""Deadlines hold against real sockets: a black hole and a server that trickles its answer.

A black hole accepts connections and never answers; the trickling server sends a valid answer
one byte at a time, slower than nothing but faster than any per-read timeout. Each call must end
near its own deadline with the documented error (``APITimeoutError`` for a request,
``JobTimeoutError`` for waiting), and the error chain must not hold the API key.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from core_support import API_KEY, LoopbackServer, json_response, read_request

from ionq_direct import APITimeoutError, Client, Job, JobTimeoutError
from ionq_direct.metadata import CLIENT_TOKEN_KEY

#: Seconds between two bytes of the trickled answer (below every per-read timeout used here).
TRICKLE_INTERVAL = 0.5
#: The answer the trickling server sends, about 100 bytes: 50 s at that pace.
TRICKLED = json_response(b'{"id": "j1", "status": "completed", "backend": "simulator"}')

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def black_hole() -> Iterator[LoopbackServer]:
    """Accepts every connection, reads nothing back, answers nothing."""
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket) -> None:
        holder[0].stopping.wait()

    server = LoopbackServer(handle)
    holder.append(server)
    yield server
    server.stop()


@pytest.fixture
def trickler() -> Iterator[LoopbackServer]:
    """Answers every request correctly, one byte every ``TRICKLE_INTERVAL`` seconds."""
    holder: list[LoopbackServer] = []

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        for i in range(len(TRICKLED)):
            if holder[0].stopping.wait(TRICKLE_INTERVAL):
                return
            conn.sendall(TRICKLED[i : i + 1])

    server = LoopbackServer(handle)
    holder.append(server)
    yield server
    server.stop()


def chain(error: BaseException) -> list[BaseException]:
    """``error`` and every cause and context behind it."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def assert_keyless(error: BaseException) -> None:
    for item in chain(error):
        assert API_KEY not in str(item)
        assert API_KEY not in repr(item)
        request = getattr(item, "request", None)
        assert request is None or API_KEY not in str(getattr(request, "headers", ""))


def test_wait_against_a_black_hole_ends_at_its_timeout(black_hole: LoopbackServer) -> None:
    # Default per-request timeouts (5 s, 60 s) and retries: the wait's 1 s still decides.
    # It used to take 4 x 60 s of read timeouts plus backoff (243.9 s).
    job = Job(Client(API_KEY, black_hole.url), "j1", {"id": "j1", "status": "submitted"})
    started = time.monotonic()
    with pytest.raises(JobTimeoutError, match="j1") as info:
        job.wait(timeout=1.0)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3.0
    assert black_hole.connections >= 1
    assert_keyless(info.value)


def test_a_trickled_answer_is_cut_at_the_attempt_budget(trickler: LoopbackServer) -> None:
    # A 2 s read timeout never fires (a byte comes every 0.5 s); the attempt's total budget
    # (connect + read = 3 s) does. It used to hold the call for the whole trickle.
    client = Client(API_KEY, trickler.url, timeout=(1.0, 2.0), max_retries=0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="time allowed") as info:
        client.get_job("j1")
    elapsed = time.monotonic() - started
    assert 2.5 <= elapsed < 6.0
    assert_keyless(info.value)


def test_wait_against_a_trickling_server_ends_at_its_timeout(trickler: LoopbackServer) -> None:
    job = Job(Client(API_KEY, trickler.url), "j1", {"id": "j1", "status": "submitted"})
    started = time.monotonic()
    with pytest.raises(JobTimeoutError):
        job.wait(timeout=1.5)
    assert time.monotonic() - started < 3.5


def test_submit_against_a_black_hole_ends_at_its_timeout_naming_the_token(
    black_hole: LoopbackServer,
) -> None:
    client = Client(API_KEY, black_hole.url)
    payload = {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "input": {"qubits": 1, "circuit": [{"gate": "h", "target": 0}]},
    }
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="may or may not have been created") as info:
        client.submit(payload, client_token="tok-123", timeout=1.5)
    assert time.monotonic() - started < 3.5
    assert "tok-123" in str(info.value)
    assert CLIENT_TOKEN_KEY in str(info.value)
    assert_keyless(info.value)
