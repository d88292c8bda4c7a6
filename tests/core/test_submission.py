"""Exactly-once job submission: one call creates at most one job, whatever fails."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
import requests
import requests_mock
from core_support import BASE, make_client, query

from ionq_direct import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InvalidInputError,
    Job,
    ServerError,
    _submit,
)
from ionq_direct._constants import RECONCILE_MAX_PAGES, RECONCILE_PAGE_SIZE
from ionq_direct.circuit import Circuit
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.payload import build_jobs

PAYLOAD = {
    "type": "ionq.circuit.v1",
    "backend": "simulator",
    "shots": 100,
    "metadata": {"user": "kept"},
    "input": {"qubits": 1, "gateset": "qis", "circuit": [{"gate": "h", "target": 0}]},
}


class FakeService:
    """Records jobs created by POST /jobs and lists them on GET /jobs, newest first."""

    def __init__(self, m: requests_mock.Mocker, post_outcomes: list[str]) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.posted: list[dict[str, Any]] = []
        self.outcomes = list(post_outcomes)
        m.post(f"{BASE}/jobs", json=self.post)
        m.get(f"{BASE}/jobs", json=self.list)

    def post(self, request: Any, context: Any) -> Any:
        body = request.json()
        self.posted.append(body)
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome in ("ok", "created-then-timeout", "created-then-502", "created-then-reset"):
            self.jobs.insert(0, {"id": f"job-{len(self.jobs) + 1}", "status": "submitted", **body})
        if outcome == "created-then-timeout":
            raise requests.exceptions.ReadTimeout("read timed out")
        if outcome == "created-then-reset":
            raise requests.exceptions.ConnectionError("Connection aborted.")
        if outcome in ("created-then-502", "lost-502"):
            context.status_code = 502
            return {"error": "Bad Gateway", "message": "upstream failed", "statusCode": 502}
        if outcome == "refused":
            raise requests.exceptions.ConnectTimeout("connect timed out")
        if outcome == "rate-limited":
            context.status_code = 429
            context.headers["Retry-After"] = "2"
            return {"error": "Too Many Requests", "message": "slow down", "statusCode": 429}
        context.status_code = 201
        job = self.jobs[0]
        return {"id": job["id"], "status": "submitted", "session_id": None}

    def list(self, request: Any, context: Any) -> Any:
        return {"jobs": self.jobs, "next": None}


def tokens(service: FakeService) -> list[str]:
    return [body["metadata"][CLIENT_TOKEN_KEY] for body in service.posted]


def test_token_is_added_to_a_copy_of_the_metadata(recorded_sleeps: list[float]) -> None:
    original = json.loads(json.dumps(PAYLOAD))
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["ok"])
        created = make_client().create_job(PAYLOAD)
    assert created == {"id": "job-1", "status": "submitted", "session_id": None}
    sent = service.posted[0]
    assert sent["metadata"]["user"] == "kept"
    token = sent["metadata"][CLIENT_TOKEN_KEY]
    assert isinstance(token, str)
    assert len(token) == 32
    assert original == PAYLOAD  # the caller's payload is untouched
    assert m.request_history[0].headers["Content-Type"] == "application/json"


def test_each_call_gets_a_fresh_token(recorded_sleeps: list[float]) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["ok", "ok"])
        client = make_client()
        client.create_job(PAYLOAD)
        client.create_job(PAYLOAD)
    assert len(set(tokens(service))) == 2


def test_existing_or_given_token_is_used() -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["ok", "ok"])
        client = make_client()
        client.create_job({**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "mine"}})
        client.create_job(PAYLOAD, client_token="given")
    assert tokens(service) == ["mine", "given"]


def test_conflicting_tokens_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="differs"):
        make_client().create_job({**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "a"}}, client_token="b")


@pytest.mark.parametrize("metadata", [{"shots": 100}, {"flag": None}, ["not", "a", "map"]])
def test_metadata_values_must_be_strings(metadata: Any) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="metadata"):
        make_client().create_job({**PAYLOAD, "metadata": metadata})
    assert m.call_count == 0


def test_non_finite_numbers_are_refused_before_sending() -> None:
    bad = {**PAYLOAD, "input": {"circuit": [{"gate": "rx", "target": 0, "rotation": float("nan")}]}}
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="JSON"):
        make_client().create_job(bad)
    assert m.call_count == 0


def test_serialized_bytes_need_their_token() -> None:
    body = json.dumps({**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "tok-1"}}).encode()
    with pytest.raises(InvalidInputError, match="client_token"):
        make_client().create_job(body)
    with pytest.raises(InvalidInputError, match="does not contain"):
        make_client().create_job(body, client_token="tok-2")
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["ok"])
        make_client().create_job(body, client_token="tok-1")
    assert m.request_history[0].body == body
    assert tokens(service) == ["tok-1"]


def test_prepared_jobs_carry_their_token_to_submission(recorded_sleeps: list[float]) -> None:
    [prepared] = build_jobs(
        [Circuit([{"gate": "h", "target": 0}], 1)], backend="simulator", shots=10
    )
    assert _submit.prepare(prepared) == _submit.Submission(
        prepared.body, prepared.client_token, None
    )
    # The builder's token is trusted as it is: the body is not searched for it.
    unscanned = dataclasses.replace(prepared, client_token="elsewhere")
    assert _submit.prepare(unscanned).token == "elsewhere"
    with pytest.raises(InvalidInputError, match="differs from the prepared job's"):
        make_client().create_job(prepared, client_token="other")
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["created-then-502"])
        job = make_client().submit(prepared)
    assert m.request_history[0].body == prepared.body
    assert tokens(service) == [prepared.client_token]
    assert job.id == service.jobs[0]["id"]  # reconciled by the carried token


@pytest.mark.parametrize(
    "failure", ["created-then-timeout", "created-then-502", "created-then-reset"]
)
def test_ambiguous_failure_after_creation_finds_the_job(
    failure: str, recorded_sleeps: list[float]
) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, [failure])
        created = make_client().create_job(PAYLOAD)
        posts = [r for r in m.request_history if r.method == "POST"]
        lookups = [r for r in m.request_history if r.method == "GET"]
    assert len(posts) == 1
    assert len(service.jobs) == 1
    assert created["id"] == service.jobs[0]["id"]
    assert created["status"] == "submitted"
    assert query(lookups[0]) == {"target": ["simulator"], "limit": [str(RECONCILE_PAGE_SIZE)]}


def test_lookup_that_finds_nothing_resubmits_once_with_the_same_token(
    recorded_sleeps: list[float],
) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["lost-502", "ok"])
        job = make_client().submit(PAYLOAD)
        methods = [r.method for r in m.request_history]
    assert methods == ["POST", "GET", "POST"]
    assert len(service.jobs) == 1
    assert tokens(service)[0] == tokens(service)[1]
    assert isinstance(job, Job)
    assert (job.id, job.status) == ("job-1", "submitted")


def test_connect_failure_on_post_is_retried_without_lookup(recorded_sleeps: list[float]) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["refused", "ok"])
        make_client().create_job(PAYLOAD)
        methods = [r.method for r in m.request_history]
    assert methods == ["POST", "POST"]
    assert len(service.jobs) == 1
    assert recorded_sleeps == [0.5]


def test_rate_limited_post_is_retried_after_retry_after(recorded_sleeps: list[float]) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["rate-limited", "ok"])
        make_client().create_job(PAYLOAD)
    assert [r.method for r in m.request_history] == ["POST", "POST"]
    assert len(service.jobs) == 1
    assert recorded_sleeps == [2.0]


def test_bad_request_is_raised_without_lookup() -> None:
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", status_code=400, json={"error": "Bad Request", "message": "no"})
        with pytest.raises(BadRequestError):
            make_client().create_job(PAYLOAD)
        assert m.call_count == 1


def test_connect_failures_exhausting_retries_are_raised_without_lookup(
    recorded_sleeps: list[float],
) -> None:
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ConnectTimeout)
        with pytest.raises(APITimeoutError):
            make_client(max_retries=2).create_job(PAYLOAD)
        assert [r.method for r in m.request_history] == ["POST"] * 3


def test_repeated_ambiguity_gives_up_naming_the_token(recorded_sleeps: list[float]) -> None:
    with requests_mock.Mocker() as m:
        service = FakeService(m, ["lost-502"] * 5)
        with pytest.raises(ServerError, match="may or may not have been created") as info:
            make_client(max_retries=2).create_job(PAYLOAD)
        methods = [r.method for r in m.request_history]
    assert methods == ["POST", "GET"] * 3
    assert len(set(tokens(service))) == 1
    assert tokens(service)[0] in str(info.value)
    assert info.value.status_code == 502


def test_failed_lookup_reports_an_unknown_outcome(recorded_sleeps: list[float]) -> None:
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ReadTimeout)
        m.get(f"{BASE}/jobs", status_code=503, json={})
        with pytest.raises(APITimeoutError, match="may or may not have been created"):
            make_client(max_retries=1).create_job(PAYLOAD)
        assert [r.method for r in m.request_history] == ["POST", "GET", "GET"]


def test_lookup_scans_a_bounded_number_of_pages(recorded_sleeps: list[float]) -> None:
    pages = iter(range(100))

    def endless(request: Any, context: Any) -> Any:
        n = next(pages)
        jobs = [{"id": f"{n}-{i}", "metadata": {CLIENT_TOKEN_KEY: "other"}} for i in range(100)]
        return {"jobs": jobs, "next": f"cursor-{n}"}

    with requests_mock.Mocker() as m:
        m.post(
            f"{BASE}/jobs",
            [{"status_code": 502, "json": {}}, {"status_code": 201, "json": {"id": "new"}}],
        )
        m.get(f"{BASE}/jobs", json=endless)
        assert make_client().create_job(PAYLOAD)["id"] == "new"
        gets = [r for r in m.request_history if r.method == "GET"]
    assert len(gets) == RECONCILE_MAX_PAGES
    assert query(gets[1])["next"] == ["cursor-0"]


def test_token_found_on_a_later_page(recorded_sleeps: list[float]) -> None:
    def listing(request: Any, context: Any) -> Any:
        if "next" not in query(request):
            return {"jobs": [{"id": "x", "metadata": None}], "next": "p2"}
        token = m.request_history[0].json()["metadata"][CLIENT_TOKEN_KEY]
        return {"jobs": [{"id": "mine", "status": "ready", "metadata": {CLIENT_TOKEN_KEY: token}}]}

    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ReadTimeout)
        m.get(f"{BASE}/jobs", json=listing)
        created = make_client().create_job(PAYLOAD)
    assert created == {"id": "mine", "status": "ready", "session_id": None}
    assert [r.method for r in m.request_history] == ["POST", "GET", "GET"]


def test_post_reset_before_sending_is_not_confused_with_never_sent() -> None:
    # A bare ConnectionError cannot prove the request never left: it must be reconciled.
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ConnectionError)
        m.get(f"{BASE}/jobs", json={"jobs": [], "next": None})
        with pytest.raises(APIConnectionError):
            make_client(max_retries=0).create_job(PAYLOAD)
        assert [r.method for r in m.request_history] == ["POST", "GET"]


def test_ambiguous_multi_circuit_post_finds_the_parent_not_a_child(
    recorded_sleeps: list[float],
) -> None:
    # Children inherit the parent's metadata (token included) and are newer, so a newest-first
    # listing shows them first; a big batch pushes the parent past the scanned pages.
    def listing(request: Any, context: Any) -> Any:
        token = m.request_history[0].json()["metadata"][CLIENT_TOKEN_KEY]
        meta = {CLIENT_TOKEN_KEY: token}
        if query(request).get("ids") == ["parent"]:
            parent = {"id": "parent", "status": "ready", "parent_job_id": None, "metadata": meta}
            return {"jobs": [parent], "next": None}
        children = [
            {"id": f"child-{i}", "parent_job_id": "parent", "metadata": meta} for i in (2, 1)
        ]
        return {"jobs": children, "next": None}

    multi = {**PAYLOAD, "type": "ionq.multi-circuit.v1"}
    with requests_mock.Mocker() as m:
        m.post(f"{BASE}/jobs", status_code=502, json={})
        m.get(f"{BASE}/jobs", json=listing)
        job = make_client().submit(multi)
        assert [r.method for r in m.request_history] == ["POST", "GET", "GET"]
    assert (job.id, job.status) == ("parent", "ready")
