"""IonQ-shaped error answers: 400 with validation keys, 401, 404, 413, and converted 422s."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from emulator_support import GHZ_INPUT, Api, circuit_job


def _bad(api: Api, body: Any) -> list[str]:
    response = api.post("/jobs", json=body)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert set(payload) == {"error", "message", "statusCode", "validation"}
    assert payload["error"] == "Bad Request" and payload["statusCode"] == 400
    assert payload["validation"]["source"] == "body"
    return list(payload["validation"]["keys"])


def _ghz(**changes: Any) -> dict[str, Any]:
    return {"type": "ionq.circuit.v1", "backend": "simulator", "input": dict(GHZ_INPUT), **changes}


DEBIAS = {"error_mitigation": {"debiasing": True}}


def _one(gate: dict[str, Any], gateset: str = "qis") -> dict[str, Any]:
    return {"gateset": gateset, "circuit": [gate]}


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (_ghz(type="ionq.qasm3.v1"), "input.data"),
        (_ghz(type="quantum-function"), "type"),
        ({"backend": "simulator", "input": GHZ_INPUT}, "type"),
        (_ghz(backend="qpu.harmony"), "backend"),
        (_ghz(shots=0), "shots"),
        (_ghz(shots=1_000_001), "shots"),
        (_ghz(shots="1e2"), "shots"),
        (_ghz(shots=12.5), "shots"),
        (_ghz(name="Hello many worlds!"), "name"),
        (_ghz(metadata={"n": 3}), "metadata.n"),
        (_ghz(colour="blue"), "colour"),
        (_ghz(noise={"model": "perfect"}), "noise.model"),
        (_ghz(input={**GHZ_INPUT, "gateset": "qasm"}), "input.gateset"),
        (_ghz(input=_one({"gate": "hadamard", "targets": [0]})), "input.circuit[0].gate"),
        (_ghz(input=_one({"gate": "rx", "targets": [0]})), "input.circuit[0].rotation"),
        (_ghz(input={**GHZ_INPUT, "qubits": 2}), "input.circuit[2].targets"),
        (_ghz(input=_one({"gate": "h", "targets": [0]}, "native")), "input.circuit[0].gate"),
        (
            _ghz(backend="qpu.aria-1", shots=100, settings=DEBIAS),
            "settings.error_mitigation.debiasing",
        ),
    ],
)  # fmt: skip
def test_bad_job_bodies_name_the_key(api: Api, body: dict[str, Any], key: str) -> None:
    assert _bad(api, body) == [key]


def test_multi_circuit_limits(api: Api) -> None:
    gate = {"gate": "x", "targets": [0]}
    too_many = {"gateset": "qis", "circuits": [{"circuit": [gate]}] * 5001}
    assert _bad(
        api, {"type": "ionq.multi-circuit.v1", "backend": "simulator", "input": too_many}
    ) == ["input.circuits"]
    too_long = {"gateset": "qis", "circuits": [{"circuit": [gate] * 30_001}] * 5}
    assert _bad(
        api, {"type": "ionq.multi-circuit.v1", "backend": "simulator", "input": too_long}
    ) == ["input.circuits"]


def test_invalid_json_is_400(api: Api) -> None:
    response = api.post("/jobs", data=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["statusCode"] == 400


def test_missing_or_wrong_key_is_401(api: Api) -> None:
    for headers in ({}, {"Authorization": "apiKey wrong"}, {"Authorization": "Bearer x"}):
        response = requests.get(api.base + "/jobs", headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.json() == {
            "error": "Unauthorized Error",
            "message": response.json()["message"],
            "statusCode": 401,
        }
        assert "Invalid key provided" in response.json()["message"]


def test_unknown_job_is_404_everywhere(api: Api) -> None:
    for method, path in [
        ("GET", "/jobs/nope"),
        ("DELETE", "/jobs/nope"),
        ("PUT", "/jobs/nope/status/cancel"),
        ("GET", "/jobs/nope/cost"),
        ("GET", "/jobs/nope/results/probabilities"),
        ("GET", "/sessions/nope"),
        ("GET", "/no/such/route"),
    ]:
        response = api.request(method, path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"error", "message", "statusCode"}
        assert response.json()["statusCode"] == 404


def test_body_over_10_mb_is_413(api: Api) -> None:
    padding = "x" * (10 * 1024 * 1024 + 10)
    body = _ghz(metadata={"padding": padding})
    response = api.post("/jobs", json=body)
    assert response.status_code == 413
    assert response.json()["statusCode"] == 413

    def chunks() -> Any:  # no Content-Length: the size is checked while reading
        for _ in range(11):
            yield b" " * (1024 * 1024)

    streamed = api.post("/jobs", data=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_framework_validation_errors_become_ionq_400s(api: Api) -> None:
    for path, params, key in [
        ("/jobs", {"limit": "many"}, "limit"),
        ("/jobs", {"limit": 0}, "limit"),
        ("/jobs", {"status": "running"}, "status"),
        ("/backends/qpu.aria-1/characterizations", {"limit": 11}, "limit"),
        ("/backends/qpu.aria-1/characterizations", {"page": 0}, "page"),
        ("/jobs/estimate", {"backend": "simulator", "shots": 0}, "shots"),
    ]:
        response = api.get(path, params=params)
        assert response.status_code == 400, (path, response.text)
        body = response.json()
        assert body["error"] == "Bad Request"
        assert body["validation"] == {"keys": [key], "source": "query"}


def test_job_failures_reported_as_failed_jobs(api: Api) -> None:
    wide = circuit_job([{"gate": "x", "targets": [0]}], qubits=30)
    assert api.run(wide)["failure"]["code"] == "NotEnoughQubits"
    controls = circuit_job([{"gate": "x", "controls": list(range(1, 9)), "targets": [0]}])
    assert api.run(controls)["failure"]["code"] == "TooManyControls"
    ms = {"gate": "ms", "targets": [0, 1], "phases": [0, 0]}
    forte = circuit_job([ms], gateset="native", backend="qpu.forte-1")
    failed = api.run(forte)
    assert failed["status"] == "failed"
    assert failed["failure"] == {
        "code": "UnsupportedGate",
        "message": "Gate types [ms] are not supported by this backend",
    }
    zz = {"gate": "zz", "targets": [0, 1], "angle": 0.25}
    assert api.run(circuit_job([zz], gateset="native", backend="qpu.aria-1"))["failure"][
        "code"
    ] == ("UnsupportedGate")
    assert (
        api.run(circuit_job([zz], gateset="native", backend="qpu.forte-1"))["status"] == "completed"
    )
    cost = api.get(f"/jobs/{failed['id']}/cost").json()
    assert cost["cost"]["value"] == 0


def test_a_simulation_too_large_fails_with_simulation_timeout(api: Api) -> None:
    circuit = [{"gate": "h", "targets": [q]} for q in range(25)]
    body = circuit_job(circuit, shots=1_000_000, noise={"model": "aria-1", "seed": 1})
    job = api.run(body)
    assert job["status"] == "failed"
    assert job["failure"]["code"] == "SimulationTimeout"
    assert job["results"] is None
