"""Typed job records: one parse at the edge, one simulator rule, one failure mapping."""

from __future__ import annotations

from typing import Any

import pytest

from ionq_direct import JobFailedError
from ionq_direct import _polling as polling
from ionq_direct._constants import POLL_MAX_QPU, POLL_MAX_SIMULATOR
from ionq_direct.records import (
    MULTI_CIRCUIT_TYPE,
    SHOTS_ARTIFACT,
    Failure,
    JobRecord,
    ResultLinks,
    failure_error,
    is_simulator,
)

FULL: dict[str, Any] = {
    "id": "j1",
    "status": "completed",
    "type": "ionq.circuit.v1",
    "backend": "simulator",
    "shots": 500,
    "noise": {"model": "aria-1", "seed": 3},
    "failure": None,
    "child_job_ids": None,
    "parent_job_id": None,
    "session_id": "s1",
    "metadata": {"ionq_direct_seed": "7"},
    "predicted_wait_time_ms": 1500,
    "completed_at": "2026-01-01T00:00:00Z",
    "stats": {"qubits": 3},
    "results": {
        "probabilities": {"url": "/v0.4/jobs/j1/results/probabilities"},
        SHOTS_ARTIFACT: {"id": "shots-1", "format": SHOTS_ARTIFACT},
    },
}


@pytest.mark.parametrize(
    ("backend", "simulator"),
    [
        ("simulator", True),
        ("simulator.aria-1", True),
        ("simulator.forte-1", True),
        ("qpu.aria-1", False),
        ("qpu.forte-1", False),
        ("simulators", False),
        ("", False),
        (None, False),
    ],
)
def test_is_simulator_is_one_rule(backend: str | None, simulator: bool) -> None:
    assert is_simulator(backend) is simulator


def test_full_record_is_read_once() -> None:
    info = JobRecord.parse(FULL)
    assert info.id == "j1" and info.status == "completed" and info.done
    assert info.backend == "simulator" and info.on_simulator
    assert info.shots == 500 and info.noise_model == "aria-1" and not info.is_exact
    assert info.failure is None and info.session_id == "s1"
    assert info.metadata == {"ionq_direct_seed": "7"}
    assert info.predicted_wait_s == 1.5
    assert info.completed_at == "2026-01-01T00:00:00Z" and info.qubits == 3
    assert info.child_job_ids == () and not info.is_multi_circuit
    assert info.is_full
    assert info.results.artifacts == {SHOTS_ARTIFACT: "shots-1"}
    assert not info.results.has_shots


def test_creation_answer_and_empty_record() -> None:
    answer = JobRecord.parse({"id": "j2", "status": "submitted", "session_id": None})
    assert answer.id == "j2" and not answer.is_full and not answer.done
    assert answer.backend is None and answer.child_job_ids is None
    empty = JobRecord.parse({})
    assert empty.status == "unknown" and empty.metadata == {} and empty.results == ResultLinks()


@pytest.mark.parametrize(
    "raw",
    [
        {"status": 3, "backend": 4, "shots": True, "noise": "ideal", "stats": [1]},
        {"status": "", "shots": "100", "metadata": "x", "results": [1], "failure": "boom"},
    ],
)
def test_mistyped_fields_read_as_missing(raw: dict[str, Any]) -> None:
    info = JobRecord.parse(raw)
    assert info.status == "unknown" and info.backend is None and info.shots is None
    assert info.noise_model is None and info.qubits is None and info.failure is None
    assert info.metadata == {} and info.results == ResultLinks()


@pytest.mark.parametrize(
    ("overrides", "exact"),
    [
        ({"backend": "simulator", "noise": {"model": "ideal"}}, True),
        ({"backend": "simulator", "noise": None}, True),
        ({"backend": "simulator.aria-1", "noise": None}, True),
        ({"backend": "simulator.aria-1", "noise": {"model": "aria-1"}}, False),
        ({"backend": "qpu.forte-1", "noise": None}, False),
    ],
)
def test_exact_only_on_the_ideal_simulator(overrides: dict[str, Any], exact: bool) -> None:
    assert JobRecord.parse({**FULL, **overrides}).is_exact is exact


def test_multi_circuit_by_type_or_children() -> None:
    assert JobRecord.parse({"type": MULTI_CIRCUIT_TYPE}).is_multi_circuit
    children = JobRecord.parse({"child_job_ids": ["a", 2]})
    assert children.is_multi_circuit and children.child_job_ids == ("a", "2")


@pytest.mark.parametrize("value", [None, "10", True, -1, float("nan"), float("inf")])
def test_unusable_predictions_are_ignored(value: object) -> None:
    assert JobRecord.parse({"predicted_wait_time_ms": value}).predicted_wait_s is None


def test_result_links_name_shots_urls_and_artifacts() -> None:
    links = ResultLinks.parse({"shots": {"url": "/x"}, "histogram": None})
    assert links.has_shots and links.kinds == {"shots", "histogram"} and links.artifacts == {}


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ({"code": "NoQubits", "message": "too wide"}, Failure("NoQubits", "too wide")),
        ({"code": "X", "error": "old field"}, Failure("X", "old field")),
        ({}, Failure(None, None)),
    ],
)
def test_failure_is_parsed(failure: dict[str, Any], expected: Failure) -> None:
    assert JobRecord.parse({"failure": failure}).failure == expected


class FrameworkError(JobFailedError):
    """A framework's own failure class, as an adapter passes it."""


def test_failure_error_maps_codes_and_cancels_into_the_given_class() -> None:
    failed = JobRecord.parse({"status": "failed", "failure": {"code": "E", "message": "m"}})
    error = failure_error("j1", failed)
    assert type(error) is JobFailedError
    assert (error.job_id, error.code, error.message) == ("j1", "E", "m")
    canceled = failure_error("j2", JobRecord.parse({"status": "canceled"}), FrameworkError)
    assert isinstance(canceled, FrameworkError)
    assert canceled.code == "Canceled" and "canceled before it finished" in str(canceled.message)
    unknown = failure_error("j3", JobRecord.parse({"status": "failed"}))
    assert unknown.code is None and "UnknownError" in str(unknown)


def test_simulator_variants_poll_with_the_simulator_cap() -> None:
    # The payload builder accepts "simulator.<variant>" backends; polling used to treat them
    # as QPUs (30 s between checks) while the builder called them simulators.
    assert polling.interval_cap("simulator.aria-1") == POLL_MAX_SIMULATOR
    assert polling.interval_cap("simulator") == POLL_MAX_SIMULATOR
    assert polling.interval_cap("qpu.aria-1") == POLL_MAX_QPU
    assert polling.interval_cap(None) == POLL_MAX_QPU
