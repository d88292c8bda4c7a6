"""What the routes depend on: the service, the caller's identity, the JSON body, list filters.

Every router takes these from here (never from the app module), so the app can import the
routers at the top without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, Query, Request

from ionq_direct.limits import MAX_BODY_BYTES
from ionq_emulator.errors import TOO_LARGE_MESSAGE, UNAUTHORIZED_MESSAGE, ApiError
from ionq_emulator.service import EmulatorService, Identity
from ionq_emulator.store import JobFilter

JobStatus = Literal["submitted", "ready", "started", "canceled", "failed", "completed"]
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
#: Containers a request body may nest; IonQ's deepest bodies (a gate's parameters inside a
#: circuit inside a multi-circuit job) nest six.
MAX_JSON_DEPTH = 64


# The dependencies are ``async`` although they never wait: FastAPI runs a plain ``def``
# dependency on a worker thread, a hop that cost more than the dependency itself.


async def service_of(request: Request) -> EmulatorService:
    """The service behind the app handling ``request``."""
    service: EmulatorService = request.app.state.service
    return service


def identity_of(header: str, service: EmulatorService) -> Identity | None:
    """The identity an ``Authorization`` header names (``apiKey <key>``), or ``None``."""
    scheme, _, key = header.strip().partition(" ")
    return service.identify(key.strip()) if scheme.lower() == "apikey" else None


async def require_key(request: Request) -> Identity:
    """Dependency: the caller's identity from ``Authorization: apiKey <key>``, else a 401."""
    service: EmulatorService = request.app.state.service
    who = identity_of(request.headers.get("authorization", ""), service)
    if who is None:
        raise ApiError(401, UNAUTHORIZED_MESSAGE)
    return who


def declared_too_large(declared: str | None, max_bytes: int = MAX_BODY_BYTES) -> bool:
    """Whether a ``Content-Length`` header value announces more than ``max_bytes``."""
    return declared is not None and declared.isdigit() and int(declared) > max_bytes


async def read_json(request: Request, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """Read and decode a JSON body, refusing more than ``max_bytes`` before parsing (413)."""
    if declared_too_large(request.headers.get("content-length"), max_bytes):
        raise ApiError(413, TOO_LARGE_MESSAGE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, TOO_LARGE_MESSAGE)
        chunks.append(chunk)
    return decode_json(b"".join(chunks))


def decode_json(raw: bytes) -> Any:
    """Decode a request body: strict JSON nested at most :data:`MAX_JSON_DEPTH` deep (else 400)."""
    if not raw.strip():
        raise ApiError(400, "A JSON request body is required.", keys=[])
    try:
        # Strict JSON, as the cloud parses it: no NaN or Infinity, no number beyond a double.
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(
            400, f"The request body is not valid JSON ({exc.msg}, at character {exc.pos}).", keys=[]
        ) from None
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH:
        deep = too_deep(body, MAX_JSON_DEPTH)
        if deep is not None:
            where = f'"{deep}"' if deep else "The request body"
            raise ApiError(
                400, f"{where} is nested more than {MAX_JSON_DEPTH} levels deep.", keys=[deep]
            ) from None
    return body


def too_deep(value: Any, limit: int) -> str | None:
    """The top-level key under which ``value`` nests more than ``limit`` containers.

    Returns:
        That key (``""`` when ``value`` is not an object), or ``None`` when it nests less.
    """
    if isinstance(value, dict):
        roots: list[tuple[str, Any]] = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        roots = [("", v) for v in value]
    else:
        return None
    for key, child in roots:
        if not isinstance(child, (dict, list)):
            continue
        stack = [(child, 2)]
        while stack:
            node, depth = stack.pop()
            children = node.values() if isinstance(node, dict) else node
            if depth > limit:
                return key
            stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return None


async def job_filter(
    status: JobStatus | None = None,
    target: str | None = None,
    session_id: str | None = None,
    parent_job_id: str | None = None,
    ids: Annotated[list[str] | None, Query()] = None,
) -> JobFilter:
    """Dependency: the ``GET /jobs`` filters (``target`` and ``ids`` may be comma lists)."""
    targets = tuple(t.strip() for t in target.split(",") if t.strip()) if target else None
    id_list = tuple(i.strip() for v in ids for i in v.split(",") if i.strip()) if ids else None
    return JobFilter(
        status=status,
        targets=targets,
        session_id=session_id,
        parent_job_id=parent_job_id,
        ids=id_list,
    )


@dataclass(frozen=True)
class Page:
    """Which page of a listing: at most ``limit`` items after the cursor ``after``."""

    limit: int
    after: str | None


async def page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    next: str | None = None,
) -> Page:
    """Dependency: the ``limit`` and ``next`` query parameters of a cursor-paginated list."""
    return Page(limit=limit, after=next or None)


#: The calling key's identity (a 401 without a valid key).
Who = Annotated[Identity, Depends(require_key)]
#: The emulator service behind the app.
Service = Annotated[EmulatorService, Depends(service_of)]
#: The ``GET /jobs`` filters.
Filters = Annotated[JobFilter, Depends(job_filter)]
#: The page a listing asks for.
Paging = Annotated[Page, Depends(page)]
