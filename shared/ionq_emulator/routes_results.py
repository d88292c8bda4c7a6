"""Routes serving job results: probabilities, aggregated, histogram, shots and artifacts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ionq_emulator.deps import Service, Who
from ionq_emulator.responses import JSONAnswer

router = APIRouter()
# Each route returns a JSONAnswer (encoded once, by orjson); ``response_model`` keeps the
# documented shape in /openapi.json as it was.


@router.get("/jobs/{job_id}/results/probabilities", response_model=Any)
def probabilities(
    job_id: str, who: Who, service: Service, sharpen: bool | None = None
) -> JSONAnswer:
    """Decimal state -> probability (``sharpen`` is accepted; no debiasing is emulated)."""
    return JSONAnswer(service.result(job_id, "probabilities"))


@router.get("/jobs/{job_id}/results/probabilities/aggregated", response_model=Any)
def aggregated(job_id: str, who: Who, service: Service, sharpen: bool | None = None) -> JSONAnswer:
    """Child job id -> probabilities, in input order."""
    return JSONAnswer(service.aggregated(job_id))


@router.get("/jobs/{job_id}/results/histogram", response_model=Any)
def histogram(job_id: str, who: Who, service: Service) -> JSONAnswer:
    """Decimal state -> shot count (shot-based jobs only)."""
    return JSONAnswer(service.result(job_id, "histogram"))


@router.get("/jobs/{job_id}/results/shots", response_model=Any)
def shots(job_id: str, who: Who, service: Service) -> JSONAnswer:
    """One decimal outcome per shot (shot-based jobs only)."""
    return JSONAnswer(service.result(job_id, "shots"))


@router.get("/jobs/{job_id}/artifacts/{artifact_id}", response_model=Any)
def artifact(job_id: str, artifact_id: str, who: Who, service: Service) -> JSONAnswer:
    """An artifact named in the job's ``results``."""
    return JSONAnswer(service.artifact(job_id, artifact_id))
