"""Render stored jobs and sessions as the JSON objects IonQ's v0.4 API returns."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ionq_direct.payload import MULTI_CIRCUIT
from ionq_emulator import compilation
from ionq_emulator.store import JobRow

#: The path prefix of every route and of every result URL the emulator hands out.
API_PREFIX = "/v0.4"
#: Legacy result kind -> (artifact format id, artifact id).
ARTIFACTS = {
    "probabilities": ("ionq.result.probabilities.json.v1", "probabilities"),
    "histogram": ("ionq.result.histogram.json.v1", "histogram"),
    "shots": ("ionq.result.shots.json.v1", "shots"),
    "shots_v2": ("ionq.result.shots.json.v2", "shots-v2"),
    "histogram_v2": ("ionq.result.histogram.json.v2", "histogram-v2"),
    "probabilities_v2": ("ionq.result.probabilities.json.v2", "probabilities-v2"),
}
#: Result kinds also served at ``/results/<kind>`` (the others are artifacts only).
LEGACY_KINDS = frozenset({"probabilities", "histogram", "shots"})
#: Artifact id -> the legacy result kind it serves.
ARTIFACT_KINDS = {artifact_id: kind for kind, (_, artifact_id) in ARTIFACTS.items()}
AGGREGATE_FORMAT = "ionq.result.probabilities-aggregate.json.v1"
AGGREGATE_ARTIFACT = "probabilities-aggregate"


def now_iso() -> str:
    """The current UTC time as IonQ writes it: ISO 8601 with milliseconds and ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """Parse an ISO timestamp written by :func:`now_iso` (or any ISO form with an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _descriptor(format_id: str, artifact_id: str) -> dict[str, str]:
    return {"id": artifact_id, "format": format_id, "media_type": "application/json"}


def results_block(row: JobRow) -> dict[str, Any] | None:
    """The ``results`` field: ``None`` until completed (and for dry runs), else URLs + artifacts."""
    if row.status != "completed" or row.record.get("dry_run"):
        return None
    base = f"{API_PREFIX}/jobs/{row.id}/results"
    if row.type == MULTI_CIRCUIT:
        return {
            "probabilities": {"url": f"{base}/probabilities/aggregated"},
            AGGREGATE_FORMAT: _descriptor(AGGREGATE_FORMAT, AGGREGATE_ARTIFACT),
        }
    kinds = row.spec.get("result_kinds", ["probabilities"])
    block: dict[str, Any] = {
        kind: {"url": f"{base}/{kind}"} for kind in kinds if kind in LEGACY_KINDS
    }
    for kind in kinds:
        format_id, artifact_id = ARTIFACTS[kind]
        block[format_id] = _descriptor(format_id, artifact_id)
    return block


def job_record(row: JobRow, *, listing: bool = False) -> dict[str, Any]:
    """The public job object; ``listing`` drops ``child_job_ids`` as ``GET /jobs`` does."""
    rec = row.record
    job: dict[str, Any] = {
        "id": row.id,
        "status": row.status,
        "type": row.type,
        "backend": row.backend,
        "dry_run": rec["dry_run"],
        "cost_model": rec["cost_model"],
        "submitter_id": rec["submitter_id"],
        "project_id": rec["project_id"],
        "parent_job_id": row.parent_id,
        "child_job_ids": rec.get("child_job_ids"),
        "session_id": row.session_id,
        "metadata": rec["metadata"],
        "name": rec["name"],
        "submitted_at": row.submitted_at,
        "started_at": row.started_at,
        "completed_at": row.completed_at,
        "predicted_wait_time_ms": rec["predicted_wait_time_ms"],
        "predicted_execution_duration_ms": rec["predicted_execution_duration_ms"],
        "execution_duration_ms": row.execution_duration_ms,
        "shots": rec["shots"],
        "failure": row.failure,
        "settings": rec["settings"],
        "stats": rec["stats"],
        "results": results_block(row),
        "output": compilation.output_block(row),
    }
    if rec.get("noise") is not None:
        job["noise"] = rec["noise"]
    if listing:
        del job["child_job_ids"]
    return job
