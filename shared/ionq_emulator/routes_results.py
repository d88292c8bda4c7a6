"""Routes serving job results: probabilities, aggregated, histogram, shots and artifacts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ionq_emulator.deps import Service, Who

router = APIRouter()


@router.get("/jobs/{job_id}/results/probabilities")
def probabilities(job_id: str, who: Who, service: Service, sharpen: bool | None = None) -> Any:
    """Decimal state -> probability (``sharpen`` is accepted; no debiasing is emulated)."""
    return service.result(job_id, "probabilities")


@router.get("/jobs/{job_id}/results/probabilities/aggregated")
def aggregated(job_id: str, who: Who, service: Service, sharpen: bool | None = None) -> Any:
    """Child job id -> probabilities, in input order."""
    return service.aggregated(job_id)


@router.get("/jobs/{job_id}/results/histogram")
def histogram(job_id: str, who: Who, service: Service) -> Any:
    """Decimal state -> shot count (shot-based jobs only)."""
    return service.result(job_id, "histogram")


@router.get("/jobs/{job_id}/results/shots")
def shots(job_id: str, who: Who, service: Service) -> Any:
    """One decimal outcome per shot (shot-based jobs only)."""
    return service.result(job_id, "shots")


@router.get("/jobs/{job_id}/artifacts/{artifact_id}")
def artifact(job_id: str, artifact_id: str, who: Who, service: Service) -> Any:
    """An artifact named in the job's ``results``."""
    return service.artifact(job_id, artifact_id)
