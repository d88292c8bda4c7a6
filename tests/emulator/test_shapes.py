"""Every endpoint answers with the keys IonQ's OpenAPI marks required (explicit nulls included)."""

from __future__ import annotations

from emulator_support import GHZ_INPUT, Api, circuit_job

JOB_KEYS = {
    "id", "status", "type", "backend", "dry_run", "submitter_id", "project_id", "parent_job_id",
    "session_id", "metadata", "name", "submitted_at", "started_at", "completed_at",
    "predicted_wait_time_ms", "predicted_execution_duration_ms", "execution_duration_ms",
    "failure", "output", "settings", "stats", "results", "shots",
}  # fmt: skip
SESSION_KEYS = {
    "id", "created_at", "organization_id", "backend", "project_id", "creator_id", "ended_at",
    "ender_id", "active", "status", "started_at",
}  # fmt: skip
BACKEND_KEYS = {"backend", "status", "qubits", "average_queue_time", "last_updated"}
ESTIMATE_KEYS = {
    "estimate_context", "estimated_at", "estimated_unit", "rate_card", "estimated_total_cost",
    "estimated_execution_time", "current_predicted_queue_time",
}  # fmt: skip


def test_job_object_has_every_field(api: Api) -> None:
    job_id = api.submit(circuit_job(GHZ_INPUT["circuit"], qubits=3, metadata={"a": "b"}))
    pending = api.get(f"/jobs/{job_id}").json()
    assert JOB_KEYS | {"child_job_ids", "noise"} <= set(pending)
    job = api.wait(job_id)
    assert JOB_KEYS | {"child_job_ids", "noise"} <= set(job)
    assert job["child_job_ids"] is None and job["parent_job_id"] is None
    assert job["metadata"] == {"a": "b"} and job["failure"] is None
    assert job["output"] == {} and isinstance(job["settings"], dict)
    assert set(job["stats"]["gate_counts"]) == {"1q", "2q"}
    assert isinstance(job["submitter_id"], str) and job["shots"] == 100


def test_list_items_omit_child_job_ids(api: Api) -> None:
    api.run(circuit_job([{"gate": "x", "targets": [0]}]))
    page = api.get("/jobs", params={"limit": 3}).json()
    assert set(page) == {"jobs", "next"}
    assert page["jobs"]
    for item in page["jobs"]:
        assert set(item) >= JOB_KEYS
        assert "child_job_ids" not in item


def test_backends_are_public_and_complete(api: Api) -> None:
    import requests

    anonymous = requests.get(api.base + "/backends", timeout=10)
    assert anonymous.status_code == 200
    backends = anonymous.json()
    names = {b["backend"] for b in backends}
    assert {
        "simulator",
        "qpu.aria-1",
        "qpu.aria-2",
        "qpu.forte-1",
        "qpu.forte-enterprise-1",
    } <= names
    for backend in backends:
        assert set(backend) >= BACKEND_KEYS
    with_key = api.get("/backends/qpu.aria-1")
    assert with_key.status_code == 200 and with_key.json()["backend"] == "qpu.aria-1"
    wrong_key = requests.get(
        api.base + "/backends/qpu.forte-1", headers={"Authorization": "apiKey nope"}, timeout=10
    )
    assert wrong_key.status_code == 200
    assert api.get("/backends/qpu.nowhere").status_code == 404


def test_characterizations_shape_and_single_lookup(api: Api) -> None:
    import requests

    listing = requests.get(api.base + "/backends/qpu.aria-1/characterizations", timeout=10)
    assert listing.status_code == 200
    body = listing.json()
    assert set(body) == {"characterizations", "pages"}
    first = body["characterizations"][0]
    assert {"id", "date", "backend", "qubits", "connectivity", "fidelity", "timing"} <= set(first)
    assert "median" in first["fidelity"]["spam"]
    assert {"readout", "reset"} <= set(first["timing"])
    one = api.get(f"/backends/qpu.aria-1/characterizations/{first['id']}")
    assert one.status_code == 200 and one.json() == first
    anonymous = requests.get(
        api.base + f"/backends/qpu.aria-1/characterizations/{first['id']}", timeout=10
    )
    assert anonymous.status_code == 401
    assert api.get("/backends/qpu.aria-1/characterizations/unknown").status_code == 404


def test_estimate_shape(api: Api) -> None:
    params = {"backend": "qpu.forte-1", "shots": 1000, "1q_gates": 10, "2q_gates": 5}
    estimate = api.get("/jobs/estimate", params=params).json()
    assert set(estimate) == ESTIMATE_KEYS
    (rates,) = estimate["rate_card"]["rates"]
    assert rates["unit"] == "gates"
    assert estimate["estimated_unit"] == "usd"
    assert estimate["estimate_context"]["1q_gates"] == 10
    expected = max(
        rates["job_cost_minimum"], 1000 * (10 * rates["cost_1q_gate"] + 5 * rates["cost_2q_gate"])
    )
    assert estimate["estimated_total_cost"] == round(expected, 2)
    # Milliseconds: 1000 shots of 10 x 110 us + 5 x 950 us + 400 us overhead.
    assert estimate["estimated_execution_time"] == 1000 * (1100 + 4750 + 400) // 1000
    big = api.get("/jobs/estimate", params={**params, "2q_gates": 1000}).json()
    assert big["estimated_total_cost"] > estimate["estimated_total_cost"]
    free = api.get("/jobs/estimate", params={"backend": "simulator"}).json()
    assert free["estimated_total_cost"] == 0
    missing = api.get("/jobs/estimate")
    assert missing.status_code == 400 and missing.json()["validation"]["keys"] == ["backend"]


def test_whoami_shape(api: Api) -> None:
    me = api.get("/whoami").json()
    assert {"key_id", "key_name", "project_id"} <= set(me)


def test_session_shapes(api: Api) -> None:
    created = api.post("/sessions", json={"backend": "simulator"})
    assert created.status_code == 201
    assert set(created.json()) >= SESSION_KEYS
    listing = api.get("/sessions").json()
    assert set(listing) == {"organization_id", "sessions"}
    for session in listing["sessions"]:
        assert set(session) >= SESSION_KEYS


def test_cancel_and_delete_shapes(api: Api) -> None:
    job_id = api.run(circuit_job([{"gate": "x", "targets": [0]}]))["id"]
    assert api.put(f"/jobs/{job_id}/status/cancel").json() == {"id": job_id, "status": "completed"}
    assert api.delete(f"/jobs/{job_id}").json() == {"id": job_id, "status": "deleted"}
