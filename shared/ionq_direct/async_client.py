"""``AsyncClient``: the methods of :class:`~ionq_direct.client.Client` as coroutines.

One ``httpx.AsyncClient`` per client (pooled, keep-alive), so jobs gathered on one event loop
really run at once: while one waits for the service, the others send and poll. Everything but
the sending is the sync client's: the same argument checks and requests per endpoint
(``_endpoints``), the same policy (one :class:`~ionq_direct.policy.Policy`), retries and
deadlines (``_attempts``), error mapping and redaction (``_responses``), payload preparation
(``_submit.prepare``) and exactly-once plan (``_submit.submit_plan``), and the same polling ladder
(``_polling.wait_plan``). Needs the ``async`` extra (``httpx``).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ionq_direct import _endpoints as ep
from ionq_direct import _submit
from ionq_direct._async_transport import AsyncTransport
from ionq_direct._constants import API_KEY_ENV, API_URL_ENV, DEFAULT_BASE_URL
from ionq_direct._pagination import aiterate_cursor, aiterate_pages
from ionq_direct._steps import drive_async
from ionq_direct._transport import Timeout
from ionq_direct.async_jobs import AsyncJob
from ionq_direct.options import check_timeout
from ionq_direct.payload import PreparedJob
from ionq_direct.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import httpx

    from ionq_direct.client import Client

__all__ = ["AsyncClient", "Payload"]

#: A job payload: a mapping, a prepared job from ``build_jobs``, or JSON bytes already
#: carrying a client token.
Payload = Mapping[str, Any] | bytes | PreparedJob

#: Headers a sync session carries that are not the caller's extra headers: the key, and what
#: ``requests`` and the sync transport set by themselves.
_NOT_EXTRA = frozenset({"authorization", "user-agent", "accept", "accept-encoding", "connection"})


class AsyncClient:
    """An asyncio connection to IonQ's v0.4 REST API (or the emulator).

    Takes the arguments of :class:`~ionq_direct.client.Client`, checks them the same way
    (before any request) and behaves the same way: every method of ``Client`` is here, a
    coroutine (the ``list_*`` iterators are async iterators). Use it as
    ``async with AsyncClient(...) as client:``, or call :meth:`aclose`.

    Args:
        api_key: the API key; defaults to the ``IONQ_API_KEY`` environment variable.
        base_url: the API root; defaults to ``IONQ_API_URL``, else ``https://api.ionq.co/v0.4``.
        timeout: seconds for every request, or ``(connect, read)``; defaults to (5, 60). An
            attempt takes at most ``connect + read`` in all.
        max_retries: retries after the first attempt for retryable failures; defaults to the
            policy's (3).
        headers: extra HTTP headers sent with every request (not ``Authorization``).
        policy: clocks, sleeps and numbers (its ``async_sleep`` pauses this client).
        http_transport: an ``httpx`` transport to send through instead of the network (for
            instance ``httpx.MockTransport`` in tests).

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
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._transport = AsyncTransport(
            api_key if api_key is not None else os.environ.get(API_KEY_ENV, ""),
            base_url if base_url is not None else (os.environ.get(API_URL_ENV) or DEFAULT_BASE_URL),
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
            policy=DEFAULT_POLICY if policy is None else policy,
            http_transport=http_transport,
        )

    @classmethod
    def from_client(cls, client: Client) -> AsyncClient:
        """An async client with ``client``'s key, URL, timeouts, retries, headers and policy."""
        sync = client._transport
        extra = {
            name: value
            for name, value in sync._session.headers.items()
            if name.lower() not in _NOT_EXTRA and isinstance(value, str)
        }
        return cls(
            sync._key,
            sync.base_url,
            timeout=sync.timeout,
            max_retries=sync.max_retries,
            headers=extra,
            policy=sync.policy,
        )

    def __repr__(self) -> str:
        return f"AsyncClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def policy(self) -> Policy:
        """The clocks, sleeps and numbers this client's retries, polls and deadlines use."""
        return self._transport.policy

    @property
    def base_url(self) -> str:
        """The API root every path is joined to."""
        return self._transport.base_url

    async def aclose(self) -> None:
        """Release pooled connections."""
        await self._transport.aclose()

    async def _send(self, call: ep.Call, **kw: Any) -> Any:
        value = await self._transport.request(
            call.method,
            call.path,
            params=call.params,
            json_body=call.json_body,
            authenticated=call.authenticated,
            **kw,
        )
        return call.answer(value)

    # Jobs -----------------------------------------------------------------------------

    async def create_job(
        self,
        payload: Payload,
        *,
        client_token: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """``POST /jobs`` exactly once; returns ``{"id", "status", "session_id"}``.

        As :meth:`Client.create_job <ionq_direct.client.Client.create_job>`: the same token,
        the same lookups before any resend, the same errors.
        """
        limit = check_timeout(timeout)
        submission = _submit.prepare(payload, client_token)
        return await self._post_once("/jobs", submission, limit)

    async def _post_once(
        self,
        path: str,
        submission: _submit.Submission,
        limit: float | None = None,
        *,
        first_409_is_final: bool = False,
    ) -> dict[str, Any]:
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

        async def perform(step: _submit.Step) -> Any:
            if isinstance(step, _submit.Post):
                return await transport.request("POST", path, data=step.body, deadline=step.deadline)
            if isinstance(step, _submit.ListJobs):
                call = ep.jobs_page("/jobs", step.params(), step.cursor)
                return await self._send(
                    call, deadline=step.deadline, read_timeout=step.read_timeout
                )
            await policy.async_sleep(step.seconds)
            return None

        return await drive_async(plan, perform)

    async def submit(
        self,
        payload: Payload,
        *,
        client_token: str | None = None,
        timeout: float | None = None,
    ) -> AsyncJob:
        """Create a job exactly once (see :meth:`create_job`) and return its :class:`AsyncJob`."""
        created = await self.create_job(payload, client_token=client_token, timeout=timeout)
        return AsyncJob(self, str(created["id"]), created)

    async def _job_record(self, job_id: str, deadline: float | None) -> dict[str, Any]:
        """``GET /jobs/{id}`` within ``deadline`` (on the policy's clock)."""
        result: dict[str, Any] = await self._send(ep.get_job(job_id), deadline=deadline)
        return result

    async def job(self, job_id: str) -> AsyncJob:
        """Fetch a job by id and return its :class:`AsyncJob` handle."""
        return AsyncJob(self, job_id, await self.get_job(job_id))

    async def get_job(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}``: the job record."""
        return await self._job_record(job_id, None)

    def list_jobs(
        self,
        *,
        status: str | None = None,
        backend: str | None = None,
        session_id: str | None = None,
        parent_job_id: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """``GET /jobs``: ``async for`` over jobs (newest first), fetching pages lazily.

        Takes the filters of :meth:`Client.list_jobs <ionq_direct.client.Client.list_jobs>`.
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
    ) -> AsyncIterator[dict[str, Any]]:
        """``GET /sessions/{id}/jobs``: ``async for`` over a session's jobs."""
        path = ep.session_jobs_path(session_id)
        params = ep.jobs_page_params(status, backend, None, parent_job_id, ids, limit)
        return self._list_jobs_at(path, params)

    def _list_jobs_at(self, path: str, params: Mapping[str, Any]) -> AsyncIterator[dict[str, Any]]:
        async def fetch(cursor: str | None) -> dict[str, Any]:
            page: dict[str, Any] = await self._send(ep.jobs_page(path, params, cursor))
            return page

        return aiterate_cursor(fetch, "jobs")

    async def cancel_job(self, job_id: str) -> dict[str, Any]:
        """``PUT /jobs/{id}/status/cancel``: ask the service to cancel one job."""
        result: dict[str, Any] = await self._send(ep.cancel_job(job_id))
        return result

    async def cancel_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``PUT /jobs/status/cancel``: cancel several jobs at once."""
        result: dict[str, Any] = await self._send(ep.cancel_jobs(job_ids))
        return result

    async def delete_job(self, job_id: str) -> dict[str, Any]:
        """``DELETE /jobs/{id}``: delete one job permanently."""
        result: dict[str, Any] = await self._send(ep.delete_job(job_id))
        return result

    async def delete_jobs(self, job_ids: Sequence[str]) -> dict[str, Any]:
        """``DELETE /jobs``: delete several jobs permanently."""
        result: dict[str, Any] = await self._send(ep.delete_jobs(job_ids))
        return result

    async def get_job_cost(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/cost``: estimated and actual cost of a job."""
        result: dict[str, Any] = await self._send(ep.get_job_cost(job_id))
        return result

    async def estimate_job(
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
        call = ep.estimate_job(
            backend,
            type=type,
            qubits=qubits,
            shots=shots,
            one_qubit_gates=one_qubit_gates,
            two_qubit_gates=two_qubit_gates,
            error_mitigation=error_mitigation,
        )
        result: dict[str, Any] = await self._send(call)
        return result

    # Results --------------------------------------------------------------------------

    async def get_probabilities(self, job_id: str, sharpen: bool | None = None) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities``: ``{"<decimal key>": probability}``."""
        result: dict[str, Any] = await self._send(ep.get_probabilities(job_id, sharpen))
        return result

    async def get_aggregated_probabilities(
        self, job_id: str, sharpen: bool | None = None
    ) -> dict[str, Any]:
        """``GET /jobs/{id}/results/probabilities/aggregated``: child id -> distribution."""
        call = ep.get_aggregated_probabilities(job_id, sharpen)
        result: dict[str, Any] = await self._send(call)
        return result

    async def get_histogram(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/results/histogram``: ``{"<decimal key>": count}``."""
        result: dict[str, Any] = await self._send(ep.get_histogram(job_id))
        return result

    async def get_shots(self, job_id: str) -> list[Any]:
        """``GET /jobs/{id}/results/shots``: one decimal outcome per shot."""
        result: list[Any] = await self._send(ep.get_shots(job_id))
        return result

    async def download_artifact(self, job_id: str, artifact_id: str) -> Any:
        """``GET /jobs/{id}/artifacts/{artifact}``: parsed JSON, ``str`` for text, else bytes."""
        return await self._send(ep.download_artifact(job_id, artifact_id))

    # Backends -------------------------------------------------------------------------

    async def list_backends(self) -> list[dict[str, Any]]:
        """``GET /backends``: every backend with its status and size."""
        result: list[dict[str, Any]] = await self._send(ep.list_backends())
        return result

    async def get_backend(self, backend: str) -> dict[str, Any]:
        """``GET /backends/{backend}``: one backend."""
        result: dict[str, Any] = await self._send(ep.get_backend(backend))
        return result

    def list_characterizations(
        self,
        backend: str,
        *,
        start: str | None = None,
        end: str | None = None,
        limit: int = 10,
    ) -> AsyncIterator[dict[str, Any]]:
        """``GET /backends/{backend}/characterizations``: ``async for``, newest first."""
        ep.segment(backend, "backend")

        async def fetch(page: int) -> dict[str, Any]:
            call = ep.characterizations_page(backend, start, end, limit, page)
            result: dict[str, Any] = await self._send(call)
            return result

        return aiterate_pages(fetch, "characterizations")

    async def get_characterization(self, backend: str, characterization_id: str) -> dict[str, Any]:
        """``GET /backends/{backend}/characterizations/{id}``: one characterization."""
        call = ep.get_characterization(backend, characterization_id)
        result: dict[str, Any] = await self._send(call)
        return result

    # Sessions and identity ------------------------------------------------------------

    async def create_session(
        self, backend: str, settings: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """``POST /sessions``: open a session; never resent after an ambiguous failure."""
        result: dict[str, Any] = await self._send(ep.create_session(backend, settings))
        return result

    async def get_session(self, session_id: str) -> dict[str, Any]:
        """``GET /sessions/{id}``: one session."""
        result: dict[str, Any] = await self._send(ep.get_session(session_id))
        return result

    async def list_sessions(self, active: bool | None = None) -> list[dict[str, Any]]:
        """``GET /sessions``: all sessions (not paginated), optionally only (in)active ones."""
        result: list[dict[str, Any]] = await self._send(ep.list_sessions(active))
        return result

    async def end_session(self, session_id: str) -> dict[str, Any]:
        """``POST /sessions/{id}/end``: end a session."""
        result: dict[str, Any] = await self._send(ep.end_session(session_id))
        return result

    async def whoami(self) -> dict[str, Any]:
        """``GET /whoami``: the key's id, name and project."""
        result: dict[str, Any] = await self._send(ep.whoami())
        return result

    # Clone, move, format schemas and usage ---------------------------------------------

    async def clone_job(
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
        """``POST /jobs/{id}/clone`` exactly once, as ``Client.clone_job``."""
        body = await self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        path = ep.clone_path(job_id, "clone")
        return await self._post_once(path, _submit.prepare(body, client_token))

    async def move_job(
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
        """``POST /jobs/{id}/move`` exactly once, as ``Client.move_job`` (a first 409 is final).

        Raises:
            APIError: status 409 when the source job can no longer be canceled.
        """
        body = await self._clone_body(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        return await self._post_once(
            ep.clone_path(job_id, "move"),
            _submit.prepare(body, client_token),
            first_409_is_final=True,
        )

    async def get_format_schema(self, format_id: str) -> dict[str, Any]:
        """``GET /schemas/formats/{format}``: the JSON Schema of a result or circuit format."""
        result: dict[str, Any] = await self._send(ep.get_format_schema(format_id))
        return result

    async def get_usage(
        self,
        organization_id: str,
        *,
        start_date: str | datetime.date,
        end_date: str | datetime.date,
        group_by: str = "project",
        modality: str = "daily",
    ) -> dict[str, Any]:
        """``GET /organizations/{id}/usage``: costs by group and date (as ``Client.get_usage``)."""
        call = ep.get_usage(
            organization_id,
            start_date=start_date,
            end_date=end_date,
            group_by=group_by,
            modality=modality,
        )
        result: dict[str, Any] = await self._send(call)
        return result

    async def _clone_body(
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
        body = ep.clone_overrides(
            job_id, name, shots, backend, session_id, settings, metadata, dry_run, noise
        )
        if metadata is not None:
            return body
        return ep.inherit_metadata(body, await self.get_job(job_id))
