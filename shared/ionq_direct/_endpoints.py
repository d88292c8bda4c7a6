"""What each v0.4 endpoint asks for and how its answer is checked, for both clients.

A :class:`Call` is one request described without sending it: method, path (segments
escaped), query, body, whether it carries the key, and the check its decoded answer must
pass. Building one checks the caller's arguments, so bad input fails before any request
whichever client sends it; ``Client`` and ``AsyncClient`` only send calls and apply checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ionq_direct.circuit import check_metadata, check_name
from ionq_direct.errors import APIError, InvalidInputError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.options import check_flag, check_noise, check_shots
from ionq_direct.records import JobRecord

__all__ = [
    "USAGE_GROUPS",
    "USAGE_MODALITIES",
    "Call",
    "answer_list",
    "answer_object",
    "id_list",
    "segment",
]


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


# Clone, move, format schemas and usage ------------------------------------------------

#: ``group_by`` values of ``GET /organizations/{id}/usage``.
USAGE_GROUPS = ("job", "project", "user")
#: ``modality`` values of ``GET /organizations/{id}/usage``.
USAGE_MODALITIES = ("daily", "weekly", "monthly")


def clone_path(job_id: str, action: str) -> str:
    """The path of ``POST /jobs/{id}/clone`` or ``/move``."""
    return _job_path(job_id, f"/{action}")


def clone_overrides(
    job_id: str,
    name: str | None,
    shots: int | None,
    backend: str | None,
    session_id: str | None,
    settings: Mapping[str, Any] | None,
    metadata: Mapping[str, str] | None,
    dry_run: bool | None,
    noise: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """A clone or move body, every field checked before any request.

    Fields left ``None`` are left out (the service inherits them from the source), except
    ``metadata``: without it the body has none yet, and the caller adds the source's with
    :func:`inherit_metadata` (so the clone keeps it whether the service merges or replaces).
    """
    segment(job_id, "job_id")
    body: dict[str, Any] = {}
    if name is not None:
        body["name"] = check_name(name)
    if shots is not None:
        body["shots"] = check_shots(shots)
    if backend is not None:
        body["backend"] = _text(backend, "backend")
    if session_id is not None:
        body["session_id"] = _text(session_id, "session_id")
    if settings is not None:
        if not isinstance(settings, Mapping):
            raise InvalidInputError(f"settings must be a mapping, got {settings!r}")
        body["settings"] = dict(settings)
    if check_flag(dry_run, "dry_run") is not None:
        body["dry_run"] = dry_run
    if noise is not None:
        if not isinstance(noise, Mapping):
            raise InvalidInputError(
                f"noise must be a mapping like {{'model': 'aria-1'}}, got {noise!r}"
            )
        extra = sorted(str(k) for k in noise if k not in ("model", "seed"))
        if extra:
            raise InvalidInputError(f"noise takes only 'model' and 'seed', not {extra}")
        body["noise"] = check_noise(backend or "simulator", noise.get("model"), noise.get("seed"))
    if metadata is not None:
        body["metadata"] = check_metadata(metadata)
    return body


def inherit_metadata(body: dict[str, Any], source: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` with the source job record's metadata, less its client token."""
    inherited = JobRecord.parse(source).metadata
    return {**body, "metadata": {k: v for k, v in inherited.items() if k != CLIENT_TOKEN_KEY}}


def get_format_schema(format_id: str) -> Call:
    """``GET /schemas/formats/{format}``."""
    return _object_call("GET", f"/schemas/formats/{segment(format_id, 'format_id')}")


def get_usage(
    organization_id: str,
    *,
    start_date: str | datetime.date,
    end_date: str | datetime.date,
    group_by: str = "project",
    modality: str = "daily",
) -> Call:
    """``GET /organizations/{id}/usage``, its dates and choices checked."""
    start = _date(start_date, "start_date")
    end = _date(end_date, "end_date")
    if end <= start:
        raise InvalidInputError(
            f"end_date {end} must be after start_date {start} (end_date is exclusive)"
        )
    _choice(group_by, "group_by", USAGE_GROUPS)
    _choice(modality, "modality", USAGE_MODALITIES)
    path = f"/organizations/{segment(organization_id, 'organization_id')}/usage"
    params = {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "group_by": group_by,
        "modality": modality,
    }
    return _object_call("GET", path, params=params)


def _date(value: str | datetime.date, what: str) -> datetime.date:
    """A calendar date from a ``date`` or ``YYYY-MM-DD`` text."""
    if isinstance(value, datetime.datetime):
        raise InvalidInputError(f"{what} must be a date, not a datetime: {value!r}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInputError(f"{what} must be a date or 'YYYY-MM-DD', got {value!r}")


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _choice(value: object, what: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidInputError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")
