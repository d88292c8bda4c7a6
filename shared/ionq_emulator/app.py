"""The FastAPI application: IonQ-shaped error answers and the router set (dependencies in deps)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ionq_emulator.errors import NOT_FOUND_MESSAGE, SERVER_ERROR_MESSAGE, ApiError, error_body
from ionq_emulator.records import API_PREFIX
from ionq_emulator.routes_extra import router as extra_router
from ionq_emulator.routes_info import router as info_router
from ionq_emulator.routes_jobs import router as jobs_router
from ionq_emulator.routes_results import router as results_router
from ionq_emulator.service import EmulatorService

_SOURCES = {"query": "query", "path": "params", "body": "body", "header": "headers"}


def error_response(exc: ApiError) -> JSONResponse:
    """The answer to an :class:`ApiError`: its IonQ-shaped body, status and headers."""
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    keys: list[str] = []
    source = "params"
    messages: list[str] = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if loc:
            source = _SOURCES.get(loc[0], loc[0])
        key = ".".join(loc[1:]) or (loc[0] if loc else "request")
        if key not in keys:
            keys.append(key)
        messages.append(f'"{key}" {err.get("msg", "was invalid")}'.rstrip("."))
    message = "; ".join(messages) + "." if messages else "The request was invalid."
    return error_response(ApiError(400, message, keys=keys, source=source))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = NOT_FOUND_MESSAGE if exc.status_code == 404 else str(exc.detail)
    return JSONResponse(
        error_body(exc.status_code, message, keys=[]),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def crash_response() -> JSONResponse:
    """The answer to an unexpected error: a generic 500 that closes the connection.

    The server closes the connection after an unhandled error: say so, so the client does
    not send its next request on a socket that is going away.
    """
    return JSONResponse(
        error_body(500, SERVER_ERROR_MESSAGE), status_code=500, headers={"Connection": "close"}
    )


async def _on_crash(request: Request, exc: Exception) -> JSONResponse:
    return crash_response()


def create_app(service: EmulatorService) -> FastAPI:
    """Build the v0.4 API app around ``service`` (which the caller starts and stops)."""
    app = FastAPI(
        title="ionq-direct emulator",
        version="v0.4",
        docs_url=f"{API_PREFIX}/docs",
        openapi_url=f"{API_PREFIX}/openapi.json",
        redoc_url=None,
    )
    app.state.service = service
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_crash)
    app.include_router(jobs_router, prefix=API_PREFIX)
    app.include_router(results_router, prefix=API_PREFIX)
    app.include_router(info_router, prefix=API_PREFIX)
    app.include_router(extra_router, prefix=API_PREFIX)
    return app
