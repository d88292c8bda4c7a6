"""Turn a validated job plan into the rows the store keeps: one per circuit, plus a parent.

A single-circuit job is one row. A multi-circuit job is a parent row, which is never run and
sums its children's counts, cost and predicted duration, followed by one child row per circuit.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from typing import Any

from ionq_direct.payload import SINGLE_CIRCUIT
from ionq_emulator import pricing
from ionq_emulator.catalog import is_qpu
from ionq_emulator.store import JobRow
from ionq_emulator.validation import JobPlan

_INT32 = 2**31


def child_seed(seed: int, index: int) -> int:
    """The noise seed of circuit ``index`` of a job seeded with ``seed``.

    Circuit 0 keeps the job's seed; the others get well-mixed seeds, because simulators derive
    per-shot seeds by counting up from the seed, so neighbouring seeds share trajectories.
    """
    if index == 0:
        return seed
    digest = hashlib.sha256(f"{seed}/{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % _INT32


def job_rows(
    plan: JobPlan, job_id: str, *, submitted_at: str, common: dict[str, Any]
) -> list[JobRow]:
    """The rows of job ``job_id``: the parent first for a multi-circuit job, then each circuit.

    Args:
        plan: the validated submission.
        job_id: the id the caller answers with.
        submitted_at: the submission timestamp every row carries.
        common: record fields the job and its children share.
    """
    new = functools.partial(
        JobRow,
        status="submitted",
        backend=plan.backend,
        session_id=plan.session_id,
        submitted_at=submitted_at,
    )
    if not plan.is_multi:
        record = _circuit_record(plan, 0, common)
        return [new(job_id, plan.type, parent_id=None, record=record, spec=_run_spec(plan, 0))]
    children = [
        new(
            str(uuid.uuid4()),
            SINGLE_CIRCUIT,
            parent_id=job_id,
            record=_circuit_record(plan, index, common),
            spec=_run_spec(plan, index),
        )
        for index in range(len(plan.circuits))
    ]
    record = _parent_record(plan, children, common)
    return [new(job_id, plan.type, parent_id=None, record=record, spec={}), *children]


def _run_spec(plan: JobPlan, index: int) -> dict[str, Any]:
    """What the worker needs to run circuit ``index`` of ``plan``."""
    circuit = plan.circuits[index]
    model = plan.noise_model
    seed = plan.noise.get("seed") if plan.noise else None
    ideal = model == "ideal" and not is_qpu(plan.backend)
    kinds = ["probabilities"] if ideal else ["probabilities", "histogram", "shots"]
    if circuit.program is not None:  # ionq.qasm3.v1: register-nested artifacts too
        kinds += ["probabilities_v2"] if ideal else ["shots_v2", "histogram_v2", "probabilities_v2"]
    return {
        "circuit": circuit.circuit,
        "qubits": circuit.qubits,
        "gateset": circuit.gateset,
        "shots": plan.shots,
        "noise_model": model,
        "seed": None if seed is None else child_seed(seed, index),
        "failure": list(circuit.failure) if circuit.failure else None,
        "result_kinds": kinds,
        "program": circuit.program,
        "registers": [list(r) for r in circuit.registers],
    }


def _circuit_record(plan: JobPlan, index: int, common: dict[str, Any]) -> dict[str, Any]:
    """The record of the job running circuit ``index``: the job itself, or a child."""
    circuit = plan.circuits[index]
    one, two = circuit.one_qubit, circuit.two_qubit
    run_seconds = pricing.execution_seconds(plan.backend, plan.shots, one, two)
    return {
        **common,
        "name": circuit.name if plan.is_multi else plan.name,
        "child_job_ids": None,
        "predicted_execution_duration_ms": int(run_seconds * 1000),
        "stats": {"qubits": circuit.qubits, "circuits": 1, "gate_counts": {"1q": one, "2q": two}},
        "cost": pricing.job_cost(plan.backend, plan.shots, one, two, minimum=not plan.is_multi),
    }


def _parent_record(plan: JobPlan, children: list[JobRow], common: dict[str, Any]) -> dict[str, Any]:
    """The multi-circuit parent's record: it sums its ``children``."""
    one = sum(c.one_qubit for c in plan.circuits)
    two = sum(c.two_qubit for c in plan.circuits)
    return {
        **common,
        "name": plan.name,
        "child_job_ids": [c.id for c in children],
        "predicted_execution_duration_ms": sum(
            c.record["predicted_execution_duration_ms"] for c in children
        ),
        "stats": {
            "qubits": max(c.qubits for c in plan.circuits),
            "circuits": len(plan.circuits),
            "gate_counts": {"1q": one, "2q": two},
        },
        "cost": pricing.job_cost(plan.backend, plan.shots, one, two),
    }
