"""Clone, move, format schemas and usage on the emulator, against the OpenAPI's shapes.

The response shapes are hand-copied from ``ionq-openapi-v0.4.json`` into the table of
``test_schema`` (never read at test time); the result artifacts the emulator writes are
validated with ``jsonschema`` against the schemas the emulator itself serves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from emulator_support import GHZ_INPUT, Api, circuit_job
from test_schema import SCHEMAS, conforms

from ionq_emulator import Emulator

#: ``components.schemas.Formats`` of the OpenAPI: every format id the service knows.
FORMATS = (
    "ionq.result.probabilities.json.v1",
    "ionq.result.probabilities.json.v2",
    "ionq.result.histogram.json.v1",
    "ionq.result.histogram.json.v2",
    "ionq.result.shots.json.v1",
    "ionq.result.shots.json.v2",
    "ionq.result.probabilities-aggregate.json.v1",
    "ionq.native.v1",
)
GROUP_BY = {"job", "project", "user"}
MODALITY = {"daily", "weekly", "monthly"}
_AMOUNT = "[UsageAmount]"
SCHEMAS.update(
    {
        "FormatSchemaDocument": (
            False,
            {"*$schema": "str", "*$id": "str", "*type": "str", "description": "str"},
        ),
        "UsageAmount": (False, {"amount": "num", "unit": "str"}),
        "GroupUsage": (
            False,
            {
                "amount": "num", "amount_unit": "str", "amounts": _AMOUNT, "group_id": "str",
                "group_name": "str", "job_count": "int", "time_us": "num",
            },
        ),
        "Usage": (
            False,
            {
                "*from": "str", "*job_count": "int", "*amount": "num", "amount_unit": "str",
                "amounts": _AMOUNT, "*time_us": "num", "*group_usages": "[GroupUsage]",
            },
        ),
        # ``start_date`` and ``end_date`` are listed as required though not as properties.
        "Usages": (
            False,
            {
                "amount_total": "num", "amount_totals": _AMOUNT, "*group_type": GROUP_BY,
                "job_count": "int", "*modality": MODALITY, "organization": "str",
                "time_us_total": "num", "usage_data": "[Usage]", "usage_from": "iso",
                "usage_to": "iso", "usage_unit": "str", "*start_date": "str",
                "*end_date": "str",
            },
        ),
    }
)  # fmt: skip
NATIVE_CIRCUIT = [
    {"gate": "gpi2", "target": 0, "phase": 0.25},
    {"gate": "gpi", "targets": [1], "phase": -0.5},
    {"gate": "ms", "targets": [0, 1], "phases": [0, 0.25]},
    {"gate": "ms", "targets": [1, 2], "phases": [0.1, 0.2], "angle": 0.125},
    {"gate": "zz", "targets": [0, 2], "angle": 0.1},
]


def _check(value: Any, schema: str) -> None:
    problems = conforms(value, schema)
    assert not problems, "\n".join(problems)


def _error(response: Any, status: int, keys: list[str] | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert {"error", "message", "statusCode"} <= set(body)
    assert body["statusCode"] == status
    if keys is not None:
        assert body["validation"]["keys"] == keys
    return body


def _schema(api: Api, format_id: str) -> dict[str, Any]:
    response = api.get(f"/schemas/formats/{format_id}")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _validate(api: Api, format_id: str, value: Any) -> None:
    jsonschema.validate(value, _schema(api, format_id))


def _organization(api: Api) -> str:
    return str(api.get("/sessions").json()["organization_id"])


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[Emulator]:
    """An emulator whose QPU jobs wait in the queue long enough to be moved."""
    with Emulator(workers=1, qpu_delay=3.0) as emu:
        yield emu


@pytest.fixture(scope="module")
def slow(slow_emulator: Emulator) -> Api:
    return Api(slow_emulator)


# Clone -------------------------------------------------------------------------------------


def test_clone_runs_the_same_circuit_as_a_new_job_with_overrides(api: Api) -> None:
    source = api.run(circuit_job(GHZ_INPUT["circuit"], name="first", metadata={"k": "v"}))
    response = api.post(f"/jobs/{source['id']}/clone", json={"name": "second", "shots": 321})
    assert response.status_code == 201, response.text
    _check(response.json(), "JobCreationResponse")
    copy = api.wait(response.json()["id"])
    assert copy["id"] != source["id"]
    assert copy["status"] == "completed"
    assert (copy["name"], copy["shots"], copy["metadata"]) == ("second", 321, {"k": "v"})
    assert copy["stats"] == source["stats"]
    probabilities = api.get(f"/jobs/{copy['id']}/results/probabilities").json()
    assert probabilities == api.get(f"/jobs/{source['id']}/results/probabilities").json()
    assert api.get(f"/jobs/{source['id']}").json() == source  # the source is left unchanged


def test_clone_of_a_noisy_job_reproduces_its_seeded_counts_and_can_change_the_model(
    api: Api,
) -> None:
    body = circuit_job(GHZ_INPUT["circuit"], shots=200, noise={"model": "aria-1", "seed": 11})
    source = api.run(body)
    copy = api.wait(api.post(f"/jobs/{source['id']}/clone", json={}).json()["id"])
    assert copy["noise"] == {"model": "aria-1", "seed": 11}
    histogram = api.get(f"/jobs/{copy['id']}/results/histogram").json()
    assert histogram == api.get(f"/jobs/{source['id']}/results/histogram").json()
    ideal = api.post(f"/jobs/{source['id']}/clone", json={"noise": {"model": "ideal"}})
    assert api.wait(ideal.json()["id"])["noise"] == {"model": "ideal"}


def test_clone_of_a_multi_circuit_job_keeps_every_circuit_in_order(api: Api) -> None:
    circuits = [
        {"name": "zero", "circuit": [{"gate": "x", "targets": [0]}]},
        {"name": "one", "circuit": [{"gate": "x", "targets": [1]}]},
    ]
    multi = {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "input": {"gateset": "qis", "qubits": 2, "circuits": circuits},
    }
    source = api.run(multi)
    copy = api.wait(api.post(f"/jobs/{source['id']}/clone", json={}).json()["id"])
    assert copy["type"] == "ionq.multi-circuit.v1"
    children = [api.get(f"/jobs/{c}").json() for c in copy["child_job_ids"]]
    assert [c["name"] for c in children] == ["zero", "one"]
    aggregated = api.get(f"/jobs/{copy['id']}/results/probabilities/aggregated").json()
    assert list(aggregated.values()) == [{"1": 1.0}, {"2": 1.0}]


def test_clone_overrides_are_validated_like_a_new_job(api: Api) -> None:
    source = api.run(circuit_job([{"gate": "h", "targets": [0]}]))
    clone = f"/jobs/{source['id']}/clone"
    _error(api.post(clone, json={"shots": 0}), 400, ["shots"])
    _error(api.post(clone, json={"backend": "qpu.nowhere"}), 400, ["backend"])
    _error(api.post(clone, json={"name": "bad/name"}), 400, ["name"])
    _error(api.post(clone, json={"metadata": {"n": 1}}), 400, ["metadata.n"])
    _error(api.post(clone, json={"input": {}}), 400, ["input"])
    _error(api.post(clone, json={"parent": source["id"]}), 400, ["parent"])
    _error(api.post(clone, json=[1]), 400, [])
    _error(api.post(clone, data=b""), 400, [])
    _error(api.post("/jobs/no-such-job/clone", json={}), 404)


def test_clone_to_a_qpu_drops_the_simulator_noise_and_sets_debiasing_again(api: Api) -> None:
    source = api.run(circuit_job(GHZ_INPUT["circuit"], noise={"model": "aria-1", "seed": 1}))
    moved = api.post(f"/jobs/{source['id']}/clone", json={"backend": "qpu.aria-1", "shots": 600})
    copy = api.wait(moved.json()["id"])
    assert copy["backend"] == "qpu.aria-1"
    assert "noise" not in copy
    assert copy["settings"]["error_mitigation"] == {"debiasing": True}
    back = api.post(f"/jobs/{copy['id']}/clone", json={"shots": 100})
    assert api.wait(back.json()["id"])["settings"]["error_mitigation"] == {"debiasing": False}


def test_the_new_routes_need_a_key(emulator: Emulator) -> None:
    anonymous = Api(emulator, key="not-a-key")
    organization = _organization(Api(emulator))
    params = {"start_date": "2026-01-01", "end_date": "2026-02-01"}
    params |= {"group_by": "job", "modality": "daily"}
    for response in (
        anonymous.post("/jobs/x/clone", json={}),
        anonymous.post("/jobs/x/move", json={}),
        anonymous.get("/schemas/formats/ionq.native.v1"),
        anonymous.get(f"/organizations/{organization}/usage", params=params),
    ):
        _error(response, 401)


# Move --------------------------------------------------------------------------------------


def test_move_clones_a_queued_job_and_cancels_the_source(slow: Api) -> None:
    body = circuit_job(GHZ_INPUT["circuit"], backend="qpu.aria-1", metadata={"k": "v"})
    source_id = slow.submit(body)
    response = slow.post(f"/jobs/{source_id}/move", json={"backend": "qpu.forte-1"})
    assert response.status_code == 201, response.text
    _check(response.json(), "JobCreationResponse")
    source = slow.get(f"/jobs/{source_id}").json()
    assert source["status"] == "canceled"
    moved = slow.get(f"/jobs/{response.json()['id']}").json()
    assert moved["backend"] == "qpu.forte-1"
    assert moved["metadata"] == {"k": "v", "original_job_id": source_id}
    assert moved["stats"]["gate_counts"] == source["stats"]["gate_counts"]
    again = _error(slow.post(f"/jobs/{source_id}/move", json={}), 409)
    assert again["error"] == "Conflict"
    slow.put(f"/jobs/{moved['id']}/status/cancel")


def test_moving_an_ended_job_is_a_conflict_and_creates_nothing(api: Api) -> None:
    source = api.run(circuit_job([{"gate": "x", "targets": [0]}]))
    before = api.get("/jobs", params={"limit": 1}).json()["jobs"][0]["id"]
    _error(api.post(f"/jobs/{source['id']}/move", json={"shots": 5}), 409)
    assert api.get("/jobs", params={"limit": 1}).json()["jobs"][0]["id"] == before
    assert api.get(f"/jobs/{source['id']}").json()["status"] == "completed"


def test_a_refused_move_leaves_its_source_queued(slow: Api) -> None:
    source_id = slow.submit(circuit_job(GHZ_INPUT["circuit"], backend="qpu.aria-1"))
    _error(slow.post(f"/jobs/{source_id}/move", json={"shots": -1}), 400, ["shots"])
    assert slow.get(f"/jobs/{source_id}").json()["status"] in {"submitted", "ready", "started"}
    slow.put(f"/jobs/{source_id}/status/cancel")


# Format schemas ----------------------------------------------------------------------------


@pytest.mark.parametrize("format_id", FORMATS)
def test_every_format_has_a_real_json_schema(api: Api, format_id: str) -> None:
    document = _schema(api, format_id)
    _check(document, "FormatSchemaDocument")
    assert document["$id"] == format_id
    jsonschema.validators.validator_for(document).check_schema(document)


def test_unknown_format_is_an_ionq_404(api: Api) -> None:
    body = _error(api.get("/schemas/formats/ionq.result.nothing.json.v9"), 404)
    assert body["error"] == "Not Found Error"


def _descriptors(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in job["results"].items() if "format" in v}


def test_every_artifact_the_emulator_writes_matches_its_served_schema(api: Api) -> None:
    ideal = api.run(circuit_job(GHZ_INPUT["circuit"]))
    noisy = api.run(circuit_job(GHZ_INPUT["circuit"], shots=300, noise={"model": "aria-1"}))
    qpu = api.run(circuit_job(GHZ_INPUT["circuit"], backend="qpu.forte-1", shots=50))
    multi = api.run(
        {
            "type": "ionq.multi-circuit.v1",
            "backend": "simulator",
            "noise": {"model": "forte-1", "seed": 2},
            "input": {"gateset": "qis", "circuits": [{"circuit": GHZ_INPUT["circuit"]}] * 3},
        }
    )
    seen = set()
    for job in (ideal, noisy, qpu, multi):
        assert job["status"] == "completed"
        for format_id, descriptor in _descriptors(job).items():
            artifact = api.get(f"/jobs/{job['id']}/artifacts/{descriptor['id']}")
            assert artifact.status_code == 200, artifact.text
            _validate(api, format_id, artifact.json())
            seen.add(format_id)
    assert seen == {f for f in FORMATS if f.endswith(".v1") and f.startswith("ionq.result.")}
    # The legacy result routes serve the same formats.
    _validate(
        api,
        "ionq.result.shots.json.v1",
        api.get(f"/jobs/{noisy['id']}/results/shots").json(),
    )


def test_result_schemas_refuse_what_is_not_their_format(api: Api) -> None:
    wrong = {
        "ionq.result.probabilities.json.v1": [{"0x1": 0.5}, {"1": 1.5}, ["1"]],
        "ionq.result.histogram.json.v1": [{"1": 0.5}, {"1": -1}, {"01": 3}],
        "ionq.result.shots.json.v1": [[1, 2], ["0b1"], {"0": 1}],
        "ionq.result.probabilities-aggregate.json.v1": [{"job": {"x": 1}}, {"job": 0.5}],
        "ionq.result.probabilities.json.v2": [{"1": 1.0}, {"probabilities": {"0": 1}}],
        "ionq.result.shots.json.v2": [{"shots": [{"registers": {"out": [2]}}]}],
    }
    for format_id, values in wrong.items():
        schema = _schema(api, format_id)
        for value in values:
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(value, schema)


def test_v2_schemas_accept_the_register_nested_examples(api: Api) -> None:
    # The register-nested shapes IonQ's OpenAPI and SDK tests give (not emitted by the
    # emulator today).
    registers = {"output_all": {"11": 0.5, "00": 0.5}}
    _validate(api, "ionq.result.probabilities.json.v2", {"probabilities": {"registers": registers}})
    counts = {"histogram": {"registers": {"output_all": {"11": 3, "00": 5}, "c": {"1": 8}}}}
    _validate(api, "ionq.result.histogram.json.v2", counts)
    shots = {
        "shots": [{"registers": {"output_all": [1, 0]}}, {"registers": {"output_all": [0, 0]}}]
    }
    _validate(api, "ionq.result.shots.json.v2", shots)


def test_native_circuit_schema_matches_what_the_emulator_runs(api: Api) -> None:
    native_input = {"gateset": "native", "qubits": 3, "circuit": NATIVE_CIRCUIT}
    _validate(api, "ionq.native.v1", native_input)
    job = api.run(circuit_job(NATIVE_CIRCUIT, gateset="native", qubits=3))
    assert job["status"] == "completed"
    schema = _schema(api, "ionq.native.v1")
    for gate in (
        {"gate": "gpi", "target": 0, "phase": 2},
        {"gate": "gpi2", "target": 0, "targets": [0], "phase": 0},
        {"gate": "ms", "targets": [0], "phases": [0, 0]},
        {"gate": "ms", "targets": [0, 1], "phases": [0, 0], "angle": 0.5},
        {"gate": "zz", "targets": [0, 1]},
        {"gate": "h", "target": 0},
    ):
        body = {"qubits": 2, "circuit": [gate]}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(body, schema)
        assert api.post("/jobs", json=circuit_job([gate], gateset="native")).status_code == 400


# Usage -------------------------------------------------------------------------------------


def _usage(api: Api, organization: str, **params: str) -> Any:
    return api.get(f"/organizations/{organization}/usage", params=params)


def _charged_qpu_jobs(api: Api) -> list[dict[str, Any]]:
    jobs, cursor = [], None
    while True:
        page = api.get("/jobs", params={"limit": 1000, "next": cursor}).json()
        jobs += page["jobs"]
        cursor = page["next"]
        if cursor is None:
            break
    return [
        j
        for j in jobs
        if j["status"] == "completed"
        and j["backend"].startswith("qpu.")
        and not j["parent_job_id"]
        and not j["dry_run"]
    ]


def test_usage_sums_the_costs_of_completed_qpu_jobs(api: Api) -> None:
    for shots in (100, 2000):
        api.run(circuit_job(GHZ_INPUT["circuit"], backend="qpu.aria-1", shots=shots, name="u"))
    api.run(circuit_job(GHZ_INPUT["circuit"], backend="qpu.aria-1", dry_run=True))
    organization = _organization(api)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    window = {
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(1)).isoformat(),
    }
    expected = _charged_qpu_jobs(api)
    costs = {j["id"]: api.get(f"/jobs/{j['id']}/cost").json()["cost"]["value"] for j in expected}
    report = _usage(api, organization, group_by="job", modality="daily", **window).json()
    _check(report, "Usages")
    assert report["organization"] == organization
    assert report["job_count"] == len(expected)
    assert report["amount_total"] == pytest.approx(sum(costs.values()))
    assert report["amount_totals"] == [{"amount": report["amount_total"], "unit": "usd"}]
    [day] = report["usage_data"]
    assert day["from"] == today.isoformat()
    assert day["job_count"] == len(expected)
    groups = day["group_usages"]
    assert len(groups) == min(5, len(expected))
    assert [g["amount"] for g in groups] == sorted((g["amount"] for g in groups), reverse=True)
    for group in groups:
        assert group["amount"] == pytest.approx(costs[group["group_id"]])
    by_project = _usage(api, organization, group_by="project", modality="monthly", **window)
    [month] = by_project.json()["usage_data"]
    [project] = month["group_usages"]
    assert project["job_count"] == len(expected)
    assert project["group_id"] == api.get(f"/jobs/{expected[0]['id']}").json()["project_id"]
    by_user = _usage(api, organization, group_by="user", modality="weekly", **window).json()
    assert by_user["usage_data"][0]["group_usages"][0]["group_name"] == "emulator-key-1"
    _check(by_user, "Usages")


def test_usage_outside_the_window_is_empty(api: Api) -> None:
    report = _usage(
        api,
        _organization(api),
        start_date="2000-01-01",
        end_date="2000-03-01",
        group_by="user",
        modality="weekly",
    ).json()
    _check(report, "Usages")
    assert (report["job_count"], report["amount_total"], report["usage_data"]) == (0, 0, [])
    assert report["usage_from"] == "2000-01-01T00:00:00Z"
    assert report["usage_to"] == "2000-03-01T00:00:00Z"


def test_usage_query_errors_are_ionq_shaped(api: Api) -> None:
    organization = _organization(api)
    good = {"start_date": "2026-01-01", "end_date": "2026-02-01"}
    good |= {"group_by": "job", "modality": "daily"}
    _error(_usage(api, organization, **{**good, "group_by": "team"}), 400, ["group_by"])
    _error(_usage(api, organization, **{**good, "modality": "hourly"}), 400, ["modality"])
    _error(_usage(api, organization, **{**good, "start_date": "soon"}), 400, ["start_date"])
    missing = {k: v for k, v in good.items() if k != "end_date"}
    _error(_usage(api, organization, **missing), 400, ["end_date"])
    _error(_usage(api, organization, **{**good, "end_date": "2026-01-01"}), 400, ["end_date"])
    _error(_usage(api, "someone-else", **good), 404)
