"""The emulator's behaviour behind the HTTP routes: keys, jobs, results, sessions.

Routes only parse requests and call this class; it owns the store and the worker pool.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ionq_direct.payload import MULTI_CIRCUIT
from ionq_direct.records import TERMINAL_STATUSES
from ionq_emulator import compilation, pricing
from ionq_emulator.catalog import is_qpu
from ionq_emulator.errors import RESULTS_NOT_FOUND_MESSAGE, ApiError, bad_request, not_found
from ionq_emulator.processes import default_workers
from ionq_emulator.records import (
    AGGREGATE_ARTIFACT,
    ARTIFACT_KINDS,
    job_record,
    now_iso,
    parse_iso,
)
from ionq_emulator.rows import job_rows
from ionq_emulator.store import ACTIVE_STATUSES, JobFilter, JobRow, Store
from ionq_emulator.validation import JobPlan
from ionq_emulator.worker import WorkerPool, settle_parent

_NAMESPACE = uuid.UUID("6f1c8a52-3d0e-4b7a-9c2f-5e4d3b2a1f00")
PROJECT_ID = str(uuid.uuid5(_NAMESPACE, "project"))
ORGANIZATION_ID = str(uuid.uuid5(_NAMESPACE, "organization"))


@dataclass(frozen=True)
class Identity:
    """Who an API key belongs to."""

    key_id: str
    key_name: str
    user_id: str

    @classmethod
    def for_key(cls, key: str, index: int, secret: bytes) -> Identity:
        """A stable identity derived from the key, keyed by the database's ``secret``.

        The key itself is never stored; what is stored (``submitter_id``) is an HMAC of it,
        which cannot be checked against a dictionary of likely keys without the secret.
        """
        digest = key_digest(key, secret).hex()
        return cls(
            key_id=str(uuid.uuid5(_NAMESPACE, digest)),
            key_name=f"emulator-key-{index + 1}",
            user_id=digest[:24],
        )


def key_digest(key: str, secret: bytes) -> bytes:
    """HMAC-SHA256 of an API key under a database's secret."""
    return hmac.new(secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()


class EmulatorService:
    """Jobs, results and sessions of one emulator instance.

    Args:
        store: the database.
        api_keys: accepted API keys.
        workers: simulations that run at once, each in its own process (default: the cores).
        qpu_delay: seconds a QPU job spends queued and again running.
    """

    def __init__(
        self,
        store: Store,
        api_keys: list[str],
        *,
        workers: int | None = None,
        qpu_delay: float = 0.0,
    ) -> None:
        self.store = store
        self._secret = store.secret()
        self._keys = [
            (key_digest(k, self._secret), Identity.for_key(k, i, self._secret))
            for i, k in enumerate(api_keys)
        ]
        self.qpu_delay = qpu_delay
        self.pool = WorkerPool(
            store, workers=default_workers() if workers is None else workers, qpu_delay=qpu_delay
        )
        self._session_lock = threading.Lock()

    def start(self) -> None:
        """Start the workers (re-running jobs a previous process left unfinished)."""
        self.pool.start()

    def stop(self) -> None:
        """Stop the workers."""
        self.pool.stop()

    @property
    def identities(self) -> list[Identity]:
        """The identities of every accepted key (never the keys themselves)."""
        return [identity for _, identity in self._keys]

    def identify(self, key: str) -> Identity | None:
        """The identity of ``key``, or ``None`` if it is not accepted.

        Compares the key's HMAC with every accepted key's in constant time, so how long the
        answer takes says nothing about how much of a guessed key was right.
        """
        digest = key_digest(key, self._secret)
        found: Identity | None = None
        for known, identity in self._keys:
            if hmac.compare_digest(digest, known):
                found = identity
        return found

    # Jobs ---------------------------------------------------------------------------------

    def _row(self, job_id: str) -> JobRow:
        row = self.store.get_job(job_id)
        if row is None:
            raise not_found()
        return row

    def submit(self, plan: JobPlan, who: Identity) -> dict[str, Any]:
        """Store a validated job (and its children) and queue it; returns the 201 body."""
        if plan.session_id is not None:
            self._join_session(plan.session_id, plan.backend)
        job_id = str(uuid.uuid4())
        rows = job_rows(plan, job_id, submitted_at=now_iso(), common=self._common_record(plan, who))
        ended = self.pool.run_now(rows)
        self.store.insert_jobs(rows, then=ended or ())
        if ended is None:
            if rows[0].type == MULTI_CIRCUIT:  # a multi-circuit parent follows its children
                self.pool.enqueue_group(rows[1:])
            else:
                self.pool.enqueue(rows[0])
        return {"id": job_id, "status": "submitted", "session_id": plan.session_id}

    def _common_record(self, plan: JobPlan, who: Identity) -> dict[str, Any]:
        """The record fields a job and each of its children share."""
        queue_ms = int(self.qpu_delay * 1000) if is_qpu(plan.backend) else 0
        return {
            "dry_run": plan.dry_run,
            "cost_model": "2QGE_operations",
            "submitter_id": who.user_id,
            "project_id": PROJECT_ID,
            "metadata": plan.metadata,
            "shots": plan.shots,
            "noise": plan.noise,
            "settings": plan.settings,
            "predicted_wait_time_ms": queue_ms,
        }

    def get_job(self, job_id: str) -> dict[str, Any]:
        """The job object."""
        return job_record(self._row(job_id))

    def list_jobs(self, filters: JobFilter, *, limit: int, after: str | None) -> dict[str, Any]:
        """A page of ``GET /jobs``."""
        page = self.store.list_jobs(filters, limit=limit, after=after)
        if page is None:
            raise bad_request("next", '"next" is not a valid cursor.', source="query")
        rows, cursor = page
        return {"jobs": [job_record(r, listing=True) for r in rows], "next": cursor}

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a job (a no-op on a finished job); returns ``{"id", "status"}``."""
        row = self._row(job_id)
        fields = {"completed_at": now_iso()}
        if row.type == MULTI_CIRCUIT:
            for child in self.store.children(job_id):
                self.store.set_status(
                    child.id, "canceled", only_from=ACTIVE_STATUSES, fields=fields
                )
            self.store.set_status(job_id, "canceled", only_from=ACTIVE_STATUSES, fields=fields)
        else:
            self.store.set_status(job_id, "canceled", only_from=ACTIVE_STATUSES, fields=fields)
            if row.parent_id:
                settle_parent(self.store, row.parent_id)
        return {"id": job_id, "status": self._row(job_id).status}

    def cancel_many(self, job_ids: list[str]) -> dict[str, Any]:
        """Cancel several jobs; unknown ids are skipped."""
        done = []
        for job_id in job_ids:
            try:
                self.cancel(job_id)
            except ApiError:
                continue
            done.append(job_id)
        return {"ids": done, "status": "canceled"}

    def _delete(self, job_ids: list[str]) -> list[str]:
        """Delete jobs; a multi-circuit parent that loses a child ends once the rest have."""
        parents = {r.parent_id for r in self.store.get_jobs(job_ids) if r.parent_id}
        deleted = self.store.delete_jobs(job_ids)
        for parent_id in parents:
            settle_parent(self.store, parent_id)
        return deleted

    def delete(self, job_id: str) -> dict[str, Any]:
        """Delete a job for good; later reads answer 404."""
        if not self._delete([job_id]):
            raise not_found()
        return {"id": job_id, "status": "deleted"}

    def delete_many(self, job_ids: list[str]) -> dict[str, Any]:
        """Delete several jobs; unknown ids are skipped."""
        return {"ids": self._delete(job_ids), "status": "deleted"}

    def cost(self, job_id: str) -> dict[str, Any]:
        """``GET /jobs/{id}/cost``: the estimate, and the charge once the job has ended."""
        row = self._row(job_id)
        value = float(row.record["cost"])  # a dry run is estimated as if it ran, never charged
        body: dict[str, Any] = {
            "dry_run": row.record["dry_run"],
            "estimated_cost": {"value": value, "unit": pricing.UNIT},
        }
        if row.status in TERMINAL_STATUSES:
            charged = value if row.status == "completed" and not row.record["dry_run"] else 0.0
            body["cost"] = {"value": charged, "unit": pricing.UNIT}
        return body

    # Results ------------------------------------------------------------------------------

    def _completed(self, job_id: str) -> JobRow:
        row = self.store.get_job(job_id)
        if row is None or row.status != "completed" or row.record["dry_run"]:
            raise not_found(RESULTS_NOT_FOUND_MESSAGE)
        return row

    def result(self, job_id: str, kind: str, *, max_chars: int | None = None) -> Any:
        """A stored result (``probabilities``, ``histogram`` or ``shots``).

        Args:
            job_id: the job.
            kind: which result.
            max_chars: raise :class:`~ionq_emulator.store.ResultTooLarge` instead of decoding
                stored results longer than this.
        """
        row = self._completed(job_id)
        if row.type == MULTI_CIRCUIT and kind == "probabilities":
            return self.aggregated(job_id, max_chars=max_chars)
        body = self.store.get_result(job_id, kind, max_chars=max_chars)
        if body is None:
            raise not_found(f"This job has no {kind} results.")
        return body

    def aggregated(self, job_id: str, *, max_chars: int | None = None) -> dict[str, Any]:
        """Child id -> probabilities, in input order (a single job maps its own id).

        ``max_chars`` is as for :meth:`result`.
        """
        row = self._completed(job_id)
        if row.type != MULTI_CIRCUIT:
            return {job_id: self.store.get_result(job_id, "probabilities", max_chars=max_chars)}
        children = row.record["child_job_ids"]
        results = self.store.get_results(children, "probabilities", max_chars=max_chars)
        return {child_id: results[child_id] for child_id in children if child_id in results}

    def artifact(self, job_id: str, artifact_id: str) -> Any:
        """An artifact payload by id."""
        if artifact_id == AGGREGATE_ARTIFACT:
            return self.aggregated(job_id)
        if artifact_id == compilation.COMPILED_ARTIFACT:
            compiled = self.store.get_result(job_id, compilation.COMPILED_KIND)
            if compiled is None:
                raise not_found("Job or artifact not found.")
            return compiled
        kind = ARTIFACT_KINDS.get(artifact_id)
        if kind is None:
            raise not_found("Job or artifact not found.")
        return self.result(job_id, kind)

    # Sessions -----------------------------------------------------------------------------

    def _expire(self, record: dict[str, Any]) -> dict[str, Any]:
        expires = record["settings"].get("expires_at")
        if record["active"] and expires and parse_iso(expires) <= parse_iso(now_iso()):
            record.update(active=False, status="ended", ended_at=expires)
            self.store.put_session(record)
        return record

    def create_session(
        self, backend: str, settings: dict[str, Any], who: Identity
    ) -> dict[str, Any]:
        """Open a session on ``backend``."""
        now = now_iso()
        stored = dict(settings)
        if "duration_limit_min" in settings:
            until = parse_iso(now) + timedelta(minutes=settings["duration_limit_min"])
            stored["expires_at"] = until.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record = {
            "id": str(uuid.uuid4()),
            "created_at": now,
            "organization_id": ORGANIZATION_ID,
            "backend": backend,
            "project_id": PROJECT_ID,
            "creator_id": who.user_id,
            "ended_at": None,
            "ender_id": None,
            "settings": stored,
            "active": True,
            "status": "created",
            "started_at": None,
        }
        self.store.put_session(record)
        return record

    def get_session(self, session_id: str) -> dict[str, Any]:
        """A session record."""
        record = self.store.get_session(session_id)
        if record is None:
            raise not_found()
        return self._expire(record)

    def list_sessions(self, active: bool | None) -> dict[str, Any]:
        """``GET /sessions``."""
        records = [self._expire(r) for r in self.store.list_sessions()]
        if active is not None:
            records = [r for r in records if r["active"] == active]
        return {"organization_id": ORGANIZATION_ID, "sessions": records}

    def end_session(self, session_id: str, who: Identity) -> dict[str, Any]:
        """End a session (ending an ended session changes nothing)."""
        with self._session_lock:
            record = self.get_session(session_id)
            if record["active"]:
                record.update(
                    active=False, status="ended", ended_at=now_iso(), ender_id=who.user_id
                )
                self.store.put_session(record)
            return record

    def _join_session(self, session_id: str, backend: str) -> None:
        with self._session_lock:
            record = self.store.get_session(session_id)
            if record is None:
                raise bad_request("session_id", "Session not found.")
            record = self._expire(record)
            if not record["active"]:
                raise bad_request("session_id", "Session has ended.")
            if record["backend"] != backend:
                raise bad_request(
                    "backend", f"Session {session_id} runs on {record['backend']}, not {backend}."
                )
            limit = record["settings"].get("job_count_limit")
            if limit is not None and self.store.count_session_jobs(session_id) >= limit:
                raise bad_request("session_id", "Session job count limit reached.")
            if record["status"] == "created":
                record.update(status="started", started_at=now_iso())
                self.store.put_session(record)
