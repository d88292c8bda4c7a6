"""Routes under ``/jobs``: create, list, get, cancel, delete, cost and estimate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ionq_direct.limits import MAX_SHOTS
from ionq_direct.payload import SINGLE_CIRCUIT
from ionq_emulator import catalog, pricing
from ionq_emulator.bodies import IDS_MESSAGES, JobsBulkOperationRequest, parse
from ionq_emulator.deps import Filters, Paging, Service, Who, read_json
from ionq_emulator.errors import bad_request
from ionq_emulator.responses import JSONAnswer
from ionq_emulator.service import PROJECT_ID, EmulatorService
from ionq_emulator.validation import validate_job

router = APIRouter()
#: IonQ's OpenAPI types the estimate's counts as int32; larger ones once overflowed the price.
_INT32_MAX = 2**31 - 1
JobAction = Callable[[EmulatorService, str], dict[str, Any]]


async def _ids(request: Request) -> list[str]:
    body = await read_json(request)
    return parse(JobsBulkOperationRequest, body, IDS_MESSAGES, root_key="ids").ids


@router.post("/jobs", status_code=201)
async def create_job(request: Request, who: Who, service: Service) -> JSONAnswer:
    """Create a job (201 ``{"id", "status": "submitted", "session_id"}``)."""
    body = await read_json(request)

    def work() -> dict[str, Any]:
        return service.submit(validate_job(body), who)

    return JSONAnswer(await run_in_threadpool(work), status_code=201)


@router.get("/jobs", response_model=dict[str, Any])
def list_jobs(who: Who, service: Service, page: Paging, filters: Filters) -> JSONAnswer:
    """List jobs, newest first, with cursor pagination."""
    return JSONAnswer(service.list_jobs(filters, limit=page.limit, after=page.after))


@router.delete("/jobs", response_model=dict[str, Any])
async def delete_jobs(request: Request, who: Who, service: Service) -> JSONAnswer:
    """Delete several jobs."""
    ids = await _ids(request)
    return JSONAnswer(await run_in_threadpool(service.delete_many, ids))


@router.put("/jobs/status/cancel", response_model=dict[str, Any])
async def cancel_jobs(request: Request, who: Who, service: Service) -> JSONAnswer:
    """Cancel several jobs."""
    ids = await _ids(request)
    return JSONAnswer(await run_in_threadpool(service.cancel_many, ids))


@router.get("/jobs/estimate", response_model=dict[str, Any])
def estimate_job(
    who: Who,
    service: Service,
    backend: str,
    type: str = SINGLE_CIRCUIT,
    qubits: Annotated[int, Query(ge=1, le=_INT32_MAX)] = 25,
    shots: Annotated[int, Query(ge=1, le=MAX_SHOTS)] = 1000,
    one_qubit: Annotated[int, Query(alias="1q_gates", ge=0, le=_INT32_MAX)] = 0,
    two_qubit: Annotated[int, Query(alias="2q_gates", ge=0, le=_INT32_MAX)] = 0,
    error_mitigation: bool = False,
) -> JSONAnswer:
    """Estimate cost and time from gate counts."""
    if backend not in catalog.BACKENDS:
        raise bad_request(
            "backend", f'"backend" {backend!r} is not a known backend.', source="query"
        )
    queue_seconds = service.qpu_delay if catalog.is_qpu(backend) else 0.0
    answer = pricing.estimate(
        backend=backend,
        job_type=type,
        qubits=qubits,
        shots=shots,
        one_qubit=one_qubit,
        two_qubit=two_qubit,
        error_mitigation=error_mitigation,
        queue_seconds=queue_seconds,
        project=PROJECT_ID,
    )
    return JSONAnswer(answer)


#: The routes that act on one job by id and answer what the service returns:
#: (route name, method, path, service action, summary).
_ONE_JOB: tuple[tuple[str, str, str, JobAction, str], ...] = (
    ("get_job", "GET", "/jobs/{job_id}", EmulatorService.get_job, "One job."),
    ("delete_job", "DELETE", "/jobs/{job_id}", EmulatorService.delete, "Delete one job."),
    (
        "cancel_job",
        "PUT",
        "/jobs/{job_id}/status/cancel",
        EmulatorService.cancel,
        "Cancel one job (a finished job keeps its status).",
    ),
    (
        "job_cost",
        "GET",
        "/jobs/{job_id}/cost",
        EmulatorService.cost,
        "A job's estimated and (once ended) actual cost.",
    ),
)


def _one_job(action: JobAction, summary: str) -> Callable[..., JSONAnswer]:
    def endpoint(job_id: str, who: Who, service: Service) -> JSONAnswer:
        return JSONAnswer(action(service, job_id))

    endpoint.__doc__ = summary
    return endpoint


# Registered after ``/jobs/estimate`` so that path is not read as a job id.
for _name, _method, _path, _action, _summary in _ONE_JOB:
    router.add_api_route(
        _path,
        _one_job(_action, _summary),
        methods=[_method],
        name=_name,
        response_model=dict[str, Any],
    )
