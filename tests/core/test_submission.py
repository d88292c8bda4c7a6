"""Exactly-once job submission: one call creates at most one job, whatever fails."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
import requests
from async_support import Api
from core_support import BASE, FakeTime, query

from ionq_direct import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InvalidInputError,
    ServerError,
    _submit,
)
from ionq_direct._constants import (
    RECONCILE_MAX_PAGES,
    RECONCILE_PAGE_SIZE,
    RECONCILE_SETTLE_MIN,
)
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


#: Pauses between client-token lookups over the default 10 s settle window (jitter pinned).
SETTLE_PAUSES = [0.5, 1.0, 2.0, 4.0, 2.5]


class FakeService:
    """Records jobs created by POST /jobs and lists them on GET /jobs, newest first."""

    def __init__(self, m: Any, post_outcomes: list[str]) -> None:
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


def test_token_is_added_to_a_copy_of_the_metadata(api: Api, fake_time: FakeTime) -> None:
    original = json.loads(json.dumps(PAYLOAD))
    with api.mocker() as m:
        service = FakeService(m, ["ok"])
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
    assert created == {"id": "job-1", "status": "submitted", "session_id": None}
    sent = service.posted[0]
    assert sent["metadata"]["user"] == "kept"
    token = sent["metadata"][CLIENT_TOKEN_KEY]
    assert isinstance(token, str)
    assert len(token) == 32
    assert original == PAYLOAD  # the caller's payload is untouched
    assert m.request_history[0].headers["Content-Type"] == "application/json"


def test_each_call_gets_a_fresh_token(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["ok", "ok"])
        client = api.client(policy=fake_time.policy)
        api.run(client.create_job(PAYLOAD))
        api.run(client.create_job(PAYLOAD))
    assert len(set(tokens(service))) == 2


def test_existing_or_given_token_is_used(api: Api) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["ok", "ok"])
        client = api.client()
        api.run(client.create_job({**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "mine"}}))
        api.run(client.create_job(PAYLOAD, client_token="given"))
    assert tokens(service) == ["mine", "given"]


def test_conflicting_tokens_are_refused(api: Api) -> None:
    with pytest.raises(InvalidInputError, match="differs"):
        api.run(
            api.client().create_job(
                {**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "a"}}, client_token="b"
            )
        )


@pytest.mark.parametrize("metadata", [{"shots": 100}, {"flag": None}, ["not", "a", "map"]])
def test_metadata_values_must_be_strings(api: Api, metadata: Any) -> None:
    with api.mocker() as m, pytest.raises(InvalidInputError, match="metadata"):
        api.run(api.client().create_job({**PAYLOAD, "metadata": metadata}))
    assert m.call_count == 0


def test_non_finite_numbers_are_refused_before_sending(api: Api) -> None:
    bad = {**PAYLOAD, "input": {"circuit": [{"gate": "rx", "target": 0, "rotation": float("nan")}]}}
    with api.mocker() as m, pytest.raises(InvalidInputError, match="JSON"):
        api.run(api.client().create_job(bad))
    assert m.call_count == 0


def test_serialized_bytes_need_their_token(api: Api) -> None:
    body = json.dumps({**PAYLOAD, "metadata": {CLIENT_TOKEN_KEY: "tok-1"}}).encode()
    with pytest.raises(InvalidInputError, match="client_token"):
        api.run(api.client().create_job(body))
    with pytest.raises(InvalidInputError, match="does not contain"):
        api.run(api.client().create_job(body, client_token="tok-2"))
    with api.mocker() as m:
        service = FakeService(m, ["ok"])
        api.run(api.client().create_job(body, client_token="tok-1"))
    assert m.request_history[0].body == body
    assert tokens(service) == ["tok-1"]


def test_prepared_jobs_carry_their_token_to_submission(api: Api, fake_time: FakeTime) -> None:
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
        api.run(api.client(policy=fake_time.policy).create_job(prepared, client_token="other"))
    with api.mocker() as m:
        service = FakeService(m, ["created-then-502"])
        job = api.run(api.client(policy=fake_time.policy).submit(prepared))
    assert m.request_history[0].body == prepared.body
    assert tokens(service) == [prepared.client_token]
    assert job.id == service.jobs[0]["id"]  # reconciled by the carried token


@pytest.mark.parametrize(
    "failure", ["created-then-timeout", "created-then-502", "created-then-reset"]
)
def test_ambiguous_failure_after_creation_finds_the_job(
    api: Api, failure: str, fake_time: FakeTime
) -> None:
    with api.mocker() as m:
        service = FakeService(m, [failure])
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
        posts = [r for r in m.request_history if r.method == "POST"]
        lookups = [r for r in m.request_history if r.method == "GET"]
    assert len(posts) == 1
    assert len(service.jobs) == 1
    assert created["id"] == service.jobs[0]["id"]
    assert created["status"] == "submitted"
    assert query(lookups[0]) == {"target": ["simulator"], "limit": [str(RECONCILE_PAGE_SIZE)]}


def test_lookup_that_finds_nothing_for_the_settle_window_resubmits_with_the_same_token(
    api: Api,
    fake_time: FakeTime,
) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["lost-502", "ok"])
        job = api.run(api.client(policy=fake_time.policy).submit(PAYLOAD))
        methods = [r.method for r in m.request_history]
    # Looked up at once, then with backoff until the settle window has passed, then resent.
    assert methods == ["POST"] + ["GET"] * (len(SETTLE_PAUSES) + 1) + ["POST"]
    assert fake_time.sleeps == SETTLE_PAUSES
    assert sum(fake_time.sleeps) == pytest.approx(RECONCILE_SETTLE_MIN)
    assert len(service.jobs) == 1
    assert tokens(service)[0] == tokens(service)[1]
    assert isinstance(job, api.job_class)
    assert (job.id, job.status) == ("job-1", "submitted")


def test_a_job_still_being_stored_when_the_read_timeout_fires_is_found_not_resent(
    api: Api,
    fake_time: FakeTime,
) -> None:
    # The server is slower than the read timeout: the job appears only after a few lookups.
    # Looking up once and resending (the old behaviour) made a second job.
    pending: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = []
    lookups: list[int] = []

    def post(request: Any, context: Any) -> Any:
        pending.append({"id": f"job-{len(pending) + 1}", "status": "ready", **request.json()})
        raise requests.exceptions.ReadTimeout("read timed out")

    def listing(request: Any, context: Any) -> Any:
        lookups.append(1)
        if len(lookups) == 3:  # stored by now
            jobs.extend(pending)
        return {"jobs": jobs, "next": None}

    with api.mocker() as m:
        m.post(f"{BASE}/jobs", json=post)
        m.get(f"{BASE}/jobs", json=listing)
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert methods == ["POST", "GET", "GET", "GET"]
    assert len(pending) == 1
    assert created == {"id": "job-1", "status": "ready", "session_id": None}
    assert fake_time.sleeps == SETTLE_PAUSES[:2]


def test_token_behind_301_newer_jobs_is_found(api: Api, fake_time: FakeTime) -> None:
    # Another client's 301-circuit batch (301 children, all newer) lands during our lost
    # answer: a lookup that stopped after 300 jobs resubmitted and made a duplicate.
    ours: list[dict[str, Any]] = []
    created_at = "2027-01-15T08:00:00.000Z"  # after FakeTime's wall clock start

    def post(request: Any, context: Any) -> Any:
        ours.append({"id": "mine", "status": "ready", "submitted_at": created_at, **request.json()})
        context.status_code = 504
        return {"error": "Gateway Timeout", "statusCode": 504}

    def listing(request: Any, context: Any) -> Any:
        others = [
            {"id": f"batch-{i}", "parent_job_id": "batch", "submitted_at": created_at}
            for i in range(301)
        ]
        everything = others + ours
        start = int((query(request).get("next") or ["0"])[0])
        size = int(query(request)["limit"][0])
        page = everything[start : start + size]
        after = start + size
        return {"jobs": page, "next": str(after) if after < len(everything) else None}

    with api.mocker() as m:
        m.post(f"{BASE}/jobs", json=post)
        m.get(f"{BASE}/jobs", json=listing)
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert created["id"] == "mine"
    assert methods == ["POST", "GET", "GET", "GET", "GET"]  # four pages of 100, no resend
    assert fake_time.sleeps == []


def test_lookup_stops_at_jobs_older_than_the_submission(api: Api, fake_time: FakeTime) -> None:
    old = "2020-01-01T00:00:00.000Z"

    def listing(request: Any, context: Any) -> Any:
        jobs = [{"id": f"old-{i}", "submitted_at": old, "metadata": None} for i in range(100)]
        return {"jobs": jobs, "next": "more"}

    policy = dataclasses.replace(fake_time.policy, reconcile_settle_min=0.0)
    with api.mocker() as m:
        m.post(
            f"{BASE}/jobs",
            [{"status_code": 502, "json": {}}, {"status_code": 201, "json": {"id": "new"}}],
        )
        m.get(f"{BASE}/jobs", json=listing)
        assert api.run(api.client(policy=policy).create_job(PAYLOAD))["id"] == "new"
        gets = [r for r in m.request_history if r.method == "GET"]
    assert len(gets) == 1  # the first listed job predates the submission: nothing older is ours


def test_connect_failure_on_post_is_retried_without_lookup(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["refused", "ok"])
        api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert methods == ["POST", "POST"]
    assert len(service.jobs) == 1
    assert fake_time.sleeps == [0.5]


def test_rate_limited_post_is_retried_after_retry_after(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["rate-limited", "ok"])
        api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
    assert [r.method for r in m.request_history] == ["POST", "POST"]
    assert len(service.jobs) == 1
    assert fake_time.sleeps == [2.0]


def test_bad_request_is_raised_without_lookup(api: Api) -> None:
    with api.mocker() as m:
        m.post(f"{BASE}/jobs", status_code=400, json={"error": "Bad Request", "message": "no"})
        with pytest.raises(BadRequestError):
            api.run(api.client().create_job(PAYLOAD))
        assert m.call_count == 1


def test_connect_failures_exhausting_retries_are_raised_without_lookup(
    api: Api,
    fake_time: FakeTime,
) -> None:
    with api.mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ConnectTimeout)
        with pytest.raises(APITimeoutError):
            api.run(api.client(policy=fake_time.policy, max_retries=2).create_job(PAYLOAD))
        assert [r.method for r in m.request_history] == ["POST"] * 3


def test_repeated_ambiguity_gives_up_naming_the_token(api: Api, fake_time: FakeTime) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["lost-502"] * 5)
        with pytest.raises(ServerError, match="may or may not have been created") as info:
            api.run(api.client(policy=fake_time.policy, max_retries=2).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert methods == (["POST"] + ["GET"] * (len(SETTLE_PAUSES) + 1)) * 3
    assert len(set(tokens(service))) == 1
    assert tokens(service)[0] in str(info.value)
    assert info.value.status_code == 502


def test_failing_lookups_never_lead_to_a_resend(api: Api, fake_time: FakeTime) -> None:
    # A lookup that fails proves nothing: the outcome is reported as unknown, not resent.
    with api.mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ReadTimeout)
        m.get(f"{BASE}/jobs", status_code=503, json={})
        with pytest.raises(APITimeoutError, match="may or may not have been created") as info:
            api.run(api.client(policy=fake_time.policy, max_retries=1).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert methods.count("POST") == 1
    assert methods[1:] == ["GET"] * len(methods[1:]) and len(methods) > 3
    assert CLIENT_TOKEN_KEY in str(info.value)
    assert sum(fake_time.sleeps) >= RECONCILE_SETTLE_MIN


def test_deadline_during_the_lookups_ends_the_call_naming_the_token(
    api: Api, fake_time: FakeTime
) -> None:
    with api.mocker() as m:
        service = FakeService(m, ["lost-502"])
        with pytest.raises(APITimeoutError, match="deadline") as info:
            api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD, timeout=2.0))
        posts = [r for r in m.request_history if r.method == "POST"]
    assert len(posts) == 1
    assert tokens(service)[0] in str(info.value)
    assert "may or may not have been created" in str(info.value)
    assert sum(fake_time.sleeps) <= 2.0


def test_lookup_scans_a_bounded_number_of_pages(api: Api, fake_time: FakeTime) -> None:
    # Jobs without times, endlessly paged: a lookup still stops after reconcile_max_pages.
    pages = iter(range(1000))

    def endless(request: Any, context: Any) -> Any:
        n = next(pages)
        jobs = [{"id": f"{n}-{i}", "metadata": {CLIENT_TOKEN_KEY: "other"}} for i in range(100)]
        return {"jobs": jobs, "next": f"cursor-{n}"}

    policy = dataclasses.replace(fake_time.policy, reconcile_settle_min=0.0)
    with api.mocker() as m:
        m.post(
            f"{BASE}/jobs",
            [{"status_code": 502, "json": {}}, {"status_code": 201, "json": {"id": "new"}}],
        )
        m.get(f"{BASE}/jobs", json=endless)
        assert api.run(api.client(policy=policy).create_job(PAYLOAD))["id"] == "new"
        gets = [r for r in m.request_history if r.method == "GET"]
    assert len(gets) == RECONCILE_MAX_PAGES
    assert query(gets[1])["next"] == ["cursor-0"]


def test_token_found_on_a_later_page(api: Api, fake_time: FakeTime) -> None:
    def listing(request: Any, context: Any) -> Any:
        if "next" not in query(request):
            return {"jobs": [{"id": "x", "metadata": None}], "next": "p2"}
        token = m.request_history[0].json()["metadata"][CLIENT_TOKEN_KEY]
        return {"jobs": [{"id": "mine", "status": "ready", "metadata": {CLIENT_TOKEN_KEY: token}}]}

    with api.mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ReadTimeout)
        m.get(f"{BASE}/jobs", json=listing)
        created = api.run(api.client(policy=fake_time.policy).create_job(PAYLOAD))
    assert created == {"id": "mine", "status": "ready", "session_id": None}
    assert [r.method for r in m.request_history] == ["POST", "GET", "GET"]


def test_post_reset_before_sending_is_not_confused_with_never_sent(
    api: Api, fake_time: FakeTime
) -> None:
    # A bare ConnectionError cannot prove the request never left: it must be reconciled.
    with api.mocker() as m:
        m.post(f"{BASE}/jobs", exc=requests.exceptions.ConnectionError)
        m.get(f"{BASE}/jobs", json={"jobs": [], "next": None})
        with pytest.raises(APIConnectionError, match="may or may not have been created"):
            api.run(api.client(policy=fake_time.policy, max_retries=0).create_job(PAYLOAD))
        methods = [r.method for r in m.request_history]
    assert methods == ["POST"] + ["GET"] * (len(SETTLE_PAUSES) + 1)


def test_ambiguous_multi_circuit_post_finds_the_parent_not_a_child(
    api: Api,
    fake_time: FakeTime,
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
    with api.mocker() as m:
        m.post(f"{BASE}/jobs", status_code=502, json={})
        m.get(f"{BASE}/jobs", json=listing)
        job = api.run(api.client(policy=fake_time.policy).submit(multi))
        assert [r.method for r in m.request_history] == ["POST", "GET", "GET"]
    assert (job.id, job.status) == ("parent", "ready")
