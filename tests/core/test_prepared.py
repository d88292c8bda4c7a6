"""Requests prepared without ``Session.request``: the same request, sent the same way."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import requests_mock
from core_support import API_KEY, BASE

from ionq_direct import InvalidInputError, _prepared
from ionq_direct._transport import Transport, check_headers

CASES = [
    ("GET", f"{BASE}/jobs/abc", [], None, {}),
    (
        "GET",
        f"{BASE}/jobs",
        [("limit", "5"), ("status", "completed"), ("status", "failed")],
        None,
        {},
    ),
    ("GET", f"{BASE}/jobs", [("q", "a b&c=d/é?#")], None, {}),
    ("GET", f"{BASE}/jobs/a b/ü%20c", [], None, {}),
    ("POST", f"{BASE}/jobs", [], b'{"x": 1}', {"Content-Type": "application/json"}),
    ("DELETE", f"{BASE}/jobs", [], b'{"ids": ["a"]}', {"Content-Type": "application/json"}),
    ("PUT", f"{BASE}/jobs/abc/status/cancel", [], None, {}),
    ("GET", f"{BASE}/backends", [], None, {"Authorization": None, "accept": "text/plain"}),
]


def _session() -> requests.Session:
    session = requests.Session()
    session.headers.update({"Authorization": f"apiKey {API_KEY}", "X-Extra": "1"})
    return session


@pytest.mark.parametrize(("method", "url", "query", "data", "headers"), CASES)
def test_prepared_as_session_request_prepares_it(
    method: str,
    url: str,
    query: list[tuple[str, str]],
    data: bytes | None,
    headers: dict[str, str | None],
) -> None:
    session = _session()
    session.cookies.set("sticky", "lb-7", domain=urlsplit(BASE).hostname, path="/")
    theirs = session.prepare_request(
        requests.Request(method, url, params=query, data=data, headers=headers)
    )
    ours = _prepared.prepare(session, method, url, query=query, data=data, headers=headers)
    assert (ours.method, ours.url, ours.body) == (theirs.method, theirs.url, theirs.body)
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours.headers.get("Cookie") == "sticky=lb-7"


def _send(
    session: requests.Session,
    url: str,
    *,
    query: list[tuple[str, str]] | None = None,
    timeout: tuple[float, float],
) -> requests.Response:
    prepared = _prepared.prepare(session, "GET", url, query=query or [])
    return _prepared.send(session, prepared, timeout=timeout)


def test_the_session_hooks_run() -> None:
    session = _session()
    seen: list[int] = []
    session.hooks["response"].append(lambda response, **_: seen.append(response.status_code))
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={})
        _send(session, f"{BASE}/jobs", timeout=(1.0, 1.0))
    assert seen == [200]


def test_the_session_headers_are_copied_not_shared() -> None:
    session = _session()
    prepared = _prepared.prepare(session, "GET", f"{BASE}/x", headers={"X-Extra": None})
    assert "X-Extra" not in prepared.headers
    assert session.headers["X-Extra"] == "1"


def test_sent_through_session_send_so_mocks_and_timeouts_apply() -> None:
    session = _session()
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={"ok": True})
        answer = _send(session, f"{BASE}/jobs", query=[("limit", "2")], timeout=(1.0, 2.0))
    assert answer.json() == {"ok": True}
    (seen,) = m.request_history
    assert seen.url == f"{BASE}/jobs?limit=2"
    assert seen.headers["Authorization"] == f"apiKey {API_KEY}"
    assert seen.timeout == (1.0, 2.0)


class _CookieHandler(http.server.BaseHTTPRequestHandler):
    """Sets a cookie on ``/first``; answers every path with the Cookie header it was sent."""

    def do_GET(self) -> None:
        body = json.dumps({"cookie": self.headers.get("Cookie")}).encode()
        self.send_response(200)
        if self.path == "/first":
            self.send_header("Set-Cookie", "lb=node-2; Path=/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def cookie_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CookieHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_cookie_the_service_sets_comes_back_on_later_requests(cookie_server: str) -> None:
    session = requests.Session()
    first = _send(session, f"{cookie_server}/first", timeout=(5.0, 5.0))
    second = _send(session, f"{cookie_server}/second", timeout=(5.0, 5.0))
    assert first.json() == {"cookie": None}
    assert second.json() == {"cookie": "lb=node-2"}


def test_environment_settings_are_read_per_request_when_trusted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    session = _session()
    session.trust_env = True
    url = "https://api.ionq.invalid/v0.4/whoami"
    with requests_mock.Mocker() as m:
        m.get(url, json={})
        _send(session, url, timeout=(1.0, 1.0))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        _send(session, url, timeout=(1.0, 1.0))
    first, second = m.request_history
    assert first.verify is True
    assert second.verify == str(bundle)
    assert second.proxies.get("https") == "http://proxy.invalid:3128"


def test_netrc_never_replaces_the_api_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine api.ionq.invalid login someone password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    transport = Transport(API_KEY, "https://api.ionq.invalid/v0.4", max_retries=0)
    assert transport._session.trust_env
    with requests_mock.Mocker() as m:
        m.get("https://api.ionq.invalid/v0.4/whoami", json={})
        transport.request("GET", "/whoami")
        transport.request("GET", "/whoami", authenticated=False)
    keyed, public = m.request_history
    assert keyed.headers["Authorization"] == f"apiKey {API_KEY}"
    assert "Authorization" not in public.headers


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Trace", "a\r\nInjected: 1"),
        ("X-Trace", " s3cret-lead"),
        ("X:s3cret", "v"),
        ("X-T", "s3\ncret"),
    ],
)
def test_headers_no_http_header_may_have_are_refused_before_sending(name: str, value: str) -> None:
    with pytest.raises(InvalidInputError, match="no HTTP header may have") as info:
        check_headers({name: value})
    assert "s3cret" not in str(info.value) and "Injected" not in str(info.value)
