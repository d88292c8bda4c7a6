"""Routes for backends, characterizations, sessions and ``/whoami``."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ionq_emulator import catalog
from ionq_emulator.bodies import SESSION_MESSAGES, CreateSessionRequest, parse
from ionq_emulator.deps import Filters, Paging, Service, Who, read_json
from ionq_emulator.errors import bad_request, not_found
from ionq_emulator.responses import JSONAnswer
from ionq_emulator.service import PROJECT_ID

router = APIRouter()


def _known(backend: str) -> str:
    if backend not in catalog.BACKENDS:
        raise not_found()
    return backend


@router.get("/backends", response_model=list[dict[str, Any]])
def list_backends() -> JSONAnswer:
    """Every backend (public: no key needed)."""
    return JSONAnswer([catalog.backend_record(name) for name in catalog.BACKENDS])


@router.get("/backends/{backend}", response_model=dict[str, Any])
def get_backend(backend: str) -> JSONAnswer:
    """One backend (public)."""
    return JSONAnswer(catalog.backend_record(_known(backend)))


def _date(value: str | None, key: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(
            key, f'"{key}" must be an ISO date such as 2025-12-31.', source="query"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@router.get("/backends/{backend}/characterizations", response_model=dict[str, Any])
def list_characterizations(
    backend: str,
    start: str | None = None,
    end: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10)] = 10,
    page: Annotated[int, Query(ge=1)] = 1,
) -> JSONAnswer:
    """Characterizations, newest first, page-numbered; ``pages`` counts the pages after this one."""
    low, high = _date(start, "start"), _date(end, "end")
    items = []
    for item in catalog.characterizations(_known(backend)):
        when = _date(item["date"], "date")
        assert when is not None
        if (low is None or when >= low) and (high is None or when < high):
            items.append(item)
    total_pages = math.ceil(len(items) / limit)
    chunk = items[(page - 1) * limit : page * limit]
    return JSONAnswer({"characterizations": chunk, "pages": max(0, total_pages - page)})


@router.get("/backends/{backend}/characterizations/{characterization_id}")
def get_characterization(backend: str, characterization_id: str, who: Who) -> dict[str, Any]:
    """One characterization (needs a key, unlike the list)."""
    found = catalog.find_characterization(_known(backend), characterization_id)
    if found is None:
        raise not_found()
    return found


@router.get("/whoami")
def whoami(who: Who) -> dict[str, Any]:
    """The calling key."""
    return {"key_id": who.key_id, "key_name": who.key_name, "project_id": PROJECT_ID}


@router.post("/sessions", status_code=201)
async def create_session(request: Request, who: Who, service: Service) -> JSONAnswer:
    """Open a session (201)."""
    body = await read_json(request)
    parsed = parse(CreateSessionRequest, body, SESSION_MESSAGES, root_key="body")
    # The settings are stored as sent (key order and number types kept), as before the model.
    settings = dict(body.get("settings") or {})
    record = await run_in_threadpool(service.create_session, parsed.backend, settings, who)
    return JSONAnswer(record, status_code=201)


@router.get("/sessions")
def list_sessions(who: Who, service: Service, active: bool | None = None) -> dict[str, Any]:
    """Every session (optionally only active or ended ones)."""
    return service.list_sessions(active)


@router.get("/sessions/{session_id}")
def get_session(session_id: str, who: Who, service: Service) -> dict[str, Any]:
    """One session."""
    return service.get_session(session_id)


@router.post("/sessions/{session_id}/end")
def end_session(session_id: str, who: Who, service: Service) -> dict[str, Any]:
    """End a session."""
    return service.end_session(session_id, who)


@router.get("/sessions/{session_id}/jobs")
def session_jobs(
    session_id: str, who: Who, service: Service, page: Paging, filters: Filters
) -> dict[str, Any]:
    """A session's jobs, with the filters and pagination of ``GET /jobs``."""
    service.get_session(session_id)
    scoped = dataclasses.replace(filters, session_id=session_id)
    return service.list_jobs(scoped, limit=page.limit, after=page.after)
