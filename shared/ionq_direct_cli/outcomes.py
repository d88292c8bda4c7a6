"""A finished job's results as one plain document: the ``--json`` output and what the tables show.

    {"id", "status", "backend", "shots", "failure",
     "circuits": [{"index", "id", "qubits", "probabilities": {"<key>": p}, "counts": {"<key>": n}}],
     "registers": [{"name", "bits", "probabilities": {"<key>": p}, "counts": {"<key>": n}}]}

Keys are IonQ's decimal outcomes (qubit 0 is the least significant bit). A single-circuit job has
one entry in ``circuits``; a multi-circuit job one per circuit, in input order, each with its
child job's id. Counts follow the library (``Job.counts``): the ideal simulator's distribution
is sampled with the job's recorded seed (one derived seed per circuit of a multi-circuit job, as
the Qiskit adapter does), other results are rounded by largest remainder; they sum to the shots.
A job that recorded no seed is sampled with one derived from its id, so reading the same job
twice shows the same counts.
``counts`` is ``null`` when the job records no shots and none were asked for.

An OpenQASM 3 job (``ionq.qasm3.v1``, a dynamic circuit) has no circuit entries: its results are
per classical register, from its register (v2) artifacts, in ``registers`` (each register the
program declares, then ``output_all``, the system's whole-register entry). Keys are the
register's decimal values (its bit 0 is the least significant). ``probabilities`` is the
probabilities artifact's, else the measured frequencies; ``counts`` are the recorded shots when
there are any (shots tagged with leakage left out, so they may sum to fewer than the job's shots),
else drawn as above. ``registers`` is empty for every other job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from ionq_direct import artifacts, results
from ionq_direct.jobs import Job
from ionq_direct.qasm3 import QASM3_TYPE

__all__ = ["failure_of", "register_entries", "result_document", "seed_from_id"]


def seed_from_id(job_id: str) -> int:
    """A sampling seed that depends only on the job id (for jobs that recorded none)."""
    return int.from_bytes(hashlib.sha256(job_id.encode("utf-8")).digest()[:8], "big") >> 1


def failure_of(job: Job) -> dict[str, str | None] | None:
    """``{"code", "message"}`` of a failed or canceled job, else ``None``."""
    if job.status not in ("failed", "canceled"):
        return None
    failure = job.record.get("failure")
    failure = failure if isinstance(failure, Mapping) else {}
    code = failure.get("code")
    message = failure.get("message") or failure.get("error")
    if job.status == "canceled" and not (code or message):
        code, message = "Canceled", "the job was canceled before it finished"
    return {"code": str(code) if code else None, "message": str(message) if message else None}


def _qubits(record: Mapping[str, Any], outcomes: list[int]) -> int:
    stats = record.get("stats")
    qubits = stats.get("qubits") if isinstance(stats, Mapping) else None
    if isinstance(qubits, int) and qubits > 0:
        return qubits
    return max(1, max(outcomes, default=0).bit_length())


def _entry(
    index: int,
    job: Job,
    record: Mapping[str, Any],
    dist: tuple[Any, Any],
    shots: int | None,
    seed: int | None,
) -> dict[str, Any]:
    outcomes, probs = dist
    counts: dict[str, int] | None = None
    if shots is not None:
        kept, values = results.counts(outcomes, probs, shots, exact=job.is_exact, seed=seed)
        counts = {str(k): int(n) for k, n in zip(kept.tolist(), values.tolist(), strict=True)}
    return {
        "index": index,
        "id": str(record.get("id") or job.id),
        "qubits": _qubits(record, outcomes.tolist()),
        "probabilities": {
            str(k): p for k, p in zip(outcomes.tolist(), probs.tolist(), strict=True)
        },
        "counts": counts,
    }


def result_document(
    job: Job, *, shots: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """Everything ``results`` shows about ``job`` (which must be finished; see the module).

    Args:
        job: the finished job.
        shots: counts for this many shots (default: the job's).
        seed: sampling seed for exact distributions (default: the job's recorded seed, else
            :func:`seed_from_id`).
    """
    if "backend" not in job.record:
        job.refresh()
    total = shots if shots is not None else job.record.get("shots")
    doc: dict[str, Any] = {
        "id": job.id,
        "status": job.status,
        "backend": job.backend,
        "shots": total,
        "failure": failure_of(job),
        "circuits": [],
        "registers": [],
    }
    if job.status != "completed":
        return doc
    count_shots = int(total) if total is not None else None
    if seed is None:
        seed = job.recorded_seed if job.recorded_seed is not None else seed_from_id(job.id)
    if job.info.type == QASM3_TYPE:
        doc["registers"] = register_entries(job, count_shots, seed)
        return doc
    if not job.is_multi_circuit:
        doc["circuits"].append(_entry(0, job, job.record, job.distribution(), count_shots, seed))
        return doc
    children = job.children()
    for index, (child, dist) in enumerate(
        zip(children, job.aggregated_distributions(), strict=True)
    ):
        circuit_seed = None if seed is None else results.derive_seed(seed, index)
        doc["circuits"].append(_entry(index, job, child.record, dist, count_shots, circuit_seed))
    return doc


def register_entries(job: Job, shots: int | None, seed: int | None) -> list[dict[str, Any]]:
    """The ``registers`` of a finished OpenQASM 3 job's document (see the module)."""
    found = artifacts.fetch(job)
    entries = []
    for name in found.names:
        probabilities = found.distribution(name)
        counts: dict[str, int] | None = None
        recorded = found.shots is not None and name in found.shots.registers
        if shots is not None or recorded:
            values = found.outcomes(name, shots or 0, exact=job.is_exact, seed=seed)
            kept, tally = np.unique(np.asarray(values), return_counts=True)
            counts = {str(k): int(n) for k, n in zip(kept.tolist(), tally.tolist(), strict=True)}
        entries.append(
            {
                "name": name,
                "bits": found.widths.get(name, 0),
                "probabilities": {str(k): p for k, p in probabilities.items()},
                "counts": counts,
            }
        )
    return entries
