"""Clone, move, format schemas and usage: paths, bodies, exactly-once and input checks."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import requests_mock
from core_support import BASE, FakeTime, make_client, path, query

from ionq_direct import APIError, Client, InvalidInputError, NotFoundError
from ionq_direct.emulator import Emulator
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.policy import Policy

SOURCE = {
    "id": "src",
    "status": "submitted",
    "backend": "qpu.aria-1",
    "metadata": {"user": "kept", CLIENT_TOKEN_KEY: "token-of-the-source"},
}


class FakeCloning:
    """Answers POST /jobs/src/{clone,move} with scripted outcomes and lists what it created."""

    def __init__(self, m: requests_mock.Mocker, action: str, outcomes: list[str]) -> None:
        self.jobs: list[dict[str, Any]] = []
        self.posted: list[dict[str, Any]] = []
        self.outcomes = list(outcomes)
        self.source_active = True
        m.get(f"{BASE}/jobs/src", json=SOURCE)
        m.get(f"{BASE}/jobs", json=lambda request, context: {"jobs": self.jobs, "next": None})
        m.post(f"{BASE}/jobs/src/{action}", json=self.post)

    def post(self, request: Any, context: Any) -> Any:
        body = request.json()
        self.posted.append(body)
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome == "conflict" or not self.source_active:
            context.status_code = 409
            return {"error": "Conflict", "message": "cannot be moved", "statusCode": 409}
        if outcome in ("ok", "created-then-timeout"):
            job = {"id": f"new-{len(self.jobs) + 1}", "status": "submitted", **body}
            self.jobs.insert(0, job)
            self.source_active = False  # a move cancels its source; harmless for clones here
        if outcome == "created-then-timeout":
            raise requests.exceptions.ReadTimeout("read timed out")
        if outcome == "lost-502":
            context.status_code = 502
            return {"error": "Bad Gateway", "message": "upstream", "statusCode": 502}
        context.status_code = 201
        return {"id": self.jobs[0]["id"], "status": "submitted", "session_id": None}


@pytest.fixture
def client(fake_time: FakeTime) -> Client:
    # Reconciliation waits a settle window before any resend: on a fake clock, not for real.
    return make_client(policy=fake_time.policy)


@pytest.mark.parametrize("action", ["clone", "move"])
def test_overrides_are_sent_with_a_token_and_the_given_metadata(
    client: Client, action: str
) -> None:
    with requests_mock.Mocker() as m:
        fake = FakeCloning(m, action, ["ok"])
        method = client.clone_job if action == "clone" else client.move_job
        created = method(
            "src",
            name="again",
            shots=700,
            backend="qpu.forte-1",
            settings={"error_mitigation": {"debiasing": False}},
            metadata={"run": "2"},
            dry_run=True,
            client_token="tok",
        )
        assert [r.method for r in m.request_history] == ["POST"]  # no GET: metadata was given
        assert path(m.last_request) == f"/v0.4/jobs/src/{action}"
    assert created == {"id": "new-1", "status": "submitted", "session_id": None}
    assert fake.posted == [
        {
            "name": "again",
            "shots": 700,
            "backend": "qpu.forte-1",
            "settings": {"error_mitigation": {"debiasing": False}},
            "dry_run": True,
            "metadata": {"run": "2", CLIENT_TOKEN_KEY: "tok"},
        }
    ]


def test_omitted_metadata_is_inherited_with_a_fresh_token(client: Client) -> None:
    with requests_mock.Mocker() as m:
        fake = FakeCloning(m, "clone", ["ok"])
        client.clone_job("src", shots=50)
        assert [r.method for r in m.request_history] == ["GET", "POST"]
    sent = fake.posted[0]["metadata"]
    assert sent["user"] == "kept"
    assert sent[CLIENT_TOKEN_KEY] not in ("", "token-of-the-source")
    assert fake.posted[0]["shots"] == 50
    assert "name" not in fake.posted[0]


@pytest.mark.parametrize("action", ["clone", "move"])
def test_ambiguous_failure_after_creation_finds_the_new_job(client: Client, action: str) -> None:
    with requests_mock.Mocker() as m:
        fake = FakeCloning(m, action, ["created-then-timeout"])
        method = client.clone_job if action == "clone" else client.move_job
        created = method("src", metadata={})
        posts = [r for r in m.request_history if r.method == "POST"]
    assert len(posts) == 1
    assert len(fake.jobs) == 1
    assert created["id"] == "new-1"


def test_clone_lost_to_a_502_is_resent_with_the_same_token(client: Client) -> None:
    with requests_mock.Mocker() as m:
        fake = FakeCloning(m, "clone", ["lost-502", "ok"])
        created = client.clone_job("src", metadata={})
        methods = [r.method for r in m.request_history]
    # POST, then token lookups (GET) through the settle window, then the one resend.
    assert methods[0] == methods[-1] == "POST"
    assert methods.count("POST") == 2 and set(methods[1:-1]) == {"GET"}
    assert created["id"] == "new-1"
    first, second = (body["metadata"][CLIENT_TOKEN_KEY] for body in fake.posted)
    assert first == second


def test_first_move_refused_with_409_is_raised_without_lookup(client: Client) -> None:
    with requests_mock.Mocker() as m:
        FakeCloning(m, "move", ["conflict"])
        with pytest.raises(APIError) as caught:
            client.move_job("src", metadata={})
        assert [r.method for r in m.request_history] == ["POST"]
    assert caught.value.status_code == 409
    assert "cannot be moved" in str(caught.value)


def test_move_resent_after_it_went_through_is_reconciled_not_duplicated(client: Client) -> None:
    # The first POST moved the job but its answer was lost; the listing is made to lag through
    # the whole settle window, so the move is resent, refused with 409 because the source is
    # now canceled, and the lookup after that finds the job the first POST created.
    with requests_mock.Mocker() as m:
        fake = FakeCloning(m, "move", ["created-then-timeout"])

        def lagging(request: Any, context: Any) -> Any:
            posts = sum(r.method == "POST" for r in m.request_history)
            return {"jobs": fake.jobs if posts >= 2 else [], "next": None}

        m.get(f"{BASE}/jobs", json=lagging)
        created = client.move_job("src", metadata={})
        methods = [r.method for r in m.request_history]
    assert methods.count("POST") == 2 and methods[0] == "POST" and methods[-1] == "GET"
    assert len(fake.jobs) == 1
    assert created["id"] == "new-1"


def test_source_not_found_is_raised(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.post(
            f"{BASE}/jobs/gone/clone",
            status_code=404,
            json={"error": "Not Found Error", "message": "Resource not found.", "statusCode": 404},
        )
        with pytest.raises(NotFoundError):
            client.clone_job("gone", metadata={})
        assert m.call_count == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"shots": 0}, "shots"),
        ({"shots": True}, "shots"),
        ({"name": "no/slash"}, "name"),
        ({"backend": ""}, "backend"),
        ({"session_id": 5}, "session_id"),
        ({"settings": "debias"}, "settings"),
        ({"metadata": {"n": 1}}, "metadata"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"noise": {"model": "aria-1", "seed": 2**40}}, "seed"),
        ({"noise": {"model": "aria-1"}, "backend": "qpu.aria-1"}, "simulator"),
        ({"noise": {"model": "aria-1", "extra": 1}}, "noise"),
        ({"noise": "aria-1"}, "noise"),
    ],
)
@pytest.mark.parametrize("action", ["clone_job", "move_job"])
def test_bad_overrides_are_refused_before_any_request(
    client: Client, action: str, kwargs: dict[str, Any], match: str
) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match=match):
        getattr(client, action)("src", **kwargs)
    assert m.call_count == 0


@pytest.mark.parametrize("action", ["clone_job", "move_job"])
def test_empty_job_id_is_refused(client: Client, action: str) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="job_id"):
        getattr(client, action)("")
    assert m.call_count == 0


def test_format_schema_path_and_answer(client: Client) -> None:
    schema = {"$schema": "x", "$id": "ionq.native.v1", "type": "object"}
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/schemas/formats/ionq.native.v1", json=schema)
        assert client.get_format_schema("ionq.native.v1") == schema
        m.get(
            f"{BASE}/schemas/formats/nope",
            status_code=404,
            json={"error": "Not Found Error", "message": "Unknown format.", "statusCode": 404},
        )
        with pytest.raises(NotFoundError):
            client.get_format_schema("nope")
    with pytest.raises(InvalidInputError, match="format_id"):
        client.get_format_schema("")


def test_format_schema_that_is_not_an_object_is_an_api_error(client: Client) -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/schemas/formats/f", json=["not", "a", "schema"])
        with pytest.raises(APIError, match="JSON object"):
            client.get_format_schema("f")


def test_usage_sends_the_four_query_parameters(client: Client) -> None:
    answer = {"group_type": "user", "modality": "weekly", "usage_data": []}
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/organizations/org-1/usage", json=answer)
        got = client.get_usage(
            "org-1",
            start_date=datetime.date(2026, 1, 1),
            end_date="2026-02-01",
            group_by="user",
            modality="weekly",
        )
        assert query(m.last_request) == {
            "start_date": ["2026-01-01"],
            "end_date": ["2026-02-01"],
            "group_by": ["user"],
            "modality": ["weekly"],
        }
    assert got == answer


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start_date": "2026-13-01", "end_date": "2026-02-01"}, "start_date"),
        ({"start_date": "2026-02-01", "end_date": "2026-02-01"}, "after"),
        (
            {"start_date": datetime.datetime(2026, 1, 1), "end_date": "2026-02-01"},
            "not a datetime",
        ),
        ({"start_date": 20260101, "end_date": "2026-02-01"}, "start_date"),
        ({"start_date": "2026-01-01", "end_date": "2026-02-01", "group_by": "team"}, "group_by"),
        ({"start_date": "2026-01-01", "end_date": "2026-02-01", "modality": "yearly"}, "modality"),
    ],
)
def test_bad_usage_queries_are_refused_before_any_request(
    client: Client, kwargs: dict[str, Any], match: str
) -> None:
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match=match):
        client.get_usage("org-1", **kwargs)
    assert m.call_count == 0
    with requests_mock.Mocker() as m, pytest.raises(InvalidInputError, match="organization_id"):
        client.get_usage("", start_date="2026-01-01", end_date="2026-02-01")
    assert m.call_count == 0


# End to end against the emulator -------------------------------------------------------------

BELL = {
    "type": "ionq.circuit.v1",
    "backend": "qpu.aria-1",
    "shots": 100,
    "metadata": {"user": "kept"},
    "input": {
        "qubits": 2,
        "gateset": "qis",
        "circuit": [{"gate": "h", "target": 0}, {"gate": "cnot", "control": 0, "target": 1}],
    },
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(qpu_delay=1.0) as emu:
        yield emu


@pytest.fixture
def live(emulator: Emulator) -> Client:
    return Client(api_key=emulator.api_key, base_url=emulator.url)


def test_clone_and_move_end_to_end(live: Client) -> None:
    source = live.submit(BELL)
    clone = live.clone_job(source.id, shots=200, name="copy")
    cloned = live.get_job(clone["id"])
    assert (cloned["shots"], cloned["name"], cloned["metadata"]["user"]) == (200, "copy", "kept")
    source_token = live.get_job(source.id)["metadata"][CLIENT_TOKEN_KEY]
    assert cloned["metadata"][CLIENT_TOKEN_KEY] != source_token
    moved = live.move_job(source.id, backend="qpu.forte-1")
    assert live.get_job(source.id)["status"] == "canceled"
    record = live.get_job(moved["id"])
    assert record["metadata"]["original_job_id"] == source.id
    assert record["metadata"]["user"] == "kept"
    with pytest.raises(APIError) as caught:
        live.move_job(source.id)
    assert caught.value.status_code == 409
    live.cancel_jobs([clone["id"], moved["id"]])


def test_format_schema_and_usage_end_to_end(live: Client, emulator: Emulator) -> None:
    schema = live.get_format_schema("ionq.result.histogram.json.v1")
    assert schema["$id"] == "ionq.result.histogram.json.v1"
    with pytest.raises(NotFoundError):
        live.get_format_schema("ionq.result.nothing.v0")
    job = live.submit(BELL)
    job.wait(timeout=30)
    sessions = requests.get(
        f"{emulator.url}/sessions",
        headers={"Authorization": f"apiKey {emulator.api_key}"},
        timeout=10,
    )
    organization = sessions.json()["organization_id"]
    today = datetime.datetime.now(datetime.timezone.utc).date()
    report = live.get_usage(
        organization,
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        group_by="job",
    )
    groups = {g["group_id"]: g for day in report["usage_data"] for g in day["group_usages"]}
    assert groups[job.id]["amount"] == live.get_job_cost(job.id)["cost"]["value"]


def test_clones_and_moves_under_dropped_answers_create_one_job_each() -> None:
    # Drops run the request and cut the answer: each POST must be reconciled, never repeated.
    # Retry delays are cut to a millisecond; an injected 503 is answered before anything is
    # stored, so a short settle window is enough to prove a job absent.
    quick = Policy(
        backoff_initial=0.001, backoff_max=0.001, retry_after_max=0.0, reconcile_settle_min=0.2
    )
    with Emulator(faults="drop=0.3,503=0.1", fault_seed=4, qpu_delay=5.0) as emu:
        client = Client(api_key=emu.api_key, base_url=emu.url, max_retries=10, policy=quick)
        sources = [client.submit(BELL) for _ in range(3)]
        clones = [client.clone_job(s.id, metadata={"n": str(i)}) for i, s in enumerate(sources)]
        moves = [client.move_job(s.id) for s in sources]
        assert emu.faults is not None and emu.faults.counts["drop"] > 0
        listed = list(client.list_jobs())
        for job in listed:
            client.cancel_job(job["id"])
    assert len(listed) == 9  # three sources, three clones, three moves: no duplicate
    assert {c["id"] for c in clones} | {m["id"] for m in moves} == {j["id"] for j in listed} - {
        s.id for s in sources
    }
    moved_from = [j["metadata"].get("original_job_id") for j in listed]
    assert sorted(filter(None, moved_from)) == sorted(s.id for s in sources)
