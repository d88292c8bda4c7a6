"""Sessions: create, join with jobs, list (active filter), session jobs, end, limits."""

from __future__ import annotations

from emulator_support import Api, circuit_job


def _job(session_id: str, backend: str = "simulator") -> dict[str, object]:
    return circuit_job([{"gate": "x", "targets": [0]}], backend=backend, session_id=session_id)


def test_session_lifecycle(api: Api) -> None:
    settings = {
        "job_count_limit": 2,
        "duration_limit_min": 60,
        "cost_limit": {"unit": "usd", "value": 10},
    }
    created = api.post("/sessions", json={"backend": "simulator", "settings": settings})
    assert created.status_code == 201
    session = created.json()
    assert session["status"] == "created" and session["active"] is True
    assert session["settings"]["job_count_limit"] == 2
    assert session["settings"]["expires_at"] > session["created_at"]

    answer = api.post("/jobs", json=_job(session["id"]))
    assert answer.status_code == 201 and answer.json()["session_id"] == session["id"]
    job = api.wait(answer.json()["id"])
    assert job["session_id"] == session["id"]
    started = api.get(f"/sessions/{session['id']}").json()
    assert started["status"] == "started" and started["started_at"] is not None

    jobs = api.get(f"/sessions/{session['id']}/jobs").json()
    assert [j["id"] for j in jobs["jobs"]] == [job["id"]] and jobs["next"] is None
    assert (
        api.get("/jobs", params={"session_id": session["id"]}).json()["jobs"][0]["id"] == job["id"]
    )

    wrong_backend = api.post("/jobs", json=_job(session["id"], backend="qpu.aria-1"))
    assert wrong_backend.status_code == 400
    api.submit(_job(session["id"]))
    over_limit = api.post("/jobs", json=_job(session["id"]))
    assert over_limit.status_code == 400
    assert over_limit.json()["validation"]["keys"] == ["session_id"]

    ended = api.post(f"/sessions/{session['id']}/end")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended" and ended.json()["active"] is False
    assert ended.json()["ended_at"] is not None and ended.json()["ender_id"] is not None
    after_end = api.post("/jobs", json=_job(session["id"]))
    assert after_end.status_code == 400

    active = {s["id"] for s in api.get("/sessions", params={"active": "true"}).json()["sessions"]}
    inactive = {
        s["id"] for s in api.get("/sessions", params={"active": "false"}).json()["sessions"]
    }
    assert session["id"] in inactive and session["id"] not in active


def test_session_errors(api: Api) -> None:
    assert api.post("/sessions", json={"backend": "qpu.nowhere"}).status_code == 400
    assert api.post("/sessions", json={}).json()["validation"]["keys"] == ["backend"]
    bad = api.post("/sessions", json={"backend": "simulator", "settings": {"job_count_limit": 0}})
    assert bad.json()["validation"]["keys"] == ["settings.job_count_limit"]
    unknown = api.post("/jobs", json=_job("no-such-session"))
    assert unknown.status_code == 400 and unknown.json()["validation"]["keys"] == ["session_id"]
    assert api.get("/sessions/no-such-session/jobs").status_code == 404
    assert api.post("/sessions/no-such-session/end").status_code == 404
