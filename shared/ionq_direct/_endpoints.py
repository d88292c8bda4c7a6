"""What each v0.4 endpoint asks for and how its answer is checked, for both clients.

A :class:`Call` is one request described without sending it: method, path (segments
escaped), query, body, whether it carries the key, and the check its decoded answer must
pass. Building one checks the caller's arguments, so bad input fails before any request
whichever client sends it; ``Client`` and ``AsyncClient`` only send calls and apply checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ionq_direct.errors import APIError, InvalidInputError

__all__ = ["Call", "answer_list", "answer_object", "id_list", "segment"]


def segment(value: str, what: str) -> str:
    """``value`` escaped for use as one path segment; empty values are refused."""
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    return quote(value, safe="")


def answer_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an ``APIError`` naming the endpoint."""
    if not isinstance(value, dict):
        raise APIError(
            f"{what} answered with {type(value).__name__}, expected a JSON object",
            status_code=200,
            body=value,
        )
    return value


def answer_list(value: Any, items: str) -> list[dict[str, Any]]:
    """The list ``GET /<items>`` answered, bare or wrapped as ``{"<items>": [...]}``."""
    found = value.get(items) if isinstance(value, dict) else value
    if not isinstance(found, list):
        raise APIError(f"GET /{items} did not answer with a list of {items}", status_code=200)
    return found


def id_list(job_ids: object, what: str = "job_ids") -> list[str]:
    """``job_ids`` as a non-empty list of non-empty strings, or a clear error naming ``what``."""
    if isinstance(job_ids, str):
        raise InvalidInputError(f"{what} must be a list of job ids, not one string")
    if not isinstance(job_ids, (Sequence, set, frozenset)) or isinstance(job_ids, bytes):
        raise InvalidInputError(
            f"{what} must be a list of job id strings, got {type(job_ids).__name__}"
        )
    ids = list(job_ids)
    if not ids:
        raise InvalidInputError(f"{what} must name at least one job")
    for job_id in ids:
        segment(job_id, f"each of {what}")
    return ids


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Call:
    """One request to make, and the check its decoded answer goes through."""

    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json_body: Any = None
    authenticated: bool = True
    check: Callable[[Any], Any] = field(default=_as_is)

    def answer(self, value: Any) -> Any:
        """The decoded answer, checked."""
        return self.check(value)


def _object_call(method: str, path: str, **kwargs: Any) -> Call:
    what = f"{method} {path}"
    return Call(method, path, check=lambda value: answer_object(value, what), **kwargs)


def _job_path(job_id: str, tail: str = "") -> str:
    return f"/jobs/{segment(job_id, 'job_id')}{tail}"


# Jobs ---------------------------------------------------------------------------------


def get_job(job_id: str) -> Call:
    """``GET /jobs/{id}``."""
    return Call("GET", _job_path(job_id), check=lambda v: answer_object(v, "GET /jobs/{id}"))


def jobs_page_params(
    status: str | None,
    backend: str | None,
    session_id: str | None,
    parent_job_id: str | None,
    ids: Sequence[str] | None,
    limit: int | None,
) -> dict[str, Any]:
    """The query of a ``GET /jobs`` listing (``next`` is added per page)."""
    if ids is not None:
        ids = id_list(ids, "ids")
    return {
        "status": status,
        "target": backend,
        "session_id": session_id,
        "parent_job_id": parent_job_id,
        "ids": list(ids) if ids is not None else None,
        "limit": limit,
    }


def session_jobs_path(session_id: str) -> str:
    """The path of ``GET /sessions/{id}/jobs``."""
    return f"/sessions/{segment(session_id, 'session_id')}/jobs"


def jobs_page(path: str, params: Mapping[str, Any], cursor: str | None) -> Call:
    """One page of a cursor-paginated jobs listing at ``path``."""
    return _object_call("GET", path, params={**params, "next": cursor})


def cancel_job(job_id: str) -> Call:
    """``PUT /jobs/{id}/status/cancel``."""
    return _object_call("PUT", _job_path(job_id, "/status/cancel"))


def cancel_jobs(job_ids: Sequence[str]) -> Call:
    """``PUT /jobs/status/cancel``."""
    return _object_call("PUT", "/jobs/status/cancel", json_body={"ids": id_list(job_ids)})


def delete_job(job_id: str) -> Call:
    """``DELETE /jobs/{id}``."""
    return _object_call("DELETE", _job_path(job_id))


def delete_jobs(job_ids: Sequence[str]) -> Call:
    """``DELETE /jobs``."""
    return _object_call("DELETE", "/jobs", json_body={"ids": id_list(job_ids)})


def get_job_cost(job_id: str) -> Call:
    """``GET /jobs/{id}/cost``."""
    return _object_call("GET", _job_path(job_id, "/cost"))


def estimate_job(
    backend: str,
    *,
    type: str | None = None,
    qubits: int | None = None,
    shots: int | None = None,
    one_qubit_gates: int | None = None,
    two_qubit_gates: int | None = None,
    error_mitigation: bool | None = None,
) -> Call:
    """``GET /jobs/estimate``."""
    params = {
        "backend": backend,
        "type": type,
        "qubits": qubits,
        "shots": shots,
        "1q_gates": one_qubit_gates,
        "2q_gates": two_qubit_gates,
        "error_mitigation": error_mitigation,
    }
    return _object_call("GET", "/jobs/estimate", params=params)


# Results ------------------------------------------------------------------------------


def get_probabilities(job_id: str, sharpen: bool | None = None) -> Call:
    """``GET /jobs/{id}/results/probabilities``."""
    path = _job_path(job_id, "/results/probabilities")
    return _object_call("GET", path, params={"sharpen": sharpen})


def get_aggregated_probabilities(job_id: str, sharpen: bool | None = None) -> Call:
    """``GET /jobs/{id}/results/probabilities/aggregated``."""
    path = _job_path(job_id, "/results/probabilities/aggregated")
    return _object_call("GET", path, params={"sharpen": sharpen})


def get_histogram(job_id: str) -> Call:
    """``GET /jobs/{id}/results/histogram``."""
    return _object_call("GET", _job_path(job_id, "/results/histogram"))


def get_shots(job_id: str) -> Call:
    """``GET /jobs/{id}/results/shots``: a JSON array."""
    path = _job_path(job_id, "/results/shots")

    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise APIError(f"GET {path} did not answer with a JSON array", status_code=200)
        return value

    return Call("GET", path, check=check)


def download_artifact(job_id: str, artifact_id: str) -> Call:
    """``GET /jobs/{id}/artifacts/{artifact}``: JSON, text or bytes as served."""
    return Call("GET", _job_path(job_id, f"/artifacts/{segment(artifact_id, 'artifact_id')}"))


# Backends -----------------------------------------------------------------------------


def list_backends() -> Call:
    """``GET /backends`` (public)."""
    return Call("GET", "/backends", authenticated=False, check=lambda v: answer_list(v, "backends"))


def get_backend(backend: str) -> Call:
    """``GET /backends/{backend}`` (public)."""
    return _object_call("GET", f"/backends/{segment(backend, 'backend')}", authenticated=False)


def characterizations_page(
    backend: str, start: str | None, end: str | None, limit: int, page: int
) -> Call:
    """One page of ``GET /backends/{backend}/characterizations`` (public)."""
    path = f"/backends/{segment(backend, 'backend')}/characterizations"
    params = {"start": start, "end": end, "limit": limit, "page": page}
    return _object_call("GET", path, params=params, authenticated=False)


def get_characterization(backend: str, characterization_id: str) -> Call:
    """``GET /backends/{backend}/characterizations/{id}``."""
    path = (
        f"/backends/{segment(backend, 'backend')}/characterizations/"
        f"{segment(characterization_id, 'characterization_id')}"
    )
    return _object_call("GET", path)


# Sessions and identity ----------------------------------------------------------------


def create_session(backend: str, settings: Mapping[str, Any] | None = None) -> Call:
    """``POST /sessions`` (never resent after an ambiguous failure)."""
    body: dict[str, Any] = {"backend": backend}
    if settings is not None:
        body["settings"] = dict(settings)
    return _object_call("POST", "/sessions", json_body=body)


def get_session(session_id: str) -> Call:
    """``GET /sessions/{id}``."""
    return _object_call("GET", f"/sessions/{segment(session_id, 'session_id')}")


def list_sessions(active: bool | None = None) -> Call:
    """``GET /sessions`` (not paginated)."""
    return Call(
        "GET", "/sessions", params={"active": active}, check=lambda v: answer_list(v, "sessions")
    )


def end_session(session_id: str) -> Call:
    """``POST /sessions/{id}/end``."""
    return _object_call("POST", f"/sessions/{segment(session_id, 'session_id')}/end")


def whoami() -> Call:
    """``GET /whoami``."""
    return _object_call("GET", "/whoami")
