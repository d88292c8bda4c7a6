"""``POST /jobs/{id}/clone`` and ``POST /jobs/{id}/move``: a stored job submitted again.

IonQ documents both (docs.ionq.com, "Clone job" and "Move job", v0.4): a clone is a brand-new
job that reuses the source's circuits; every field given in the body (``name``, ``shots``,
``backend``, ``session_id``, ``settings``, ``metadata``, ``dry_run``, ``noise``) replaces the
inherited one and the source is left unchanged. A move is a clone that also cancels the
source, in one request; the new job records the source's id as ``metadata.original_job_id``,
and when the source can no longer be canceled (it has ended) the answer is 409 and no job is
created.

The emulator rebuilds the source's ``POST /jobs`` body from what it stored and validates the
result exactly like a new submission, so an override is checked as strictly as in
``POST /jobs``. Overrides replace whole top-level fields; ``null`` clears one (``"session_id":
null`` leaves the session). A QPU job's echoed ``settings.error_mitigation.debiasing`` equal to
the service's own default is not carried over, so it is decided again for the new shots and
backend.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from ionq_direct.limits import MIN_DEBIASING_SHOTS
from ionq_direct.payload import MULTI_CIRCUIT
from ionq_emulator.catalog import is_qpu
from ionq_emulator.errors import ApiError, bad_request, not_found
from ionq_emulator.records import now_iso
from ionq_emulator.service import EmulatorService, Identity
from ionq_emulator.store import ACTIVE_STATUSES, JobRow
from ionq_emulator.validation import validate_job

#: The body fields of ``CloneJobPayload`` the emulator applies.
OVERRIDES = frozenset(
    {"name", "metadata", "shots", "backend", "session_id", "settings", "dry_run", "noise"}
)
#: Metadata key a moved job carries: the id of the job it was moved from.
ORIGINAL_JOB_KEY = "original_job_id"
CONFLICT_MESSAGE = "Job {job_id} has already ended ({status}) and cannot be moved."

_move_lock = threading.Lock()


def _check_overrides(body: object) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ApiError(400, "The request body must be a JSON object.", keys=[])
    if "parent" in body:
        raise bad_request(
            "parent",
            '"parent" is not supported by the emulator: IonQ does not document what it does.',
        )
    for key in body:
        if key not in OVERRIDES:
            raise bad_request(str(key), f'"{key}" is not allowed.')
    return body


def _source(service: EmulatorService, job_id: str) -> JobRow:
    row = service.store.get_job(job_id)
    if row is None:
        raise not_found()
    return row


def _circuit_input(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {"gateset": spec["gateset"], "qubits": spec["qubits"], "circuit": spec["circuit"]}


def _input(service: EmulatorService, row: JobRow) -> dict[str, Any]:
    """The ``input`` field of the source's ``POST /jobs`` body, rebuilt from the stored rows."""
    if row.type != MULTI_CIRCUIT:
        return _circuit_input(row.spec)
    circuits = []
    for child in service.store.children(row.id):
        entry = _circuit_input(child.spec)
        if child.record.get("name") is not None:
            entry["name"] = child.record["name"]
        circuits.append(entry)
    if not circuits:
        raise not_found()
    return {"gateset": circuits[0]["gateset"], "circuits": circuits}


def _settings(row: JobRow, gatesets: set[str]) -> dict[str, Any]:
    """The source's settings without echoed values that only restate the service default."""
    settings = {k: dict(v) for k, v in row.record["settings"].items() if isinstance(v, Mapping)}
    mitigation = settings.get("error_mitigation")
    if mitigation is not None and is_qpu(row.backend):
        default = row.record["shots"] >= MIN_DEBIASING_SHOTS and gatesets == {"qis"}
        if mitigation.get("debiasing") == default:
            mitigation.pop("debiasing")
    return {k: v for k, v in settings.items() if v}


def source_body(service: EmulatorService, row: JobRow) -> dict[str, Any]:
    """The ``POST /jobs`` body that would create a job like ``row`` again."""
    record = row.record
    source_input = _input(service, row)
    circuits = source_input.get("circuits", [source_input])
    body: dict[str, Any] = {
        "type": row.type,
        "backend": row.backend,
        "input": source_input,
        "shots": record["shots"],
        "dry_run": record["dry_run"],
    }
    optional = {
        "name": record.get("name"),
        "metadata": record.get("metadata"),
        "session_id": row.session_id,
        "noise": record.get("noise"),
        "settings": _settings(row, {c["gateset"] for c in circuits}),
    }
    body.update({k: v for k, v in optional.items() if v})
    return body


def _body_with(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(base)
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    if "backend" in overrides and is_qpu(str(body.get("backend"))):
        body.pop("noise", None)  # the source's simulator noise model does not apply on a QPU
    return body


def clone(
    service: EmulatorService, job_id: str, overrides: object, who: Identity
) -> dict[str, Any]:
    """Submit a copy of job ``job_id`` with ``overrides``; returns the 201 body."""
    changes = _check_overrides(overrides)
    body = _body_with(source_body(service, _source(service, job_id)), changes)
    return service.submit(validate_job(body), who)


def move(service: EmulatorService, job_id: str, overrides: object, who: Identity) -> dict[str, Any]:
    """Clone job ``job_id`` and cancel it; a 409 (and no new job) once it has ended.

    Moves are serialized. The copy is created first and the source then canceled only if it
    is still active; if it ended in between, the copy is deleted again before the 409, so a
    failed move never leaves the source canceled without its copy, nor a copy beside it.
    """
    changes = _check_overrides(overrides)
    with _move_lock:
        row = _source(service, job_id)
        if row.status not in ACTIVE_STATUSES:
            raise ApiError(409, CONFLICT_MESSAGE.format(job_id=job_id, status=row.status))
        body = _body_with(source_body(service, row), changes)
        metadata = dict(body.get("metadata") or {})
        metadata[ORIGINAL_JOB_KEY] = job_id
        body["metadata"] = metadata
        created = service.submit(validate_job(body), who)
        fields = {"completed_at": now_iso()}
        won = service.store.set_status(job_id, "canceled", only_from=ACTIVE_STATUSES, fields=fields)
        if not won:
            service.delete(str(created["id"]))
            status = _source(service, job_id).status
            raise ApiError(409, CONFLICT_MESSAGE.format(job_id=job_id, status=status))
        service.cancel(job_id)  # cancels a multi-circuit source's children, settles a parent
        return created
