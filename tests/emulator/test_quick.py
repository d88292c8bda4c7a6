"""Quick ideal circuits share Aer calls, with the results each gives alone."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from emulator_support import run_spec

from ionq_emulator import quick
from ionq_emulator.simulation import SimulationFailure, simulate, simulate_job

_spec = run_spec


H0 = {"gate": "h", "targets": [0]}


def test_only_small_ideal_json_circuits_are_quick() -> None:
    assert quick.work(_spec([H0, {"gate": "cnot", "controls": [0], "targets": [1]}])) == 8
    assert quick.work(_spec([H0] * 2, qubits=13)) == 2 * 2**13
    assert quick.work(_spec([H0] * 3, qubits=13)) is None  # over QUICK_WORK
    pauli = {"gate": "pauliexp", "targets": [0, 1], "terms": ["XX"] * 9, "coefficients": [1] * 9}
    assert quick.work(_spec([pauli])) == 9 * 4  # each term counts
    assert quick.work(_spec([H0], noise_model="aria-1")) is None
    assert quick.work({"program": "OPENQASM 3.0;", "noise_model": "ideal"}) is None


def test_batches_keep_order_put_slow_specs_alone_and_stay_bounded() -> None:
    fast, slow = _spec([H0]), _spec([H0], noise_model="forte-1")
    specs = [fast, fast, slow, fast, slow, slow, fast]
    assert [list(b) for b in quick.batches(specs)] == [[0, 1], [2], [3], [4], [5], [6]]
    many = [fast] * (2 * quick.BATCH_SIZE + 1)
    sizes = [len(b) for b in quick.batches(many)]
    assert sizes == [quick.BATCH_SIZE, quick.BATCH_SIZE, 1]
    heavy = _spec([H0] * 2, qubits=13)  # 2**14 updates: 16 fill one batch's work
    assert [len(b) for b in quick.batches([heavy] * 40)] == [16, 16, 8]
    assert list(quick.batches([])) == []


def _random_circuit(rng: random.Random, qubits: int) -> list[dict[str, Any]]:
    gates: list[dict[str, Any]] = []
    for _ in range(rng.randrange(0, 8)):
        a, b = rng.sample(range(qubits), 2)
        kind = rng.choice(["h", "x", "t", "rx", "ry", "cnot", "swap", "zz", "pauliexp"])
        if kind in ("rx", "ry"):
            gates.append({"gate": kind, "targets": [a], "rotation": rng.uniform(-3, 3)})
        elif kind == "cnot":
            gates.append({"gate": "cnot", "controls": [a], "targets": [b]})
        elif kind == "swap":
            gates.append({"gate": "swap", "targets": [a, b]})
        elif kind == "zz":
            gates.append({"gate": "zz", "targets": [a, b], "rotation": rng.uniform(-3, 3)})
        elif kind == "pauliexp":
            terms = ["XY", "ZZ"]
            gates.append(
                {
                    "gate": "pauliexp",
                    "targets": [a, b],
                    "terms": terms,
                    "coefficients": [rng.uniform(-1, 1) for _ in terms],
                    "time": 0.5,
                }
            )
        else:
            gates.append({"gate": kind, "targets": [a]})
    return gates


def test_results_match_aers_to_1e_12_and_every_path_gives_the_same_bytes() -> None:
    rng = random.Random(2026)
    specs = []
    for _ in range(80):
        qubits = rng.randrange(2, 6)
        specs.append(_spec(_random_circuit(rng, qubits), qubits=qubits))
    specs.append(_spec([{"gate": "h", "targets": [3]}], qubits=5))  # touches one of five
    specs.append(_spec([]))  # no gates
    native = [
        {"gate": "gpi2", "phase": 0.1, "targets": [0]},
        {"gate": "ms", "phases": [0, 0.25], "targets": [0, 1]},
    ]
    specs.append(_spec(native, gateset="native"))
    outcomes = quick.simulate_quick(specs)
    assert len(outcomes) == len(specs)
    for spec, outcome in zip(specs, outcomes, strict=True):
        assert quick.work(spec) is not None
        assert not isinstance(outcome, SimulationFailure)
        aer = simulate(
            spec["circuit"],
            qubits=spec["qubits"],
            gateset=spec["gateset"],
            shots=0,
            noise_model="ideal",
            seed=None,
        )  # Aer, independently of the gate table's matrices
        assert outcome["probabilities"] == pytest.approx(aer.probabilities, abs=1e-12)
        assert sum(outcome["probabilities"].values()) == pytest.approx(1.0, abs=1e-12)
        assert json.dumps(outcome) == json.dumps(simulate_job(spec))  # the workers' entry point


def test_a_bad_circuit_fails_alone() -> None:
    bad = _spec([{"gate": "h", "targets": [7]}])  # outside its two qubits
    specs = [_spec([H0]), bad, _spec([{"gate": "x", "targets": [1]}])]
    first, failure, last = quick.simulate_quick(specs)
    assert isinstance(failure, SimulationFailure) and failure.code == "InvalidInput"
    with pytest.raises(SimulationFailure) as alone:
        simulate_job(bad)
    assert failure.message == alone.value.message
    assert first == simulate_job(specs[0]) and last == {"probabilities": {"2": 1.0}}
