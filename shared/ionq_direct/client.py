"""``Client``: one method per IonQ v0.4 endpoint, returning the decoded JSON.

This module only states paths, parameters and response shapes. Transport concerns (auth,
timeouts, retries, error mapping) live in ``_transport``; exactly-once submission in
``_submit``; the ``Job`` handle in ``jobs``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ionq_direct import _submit
from ionq_direct._constants import API_KEY_ENV, API_URL_ENV, DEFAULT_BASE_URL
from ionq_direct._pagination import iterate_cursor, iterate_pages
from ionq_direct._transport import Timeout, Transport
from ionq_direct.circuit import check_metadata, check_name
from ionq_direct.errors import APIError, InvalidInputError
from ionq_direct.jobs import Job
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.options import check_flag, check_noise, check_shots, check_timeout
from ionq_direct.payload import PreparedJob
from ionq_direct.policy import DEFAULT_POLICY, Policy
from ionq_direct.records import JobRecord

__all__ = ["USAGE_GROUPS", "USAGE_MODALITIES", "Client", "Payload", "Timeout"]

#: ``group_by`` values of ``GET /organizations/{id}/usage``.
USAGE_GROUPS = ("job", "project", "user")
#: ``modality`` values of ``GET /organizations/{id}/usage``.
USAGE_MODALITIES = ("daily", "weekly", "monthly")

#: A job payload: a mapping, a prepared job from ``build_jobs``, or JSON bytes already
#: carrying a client token.
Payload = Mapping[str, Any] | bytes | PreparedJob


def _segment(value: str, what: str) -> str:
    """``value`` escaped for use as one path segment; empty values are refused."""
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
    return quote(value, safe="")


def _object(value: Any, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an ``APIError`` naming the endpoint."""
    if not isinstance(value, dict):
        raise APIError(
            f"{what} answered with {type(value).__name__}, expected a JSON object",
            status_code=200,
            body=value,
        )
    return value


def _listed(value: Any, items: str) -> list[dict[str, Any]]:
    """The list ``GET /<items>`` answered, bare or wrapped as ``{"<items>": [...]}``."""
    found = value.get(items) if isinstance(value, dict) else value
    if not isinstance(found, list):
        raise APIError(f"GET /{items} did not answer with a list of {items}", status_code=200)
    return found


class Client:
    """A connection to IonQ's v0.4 REST API (or anything that speaks it, like the emulator).

    Args:
        api_key: the API key; defaults to the ``IONQ_API_KEY`` environment variable.
        base_url: the API root; defaults to ``IONQ_API_URL``, else ``https://api.ionq.co/v0.4``.
        timeout: seconds for every request, or ``(connect, read)``; defaults to (5, 60).
            ``connect`` bounds opening the connection, ``read`` the wait for each piece of
            the answer, and an attempt takes at most ``connect + read`` in all.
        max_retries: retries after the first attempt for retryable failures; defaults to the
            policy's (3).
        headers: extra HTTP headers sent with every request (not ``Authorization``).
        policy: the clocks, sleep, retry and polling numbers every call of this client and
            its jobs uses (:class:`~ionq_direct.policy.Policy`); defaults to real time.

    Plain http is accepted only for loopback hosts (the emulator), and then never through a
    proxy; https follows the usual proxy variables. A ``timeout=`` given to a call (``submit``,
    ``Job.wait``) bounds that whole call, retries and polling included.

    Raises:
        InvalidInputError: no API key anywhere, or a plain-http URL to a non-loopback host.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        policy: Policy | None = None,
    ) -> None:
        self._transport = Transport(
            api_key if api_key is not None else os.environ.get(API_KEY_ENV, ""),
            base_url if base_url is not None else (os.environ.get(API_URL_ENV) or DEFAULT_BASE_URL),
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
            policy=DEFAULT_POLICY if policy is None else policy,
        )

    def __repr__(self) -> str:
        return f"Client(base_url={self.base_url!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def policy(self) -> Policy:
        """The clocks, sleep and numbers this client's retries, polls and deadlines use."""
        return self._transport.policy

    @property
    def base_url(self) -> str:
        """The API root every path is joined to."""
        return self._transport.base_url

    def close(self) -> None:
        """Release pooled connections."""
        self._transport.close()

    def _get(self, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return self._transport.request("GET", path, params=params, **kw)

    # Jobs -----------------------------------------------------------------------------

    def create_job(
        self,
        payload: Payload,
        *,
        client_token: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """``POST /jobs`` exactly once; returns ``{"id", "status", "session_id"}``.

        A client token is added to ``metadata`` (on a copy). After an ambiguous failure (a
        read timeout, a dropped answer, a 5xx) the token is looked up, for a while and with
        backoff, before anything is resent, so one call creates at most one job. When the
        outcome cannot be proven the error says so and names the token.

        Args:
            payload: the job payload; a :class:`~ionq_direct.payload.PreparedJob` (its own
                token is used); or JSON bytes that already carry ``client_token``.
            client_token: the token to use (generated when omitted; required for bytes).
            timeout: seconds the whole call may take, retries and lookups included
                (``None``: each request's own timeout, and the settle window, bound it).

        Raises:
            APITimeoutError: the deadline passed (the message names the token when the job
                may exist).
        """
        limit = check_timeout(timeout)
        return self._post_once("/jobs", _submit.prepare(payload, client_token), limit)

    def _post_once(
        self,
        path: str,
        submission: _submit.Submission,
        limit: float | None = None,
        *,
        first_409_is_final: bool = False,
    ) -> dict[str, Any]:
        """POST a job-creating body to ``path`` exactly once, within ``limit`` seconds.

        With ``first_409_is_final`` a 409 answering the first attempt is raised as it is (the
        service refused the request, so nothing was created); a 409 to a resend goes through
        reconciliation like any ambiguous outcome.
        """
        transport = self._transport
        attempts = 0

        def post(body: bytes, deadline: float | None) -> Any:
            nonlocal attempts
            attempts += 1
            try:
                return transport.request("POST", path, data=body, deadline=deadline)
            except APIError as exc:
                if first_409_is_final and exc.status_code == 409 and attempts == 1:
                    raise _Refused(exc) from exc
                raise

        try:
            return _submit.submit_once(
                post,
                self._list_jobs_within,
                submission,
                transport.max_retries,
                deadline=transport.policy.deadline(limit),
                policy=transport.policy,
                read_timeout=transport.timeout[1],
            )
        except _Refused as refused:
            raise refused.error from None

    def submit(
        self,
        payload: Payload,
        *,
        client_token: str | None = None,
        timeout: float | None = None,
    ) -> Job:
        """Create a job exactly once (see :meth:`create_job`) and return its :class:`Job`."""
        created = self.create_job(payload, client_token=client_token, timeout=timeout)
        return Job(self, str(created["id"]), created)

    def _list_jobs_within(
        self,
        *,
        backend: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        deadline: float | None = None,
        read_timeout: float | None = None,
    ) -> Iterator[dict[str, Any]]:
        """``GET /jobs`` as :meth:`list_jobs`, every page fetched within ``deadline``."""
        return self._list_jobs_at(
            "/jobs", None, backend, None, None, ids, limit, deadline, read_timeout
        )

    def _job_record(self, job_id: str, deadline: float | None) -> dict[str, Any]:
        """``GET /jobs/{id}`` within ``deadline`` (on the policy's clock)."""
        path = f"/jobs/{_segment(job_id, 'job_id')}"
        return _object(self._get(path, deadline=deadline), "GET /jobs/{id}")

    def job(self, job_id: str) -> Job:
        """Fetch a job by id and return its :class:`Job` handle."""
        return Job(self, job_id, self.get_job(job_id))

    def get_job(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}``: the job record."""
        return self._job_record(job_id, None)

    def list_jobs(
        self,
        *,
        status: str | None = None,
        backend: str | None = None,
        session_id: str | None = None,
        parent_job_id: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """``GET /jobs``: iterate over jobs (newest first), fetching cursor pages lazily.

        Args:
            status: only jobs in this status.
            backend: only jobs for this backend (sent as ``target``).
            session_id: only jobs in this session.
            parent_job_id: only the children of this multi-circuit job.
            ids: only these job ids.
            limit: page size requested from the service (not a cap on the total).
        """
        return self._list_jobs_at("/jobs", status, backend, session_id, parent_job_id, ids, limit)

    def list_session_jobs(
        self,
        session_id: str,
        *,
        status: str | None = None,
        backend: str | None = None,
        parent_job_id: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """``GET /sessions/{id}/jobs``: iterate over a session's jobs (same filters as jobs)."""
        path = f"/sessions/{_segment(session_id, 'session_id')}/jobs"
        return self._list_jobs_at(path, status, backend, None, parent_job_id, ids, limit)

    def _list_jobs_at(
        self,
        path: str,
        status: str | None,
        backend: str | None,
        session_id: str | None,
        parent_job_id: str | None,
        ids: Sequence[str] | None,
        limit: int | None,
        deadline: float | None = None,
        read_timeout: float | None = None,
    ) -> Iterator[dict[str, Any]]:
        if ids is not None:
            ids = _id_list(ids, "ids")
        params: dict[str, Any] = {
            "status": status,
            "target": backend,
            "session_id": session_id,
            "parent_job_id": parent_job_id,
            "ids": list(ids) if ids is not None else None,
            "limit": limit,
        }

        def fetch(cursor: str | None) -> dict[str, Any]:
            query = {**params, "next": cursor}
            page = self._get(path, query, deadline=deadline, read_timeout=read_timeout)
            return _object(page, f"GET {path}")

        return iterate_cursor(fetch, "jobs")

    def cancel_job(self, job_id: str) -> dict[str, Any]:
        """``PUT /jobs/{id}/status/cancel``: ask the service to cancel one job."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/status/cancel"
        return _object(self._transport.request("PUT", path), f"PUT {path}")

    def cancel_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``PUT /jobs/status/cancel``: cancel several jobs at once."""
        body = {"ids": _id_list(job_ids)}
        return _object(
            self._transport.request("PUT", "/jobs/status/cancel", json_body=body),
            "PUT /jobs/status/cancel",
        )

    def delete_job(self, job_id: str) -> dict[str, Any]:
        """``DELETE /jobs/{id}``: delete one job permanently."""
        path = f"/jobs/{_segment(job_id, 'job_id')}"
        return _object(self._transport.request("DELETE", path), f"DELETE {path}")

    def delete_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``DELETE /jobs``: delete several jobs permanently."""
        body = {"ids": _id_list(job_ids)}
        return _object(self._transport.request("DELETE", "/jobs", json_body=body), "DELETE /jobs")

    def get_job_cost(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/cost``: estimated and actual cost of a job."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/cost"
        return _object(self._get(path), f"GET {path}")

    def estimate_job(
        self,
        backend: str,
        *,
        type: str | None = None,
        qubits: int | None = None,
        shots: int | None = None,
        one_qubit_gates: int | None = None,
        two_qubit_gates: int | None = None,
        error_mitigation: bool | None = None,
    ) -> dict[str, Any]:
        """``GET /jobs/estimate``: cost and time estimate for a job of the given shape."""
        params = {
            "backend": backend,
            "type": type,
            "qubits": qubits,
            "shots": shots,
            "1q_gates": one_qubit_gates,
            "2q_gates": two_qubit_gates,
            "error_mitigation": error_mitigation,
        }
        return _object(self._get("/jobs/estimate", params), "GET /jobs/estimate")

    # Results --------------------------------------------------------------------------

    def get_probabilities(self, job_id: str, sharpen: bool | None = None) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities``: ``{"<decimal key>": probability}``."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/results/probabilities"
        return _object(self._get(path, {"sharpen": sharpen}), f"GET {path}")

    def get_aggregated_probabilities(
        self, job_id: str, sharpen: bool | None = None
    ) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities/aggregated``: child id -> distribution."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/results/probabilities/aggregated"
        return _object(self._get(path, {"sharpen": sharpen}), f"GET {path}")

    def get_histogram(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/results/histogram``: ``{"<decimal key>": count}``."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/results/histogram"
        return _object(self._get(path), f"GET {path}")

    def get_shots(self, job_id: str) -> list[Any]:
        """``GET /jobs/{id}/results/shots``: one decimal outcome per shot."""
        path = f"/jobs/{_segment(job_id, 'job_id')}/results/shots"
        shots = self._get(path)
        if not isinstance(shots, list):
            raise APIError(f"GET {path} did not answer with a JSON array", status_code=200)
        return shots

    def download_artifact(self, job_id: str, artifact_id: str) -> Any:
        """``GET /jobs/{id}/artifacts/{artifact}``: parsed JSON, ``str`` for text, else bytes."""
        path = (
            f"/jobs/{_segment(job_id, 'job_id')}/artifacts/{_segment(artifact_id, 'artifact_id')}"
        )
        return self._get(path)

    # Backends -------------------------------------------------------------------------

    def list_backends(self) -> list[dict[str, Any]]:
        """``GET /backends``: every backend with its status and size."""
        return _listed(self._get("/backends", authenticated=False), "backends")

    def get_backend(self, backend: str) -> dict[str, Any]:
        """``GET /backends/{backend}``: one backend."""
        path = f"/backends/{_segment(backend, 'backend')}"
        return _object(self._get(path, authenticated=False), f"GET {path}")

    def list_characterizations(
        self,
        backend: str,
        *,
        start: str | None = None,
        end: str | None = None,
        limit: int = 10,
    ) -> Iterator[dict[str, Any]]:
        """``GET /backends/{backend}/characterizations``: iterate, newest first, page by page.

        Args:
            backend: e.g. ``"qpu.forte-1"``.
            start: earliest date (``YYYY-MM-DD``), inclusive.
            end: latest date (``YYYY-MM-DD``).
            limit: page size, 1..10.
        """
        path = f"/backends/{_segment(backend, 'backend')}/characterizations"

        def fetch(page: int) -> dict[str, Any]:
            params = {"start": start, "end": end, "limit": limit, "page": page}
            return _object(self._get(path, params, authenticated=False), f"GET {path}")

        return iterate_pages(fetch, "characterizations")

    def get_characterization(self, backend: str, characterization_id: str) -> dict[str, Any]:
        """``GET /backends/{backend}/characterizations/{id}``: one characterization."""
        path = (
            f"/backends/{_segment(backend, 'backend')}/characterizations/"
            f"{_segment(characterization_id, 'characterization_id')}"
        )
        return _object(self._get(path), f"GET {path}")

    # Sessions and identity ------------------------------------------------------------

    def create_session(
        self, backend: str, settings: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """``POST /sessions``: open a session; never resent after an ambiguous failure."""
        body: dict[str, Any] = {"backend": backend}
        if settings is not None:
            body["settings"] = dict(settings)
        return _object(
            self._transport.request("POST", "/sessions", json_body=body), "POST /sessions"
        )

    def get_session(self, session_id: str) -> dict[str, Any]:
        """``GET /sessions/{id}``: one session."""
        path = f"/sessions/{_segment(session_id, 'session_id')}"
        return _object(self._get(path), f"GET {path}")

    def list_sessions(self, active: bool | None = None) -> list[dict[str, Any]]:
        """``GET /sessions``: all sessions (not paginated), optionally only (in)active ones."""
        return _listed(self._get("/sessions", {"active": active}), "sessions")

    def end_session(self, session_id: str) -> dict[str, Any]:
        """``POST /sessions/{id}/end``: end a session."""
        path = f"/sessions/{_segment(session_id, 'session_id')}/end"
        return _object(self._transport.request("POST", path), f"POST {path}")

    def whoami(self) -> dict[str, Any]:
        """``GET /whoami``: the key's id, name and project."""
        return _object(self._get("/whoami"), "GET /whoami")

    # Clone, move, format schemas and usage ---------------------------------------------

    def clone_job(
        self,
        job_id: str,
        *,
        name: str | None = None,
        shots: int | None = None,
        backend: str | None = None,
        session_id: str | None = None,
        settings: Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        dry_run: bool | None = None,
        noise: Mapping[str, Any] | None = None,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """``POST /jobs/{id}/clone`` exactly once: a new job with the source's circuits.

        Fields left ``None`` are inherited from the source job; the rest replace its values.
        The body carries ``metadata`` like a ``POST /jobs`` body, so the call is made
        exactly-once the same way as :meth:`create_job`: a client token rides in the new
        job's metadata and is looked up after an ambiguous failure before anything is resent.
        When ``metadata`` is omitted, the source's metadata is fetched first (``GET``) and sent
        back with the token, so the clone inherits it whether the service merges or replaces.

        Args:
            job_id: the job to copy.
            name: the new job's name (``[A-Za-z0-9 _-]``).
            shots: shots per circuit, 1..1,000,000.
            backend: the backend to run on instead.
            session_id: the session to run in.
            settings: ``{"error_mitigation": {...}, "compilation": {...}}``.
            metadata: string-to-string metadata replacing the source's.
            dry_run: compile only.
            noise: ``{"model": ..., "seed"?: ...}`` for the simulator.
            client_token: the token to use (generated when omitted).

        Returns:
            The creation response ``{"id", "status", "session_id"}``.
        """
        path = f"/jobs/{_segment(job_id, 'job_id')}/clone"
        body = self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return self._post_once(path, _submit.prepare(body, client_token))

    def move_job(
        self,
        job_id: str,
        *,
        name: str | None = None,
        shots: int | None = None,
        backend: str | None = None,
        session_id: str | None = None,
        settings: Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        dry_run: bool | None = None,
        noise: Mapping[str, Any] | None = None,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """``POST /jobs/{id}/move`` exactly once: clone a queued job and cancel the source.

        IonQ documents a move as a clone (same overrides as :meth:`clone_job`) and a cancel of
        the source in one request; the new job records ``metadata["original_job_id"]``, and a
        source that has already ended answers 409 with no job created. A move is made
        exactly-once like :meth:`clone_job` (client token in the metadata, looked up after an
        ambiguous failure). Resending after such a failure cannot create a second job either:
        if the first request did move the job, its source is canceled and the resend is
        refused with 409, which is then reconciled by the token. A 409 to the first request
        is final and raised as it is.

        Raises:
            APIError: status 409 when the source job can no longer be canceled.
        """
        path = f"/jobs/{_segment(job_id, 'job_id')}/move"
        body = self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return self._post_once(path, _submit.prepare(body, client_token), first_409_is_final=True)

    def get_format_schema(self, format_id: str) -> dict[str, Any]:
        """``GET /schemas/formats/{format}``: the JSON Schema of a result or circuit format.

        Args:
            format_id: e.g. ``"ionq.result.probabilities.json.v1"`` or ``"ionq.native.v1"``.
        """
        path = f"/schemas/formats/{_segment(format_id, 'format_id')}"
        return _object(self._get(path), f"GET {path}")

    def get_usage(
        self,
        organization_id: str,
        *,
        start_date: str | datetime.date,
        end_date: str | datetime.date,
        group_by: str = "project",
        modality: str = "daily",
    ) -> dict[str, Any]:
        """``GET /organizations/{id}/usage``: costs by group and date over a date range.

        Args:
            organization_id: the organization's UUID (``list_sessions`` answers carry it).
            start_date: first day, inclusive (``YYYY-MM-DD`` or a ``date``).
            end_date: last day, exclusive; must be after ``start_date``.
            group_by: ``"job"``, ``"project"`` or ``"user"``.
            modality: ``"daily"``, ``"weekly"`` or ``"monthly"``.
        """
        start = _date(start_date, "start_date")
        end = _date(end_date, "end_date")
        if end <= start:
            raise InvalidInputError(
                f"end_date {end} must be after start_date {start} (end_date is exclusive)"
            )
        _choice(group_by, "group_by", USAGE_GROUPS)
        _choice(modality, "modality", USAGE_MODALITIES)
        path = f"/organizations/{_segment(organization_id, 'organization_id')}/usage"
        params = {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "group_by": group_by,
            "modality": modality,
        }
        return _object(self._get(path, params), f"GET {path}")

    def _clone_body(
        self,
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
        """The clone/move body, checked before any request; inherited metadata fetched."""
        _segment(job_id, "job_id")
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
            checked = check_noise(backend or "simulator", noise.get("model"), noise.get("seed"))
            body["noise"] = checked
        if metadata is not None:
            body["metadata"] = check_metadata(metadata)
        else:
            inherited = JobRecord.parse(self.get_job(job_id)).metadata
            body["metadata"] = {k: v for k, v in inherited.items() if k != CLIENT_TOKEN_KEY}
        return body


class _Refused(Exception):
    """Carries a definitive refusal of a first attempt past the reconciliation loop."""

    def __init__(self, error: APIError) -> None:
        super().__init__(str(error))
        self.error = error


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


def _id_list(job_ids: object, what: str = "job_ids") -> list[str]:
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
        _segment(job_id, f"each of {what}")
    return ids
