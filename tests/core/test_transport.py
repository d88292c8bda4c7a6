"""The HTTP layer: construction, headers, timeouts, error mapping, retries and redaction."""

from __future__ import annotations

import email.utils
import logging
import socket
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import requests_mock
from async_support import Api
from core_support import API_KEY, BASE, FakeTime, make_client

from ionq_direct import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Client,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    __version__,
    _transport,
)
from ionq_direct._constants import BACKOFF_JITTER, BACKOFF_MAX, RETRY_AFTER_MAX
from ionq_direct.policy import Policy

# Construction -------------------------------------------------------------------------


def test_key_and_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IONQ_API_KEY", API_KEY)
    monkeypatch.setenv("IONQ_API_URL", "http://127.0.0.1:8123/v0.4/")
    client = Client()
    assert client.base_url == "http://127.0.0.1:8123/v0.4"
    with requests_mock.Mocker() as m:
        m.get("http://127.0.0.1:8123/v0.4/whoami", json={"key_id": "k"})
        client.whoami()
        assert m.last_request.headers["Authorization"] == f"apiKey {API_KEY}"


def test_default_url_is_ionq_cloud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IONQ_API_URL", raising=False)
    assert Client(API_KEY).base_url == "https://api.ionq.co/v0.4"


def test_missing_key_fails_at_construction_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="IONQ_API_KEY"):
        Client(base_url=BASE)
    assert m.call_count == 0


@pytest.mark.parametrize("key", [API_KEY + "\u2026", API_KEY + "\u00e9", "\u200b" + API_KEY])
def test_key_that_cannot_be_a_header_fails_at_construction_without_echoing_it(key: str) -> None:
    # A key copied with a typographic ellipsis or a zero-width space used to reach http.client and
    # fail there as a UnicodeEncodeError whose repr held "apiKey <key>".
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="API key") as info:
        Client(key, BASE).whoami()
    assert m.call_count == 0
    assert API_KEY not in str(info.value)
    assert API_KEY not in repr(info.value)


@pytest.mark.parametrize("url", ["http://api.ionq.co/v0.4", "http://10.0.0.5:8000/v0.4"])
def test_plain_http_to_a_remote_host_is_refused(url: str) -> None:
    with pytest.raises(InvalidInputError, match="https") as info:
        Client(API_KEY, url)
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize(
    "url", ["http://localhost:9/v0.4", "http://127.0.0.1:9/v0.4", "http://[::1]:9/v0.4"]
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert Client(API_KEY, url).base_url == url


def test_repr_shows_the_url_but_never_the_key() -> None:
    client = make_client()
    assert BASE in repr(client)
    assert API_KEY not in repr(client)
    assert API_KEY not in repr(client._transport)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), (1.0,), (1.0, 0)])
def test_bad_timeouts_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="timeout"):
        make_client(timeout=bad)


# Headers and timeouts -----------------------------------------------------------------


def test_user_agent_names_package_python_and_requests() -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", json={})
        make_client().whoami()
        agent = m.last_request.headers["User-Agent"]
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert agent == f"ionq-direct/{__version__} python/{py} requests/{requests.__version__}"


def test_user_agent_is_computed_once_not_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = _transport.platform.python_version_tuple

    def counting() -> tuple[str, str, str]:
        calls.append(1)
        return real()

    monkeypatch.setattr(_transport.platform, "python_version_tuple", counting)
    _transport.user_agent.cache_clear()
    try:
        with requests_mock.Mocker() as m:
            m.get(f"{BASE}/whoami", json={})
            for _ in range(2):
                client = make_client()
                for _ in range(3):
                    client.whoami()
        assert len(calls) == 1
    finally:
        _transport.user_agent.cache_clear()


def test_one_session_is_reused_for_every_request() -> None:
    client = make_client()
    session = client._transport._session
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", json={})
        client.whoami()
        client.whoami()
    assert client._transport._session is session


def test_default_timeout_pair_is_sent_with_every_request() -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", json={})
        m.post(f"{BASE}/sessions", json={"id": "s"}, status_code=201)
        client = make_client()
        client.whoami()
        client.create_session("simulator")
        assert [r.timeout for r in m.request_history] == [(5.0, 60.0), (5.0, 60.0)]


@pytest.mark.parametrize(("given", "sent"), [(2.5, (2.5, 2.5)), ((1, 9), (1.0, 9.0))])
def test_custom_timeout_is_sent(given: object, sent: tuple[float, float]) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", json={})
        make_client(timeout=given).whoami()
        assert m.last_request.timeout == sent


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v0.4"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_read_timeout_is_enforced_on_a_real_socket(silent_server: str) -> None:
    client = Client(API_KEY, silent_server, timeout=(2.0, 0.3), max_retries=0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match=r"read timeout of 0\.3 s") as info:
        client.whoami()
    assert time.monotonic() - started < 2.0
    assert API_KEY not in str(info.value)


def test_refused_connection_is_a_connection_error_and_retried(fake_time: FakeTime) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here now: connections are refused
    client = Client(
        API_KEY, f"http://127.0.0.1:{port}/v0.4", max_retries=2, policy=fake_time.policy
    )
    with pytest.raises(APIConnectionError) as info:
        client.create_session("simulator")  # a POST: retried only because never sent
    assert not isinstance(info.value, APITimeoutError)
    assert fake_time.sleeps == [0.5, 1.0]


# Error mapping ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (413, PayloadTooLargeError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIError),
    ],
)
def test_error_status_maps_to_its_class(api: Api, status: int, cls: type[APIError]) -> None:
    body = {"error": "Some Error", "message": f"thing {status} went wrong", "statusCode": status}
    with api.mocker() as m:
        m.get(f"{BASE}/jobs/j1", status_code=status, json=body, headers={"x-request-id": "req-7"})
        with pytest.raises(cls) as info:
            api.run(api.client(max_retries=0).get_job("j1"))
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.body == body
    assert err.request_id == "req-7"
    assert f"thing {status} went wrong" in str(err)
    assert "req-7" in str(err)


def test_bad_request_exposes_validation_keys(api: Api) -> None:
    body = {
        "error": "Bad Request",
        "message": '"shots" was invalid.',
        "statusCode": 400,
        "validation": {"keys": ["shots"], "source": "body"},
    }
    with api.mocker() as m:
        m.post(f"{BASE}/sessions", status_code=400, json=body)
        with pytest.raises(BadRequestError) as info:
            api.run(api.client().create_session("simulator"))
    assert info.value.validation_keys == ["shots"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"code": "QuotaExceeded", "message": "no credit left"}, "QuotaExceeded: no credit left"),
        ({"error": {"type": "Forbidden", "message": "not yours"}}, "Forbidden: not yours"),
        ({"error": "Not Found Error"}, "Not Found Error"),
    ],
)
def test_other_error_body_shapes_are_understood(
    api: Api, body: dict[str, object], expected: str
) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=403, json=body)
        with pytest.raises(PermissionDeniedError, match=expected):
            api.run(api.client().whoami())


def test_text_error_body_is_quoted(api: Api) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=404, text="<html>gateway says no</html>")
        with pytest.raises(NotFoundError, match="gateway says no") as info:
            api.run(api.client().whoami())
    assert info.value.body == "<html>gateway says no</html>"


def test_rate_limit_error_carries_retry_after(api: Api) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=429, json={}, headers={"Retry-After": "7"})
        with pytest.raises(RateLimitError) as info:
            api.run(api.client(max_retries=0).whoami())
    assert info.value.retry_after == 7.0


# Retries ------------------------------------------------------------------------------


def test_get_retries_retryable_statuses_with_growing_delays(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(
            f"{BASE}/whoami",
            [
                {"status_code": 503, "json": {}},
                {"status_code": 502, "json": {}},
                {"json": {"a": 1}},
            ],
        )
        assert api.run(api.client(policy=fake_time.policy).whoami()) == {"a": 1}
        assert m.call_count == 3
    assert fake_time.sleeps == [0.5, 1.0]


def test_backoff_is_capped(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=500, json={})
        with pytest.raises(ServerError):
            api.run(api.client(policy=fake_time.policy, max_retries=6).whoami())
        assert m.call_count == 7
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0, BACKOFF_MAX, BACKOFF_MAX]


def test_jitter_keeps_delays_within_bounds_and_growing(api: Api) -> None:
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    policy = Policy(sleep=delays.append, async_sleep=record)  # real random jitter
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=503, json={})
        with pytest.raises(ServerError):
            api.run(api.client(max_retries=4, policy=policy).whoami())
    for delay, base in zip(delays, [0.5, 1.0, 2.0, 4.0], strict=True):
        assert base * (1 - BACKOFF_JITTER) <= delay <= base * (1 + BACKOFF_JITTER)
    assert delays == sorted(delays)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413])
def test_client_errors_are_not_retried(api: Api, status: int, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", status_code=status, json={})
        with pytest.raises(APIError):
            api.run(api.client(policy=fake_time.policy).whoami())
        assert m.call_count == 1
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    "exc", [requests.exceptions.ConnectionError, requests.exceptions.ReadTimeout]
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_methods_retry_transport_failures(
    api: Api, method: str, exc: type[Exception], fake_time: FakeTime
) -> None:
    url = f"{BASE}/jobs/j1" + ("/status/cancel" if method == "PUT" else "")
    with api.mocker() as m:
        client = api.client(policy=fake_time.policy)
        call = {
            "GET": lambda: client.get_job("j1"),
            "PUT": lambda: client.cancel_job("j1"),
            "DELETE": lambda: client.delete_job("j1"),
        }[method]
        m.register_uri(method, url, [{"exc": exc}, {"exc": exc}, {"json": {"id": "j1"}}])
        assert api.run(call()) == {"id": "j1"}
        assert m.call_count == 3
    assert fake_time.sleeps == [0.5, 1.0]


def test_transport_failure_after_last_retry_is_raised(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", exc=requests.exceptions.ReadTimeout)
        with pytest.raises(APITimeoutError):
            api.run(api.client(policy=fake_time.policy, max_retries=2).whoami())
        assert m.call_count == 3


def test_retry_after_seconds_is_honoured(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(
            f"{BASE}/whoami",
            [
                {"status_code": 429, "json": {}, "headers": {"Retry-After": "3"}},
                {"status_code": 503, "json": {}, "headers": {"Retry-After": "0"}},
                {"json": {}},
            ],
        )
        api.run(api.client(policy=fake_time.policy).whoami())
    assert fake_time.sleeps == [3.0, 0.0]


def test_retry_after_is_capped(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.get(
            f"{BASE}/whoami",
            [{"status_code": 429, "json": {}, "headers": {"Retry-After": "86400"}}, {"json": {}}],
        )
        api.run(api.client(policy=fake_time.policy).whoami())
    assert fake_time.sleeps == [RETRY_AFTER_MAX]


def test_retry_after_http_date_is_honoured(api: Api, fake_time: FakeTime) -> None:
    now = fake_time.wall
    soon = email.utils.formatdate(now + 42, usegmt=True)
    past = email.utils.formatdate(now - 42, usegmt=True)
    with api.mocker() as m:
        m.get(
            f"{BASE}/whoami",
            [
                {"status_code": 503, "json": {}, "headers": {"Retry-After": soon}},
                {"status_code": 503, "json": {}, "headers": {"Retry-After": past}},
                {"status_code": 503, "json": {}, "headers": {"Retry-After": "soonish"}},
                {"json": {}},
            ],
        )
        api.run(api.client(policy=fake_time.policy).whoami())
    assert fake_time.sleeps == [42.0, 0.0, 2.0]  # unreadable header: ordinary backoff


def test_post_is_not_retried_on_ambiguous_failures(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.post(f"{BASE}/sessions", status_code=502, json={})
        with pytest.raises(ServerError):
            api.run(api.client(policy=fake_time.policy).create_session("simulator"))
        assert m.call_count == 1
        m.post(f"{BASE}/sessions/s1/end", exc=requests.exceptions.ReadTimeout)
        with pytest.raises(APITimeoutError):
            api.run(api.client(policy=fake_time.policy).end_session("s1"))
        assert m.call_count == 2
    assert fake_time.sleeps == []


def test_post_is_retried_when_never_sent_or_rate_limited(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        m.post(
            f"{BASE}/sessions",
            [
                {"exc": requests.exceptions.ConnectTimeout},
                {"status_code": 429, "json": {}, "headers": {"Retry-After": "5"}},
                {"status_code": 201, "json": {"id": "s1"}},
            ],
        )
        assert api.run(api.client(policy=fake_time.policy).create_session("simulator")) == {
            "id": "s1"
        }
        assert m.call_count == 3
    assert fake_time.sleeps == [0.5, 5.0]


# Redaction ----------------------------------------------------------------------------


def test_key_never_leaks_into_errors_or_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    echo = {
        "error": "Unauthorized Error",
        "message": f"Invalid key provided: apiKey {API_KEY}",
        "details": {"received": [API_KEY, {"header": f"apiKey {API_KEY}"}]},
    }
    caplog.set_level(logging.DEBUG, logger="ionq_direct")
    errors: list[BaseException] = []
    with api.mocker() as m:
        client = api.client(max_retries=1)
        m.get(f"{BASE}/whoami", status_code=401, json=echo, headers={"x-request-id": API_KEY})
        m.get(f"{BASE}/jobs/j1", status_code=500, text=f"oops {API_KEY}")
        m.get(f"{BASE}/jobs/j2", exc=requests.exceptions.ConnectionError(f"reset {API_KEY}"))
        for call in (client.whoami, lambda: client.get_job("j1"), lambda: client.get_job("j2")):
            with pytest.raises(Exception) as info:  # any error; checked below
                api.run(call())
            errors.append(info.value)
    assert isinstance(errors[0], AuthenticationError)
    assert "Invalid key provided" in str(errors[0])
    for err in errors:
        texts = [str(err), repr(err), str(getattr(err, "body", "")), str(err.args)]
        texts.append(str(getattr(err, "request_id", "")))
        assert all(API_KEY not in text for text in texts), texts
    assert caplog.records, "debug logging should describe the requests"
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in str(record.args)
    assert API_KEY not in repr(client)


def test_key_never_leaks_from_a_success_answer_that_is_not_json(api: Api) -> None:
    with api.mocker() as m:
        m.get(
            f"{BASE}/whoami",
            text=f"<html>{API_KEY}</html>",
            headers={"Content-Type": "application/json", "x-request-id": API_KEY},
        )
        with pytest.raises(APIError, match="not JSON") as info:
            api.run(api.client().whoami())
    err = info.value
    for text in (str(err), repr(err), str(err.body), str(err.request_id)):
        assert API_KEY not in text


def test_debug_log_names_method_path_status_and_attempt(
    api: Api, caplog: pytest.LogCaptureFixture, fake_time: FakeTime
) -> None:
    caplog.set_level(logging.DEBUG, logger="ionq_direct")
    with api.mocker() as m:
        m.get(f"{BASE}/whoami", [{"status_code": 503, "json": {}}, {"json": {}}])
        api.run(api.client(policy=fake_time.policy).whoami())
    messages = [r.getMessage() for r in caplog.records if r.name == "ionq_direct"]
    assert "GET /whoami -> 503 (attempt 1)" in messages
    assert "GET /whoami -> 200 (attempt 2)" in messages
    assert any(msg.startswith("retrying GET /whoami in 0.500 s") for msg in messages)
    assert not any("Authorization" in msg or "apiKey" in msg for msg in messages)


def test_no_error_reachable_from_ours_holds_the_key(api: Api) -> None:
    # requests' exceptions hold the prepared request, Authorization header included; they used
    # to be the __cause__ of our errors (e.__cause__.request.headers showed the key).
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    client = api.client(API_KEY, f"http://127.0.0.1:{port}/v0.4", max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        api.run(client.whoami())
    seen: list[BaseException] = []
    current: BaseException | None = info.value
    while current is not None:
        seen.append(current)
        request = getattr(current, "request", None)
        assert request is None or API_KEY not in str(request.headers)
        assert API_KEY not in repr(current)
        current = current.__cause__ or current.__context__
    assert len(seen) >= 2  # the cause is kept, only without the request
    assert "refused" in str(seen[-1]).lower() or "connect" in str(seen[-1]).lower()
