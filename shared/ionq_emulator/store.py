"""SQLite storage for the emulator: jobs, their results and sessions, in one WAL-mode file.

One connection is shared by every thread behind a lock, so each method is one atomic step.
Result bodies (up to a million shots) are written and read with orjson, the rest with the
standard library.
Job status changes are conditional updates (``WHERE status IN ...``) so a cancel and a worker
finishing the same job can never both win.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ACTIVE_STATUSES = ("submitted", "ready", "started")
#: Ids per ``IN (...)`` query, well below SQLite's limit on bound parameters.
_IN_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    backend TEXT NOT NULL,
    session_id TEXT,
    parent_id TEXT,
    submitted_at TEXT NOT NULL,
    started_at TEXT,
    completed_at TEXT,
    execution_duration_ms INTEGER,
    failure TEXT,
    record TEXT NOT NULL,
    spec TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_parent ON jobs(parent_id);
CREATE INDEX IF NOT EXISTS jobs_session ON jobs(session_id);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE TABLE IF NOT EXISTS results (
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (job_id, kind)
);
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass
class JobRow:
    """One stored job.

    Attributes:
        id: the job id.
        type: the job type.
        status: the current status.
        backend: the target backend.
        session_id: the session, or ``None``.
        parent_id: the multi-circuit parent, or ``None``.
        submitted_at: ISO timestamp of submission.
        started_at: ISO timestamp the run started, or ``None``.
        completed_at: ISO timestamp the job ended, or ``None``.
        execution_duration_ms: run time, or ``None``.
        failure: ``{"code", "message"}`` or ``None``.
        record: the fixed fields of the public job object.
        spec: what the worker needs to run the job.
        seq: insertion order (newest has the highest).
    """

    id: str
    type: str
    status: str
    backend: str
    session_id: str | None
    parent_id: str | None
    submitted_at: str
    record: dict[str, Any]
    spec: dict[str, Any]
    started_at: str | None = None
    completed_at: str | None = None
    execution_duration_ms: int | None = None
    failure: dict[str, Any] | None = None
    seq: int = 0


@dataclass(frozen=True)
class JobFilter:
    """Filters of ``GET /jobs`` (``None`` means no filter)."""

    status: str | None = None
    targets: tuple[str, ...] | None = None
    session_id: str | None = None
    parent_job_id: str | None = None
    ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StatusChange:
    """One conditional status change of :meth:`Store.set_statuses`."""

    job_id: str
    status: str
    only_from: tuple[str, ...]
    fields: dict[str, Any] | None = None
    results: dict[str, Any] | None = None


_COLUMNS = (
    "seq, id, type, status, backend, session_id, parent_id, submitted_at, started_at, "
    "completed_at, execution_duration_ms, failure, record, spec"
)


def _loads(text: str) -> Any:
    """Parse a stored JSON column (orjson; the standard library for a ``NaN`` it wrote)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


#: The fields a status change sets besides the status (see :meth:`Store.set_status`).
_END_FIELDS = frozenset({"started_at", "completed_at", "execution_duration_ms", "failure"})


def _columns(row: JobRow) -> dict[str, Any]:
    """A row's status and the fields status changes set, as stored."""
    return {
        "status": row.status,
        "started_at": row.started_at,
        "completed_at": row.completed_at,
        "execution_duration_ms": row.execution_duration_ms,
        "failure": row.failure,
    }


def _insert_values(row: JobRow, columns: dict[str, Any]) -> tuple[Any, ...]:
    """The values of a row's ``INSERT``, with its status columns as changed."""
    failure = columns["failure"]
    return (
        row.id,
        row.type,
        columns["status"],
        row.backend,
        row.session_id,
        row.parent_id,
        row.submitted_at,
        columns["started_at"],
        columns["completed_at"],
        columns["execution_duration_ms"],
        None if failure is None else json.dumps(failure),
        json.dumps(row.record),
        json.dumps(row.spec),
    )


def _apply(db: sqlite3.Connection, change: StatusChange) -> bool:
    """Apply one status change (and its results) inside a transaction; whether it applied."""
    fields = dict(change.fields or {})
    if fields.get("failure") is not None:
        fields["failure"] = json.dumps(fields["failure"])
    sets = ", ".join(["status = ?", *(f"{k} = ?" for k in fields)])
    marks = ",".join("?" * len(change.only_from))
    count = db.execute(
        f"UPDATE jobs SET {sets} WHERE id = ? AND deleted = 0 AND status IN ({marks})",
        (change.status, *fields.values(), change.job_id, *change.only_from),
    ).rowcount
    if count:
        for kind, body in (change.results or {}).items():
            db.execute(
                "INSERT OR REPLACE INTO results (job_id, kind, body) VALUES (?, ?, ?)",
                (change.job_id, kind, orjson.dumps(body).decode()),
            )
    return count > 0


def _row(values: Sequence[Any]) -> JobRow:
    return JobRow(
        seq=values[0],
        id=values[1],
        type=values[2],
        status=values[3],
        backend=values[4],
        session_id=values[5],
        parent_id=values[6],
        submitted_at=values[7],
        started_at=values[8],
        completed_at=values[9],
        execution_duration_ms=values[10],
        failure=_loads(values[11]) if values[11] else None,
        record=_loads(values[12]),
        spec=_loads(values[13]),
    )


class ResultTooLarge(Exception):
    """A stored result is longer than the caller's limit (it was not decoded)."""


def _check_size(chars: int, max_chars: int | None) -> None:
    if max_chars is not None and chars > max_chars:
        raise ResultTooLarge(f"{chars} characters of stored results, over {max_chars}")


class Store:
    """The emulator's database.

    Args:
        path: the SQLite file; parent directories are created.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def secret(self) -> bytes:
        """The random secret of this database (made on first use, then kept with the data).

        It keys the hash that turns API keys into stable identities, so the stored ids
        reveal nothing that a dictionary of likely keys could be checked against.
        """
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?)",
                (secrets.token_hex(32),),
            )
            (value,) = db.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()
        return bytes.fromhex(value)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the body in one ``BEGIN IMMEDIATE`` transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Run statements in one transaction."""
        with self._transaction() as db:
            for sql, params in statements:
                db.execute(sql, params)

    @contextmanager
    def uncontended(self) -> Iterator[bool]:
        """Hold the store's lock if no other thread holds it, without waiting for it.

        Yields whether it is held: a caller that must never wait (the server's event loop)
        reads inside the block only then, and otherwise hands the read to a thread.
        """
        held = self._lock.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                self._lock.release()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # Jobs ---------------------------------------------------------------------------------

    def insert_jobs(self, rows: Sequence[JobRow], *, then: Sequence[StatusChange] = ()) -> None:
        """Insert jobs (a parent then its children), in order, then apply ``then``.

        All in one transaction: a job that ran before it was stored appears already ended.
        The changes to the rows being inserted are folded into their inserts (the same end
        state, in two statements rather than two per job).
        """
        state = {r.id: _columns(r) for r in rows}
        results: list[tuple[str, str, str]] = []
        later: list[StatusChange] = []
        unfolded: set[str] = set()  # rows whose changes from one on run in order, below
        for change in then:
            columns = state.get(change.job_id)
            if (
                columns is None
                or change.job_id in unfolded
                or not set(change.fields or ()) <= _END_FIELDS
            ):
                unfolded.add(change.job_id)
                later.append(change)
                continue
            if columns["status"] not in change.only_from:
                continue
            columns["status"] = change.status
            columns.update(change.fields or {})
            for kind, body in (change.results or {}).items():
                results.append((change.job_id, kind, orjson.dumps(body).decode()))
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO jobs (id, type, status, backend, session_id, parent_id, "
                "submitted_at, started_at, completed_at, execution_duration_ms, failure, "
                "record, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_insert_values(r, state[r.id]) for r in rows],
            )
            db.executemany(
                "INSERT OR REPLACE INTO results (job_id, kind, body) VALUES (?, ?, ?)", results
            )
            for change in later:
                _apply(db, change)

    def get_job(self, job_id: str) -> JobRow | None:
        """The job with ``job_id``, or ``None`` if unknown or deleted."""
        rows = self._read(f"SELECT {_COLUMNS} FROM jobs WHERE id = ? AND deleted = 0", (job_id,))
        return _row(rows[0]) if rows else None

    def job_status(self, job_id: str) -> str | None:
        """The status of ``job_id``, or ``None`` if unknown or deleted (a cheap check)."""
        rows = self._read("SELECT status FROM jobs WHERE id = ? AND deleted = 0", (job_id,))
        return str(rows[0][0]) if rows else None

    def get_jobs(self, job_ids: Sequence[str]) -> list[JobRow]:
        """The existing jobs among ``job_ids``, in the order given."""
        if not job_ids:
            return []
        marks = ",".join("?" * len(job_ids))
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs WHERE id IN ({marks}) AND deleted = 0", tuple(job_ids)
        )
        by_id = {r[1]: _row(r) for r in rows}
        return [by_id[i] for i in job_ids if i in by_id]

    def list_jobs(
        self, filters: JobFilter, *, limit: int, after: str | None = None
    ) -> tuple[list[JobRow], str | None] | None:
        """A page of jobs, newest first, and the cursor of the next page.

        ``after`` is the cursor from the previous page (the id of its last job); ``None`` is
        returned when that cursor is unknown.
        """
        where = ["deleted = 0"]
        params: list[Any] = []
        if after is not None:
            found = self._read("SELECT seq FROM jobs WHERE id = ?", (after,))
            if not found:
                return None
            where.append("seq < ?")
            params.append(found[0][0])
        equal = {
            "status": filters.status,
            "session_id": filters.session_id,
            "parent_id": filters.parent_job_id,
        }
        for column, value in equal.items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        for column, values in (("backend", filters.targets), ("id", filters.ids)):
            if values is not None:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?",
            (*params, limit + 1),
        )
        jobs = [_row(r) for r in rows[:limit]]
        return jobs, (jobs[-1].id if len(rows) > limit else None)

    def children(self, parent_id: str) -> list[JobRow]:
        """A multi-circuit parent's children, in input order."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs WHERE parent_id = ? AND deleted = 0 ORDER BY seq",
            (parent_id,),
        )
        return [_row(r) for r in rows]

    def child_states(self, parent_id: str) -> list[tuple[str, str, Any, int | None]]:
        """Each child's ``(id, status, failure, execution_duration_ms)``, in input order.

        What settling a parent needs, without reading each child's record and spec.
        """
        rows = self._read(
            "SELECT id, status, failure, execution_duration_ms FROM jobs "
            "WHERE parent_id = ? AND deleted = 0 ORDER BY seq",
            (parent_id,),
        )
        return [(i, s, _loads(f) if f else None, d) for i, s, f, d in rows]

    def active_children(self, parent_id: str) -> int:
        """How many of a parent's children have not ended yet (a cheap check)."""
        marks = ",".join("?" * len(ACTIVE_STATUSES))
        rows = self._read(
            f"SELECT COUNT(*) FROM jobs WHERE parent_id = ? AND deleted = 0 "
            f"AND status IN ({marks})",
            (parent_id, *ACTIVE_STATUSES),
        )
        return int(rows[0][0])

    def set_status(
        self,
        job_id: str,
        status: str,
        *,
        only_from: Sequence[str],
        fields: dict[str, Any] | None = None,
        results: dict[str, Any] | None = None,
    ) -> bool:
        """Move a job to ``status`` if it is in one of ``only_from``; store results with it.

        Args:
            job_id: the job.
            status: the new status.
            only_from: statuses the job must currently have.
            fields: column values to set too (``started_at``, ``completed_at``,
                ``execution_duration_ms``, ``failure``).
            results: result bodies by kind, written in the same transaction.

        Returns:
            Whether the job changed.
        """
        change = StatusChange(job_id, status, tuple(only_from), fields, results)
        return self.set_statuses([change])[0]

    def set_statuses(self, changes: Sequence[StatusChange]) -> list[bool]:
        """Apply several :meth:`set_status` changes in one transaction, in order.

        Returns:
            Whether each job changed, in the order of ``changes``.
        """
        with self._transaction() as db:
            return [_apply(db, change) for change in changes]

    def job_statuses(self, job_ids: Sequence[str]) -> dict[str, str]:
        """The status of each existing job among ``job_ids`` (a cheap check)."""
        if not job_ids:
            return {}
        marks = ",".join("?" * len(job_ids))
        rows = self._read(
            f"SELECT id, status FROM jobs WHERE id IN ({marks}) AND deleted = 0", tuple(job_ids)
        )
        return {str(i): str(s) for i, s in rows}

    def get_results(
        self, job_ids: Sequence[str], kind: str, *, max_chars: int | None = None
    ) -> dict[str, Any]:
        """The stored ``kind`` result of each of ``job_ids`` that has one.

        Raises:
            ResultTooLarge: the stored JSON of them all is longer than ``max_chars``.
        """
        stored: list[tuple[str, str]] = []
        for start in range(0, len(job_ids), _IN_CHUNK):
            chunk = tuple(job_ids[start : start + _IN_CHUNK])
            marks = ",".join("?" * len(chunk))
            stored += self._read(
                f"SELECT job_id, body FROM results WHERE kind = ? AND job_id IN ({marks})",
                (kind, *chunk),
            )
            _check_size(sum(len(body) for _, body in stored), max_chars)
        return {str(i): orjson.loads(body) for i, body in stored}

    def get_result(self, job_id: str, kind: str, *, max_chars: int | None = None) -> Any:
        """A stored result body, or ``None``.

        Raises:
            ResultTooLarge: its stored JSON is longer than ``max_chars``.
        """
        rows = self._read("SELECT body FROM results WHERE job_id = ? AND kind = ?", (job_id, kind))
        if not rows:
            return None
        _check_size(len(rows[0][0]), max_chars)
        return orjson.loads(rows[0][0])

    def delete_jobs(self, job_ids: Sequence[str]) -> list[str]:
        """Delete jobs (and their children and results); returns the ids that existed."""
        existing = [r.id for r in self.get_jobs(job_ids)]
        if not existing:
            return []
        marks = ",".join("?" * len(existing))
        self._write(
            [
                (
                    f"DELETE FROM results WHERE job_id IN ({marks}) OR job_id IN "
                    f"(SELECT id FROM jobs WHERE parent_id IN ({marks}))",
                    (*existing, *existing),
                ),
                (
                    f"UPDATE jobs SET deleted = 1, spec = '{{}}' "
                    f"WHERE id IN ({marks}) OR parent_id IN ({marks})",
                    (*existing, *existing),
                ),
            ]
        )
        return existing

    def active_jobs(self) -> list[JobRow]:
        """Jobs not yet finished, oldest first (to re-queue after a restart)."""
        marks = ",".join("?" * len(ACTIVE_STATUSES))
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs WHERE deleted = 0 AND status IN ({marks}) ORDER BY seq",
            ACTIVE_STATUSES,
        )
        return [_row(r) for r in rows]

    def count_session_jobs(self, session_id: str) -> int:
        """How many top-level jobs were submitted in a session."""
        rows = self._read(
            "SELECT COUNT(*) FROM jobs WHERE session_id = ? AND parent_id IS NULL", (session_id,)
        )
        return int(rows[0][0])

    # Sessions -----------------------------------------------------------------------------

    def put_session(self, record: dict[str, Any]) -> None:
        """Insert or replace a session record."""
        self._write(
            [
                (
                    "INSERT INTO sessions (id, record) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET record = excluded.record",
                    (record["id"], json.dumps(record)),
                )
            ]
        )

    def get_session(self, session_id: str) -> dict[str, Any] | None:
        """A session record, or ``None``."""
        rows = self._read("SELECT record FROM sessions WHERE id = ?", (session_id,))
        return json.loads(rows[0][0]) if rows else None

    def list_sessions(self) -> list[dict[str, Any]]:
        """Every session, newest first."""
        return [
            json.loads(r[0]) for r in self._read("SELECT record FROM sessions ORDER BY seq DESC")
        ]
