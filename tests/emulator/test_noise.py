"""Noisy simulation: shot-based results that sum to shots, differ from ideal, repeat with a seed."""

from __future__ import annotations

from typing import Any

from emulator_support import GHZ_INPUT, Api

SHOTS = 2000


def _noisy(
    api: Api, seed: int | None, model: str = "aria-1"
) -> tuple[dict[str, Any], dict[str, int]]:
    noise: dict[str, Any] = {"model": model}
    if seed is not None:
        noise["seed"] = seed
    body = {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": SHOTS,
        "noise": noise,
        "input": GHZ_INPUT,
    }
    job = api.run(body, timeout=60)
    assert job["status"] == "completed", job
    histogram = api.get(f"/jobs/{job['id']}/results/histogram").json()
    return job, histogram


def test_noisy_results_are_shot_based_and_seeded(api: Api) -> None:
    job, histogram = _noisy(api, seed=42)
    assert job["noise"] == {"model": "aria-1", "seed": 42}
    assert sum(histogram.values()) == SHOTS
    assert set(histogram) - {"0", "7"}, "aria-1 noise should leak into other outcomes"
    shots = api.get(f"/jobs/{job['id']}/results/shots").json()
    assert len(shots) == SHOTS
    probs = api.get(f"/jobs/{job['id']}/results/probabilities").json()
    assert abs(sum(probs.values()) - 1.0) < 1e-9
    for key, count in histogram.items():
        assert abs(probs[key] - count / SHOTS) < 1e-9
    _, again = _noisy(api, seed=42)
    assert again == histogram
    _, other = _noisy(api, seed=1234)
    assert other != histogram


def test_multi_circuit_children_get_distinct_seeds(api: Api) -> None:
    circuit = {"circuit": GHZ_INPUT["circuit"], "qubits": 3}
    body = {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "shots": SHOTS,
        "noise": {"model": "aria-1", "seed": 7},
        "input": {"gateset": "qis", "circuits": [circuit, circuit]},
    }
    parent = api.run(body, timeout=60)
    first, second = (
        api.get(f"/jobs/{child}/results/histogram").json() for child in parent["child_job_ids"]
    )
    assert sum(first.values()) == sum(second.values()) == SHOTS
    assert first != second
    _, single = _noisy(api, seed=7)
    assert single == first  # circuit 0 runs with the job's own seed


def test_every_documented_noise_model_runs(api: Api) -> None:
    for model in ("harmony", "aria-2", "forte-1", "forte-enterprise-1"):
        _, histogram = _noisy(api, seed=1, model=model)
        assert sum(histogram.values()) == SHOTS, model
