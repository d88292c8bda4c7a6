"""Success answers checked against a hand-copied table of IonQ's OpenAPI v0.4 response schemas.

Each schema lists its fields with a type code; a trailing ``?`` means nullable, a leading ``*``
means required. ``strict`` schemas have ``additionalProperties: false`` and may carry nothing
else. The facts are copied from ``ionq-openapi-v0.4.json`` (not read at test time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests
from emulator_support import GHZ_INPUT, Api, circuit_job

JOB_STATUS = {"submitted", "ready", "started", "canceled", "failed", "completed"}
COST_MODEL = {"QCT", "2QGE_operations"}
SESSION_STATUS = {"created", "started", "ended"}
BACKEND_STATUS = {"available", "unavailable", "retired"}
FAILURE_CODES = {
    "InvalidInput", "CompilationError", "ContractExpiredError", "DebiasingError",
    "InternalError", "NotEnoughQubits", "OptimizationError", "PreflightError",
    "QuantumCircuitComplexityError", "QuantumComputerError", "QuotaExhaustedError",
    "SimulationError", "SimulationTimeout", "SystemCancel", "TooLongPredictedExecutionTime",
    "TooManyControls", "TooManyGates", "TooManyShots", "UnknownBillingError", "UnsupportedGate",
}  # fmt: skip

_BASE_JOB = {
    "*id": "str", "*status": JOB_STATUS, "*type": "str", "*backend": "str", "*dry_run": "bool",
    "*submitter_id": "str", "*project_id": "str?", "*parent_job_id": "str?",
    "*session_id": "str?", "*metadata": "obj?", "*name": "str?", "*submitted_at": "iso",
    "*started_at": "iso?", "*completed_at": "iso?", "*predicted_wait_time_ms": "int?",
    "*predicted_execution_duration_ms": "int?", "*execution_duration_ms": "int?",
    "shots": "int", "noise": "Noise", "*failure": "Failure?", "cost_model": COST_MODEL,
    "*output": "obj", "*settings": "CircuitJobSettings", "*stats": "CircuitJobStats",
    "*results": "obj?",
}  # fmt: skip
_COST = {"*value": "num", "*unit": "str"}

SCHEMAS: dict[str, tuple[bool, dict[str, Any]]] = {
    # name: (strict, fields)
    "JobCreationResponse": (True, {"*id": "str", "*status": JOB_STATUS, "*session_id": "str?"}),
    "BaseJob": (True, _BASE_JOB),
    "SingleCircuitJob": (True, {**_BASE_JOB, "*child_job_ids": "strs?"}),
    "GetJobsResponse": (True, {"*jobs": "[BaseJob]", "*next": "str?"}),
    "Noise": (True, {"*model": "str", "seed": "int"}),
    "Failure": (True, {"*code": FAILURE_CODES, "*message": "str"}),
    "CircuitJobSettings": (True, {"compilation": "obj", "error_mitigation": "obj"}),
    "CircuitJobStats": (
        True,
        {
            "qubits": "int", "circuits": "int", "gate_counts": "nums", "kwh": "num",
            "predicted_quantum_compute_time_us": "int", "billed_quantum_compute_time_us": "int",
        },
    ),
    "GetJobCostResponse": (True, {"*dry_run": "bool", "*estimated_cost": "Cost", "cost": "Cost"}),
    "Cost": (False, _COST),
    # The spec allows only "canceled"; cancelling a finished job answers its unchanged status
    # instead (a deliberate deviation: clients update their handle from this answer).
    "JobCanceledResponse": (True, {"*id": "str", "*status": {"canceled", "completed", "failed"}}),
    "JobsCanceledResponse": (True, {"*ids": "strs", "*status": {"canceled"}}),
    "JobDeletedResponse": (True, {"*id": "str", "*status": {"deleted"}}),
    "JobsDeletedResponse": (True, {"*ids": "strs", "*status": {"deleted"}}),
    "GetJobEstimateResponse": (
        True,
        {
            "*estimate_context": "GetJobEstimateContext", "*estimated_at": "iso",
            "*estimated_unit": "str", "*rate_card": "RateCard", "*estimated_total_cost": "num",
            "*estimated_execution_time": "int", "estimated_quantum_compute_time_us": "int",
            "*current_predicted_queue_time": "int",
        },
    ),
    "GetJobEstimateContext": (
        True,
        {
            "*backend": "str", "type": "str", "qubits": "int", "shots": "int", "1q_gates": "int",
            "2q_gates": "int", "error_mitigation": "bool", "*organization": "str?",
            "*project": "str?",
        },
    ),
    "RateCard": (False, {"*rates": "[RateCardEntry]", "*id": "str"}),
    "RateCardEntry": (
        True,
        {
            "*sku": "str", "*unit": {"compute_second", "gates"}, "unit_cost": "num",
            "cost_1q_gate": "num", "cost_2q_gate": "num", "job_cost_minimum": "num",
        },
    ),
    "Session": (
        True,
        {
            "*id": "str", "*created_at": "iso", "*organization_id": "str", "*backend": "str?",
            "*project_id": "str?", "*creator_id": "str?", "*ended_at": "iso?",
            "*ender_id": "str?", "settings": "SessionSettings", "*active": "bool",
            "*status": SESSION_STATUS, "*started_at": "iso?",
        },
    ),
    "SessionSettings": (
        True,
        {
            "job_count_limit": "int", "duration_limit_min": "int", "cost_limit": "Cost",
            "expires_at": "iso",
        },
    ),
    "SessionsResponse": (True, {"*organization_id": "str", "*sessions": "[Session]"}),
    "Backend": (
        False,
        {
            "*backend": "str", "*status": BACKEND_STATUS, "*qubits": "int",
            "*average_queue_time": "num", "*last_updated": "iso", "characterization_id": "str",
            "degraded": "bool", "location": "str", "kw": "num", "supported_gates": "strs",
            "supported_native_gates": "strs", "supported_error_mitigations": "strs",
        },
    ),
    "Characterization": (
        False,
        {
            "id": "str", "date": "iso", "backend": "str", "qubits": "int",
            "connectivity": "obj_list", "fidelity": "obj", "timing": "obj",
        },
    ),
    "Whoami": (False, {"*key_id": "str", "*key_name": "str", "project_id": "str"}),
}  # fmt: skip


def _is_iso(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _problems(value: Any, kind: Any, where: str) -> list[str]:
    """What is wrong with ``value`` as ``kind`` (a type code, an enum set or a schema name)."""
    if isinstance(kind, set):
        return [] if value in kind else [f"{where}: {value!r} not in {sorted(kind)}"]
    if kind.endswith("?"):
        return [] if value is None else _problems(value, kind[:-1], where)
    checks = {
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "num": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "obj": lambda v: isinstance(v, dict),
        "iso": _is_iso,
        "strs": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "nums": lambda v: isinstance(v, dict) and all(checks["num"](i) for i in v.values()),
        "obj_list": lambda v: isinstance(v, list),
    }
    if kind in checks:
        return [] if checks[kind](value) else [f"{where}: {value!r} is not {kind}"]
    if kind.startswith("["):
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        item_schema = kind[1:-1]
        return [p for i, v in enumerate(value) for p in conforms(v, item_schema, f"{where}[{i}]")]
    return conforms(value, kind, where)


def conforms(value: Any, schema: str, where: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema`` of the table (empty when it conforms)."""
    where = where or schema
    if not isinstance(value, dict):
        return [f"{where}: not an object"]
    strict, fields = SCHEMAS[schema]
    problems = []
    for raw, kind in fields.items():
        name = raw.lstrip("*")
        if name in value:
            problems += _problems(value[name], kind, f"{where}.{name}")
        elif raw.startswith("*"):
            problems.append(f"{where}: required {name!r} missing")
    if strict:
        known = {raw.lstrip("*") for raw in fields}
        problems += [f"{where}: extra key {k!r}" for k in value if k not in known]
    return problems


def test_the_checker_catches_what_it_should() -> None:
    created = {"id": "a", "status": "submitted", "session_id": None}
    assert conforms(created, "JobCreationResponse") == []
    assert conforms({"id": "a", "status": "running"}, "JobCreationResponse") == [
        "JobCreationResponse.status: 'running' not in "
        "['canceled', 'completed', 'failed', 'ready', 'started', 'submitted']",
        "JobCreationResponse: required 'session_id' missing",
    ]
    cost = {"dry_run": False, "estimated_cost": {"value": 1, "unit": "usd"}, "x": 1}
    assert conforms(cost, "GetJobCostResponse") == ["GetJobCostResponse: extra key 'x'"]


def _check(value: Any, schema: str) -> None:
    problems = conforms(value, schema)
    assert not problems, "\n".join(problems)


def test_job_answers_match_the_schemas(api: Api) -> None:
    created = api.post("/jobs", json=circuit_job(GHZ_INPUT["circuit"], metadata={"k": "v"}))
    assert created.status_code == 201
    _check(created.json(), "JobCreationResponse")
    job_id = created.json()["id"]
    _check(api.get(f"/jobs/{job_id}").json(), "SingleCircuitJob")
    _check(api.wait(job_id), "SingleCircuitJob")
    _check(api.get(f"/jobs/{job_id}/cost").json(), "GetJobCostResponse")
    noisy = api.run(circuit_job(GHZ_INPUT["circuit"], noise={"model": "aria-1", "seed": 3}))
    _check(noisy, "SingleCircuitJob")
    failed = api.run(circuit_job([{"gate": "x", "targets": [0]}], qubits=30))
    _check(failed, "SingleCircuitJob")
    qpu = api.run(circuit_job([{"gate": "x", "targets": [0]}], backend="qpu.aria-1", shots=600))
    _check(qpu, "SingleCircuitJob")
    multi = {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "input": {"gateset": "qis", "circuits": [{"circuit": GHZ_INPUT["circuit"]}] * 2},
    }
    parent = api.run(multi)
    _check(parent, "SingleCircuitJob")  # MultiCircuitJob has the same fields
    _check(api.get(f"/jobs/{parent['child_job_ids'][0]}").json(), "SingleCircuitJob")
    _check(api.get("/jobs", params={"limit": 5}).json(), "GetJobsResponse")
    _check(api.put(f"/jobs/{job_id}/status/cancel").json(), "JobCanceledResponse")
    _check(api.put("/jobs/status/cancel", json={"ids": [job_id]}).json(), "JobsCanceledResponse")
    _check(api.delete(f"/jobs/{qpu['id']}").json(), "JobDeletedResponse")
    _check(api.delete("/jobs", json={"ids": [noisy["id"]]}).json(), "JobsDeletedResponse")


def test_estimate_matches_the_schema(api: Api) -> None:
    for backend in ("simulator", "qpu.aria-1", "qpu.forte-1"):
        params = {"backend": backend, "shots": 1000, "1q_gates": 10, "2q_gates": 5}
        _check(api.get("/jobs/estimate", params=params).json(), "GetJobEstimateResponse")


def test_info_answers_match_the_schemas(api: Api) -> None:
    for backend in requests.get(api.base + "/backends", timeout=10).json():
        _check(backend, "Backend")
    listing = requests.get(api.base + "/backends/qpu.forte-1/characterizations", timeout=10)
    for item in listing.json()["characterizations"]:
        _check(item, "Characterization")
    _check(api.get("/whoami").json(), "Whoami")
    limit = {"unit": "usd", "value": 9}
    settings = {"job_count_limit": 3, "duration_limit_min": 5, "cost_limit": limit}
    session = api.post("/sessions", json={"backend": "simulator", "settings": settings}).json()
    _check(session, "Session")
    api.submit(circuit_job([{"gate": "x", "targets": [0]}], session_id=session["id"]))
    _check(api.get(f"/sessions/{session['id']}").json(), "Session")
    _check(api.post(f"/sessions/{session['id']}/end").json(), "Session")
    _check(api.get("/sessions").json(), "SessionsResponse")
