"""Fuzzing the emulator over loopback HTTP: whatever arrives, the answer is never a 5xx.

Bounded by example counts: the default run sends a few hundred requests (a few seconds); the
``slow`` run (``python -m pytest -m slow tests/reliability``) sends thousands. Every job a
fuzzed request creates is deleted at once, which also kills its simulation.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from emulator_support import GHZ_INPUT, Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ionq_emulator import Emulator

DATA = Path(__file__).parent / "data"
DEFAULT_EXAMPLES = 30
SLOW_EXAMPLES = 1500
FUZZ = settings(
    max_examples=DEFAULT_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW_FUZZ = settings(FUZZ, max_examples=SLOW_EXAMPLES, derandomize=False)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["simulator", "qpu.aria-1", "ideal", "aria-1", "qis", "native", "h", "ms"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _valid_job() -> dict[str, Any]:
    return {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": 100,
        "noise": {"model": "aria-1", "seed": 1},
        "settings": {"error_mitigation": {"debiasing": False}, "compilation": {"opt": 1}},
        "metadata": {"tag": "fuzz"},
        "input": copy.deepcopy(GHZ_INPUT),
    }


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in ``value`` that a mutation may replace."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


JOB_PATHS = [p for p in _paths(_valid_job()) if p]


@st.composite
def mutated_jobs(draw: st.DrawFn) -> Any:
    """A valid job with one to three places replaced by arbitrary JSON, or keys added."""
    body = _valid_job()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(JOB_PATHS))
        parent: Any = body
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent[draw(st.text(max_size=6))] = draw(json_values)
            else:
                parent[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced this place
    return body


@st.composite
def mutated_sessions(draw: st.DrawFn) -> Any:
    settings_value = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "job_count_limit": json_values | st.integers(),
                "duration_limit_min": json_values | st.integers(),
                "cost_limit": json_values
                | st.fixed_dictionaries({"unit": st.text(max_size=4), "value": st.floats()}),
            },
        )
        | json_values
    )
    return {"backend": draw(st.sampled_from(["simulator", "qpu.aria-1"]) | json_values)} | (
        {"settings": settings_value} if draw(st.booleans()) else {}
    )


raw_bodies = st.binary(max_size=64) | st.text(max_size=64).map(str.encode)
query_values = st.text(max_size=12) | st.integers(-(10**30), 10**400).map(str)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Api]:
    with Emulator(workers=1) as emu:
        yield Api(emu)


def _check(response: requests.Response, api: Api) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert body["statusCode"] == response.status_code and body["message"]
    if response.status_code == 201 and "id" in response.json():
        made = response.json()["id"]
        assert api.delete(f"/jobs/{made}").status_code in (200, 404)  # sessions answer 404


def _post_text(api: Api, path: str, data: bytes) -> requests.Response:
    return api.post(path, data=data, headers={"Content-Type": "application/json"})


def _fuzz_jobs(api: Api, body: Any) -> None:
    _check(api.post("/jobs", json=body), api)


def _fuzz_sessions(api: Api, body: Any) -> None:
    # Sent as raw bytes: a strategy's NaN or infinity must reach the service, not stop the test
    # client's own JSON encoder.
    raw = json.dumps(body).encode("utf-8")
    response = api.post("/sessions", data=raw, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        api.post(f"/sessions/{response.json()['id']}/end")


def _fuzz_raw(api: Api, data: bytes, path: str) -> None:
    _check(_post_text(api, path, data), api)


def _fuzz_query(api: Api, params: dict[str, str]) -> None:
    for path in ("/jobs/estimate", "/jobs", "/backends/qpu.aria-1/characterizations"):
        _check(api.get(path, params=params), api)


QUERY = st.dictionaries(
    st.sampled_from(["backend", "qubits", "shots", "1q_gates", "2q_gates", "limit", "next"])
    | st.sampled_from(["status", "target", "ids", "page", "start", "end", "error_mitigation"]),
    query_values,
    max_size=4,
)


@FUZZ
@given(body=mutated_jobs())
def test_mutated_jobs_never_get_a_server_error(fuzzed: Api, body: Any) -> None:
    _fuzz_jobs(fuzzed, body)


@FUZZ
@given(body=mutated_sessions())
def test_mutated_sessions_never_get_a_server_error(fuzzed: Api, body: Any) -> None:
    _fuzz_sessions(fuzzed, body)


@FUZZ
@given(data=raw_bodies, path=st.sampled_from(["/jobs", "/sessions"]))
def test_raw_bodies_never_get_a_server_error(fuzzed: Api, data: bytes, path: str) -> None:
    _fuzz_raw(fuzzed, data, path)


@FUZZ
@given(params=QUERY)
def test_query_strings_never_get_a_server_error(fuzzed: Api, params: dict[str, str]) -> None:
    _fuzz_query(fuzzed, params)


@pytest.mark.slow
@SLOW_FUZZ
@given(body=mutated_jobs())
def test_many_mutated_jobs(fuzzed: Api, body: Any) -> None:
    _fuzz_jobs(fuzzed, body)


@pytest.mark.slow
@SLOW_FUZZ
@given(body=mutated_sessions(), data=raw_bodies, params=QUERY)
def test_many_sessions_raw_bodies_and_queries(
    fuzzed: Api, body: Any, data: bytes, params: dict[str, str]
) -> None:
    _fuzz_sessions(fuzzed, body)
    _fuzz_raw(fuzzed, data, "/jobs")
    _fuzz_query(fuzzed, params)


# Schemathesis: cases generated from the emulator's own OpenAPI document -----------------------


def _schema(api: Api) -> Any:
    """The emulator's /openapi.json, with the bodies it reads by hand described."""
    schemathesis = pytest.importorskip("schemathesis")
    spec = api.get("/openapi.json").json()
    bodies = json.loads((DATA / "request_bodies.json").read_text(encoding="utf-8"))
    for label, body_schema in bodies.items():
        if label.startswith("_"):
            continue
        method, path = label.split(" ", 1)
        operation = spec["paths"][path][method.lower()]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body_schema}},
        }
    return schemathesis.openapi.from_dict(spec)


def _run_schemathesis(api: Api, examples: int) -> int:
    schema = _schema(api)
    base = api.base.removesuffix("/v0.4")
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(FUZZ, max_examples=examples)
        @given(case=operation.as_strategy())
        def one(case: Any) -> None:
            nonlocal sent
            headers = {"Authorization": api.session.headers["Authorization"]}
            response = case.call(base_url=base, headers=headers, timeout=30)
            sent += 1
            assert response.status_code < 500, (case.method, case.path, response.text)
            created = case.method == "POST" and case.path == "/v0.4/jobs"
            if created and response.status_code == 201:
                api.delete(f"/jobs/{response.json()['id']}")

        one()
    return sent


def test_schemathesis_cases_never_get_a_server_error(fuzzed: Api) -> None:
    assert _run_schemathesis(fuzzed, examples=5) > 60


@pytest.mark.slow
def test_many_schemathesis_cases(fuzzed: Api) -> None:
    assert _run_schemathesis(fuzzed, examples=150) > 2000
