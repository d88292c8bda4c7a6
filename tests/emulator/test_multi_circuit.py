"""Multi-circuit jobs: one child per circuit, input order everywhere, overrides, failures."""

from __future__ import annotations

from typing import Any

import pytest
from emulator_support import Api


def _multi(circuits: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    body = {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "name": "batch",
        "input": {"gateset": "qis", "qubits": 1, "circuits": circuits},
    }
    body.update(extra)
    return body


CIRCUITS = [
    {"name": "first", "circuit": [{"gate": "x", "targets": [0]}]},
    {"name": "second", "qubits": 2, "circuit": [{"gate": "x", "targets": [1]}]},
    {"name": "third", "gateset": "native", "circuit": [{"gate": "gpi", "target": 0, "phase": 0}]},
    {"circuit": [{"gate": "h", "targets": [0]}]},
]


def test_children_follow_input_order_and_overrides(api: Api) -> None:
    parent = api.run(_multi(CIRCUITS))
    assert parent["status"] == "completed"
    assert parent["type"] == "ionq.multi-circuit.v1"
    assert parent["stats"]["circuits"] == 4
    assert parent["stats"]["qubits"] == 2
    children = parent["child_job_ids"]
    assert len(children) == 4 and len(set(children)) == 4

    names = []
    for child_id in children:
        child = api.get(f"/jobs/{child_id}").json()
        assert child["parent_job_id"] == parent["id"]
        assert child["type"] == "ionq.circuit.v1"
        assert child["status"] == "completed"
        names.append(child["name"])
    assert names == ["first", "second", "third", None]

    url = parent["results"]["probabilities"]["url"]
    assert url == f"/v0.4/jobs/{parent['id']}/results/probabilities/aggregated"
    aggregate = api.get(url.removeprefix("/v0.4")).json()
    assert list(aggregate) == children
    assert aggregate[children[0]] == {"1": 1.0}
    assert aggregate[children[1]] == {"2": 1.0}
    assert aggregate[children[2]] == pytest.approx({"1": 1.0})
    assert aggregate[children[3]] == pytest.approx({"0": 0.5, "1": 0.5})

    descriptor = parent["results"]["ionq.result.probabilities-aggregate.json.v1"]
    assert descriptor["id"] == "probabilities-aggregate"
    assert api.get(f"/jobs/{parent['id']}/artifacts/probabilities-aggregate").json() == aggregate

    listed = api.get("/jobs", params={"parent_job_id": parent["id"]}).json()["jobs"]
    assert sorted(j["id"] for j in listed) == sorted(children)


def test_many_circuits_keep_order(api: Api) -> None:
    circuits = [
        {"name": f"c{i}", "qubits": 4, "circuit": [{"gate": "x", "targets": [i % 4]}]}
        for i in range(24)
    ]
    parent = api.run(_multi(circuits), timeout=60)
    aggregate = api.get(f"/jobs/{parent['id']}/results/probabilities/aggregated").json()
    assert list(aggregate) == parent["child_job_ids"]
    assert [next(iter(p)) for p in aggregate.values()] == [str(1 << (i % 4)) for i in range(24)]


def test_a_failing_child_fails_the_parent(api: Api) -> None:
    circuits = [
        {"circuit": [{"gate": "x", "targets": [0]}]},
        {"qubits": 40, "circuit": [{"gate": "x", "targets": [0]}]},
    ]
    parent = api.run(_multi(circuits))
    assert parent["status"] == "failed"
    assert parent["failure"]["code"] == "NotEnoughQubits"
    first, second = (api.get(f"/jobs/{c}").json() for c in parent["child_job_ids"])
    assert first["status"] == "completed"
    assert second["status"] == "failed"
    assert api.get(f"/jobs/{parent['id']}/results/probabilities/aggregated").status_code == 404


def test_singular_circuit_beside_circuits_is_rejected(api: Api) -> None:
    body = _multi(CIRCUITS)
    body["input"]["circuit"] = []
    response = api.post("/jobs", json=body)
    assert response.status_code == 400
    assert response.json()["validation"]["keys"] == ["input.circuit"]


def test_deleting_the_parent_deletes_the_children(api: Api) -> None:
    parent = api.run(_multi(CIRCUITS[:2]))
    assert api.delete(f"/jobs/{parent['id']}").status_code == 200
    for child_id in parent["child_job_ids"]:
        assert api.get(f"/jobs/{child_id}").status_code == 404


def test_a_quick_batch_and_a_queued_one_end_alike(api: Api) -> None:
    # Small ideal circuits end while their POST is handled; with a noise model they queue.
    for extra in ({}, {"noise": {"model": "aria-1", "seed": 3}}):
        done = api.run(_multi(CIRCUITS[:2], **extra))
        assert done["status"] == "completed"
        assert done["started_at"] is not None and done["completed_at"] is not None
        children = [api.get(f"/jobs/{c}").json() for c in done["child_job_ids"]]
        assert all(c["status"] == "completed" for c in children)
        assert done["execution_duration_ms"] == sum(c["execution_duration_ms"] for c in children)
