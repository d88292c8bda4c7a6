"""Each ``Client`` method sends the right method, path, query and body, and returns the JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests_mock
from core_support import API_KEY, BASE, make_client, path, query

from ionq_direct import APIError, Client, InvalidInputError, Job
from ionq_direct.policy import Policy


@pytest.fixture
def client() -> Client:
    return make_client()


def test_get_job(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/abc", json={"id": "abc", "status": "ready"})
        assert client.get_job("abc") == {"id": "abc", "status": "ready"}
        assert m.last_request.method == "GET"


def test_job_ids_are_escaped_as_one_path_segment(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(requests_mock.ANY, json={})
        client.get_job("../whoami")
        assert path(m.last_request) == "/v0.4/jobs/..%2Fwhoami"


@pytest.mark.parametrize("bad", ["", None])
def test_empty_ids_are_refused_before_any_request(client: Client, bad: Any) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="job_id"):
        client.get_job(bad)
    assert m.call_count == 0


@pytest.mark.parametrize(
    ("call", "method", "url", "answer"),
    [
        (lambda c: c.cancel_job("j1"), "PUT", "/jobs/j1/status/cancel", {"status": "canceled"}),
        (lambda c: c.delete_job("j1"), "DELETE", "/jobs/j1", {"status": "deleted"}),
        (lambda c: c.get_job_cost("j1"), "GET", "/jobs/j1/cost", {"dry_run": False}),
        (lambda c: c.get_histogram("j1"), "GET", "/jobs/j1/results/histogram", {"0": 3}),
        (lambda c: c.get_shots("j1"), "GET", "/jobs/j1/results/shots", ["1", "0"]),
        (lambda c: c.get_backend("qpu.forte-1"), "GET", "/backends/qpu.forte-1", {"qubits": 36}),
        (
            lambda c: c.get_characterization("qpu.aria-1", "c1"),
            "GET",
            "/backends/qpu.aria-1/characterizations/c1",
            {"id": "c1"},
        ),
        (lambda c: c.get_session("s1"), "GET", "/sessions/s1", {"id": "s1"}),
        (lambda c: c.end_session("s1"), "POST", "/sessions/s1/end", {"status": "ended"}),
        (lambda c: c.whoami(), "GET", "/whoami", {"key_id": "k"}),
    ],
)
def test_simple_endpoints(
    client: Client, call: Callable[[Client], Any], method: str, url: str, answer: Any
) -> None:
    with requests_mock.Mocker() as m:
        m.register_uri(method, BASE + url, json=answer)
        assert call(client) == answer
        assert m.call_count == 1
        assert m.last_request.method == method
        assert query(m.last_request) == {}
        assert m.last_request.body is None


def test_bulk_cancel_and_delete_send_ids_in_the_body(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.put(f"{BASE}/jobs/status/cancel", json={"ids": ["a", "b"], "status": "canceled"})
        m.delete(f"{BASE}/jobs", json={"ids": ["a", "b"], "status": "deleted"})
        assert client.cancel_jobs(["a", "b"])["status"] == "canceled"
        assert m.last_request.json() == {"ids": ["a", "b"]}
        assert m.last_request.headers["Content-Type"] == "application/json"
        assert client.delete_jobs(("a", "b"))["status"] == "deleted"
        assert m.last_request.method == "DELETE"
        assert m.last_request.json() == {"ids": ["a", "b"]}


def test_bulk_ids_must_be_a_list(client: Client) -> None:
    with pytest.raises(InvalidInputError, match="list"):
        client.cancel_jobs("abc")


def test_estimate_job_sends_its_query(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/estimate", json={"estimated_cost": 1.5})
        client.estimate_job(
            "qpu.forte-1",
            type="ionq.circuit.v1",
            qubits=4,
            shots=1000,
            one_qubit_gates=10,
            two_qubit_gates=3,
            error_mitigation=True,
        )
        assert query(m.last_request) == {
            "backend": ["qpu.forte-1"],
            "type": ["ionq.circuit.v1"],
            "qubits": ["4"],
            "shots": ["1000"],
            "1q_gates": ["10"],
            "2q_gates": ["3"],
            "error_mitigation": ["true"],
        }
        client.estimate_job("simulator")
        assert query(m.last_request) == {"backend": ["simulator"]}


def test_probabilities_with_and_without_sharpen(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1/results/probabilities", json={"0": 0.5, "3": 0.5})
        assert client.get_probabilities("j1") == {"0": 0.5, "3": 0.5}
        assert query(m.last_request) == {}
        client.get_probabilities("j1", sharpen=True)
        assert query(m.last_request) == {"sharpen": ["true"]}
        client.get_probabilities("j1", sharpen=False)
        assert query(m.last_request) == {"sharpen": ["false"]}


def test_aggregated_probabilities(client: Client) -> None:
    agg = {"c1": {"0": 1.0}, "c2": {"1": 1.0}}
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/p/results/probabilities/aggregated", json=agg)
        assert client.get_aggregated_probabilities("p") == agg


@pytest.mark.parametrize(
    ("content_type", "content", "expected"),
    [
        ("application/json", b'{"0": 1.0}', {"0": 1.0}),
        ("application/json; charset=utf-8", b"[1, 2]", [1, 2]),
        ("text/plain; charset=utf-8", b"OPENQASM 3.0;", "OPENQASM 3.0;"),
        ("application/octet-stream", b"\x00\x01MIR", b"\x00\x01MIR"),
    ],
)
def test_download_artifact_by_content_type(
    client: Client, content_type: str, content: bytes, expected: Any
) -> None:
    with requests_mock.Mocker() as m:
        m.get(
            f"{BASE}/jobs/j1/artifacts/probabilities",
            content=content,
            headers={"Content-Type": content_type},
        )
        assert client.download_artifact("j1", "probabilities") == expected


def test_json_labelled_garbage_is_an_api_error(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", content=b"{not json", headers={"Content-Type": "application/json"})
        with pytest.raises(APIError, match="not JSON"):
            client.whoami()


@pytest.mark.parametrize(
    "answer", [[{"backend": "simulator"}], {"backends": [{"backend": "simulator"}]}]
)
def test_list_backends_accepts_both_shapes_and_sends_no_key(client: Client, answer: Any) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/backends", json=answer)
        assert client.list_backends() == [{"backend": "simulator"}]
        assert "Authorization" not in m.last_request.headers


def test_list_backends_rejects_other_shapes(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/backends", json={"unexpected": True})
        with pytest.raises(APIError, match="backends"):
            client.list_backends()


def test_create_session(client: Client) -> None:
    settings = {"job_count_limit": 10, "duration_limit_min": 60}
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/sessions", status_code=201, json={"id": "s1", "status": "created"})
        assert client.create_session("qpu.forte-1", settings)["id"] == "s1"
        assert m.last_request.json() == {"backend": "qpu.forte-1", "settings": settings}
        client.create_session("simulator")
        assert m.last_request.json() == {"backend": "simulator"}


@pytest.mark.parametrize(
    "answer", [{"organization_id": "o", "sessions": [{"id": "s1"}]}, [{"id": "s1"}]]
)
def test_list_sessions(client: Client, answer: Any) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/sessions", json=answer)
        assert client.list_sessions() == [{"id": "s1"}]
        assert query(m.last_request) == {}
        client.list_sessions(active=True)
        assert query(m.last_request) == {"active": ["true"]}


def test_list_jobs_sends_filters_and_repeats_ids(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={"jobs": [{"id": "a"}], "next": None})
        jobs = list(
            client.list_jobs(
                status="completed",
                backend="simulator",
                session_id="s1",
                parent_job_id="p1",
                ids=["a", "b"],
                limit=5,
            )
        )
        assert jobs == [{"id": "a"}]
        assert query(m.last_request) == {
            "status": ["completed"],
            "target": ["simulator"],
            "session_id": ["s1"],
            "parent_job_id": ["p1"],
            "ids": ["a", "b"],
            "limit": ["5"],
        }


def test_list_jobs_is_lazy(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={"jobs": [], "next": None})
        client.list_jobs()
        assert m.call_count == 0


def test_list_session_jobs(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(
            f"{BASE}/sessions/s1/jobs",
            [{"json": {"jobs": [{"id": "a"}], "next": "n1"}}, {"json": {"jobs": [{"id": "b"}]}}],
        )
        assert [j["id"] for j in client.list_session_jobs("s1", status="ready")] == ["a", "b"]
        assert query(m.request_history[0]) == {"status": ["ready"]}
        assert query(m.request_history[1]) == {"status": ["ready"], "next": ["n1"]}


def test_list_characterizations_pages_by_number(client: Client) -> None:
    url = f"{BASE}/backends/qpu.aria-1/characterizations"
    with requests_mock.Mocker() as m:
        m.get(
            url,
            [
                {"json": {"characterizations": [{"id": "c1"}], "pages": 1}},
                {"json": {"characterizations": [{"id": "c2"}], "pages": 0}},
            ],
        )
        found = list(
            client.list_characterizations("qpu.aria-1", start="2026-01-01", end="2026-02-01")
        )
        assert [c["id"] for c in found] == ["c1", "c2"]
        assert [query(r) for r in m.request_history] == [
            {"start": ["2026-01-01"], "end": ["2026-02-01"], "limit": ["10"], "page": ["1"]},
            {"start": ["2026-01-01"], "end": ["2026-02-01"], "limit": ["10"], "page": ["2"]},
        ]
        assert all("Authorization" not in r.headers for r in m.request_history)


def test_job_fetches_and_wraps_the_record(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs/j1", json={"id": "j1", "status": "started"})
        job = client.job("j1")
    assert isinstance(job, Job)
    assert (job.id, job.status) == ("j1", "started")


# Bad arguments: a clear InvalidInputError naming the argument, before any request -----------


def _completed_job() -> Job:
    record = {
        "id": "j1",
        "status": "completed",
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": 10,
        "results": {"probabilities": {"url": "/v0.4/jobs/j1/results/probabilities"}},
    }
    return Job(make_client(), "j1", record)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: Client(api_key=123, base_url=BASE), "api_key"),  # type: ignore[arg-type]
        (lambda: Client(api_key=[API_KEY], base_url=BASE), "api_key"),  # type: ignore[arg-type]
        (lambda: Client(API_KEY, base_url=8000), "base URL"),  # type: ignore[arg-type]
        (lambda: make_client(timeout=True), "timeout"),
        (lambda: make_client(timeout="5"), "timeout"),
        (lambda: make_client(timeout=(True, 5)), "timeout"),
        (lambda: make_client(policy="fast"), "policy"),  # type: ignore[arg-type]
        (lambda: make_client().cancel_jobs(None), "job_ids"),  # type: ignore[arg-type]
        (lambda: make_client().cancel_jobs([]), "job_ids"),
        (lambda: make_client().delete_jobs(5), "job_ids"),  # type: ignore[arg-type]
        (lambda: make_client().cancel_jobs(["a", None]), "job_ids"),  # type: ignore[list-item]
        (lambda: list(make_client().list_jobs(ids=7)), "ids"),  # type: ignore[arg-type]
        (lambda: make_client().submit({}, timeout="5"), "timeout"),  # type: ignore[arg-type]
        (lambda: make_client().submit({}, timeout=True), "timeout"),
        (lambda: _completed_job().wait(timeout="5"), "timeout"),  # type: ignore[arg-type]
        (lambda: _completed_job().wait(timeout=True), "timeout"),
        (lambda: _completed_job().wait(callback=5), "callback"),  # type: ignore[arg-type]
        (lambda: _completed_job().counts(shots="x"), "shots"),  # type: ignore[arg-type]
        (lambda: _completed_job().counts(shots=0), "shots"),
        (lambda: _completed_job().counts(shots=1.5), "shots"),  # type: ignore[arg-type]
        (lambda: _completed_job().counts(shots=True), "shots"),
        (lambda: _completed_job().counts(seed=-1), "seed"),
        (lambda: _completed_job().memory(shots=10**12), "shots"),
        (lambda: _completed_job().memory(shots="10"), "shots"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_refused_by_name_before_any_request(
    call: Callable[[], object], named: str
) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match=named) as info:
        call()
    assert m.call_count == 0
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize(
    ("api_key", "base_url"),
    [
        ("https://api.ionq.co/v0.4", API_KEY),  # cirq-ionq's order: Service(url, key)
        ("abc", API_KEY),
        ("abc", f"https://{API_KEY}\\evil/v0.4"),
        ("abc", f"http://{API_KEY}.example/v0.4"),
        ("abc", f"ftp://host/{API_KEY}"),
    ],
)
def test_construction_errors_never_echo_what_may_be_the_key(api_key: str, base_url: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Client(api_key, base_url)
    assert API_KEY not in str(info.value)
    assert API_KEY not in repr(info.value)


def test_swapped_url_and_key_are_named_as_such() -> None:
    with pytest.raises(InvalidInputError, match="swapped"):
        Client("https://api.ionq.co/v0.4", API_KEY)


def test_policy_is_shared_by_the_client_and_its_jobs() -> None:
    policy = Policy(max_retries=1)
    client = make_client(policy=policy)
    assert client.policy is policy
    assert client._transport.max_retries == 1
    assert make_client(policy=policy, max_retries=4)._transport.max_retries == 4
    with pytest.raises(InvalidInputError, match="poll_ratio"):
        Policy(poll_ratio=-1)
    with pytest.raises(InvalidInputError, match="sleep"):
        Policy(sleep=5)  # type: ignore[arg-type]
