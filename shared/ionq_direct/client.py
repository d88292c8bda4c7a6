"""``Client``: one method per IonQ v0.4 endpoint, returning the decoded JSON.

This module only sends: what each endpoint asks for and how its answer is checked lives in
``_endpoints`` (shared with :class:`~ionq_direct.async_client.AsyncClient`). Transport
concerns (auth, timeouts, retries, error mapping) live in ``_transport`` and ``_attempts``;
exactly-once submission in ``_submit``; the ``Job`` handle in ``jobs``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ionq_direct import _endpoints as ep
from ionq_direct import _submit
from ionq_direct._constants import API_KEY_ENV, API_URL_ENV, DEFAULT_BASE_URL
from ionq_direct._pagination import iterate_cursor, iterate_pages
from ionq_direct._steps import drive
from ionq_direct._transport import Timeout, Transport
from ionq_direct.jobs import Job
from ionq_direct.options import check_timeout
from ionq_direct.payload import PreparedJob
from ionq_direct.policy import DEFAULT_POLICY, Policy

__all__ = ["USAGE_GROUPS", "USAGE_MODALITIES", "Client", "Payload", "Timeout"]

#: ``group_by`` values of ``GET /organizations/{id}/usage``.
USAGE_GROUPS = ep.USAGE_GROUPS
#: ``modality`` values of ``GET /organizations/{id}/usage``.
USAGE_MODALITIES = ep.USAGE_MODALITIES

#: A job payload: a mapping, a prepared job from ``build_jobs``, or JSON bytes already
#: carrying a client token.
Payload = Mapping[str, Any] | bytes | PreparedJob


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

    def _send(self, call: ep.Call, **kw: Any) -> Any:
        value = self._transport.request(
            call.method,
            call.path,
            params=call.params,
            json_body=call.json_body,
            authenticated=call.authenticated,
            **kw,
        )
        return call.answer(value)

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
        policy = transport.policy
        plan = _submit.submit_plan(
            submission,
            transport.max_retries,
            policy=policy,
            deadline=policy.deadline(limit),
            read_timeout=transport.timeout[1],
            first_409_is_final=first_409_is_final,
        )

        def perform(step: _submit.Step) -> Any:
            if isinstance(step, _submit.Post):
                return transport.request("POST", path, data=step.body, deadline=step.deadline)
            if isinstance(step, _submit.ListJobs):
                call = ep.jobs_page("/jobs", step.params(), step.cursor)
                return self._send(call, deadline=step.deadline, read_timeout=step.read_timeout)
            policy.sleep(step.seconds)
            return None

        return drive(plan, perform)

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

    def _job_record(self, job_id: str, deadline: float | None) -> dict[str, Any]:
        """``GET /jobs/{id}`` within ``deadline`` (on the policy's clock)."""
        result: dict[str, Any] = self._send(ep.get_job(job_id), deadline=deadline)
        return result

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
        params = ep.jobs_page_params(status, backend, session_id, parent_job_id, ids, limit)
        return self._list_jobs_at("/jobs", params)

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
        path = ep.session_jobs_path(session_id)
        params = ep.jobs_page_params(status, backend, None, parent_job_id, ids, limit)
        return self._list_jobs_at(path, params)

    def _list_jobs_at(self, path: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        def fetch(cursor: str | None) -> dict[str, Any]:
            page: dict[str, Any] = self._send(ep.jobs_page(path, params, cursor))
            return page

        return iterate_cursor(fetch, "jobs")

    def cancel_job(self, job_id: str) -> dict[str, Any]:
        """``PUT /jobs/{id}/status/cancel``: ask the service to cancel one job."""
        result: dict[str, Any] = self._send(ep.cancel_job(job_id))
        return result

    def cancel_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``PUT /jobs/status/cancel``: cancel several jobs at once."""
        result: dict[str, Any] = self._send(ep.cancel_jobs(job_ids))
        return result

    def delete_job(self, job_id: str) -> dict[str, Any]:
        """``DELETE /jobs/{id}``: delete one job permanently."""
        result: dict[str, Any] = self._send(ep.delete_job(job_id))
        return result

    def delete_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``DELETE /jobs``: delete several jobs permanently."""
        result: dict[str, Any] = self._send(ep.delete_jobs(job_ids))
        return result

    def get_job_cost(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/cost``: estimated and actual cost of a job."""
        result: dict[str, Any] = self._send(ep.get_job_cost(job_id))
        return result

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
        result: dict[str, Any] = self._send(
            ep.estimate_job(
                backend,
                type=type,
                qubits=qubits,
                shots=shots,
                one_qubit_gates=one_qubit_gates,
                two_qubit_gates=two_qubit_gates,
                error_mitigation=error_mitigation,
            )
        )
        return result

    # Results --------------------------------------------------------------------------

    def get_probabilities(self, job_id: str, sharpen: bool | None = None) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities``: ``{"<decimal key>": probability}``."""
        result: dict[str, Any] = self._send(ep.get_probabilities(job_id, sharpen))
        return result

    def get_aggregated_probabilities(
        self, job_id: str, sharpen: bool | None = None
    ) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities/aggregated``: child id -> distribution."""
        result: dict[str, Any] = self._send(ep.get_aggregated_probabilities(job_id, sharpen))
        return result

    def get_histogram(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/results/histogram``: ``{"<decimal key>": count}``."""
        result: dict[str, Any] = self._send(ep.get_histogram(job_id))
        return result

    def get_shots(self, job_id: str) -> list[Any]:
        """``GET /jobs/{id}/results/shots``: one decimal outcome per shot."""
        result: list[Any] = self._send(ep.get_shots(job_id))
        return result

    def download_artifact(self, job_id: str, artifact_id: str) -> Any:
        """``GET /jobs/{id}/artifacts/{artifact}``: parsed JSON, ``str`` for text, else bytes."""
        result: Any = self._send(ep.download_artifact(job_id, artifact_id))
        return result

    # Backends -------------------------------------------------------------------------

    def list_backends(self) -> list[dict[str, Any]]:
        """``GET /backends``: every backend with its status and size."""
        result: list[dict[str, Any]] = self._send(ep.list_backends())
        return result

    def get_backend(self, backend: str) -> dict[str, Any]:
        """``GET /backends/{backend}``: one backend."""
        result: dict[str, Any] = self._send(ep.get_backend(backend))
        return result

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
        ep.segment(backend, "backend")

        def fetch(page: int) -> dict[str, Any]:
            call = ep.characterizations_page(backend, start, end, limit, page)
            result: dict[str, Any] = self._send(call)
            return result

        return iterate_pages(fetch, "characterizations")

    def get_characterization(self, backend: str, characterization_id: str) -> dict[str, Any]:
        """``GET /backends/{backend}/characterizations/{id}``: one characterization."""
        result: dict[str, Any] = self._send(ep.get_characterization(backend, characterization_id))
        return result

    # Sessions and identity ------------------------------------------------------------

    def create_session(
        self, backend: str, settings: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """``POST /sessions``: open a session; never resent after an ambiguous failure."""
        result: dict[str, Any] = self._send(ep.create_session(backend, settings))
        return result

    def get_session(self, session_id: str) -> dict[str, Any]:
        """``GET /sessions/{id}``: one session."""
        result: dict[str, Any] = self._send(ep.get_session(session_id))
        return result

    def list_sessions(self, active: bool | None = None) -> list[dict[str, Any]]:
        """``GET /sessions``: all sessions (not paginated), optionally only (in)active ones."""
        result: list[dict[str, Any]] = self._send(ep.list_sessions(active))
        return result

    def end_session(self, session_id: str) -> dict[str, Any]:
        """``POST /sessions/{id}/end``: end a session."""
        result: dict[str, Any] = self._send(ep.end_session(session_id))
        return result

    def whoami(self) -> dict[str, Any]:
        """``GET /whoami``: the key's id, name and project."""
        result: dict[str, Any] = self._send(ep.whoami())
        return result

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
        body = self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return self._post_once(ep.clone_path(job_id, "clone"), _submit.prepare(body, client_token))

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
        body = self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return self._post_once(
            ep.clone_path(job_id, "move"),
            _submit.prepare(body, client_token),
            first_409_is_final=True,
        )

    def get_format_schema(self, format_id: str) -> dict[str, Any]:
        """``GET /schemas/formats/{format}``: the JSON Schema of a result or circuit format.

        Args:
            format_id: e.g. ``"ionq.result.probabilities.json.v1"`` or ``"ionq.native.v1"``.
        """
        result: dict[str, Any] = self._send(ep.get_format_schema(format_id))
        return result

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
        result: dict[str, Any] = self._send(
            ep.get_usage(
                organization_id,
                start_date=start_date,
                end_date=end_date,
                group_by=group_by,
                modality=modality,
            )
        )
        return result

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
        body = ep.clone_overrides(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return body if metadata is not None else ep.inherit_metadata(body, self.get_job(job_id))
