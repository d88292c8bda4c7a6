"""The direct-submission guide, step by step, against the emulator over real HTTP."""

from __future__ import annotations

import re

import pytest
from emulator_support import GHZ_INPUT, Api, circuit_job

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_guide_ghz_job_from_submission_to_cost(api: Api) -> None:
    body = {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": 1024,
        "name": "Hello many worlds",
        "input": GHZ_INPUT,
    }
    created = api.post("/jobs", json=body)
    assert created.status_code == 201
    assert created.json()["status"] == "submitted"
    assert set(created.json()) == {"id", "status", "session_id"}
    assert created.json()["session_id"] is None
    job_id = created.json()["id"]

    job = api.wait(job_id)
    assert job["status"] == "completed"
    assert job["name"] == "Hello many worlds"
    assert job["stats"] == {"qubits": 3, "circuits": 1, "gate_counts": {"1q": 1, "2q": 2}}
    assert job["noise"] == {"model": "ideal"}
    for stamp in ("submitted_at", "started_at", "completed_at"):
        assert ISO_MS_Z.match(job[stamp]), job[stamp]
    url = job["results"]["probabilities"]["url"]
    assert url == f"/v0.4/jobs/{job_id}/results/probabilities"
    assert "histogram" not in job["results"]  # the ideal simulator gives probabilities only

    probs = api.get(url.removeprefix("/v0.4")).json()
    assert set(probs) == {"0", "7"}
    assert probs["0"] == pytest.approx(0.5)
    assert probs["7"] == pytest.approx(0.5)

    cost = api.get(f"/jobs/{job_id}/cost").json()
    assert cost == {
        "dry_run": False,
        "estimated_cost": {"value": 0.0, "unit": "usd"},
        "cost": {"value": 0.0, "unit": "usd"},
    }


def test_x_on_qubit_zero_is_key_one(api: Api) -> None:
    job = api.run(circuit_job([{"gate": "x", "targets": [0]}], qubits=3))
    assert api.get(f"/jobs/{job['id']}/results/probabilities").json() == {"1": 1.0}


def test_results_carry_urls_and_artifact_descriptors(api: Api) -> None:
    job = api.run(circuit_job([{"gate": "h", "target": 0}], qubits=1))
    descriptor = job["results"]["ionq.result.probabilities.json.v1"]
    assert descriptor == {
        "id": "probabilities",
        "format": "ionq.result.probabilities.json.v1",
        "media_type": "application/json",
    }
    via_artifact = api.get(f"/jobs/{job['id']}/artifacts/probabilities").json()
    via_url = api.get(f"/jobs/{job['id']}/results/probabilities", params={"sharpen": "true"}).json()
    assert via_artifact == via_url
    assert sum(via_url.values()) == pytest.approx(1.0)
    assert api.get(f"/jobs/{job['id']}/results/histogram").status_code == 404
    assert api.get(f"/jobs/{job['id']}/artifacts/nonsense").status_code == 404


def test_qpu_job_has_histogram_and_shots_and_a_price(api: Api) -> None:
    body = circuit_job([{"gate": "h", "targets": [0]}], qubits=1, backend="qpu.aria-1", shots=200)
    job = api.run(body, timeout=60)
    assert job["status"] == "completed", job
    assert "noise" not in job
    assert job["settings"]["error_mitigation"] == {"debiasing": False}
    for kind in ("probabilities", "histogram", "shots"):
        assert job["results"][kind]["url"].endswith(f"/results/{kind}")
        assert job["results"][f"ionq.result.{kind}.json.v1"]["id"] == kind
    histogram = api.get(f"/jobs/{job['id']}/results/histogram").json()
    shots = api.get(f"/jobs/{job['id']}/results/shots").json()
    assert sum(histogram.values()) == 200
    assert len(shots) == 200
    cost = api.get(f"/jobs/{job['id']}/cost").json()
    assert cost["estimated_cost"] == {"value": 97.5, "unit": "usd"}  # the per-job minimum
    assert cost["cost"] == cost["estimated_cost"]


def test_dry_run_completes_without_results(api: Api) -> None:
    job = api.run(circuit_job([{"gate": "h", "targets": [0]}], dry_run=True))
    assert job["status"] == "completed"
    assert job["dry_run"] is True
    assert job["results"] is None
    missing = api.get(f"/jobs/{job['id']}/results/probabilities")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Job not found or not yet completed."
    assert api.get(f"/jobs/{job['id']}/cost").json()["dry_run"] is True


def test_cirq_ionq_shaped_body_is_accepted(api: Api) -> None:
    # cirq-ionq sends v0.3's "lang" and shots as a string; the live service takes both.
    body = {
        "backend": "simulator",
        "type": "ionq.circuit.v1",
        "lang": "json",
        "input": {"gateset": "qis", "qubits": 1, "circuit": [{"gate": "x", "targets": [0]}]},
        "metadata": {"measurement0": "m\x1f0", "shots": "300"},
        "shots": "300",
    }
    job = api.run(body)
    assert job["status"] == "completed"
    assert job["shots"] == 300
    assert api.get(f"/jobs/{job['id']}/results/probabilities").json() == {"1": 1.0}
