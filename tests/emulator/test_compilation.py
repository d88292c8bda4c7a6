"""Dry runs: compiled to native gates, published as an artifact, estimated but never charged."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from emulator_support import Api, circuit_job

from ionq_direct.gates import iter_parsed
from ionq_direct.simulate import statevector
from ionq_emulator.compilation import COMPILED_FORMAT, compile_native

#: Every qis gate family, with controls and parameters, on three qubits.
QIS_CIRCUIT: list[dict[str, Any]] = [
    {"gate": "h", "target": 0},
    {"gate": "cnot", "control": 0, "target": 1},
    {"gate": "rx", "target": 2, "rotation": 0.7},
    {"gate": "ry", "target": 1, "rotation": -1.3},
    {"gate": "rz", "target": 0, "rotation": 2.9},
    {"gate": "s", "target": 2},
    {"gate": "si", "target": 1},
    {"gate": "t", "target": 0},
    {"gate": "ti", "target": 2},
    {"gate": "v", "target": 1},
    {"gate": "vi", "target": 0},
    {"gate": "y", "target": 2},
    {"gate": "z", "target": 1},
    {"gate": "swap", "targets": [0, 2]},
    {"gate": "xx", "targets": [0, 1], "rotation": 0.4},
    {"gate": "yy", "targets": [1, 2], "rotation": -2.2},
    {"gate": "zz", "targets": [0, 2], "rotation": 5.1},
    {"gate": "rx", "controls": [0], "target": 2, "rotation": 1.1},
    {"gate": "x", "controls": [0, 1], "target": 2},
    {"gate": "not", "target": 0},
]


def _same_state(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.isclose(abs(np.vdot(a, b)), 1.0, atol=1e-9))


@pytest.mark.parametrize("backend", ["qpu.aria-1", "qpu.forte-1", "simulator"])
def test_qis_circuits_compile_exactly_to_the_backends_natives(backend: str) -> None:
    compiled = compile_native(QIS_CIRCUIT, qubits=3, gateset="qis", backend=backend)
    assert compiled["qubits"] == 3 and compiled["gateset"] == "native"
    names = {g["gate"] for g in compiled["circuit"]}
    entangler = "zz" if "forte" in backend else "ms"
    assert names <= {"gpi", "gpi2", entangler} and entangler in names
    # Every gate is valid native input (phases and angles in IonQ's ranges) ...
    list(iter_parsed(compiled["circuit"], gateset="native", qubits=3, max_controls=None))
    # ... and the compiled circuit is the input up to a global phase.
    reference = statevector(QIS_CIRCUIT, qubits=3)
    assert _same_state(statevector(compiled["circuit"], qubits=3, gateset="native"), reference)


def test_native_circuits_are_published_as_sent() -> None:
    native = [
        {"gate": "gpi2", "target": 0, "phase": 0.1},
        {"gate": "zz", "targets": [0, 1], "angle": 0.2},
    ]
    compiled = compile_native(native, qubits=2, gateset="native", backend="qpu.forte-1")
    assert compiled == {"qubits": 2, "gateset": "native", "circuit": native}


def test_dry_run_publishes_its_compiled_circuit_and_estimate(api: Api) -> None:
    body = circuit_job(
        [{"gate": "h", "target": 0}, {"gate": "cnot", "control": 0, "target": 1}],
        backend="qpu.aria-1",
        shots=100,
        dry_run=True,
        settings={"compilation": {"service_version": "v0.4"}},
    )
    job = api.run(body)
    assert job["status"] == "completed" and job["results"] is None
    assert job["settings"]["compilation"] == {"service_version": "v0.4"}
    descriptor = job["output"]["compilation"]["compiled_circuits"][COMPILED_FORMAT]
    assert descriptor["format"] == COMPILED_FORMAT
    compiled = api.get(f"/jobs/{job['id']}/artifacts/{descriptor['id']}").json()
    assert {g["gate"] for g in compiled["circuit"]} <= {"gpi", "gpi2", "ms"}
    bell = np.zeros(4, dtype=complex)
    bell[[0, 3]] = 2**-0.5
    assert _same_state(statevector(compiled["circuit"], qubits=2, gateset="native"), bell)
    cost = api.get(f"/jobs/{job['id']}/cost").json()
    assert cost["dry_run"] is True
    assert cost["estimated_cost"]["value"] > 0  # what it would cost to run
    assert cost["cost"]["value"] == 0  # a dry run is never charged


def test_a_run_job_publishes_no_compiled_circuit(api: Api) -> None:
    job = api.run(circuit_job([{"gate": "h", "target": 0}]))
    assert job["output"] == {}
    assert api.get(f"/jobs/{job['id']}/artifacts/compiled-native").status_code == 404


def test_service_version_must_be_a_string(api: Api) -> None:
    body = circuit_job(
        [{"gate": "h", "target": 0}], settings={"compilation": {"service_version": 4}}
    )
    response = api.post("/jobs", json=body)
    assert response.status_code == 400
    assert response.json()["validation"]["keys"] == ["settings.compilation.service_version"]
