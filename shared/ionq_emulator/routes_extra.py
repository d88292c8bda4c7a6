"""Routes for the rest of v0.4: clone and move a job, format schemas, organization usage."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ionq_emulator import cloning, formats, usage
from ionq_emulator.deps import Service, Who, read_json

router = APIRouter()


@router.post("/jobs/{job_id}/clone", status_code=201)
async def clone_job(job_id: str, request: Request, who: Who, service: Service) -> JSONResponse:
    """Submit a copy of a job with the body's overrides (201 ``JobCreationResponse``)."""
    body = await read_json(request)
    created = await run_in_threadpool(cloning.clone, service, job_id, body, who)
    return JSONResponse(created, status_code=201)


@router.post("/jobs/{job_id}/move", status_code=201)
async def move_job(job_id: str, request: Request, who: Who, service: Service) -> JSONResponse:
    """Clone a job and cancel it (409 once it has ended, and then no job is created)."""
    body = await read_json(request)
    created = await run_in_threadpool(cloning.move, service, job_id, body, who)
    return JSONResponse(created, status_code=201)


@router.get("/schemas/formats/{format_id}")
def format_schema(format_id: str, who: Who) -> dict[str, Any]:
    """The JSON Schema of a result or circuit format (404 for an unknown one)."""
    return formats.format_schema(format_id)


@router.get("/organizations/{organization_id}/usage")
def organization_usage(
    organization_id: str,
    who: Who,
    service: Service,
    start_date: date,
    end_date: date,
    group_by: usage.GroupBy,
    modality: usage.Modality,
) -> dict[str, Any]:
    """Completed QPU jobs' costs by group and date (see :mod:`ionq_emulator.usage`)."""
    return usage.usage_report(
        service,
        organization_id,
        start_date=start_date,
        end_date=end_date,
        group_by=group_by,
        modality=modality,
    )
