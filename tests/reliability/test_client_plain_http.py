"""The key never leaves over plain http to anything but loopback itself.

The loopback check is made on the host urllib3 will connect to (a URL that ``urlsplit`` and
urllib3 read differently is refused), and a plain-http loopback URL never goes through a proxy
named in the environment. https through a proxy keeps working (the key travels inside TLS).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests_mock
from core_support import API_KEY, LoopbackServer, json_response, read_request

from ionq_direct import APIConnectionError, Client, InvalidInputError


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example\\.localhost/v0.4",
        "http://evil.example\\@localhost/v0.4",
        "http://localhost\\@evil.example/v0.4",
        "http://evil.example%2f.localhost/v0.4",
        "http://evil.example .localhost/v0.4",
        "http://evil.example\t.localhost/v0.4",
        "http://127.0.0.1:80@evil.example/v0.4",
        "http://evil.example#.localhost/v0.4",
        "http://evil.example?.localhost/v0.4",
        "http://localhost.evil.example/v0.4",
        "http://127.0.0.1.nip.io/v0.4",
    ],
)
def test_urls_that_only_look_local_are_refused_before_any_request(url: str) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError) as info:
        Client(API_KEY, url).whoami()
    assert m.call_count == 0
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/v0.4",
        "http://LOCALHOST:8000/v0.4",
        "http://api.localhost/v0.4",
        "http://127.0.0.1/v0.4",
        "http://127.5.6.7:1/v0.4",
        "http://[::1]:8000/v0.4",
    ],
)
def test_loopback_urls_are_allowed(url: str) -> None:
    assert Client(API_KEY, url).base_url == url


@pytest.fixture
def recording_proxy() -> Iterator[tuple[LoopbackServer, list[bytes]]]:
    """A "proxy" that records what it is sent and answers nothing useful."""
    seen: list[bytes] = []

    def handle(conn: socket.socket) -> None:
        seen.append(read_request(conn))
        conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        conn.close()

    server = LoopbackServer(handle)
    yield server, seen
    server.stop()


@pytest.fixture
def api() -> Iterator[tuple[LoopbackServer, list[bytes]]]:
    """A loopback "API" answering every request with a small JSON object."""
    seen: list[bytes] = []

    def handle(conn: socket.socket) -> None:
        while True:
            request = read_request(conn)
            if not request:
                return
            seen.append(request)
            conn.sendall(json_response(b'{"key_id": "k"}'))

    server = LoopbackServer(handle)
    yield server, seen
    server.stop()


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_plain_http_to_loopback_never_goes_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
    recording_proxy: tuple[LoopbackServer, list[bytes]],
    api: tuple[LoopbackServer, list[bytes]],
    variable: str,
) -> None:
    proxy, proxied = recording_proxy
    server, served = api
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, f"http://127.0.0.1:{proxy.port}")
    assert Client(API_KEY, server.url, max_retries=0).whoami() == {"key_id": "k"}
    assert proxied == []
    assert proxy.connections == 0
    assert len(served) == 1
    assert f"apiKey {API_KEY}".encode() in served[0]


def test_https_still_uses_the_proxy_and_the_key_stays_inside_tls(
    monkeypatch: pytest.MonkeyPatch, recording_proxy: tuple[LoopbackServer, list[bytes]]
) -> None:
    proxy, proxied = recording_proxy
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
    client = Client(API_KEY, "https://api.ionq.invalid/v0.4", max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        client.whoami()  # the fake proxy refuses the tunnel
    assert len(proxied) == 1
    assert proxied[0].startswith(b"CONNECT api.ionq.invalid:443 ")
    assert API_KEY.encode() not in proxied[0]
    assert API_KEY not in str(info.value)
