"""No input makes the emulator answer 500: each of these did, and stored what it then refused.

Every bad input gets an IonQ-shaped 4xx naming the field, and a refused request stores nothing.
A 500 that a real bug could still cause says ``Connection: close``, so a client does not send
its next request on a socket the server is closing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from emulator_support import GHZ_INPUT, Api, circuit_job

from ionq_emulator import Emulator
from ionq_emulator.service import EmulatorService

INT32_MAX = 2**31 - 1


def _ghz(**changes: Any) -> dict[str, Any]:
    return {"type": "ionq.circuit.v1", "backend": "simulator", "input": dict(GHZ_INPUT), **changes}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _refused(response: requests.Response, key: str | None, source: str = "body") -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"error", "message", "statusCode", "validation"}
    assert body["statusCode"] == 400 and body["error"] == "Bad Request"
    assert body["validation"]["source"] == source
    if key is not None:
        assert body["validation"]["keys"] == [key], body


@pytest.fixture()
def fresh() -> Iterator[Api]:
    """An emulator of its own, so "stores nothing" can be checked by counting."""
    with Emulator(workers=1) as emu:
        yield Api(emu)


def _stored(api: Api) -> tuple[int, int]:
    jobs = api.get("/jobs", params={"limit": 1000}).json()["jobs"]
    sessions = api.get("/sessions").json()["sessions"]
    return len(jobs), len(sessions)


@pytest.mark.parametrize("model", [["aria-1"], {"name": "aria-1"}, 7, None])
def test_a_noise_model_that_is_not_a_name(fresh: Api, model: Any) -> None:
    response = fresh.post("/jobs", json=_ghz(noise={"model": model}))
    _refused(response, "noise.model")
    assert _stored(fresh) == (0, 0)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (_nested(1000), None),  # the whole body
        ('{"type": "ionq.circuit.v1", "metadata": ' + _nested(1000) + "}", "metadata"),
        ('{"name": ' + _nested(200) + ', "backend": "simulator"}', "name"),
        ('{"type": "ionq.circuit.v1", "input": {"circuit": ' + _nested(999) + "}}", "input"),
    ],
    ids=["body", "metadata", "name", "circuit"],
)
def test_json_nested_a_thousand_deep(fresh: Api, text: str, key: str | None) -> None:
    response = fresh.post("/jobs", data=text, headers={"Content-Type": "application/json"})
    _refused(response, key)
    assert "nested" in response.json()["message"]
    assert _stored(fresh) == (0, 0)


def test_a_deep_session_body_is_refused_too(fresh: Api) -> None:
    text = '{"backend": "simulator", "settings": ' + _nested(1000) + "}"
    response = fresh.post("/sessions", data=text, headers={"Content-Type": "application/json"})
    _refused(response, "settings")
    assert _stored(fresh) == (0, 0)


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"1q_gates": "9" * 400}, "1q_gates"),
        ({"2q_gates": "9" * 400}, "2q_gates"),
        ({"qubits": "9" * 400}, "qubits"),
        ({"1q_gates": 10**300}, "1q_gates"),  # once overflowed the price to infinity
        ({"2q_gates": str(INT32_MAX + 1)}, "2q_gates"),
    ],
)
def test_estimate_counts_beyond_int32(api: Api, params: dict[str, Any], key: str) -> None:
    query = {"backend": "qpu.forte-1", "shots": 1_000_000, **params}
    _refused(api.get("/jobs/estimate", params=query), key, source="query")


def test_the_largest_estimate_is_finite(api: Api) -> None:
    query = {"backend": "qpu.forte-1", "shots": 1_000_000, "qubits": INT32_MAX}
    query.update({"1q_gates": INT32_MAX, "2q_gates": INT32_MAX})
    response = api.get("/jobs/estimate", params=query)
    assert response.status_code == 200
    assert response.json()["estimated_total_cost"] > 1e12


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ('{"duration_limit_min": 1000000000000}', "settings.duration_limit_min"),
        ('{"job_count_limit": 1000000000000000000000000000000}', "settings.job_count_limit"),
        ('{"cost_limit": {"unit": "usd", "value": Infinity}}', None),
        ('{"cost_limit": {"unit": "usd", "value": -Infinity}}', None),
        ('{"cost_limit": {"unit": "usd", "value": NaN}}', None),
        ('{"cost_limit": {"unit": "usd", "value": 1e999}}', None),
    ],
)
def test_session_limits_out_of_range(fresh: Api, settings: str, key: str | None) -> None:
    text = '{"backend": "simulator", "settings": ' + settings + "}"
    response = fresh.post("/sessions", data=text, headers={"Content-Type": "application/json"})
    _refused(response, key)
    assert _stored(fresh) == (0, 0)


def test_the_largest_session_limits_are_kept(fresh: Api) -> None:
    settings = {"duration_limit_min": INT32_MAX, "job_count_limit": INT32_MAX}
    settings["cost_limit"] = {"unit": "usd", "value": 1e300}
    made = fresh.post("/sessions", json={"backend": "simulator", "settings": settings})
    assert made.status_code == 201, made.text
    assert fresh.get(f"/sessions/{made.json()['id']}").json()["settings"]["job_count_limit"] == (
        INT32_MAX
    )


def test_a_job_with_non_finite_numbers_is_refused(fresh: Api) -> None:
    text = (
        '{"type": "ionq.circuit.v1", "backend": "simulator", "input": {"gateset": "qis", '
        '"circuit": [{"gate": "rx", "targets": [0], "rotation": NaN}]}}'
    )
    response = fresh.post("/jobs", data=text, headers={"Content-Type": "application/json"})
    _refused(response, None)
    assert _stored(fresh) == (0, 0)


def test_a_server_error_closes_the_connection_properly(
    fresh: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = fresh.submit(circuit_job([{"gate": "x", "targets": [0]}]))

    def broken(self: EmulatorService, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(EmulatorService, "list_jobs", broken)
    crashed = fresh.get("/jobs")
    assert crashed.status_code == 500
    assert crashed.headers["connection"] == "close"
    body = crashed.json()
    assert body["statusCode"] == 500 and "a bug" not in crashed.text
    monkeypatch.undo()
    # The same session goes on: its next request is sent on a new connection, not the dead one.
    assert fresh.get("/jobs").json()["jobs"][0]["id"] == job_id
