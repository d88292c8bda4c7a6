"""A worker process runs a list of specs in order, answers as runs end, and survives a crash."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import pytest
from emulator_support import run_spec

from ionq_emulator.processes import Outcome, SimulatorProcess
from ionq_emulator.simulation import simulate_job


def _spec(gate: str, qubit: int, **extra: Any) -> dict[str, Any]:
    return run_spec([{"gate": gate, "targets": [qubit]}], **extra)


def _collect_all(process: SimulatorProcess, count: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    while len(outcomes) < count and process.busy:
        outcomes += process.collect(lambda: True)
    return outcomes


@pytest.fixture
def process() -> Any:
    worker = SimulatorProcess(threads=1, budget=60.0)
    yield worker
    worker.close()


def test_answers_come_in_the_order_of_the_specs(process: SimulatorProcess) -> None:
    specs = [
        _spec("x", 0),
        _spec("h", 1, noise_model="aria-1", seed=3),  # a noisy run between quick ones
        _spec("x", 1),
        {**_spec("x", 0), "circuit": [{"gate": "x", "targets": [5]}]},  # fails on its own
    ]
    process.begin(specs)
    outcomes = _collect_all(process, len(specs))
    assert not process.busy
    assert [o.status for o in outcomes] == ["completed", "completed", "completed", "failed"]
    assert outcomes[0].results == {"probabilities": {"1": 1.0}}
    assert outcomes[1].results == simulate_job(specs[1])  # seeded: the same shots
    assert outcomes[2].results == {"probabilities": {"2": 1.0}}
    assert outcomes[3].failure is not None and outcomes[3].failure[0] == "InvalidInput"


def test_a_crash_fails_the_running_spec_only(process: SimulatorProcess) -> None:
    endless = _spec("h", 0, shots=1_000_000, noise_model="forte-1", seed=1)
    endless["circuit"] = [{"gate": "h", "targets": [0]}] * 40
    process.begin([endless, _spec("x", 0)])
    pid = process.pid
    assert pid is not None
    threading.Timer(0.5, os.kill, (pid, signal.SIGKILL)).start()
    (crashed,) = process.collect(lambda: True)
    assert crashed.status == "failed" and crashed.failure is not None
    assert crashed.failure[0] == "SimulationError"
    assert not process.busy  # the spec after it never ran: the caller sends it again
    process.begin([_spec("x", 0)])
    (rerun,) = _collect_all(process, 1)
    assert rerun.results == {"probabilities": {"1": 1.0}}
    assert process.pid != pid
