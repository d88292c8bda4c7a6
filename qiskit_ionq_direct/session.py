"""``Session``: an IonQ session (``POST /sessions``) that ``backend.run`` calls can join.

``with Session(backend, max_jobs=..., max_time=..., max_cost=...) as session:`` opens a session on
the backend's QPU; every ``backend.run`` inside the block (on a backend of the same name) joins
it, and leaving the block ends it (after canceling its unfinished jobs if the block raised). The
block is found through a context variable :meth:`IonQBackend.run` reads, so nothing is patched
and threads or tasks started elsewhere are not affected. ``session.run(...)`` joins the session
explicitly, outside any block.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ionq_direct.errors import InvalidInputError
from ionq_direct.records import TERMINAL_STATUSES

if TYPE_CHECKING:
    from qiskit.circuit import QuantumCircuit

    from qiskit_ionq_direct.backend import IonQBackend
    from qiskit_ionq_direct.job import IonQJob

__all__ = ["Session", "active_session"]

#: The sessions whose ``with`` blocks are open here, innermost last.
_OPEN: contextvars.ContextVar[tuple[Session, ...]] = contextvars.ContextVar(
    "ionq_direct_qiskit_sessions", default=()
)


def active_session(backend: IonQBackend) -> Session | None:
    """The innermost open ``with Session(...)`` block on a backend named like ``backend``."""
    for session in reversed(_OPEN.get()):
        if session.backend.name == backend.name:
            return session
    return None


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{name} must be a positive integer, got {value!r}")
    return value


def _settings(max_time: object, max_cost: object, max_jobs: object) -> dict[str, Any]:
    """The session's ``settings``: limits IonQ enforces, checked before any request."""
    settings: dict[str, Any] = {}
    if max_jobs is not None:
        settings["job_count_limit"] = _positive_int(max_jobs, "max_jobs")
    if max_time is not None:
        settings["duration_limit_min"] = _positive_int(max_time, "max_time (minutes)")
    if max_cost is not None:
        cost = max_cost
        if isinstance(cost, str):
            try:
                cost = float(cost)
            except ValueError:
                cost = math.nan
        if (
            isinstance(cost, bool)
            or not isinstance(cost, int | float)
            or not (math.isfinite(cost) and cost > 0)
        ):
            raise InvalidInputError(f"max_cost must be a positive number of USD, got {max_cost!r}")
        settings["cost_limit"] = {"unit": "usd", "value": cost}
    return settings


class Session:
    """An IonQ session on a QPU backend.

    Args:
        backend: the backend whose QPU the session reserves.
        max_time: the session's duration limit, in minutes.
        max_cost: the session's cost limit, in USD.
        max_jobs: the most jobs the session takes.
        create_new: open a new session (the default) unless ``session_id`` is given.
        session_id: attach to this existing session instead (its record is fetched to check it).

    Raises:
        InvalidInputError: a limit that is not positive, or neither a new session nor an id.
    """

    def __init__(
        self,
        backend: IonQBackend,
        *,
        max_time: int | None = None,
        max_cost: float | str | None = None,
        max_jobs: int | None = None,
        create_new: bool = True,
        session_id: str | None = None,
    ) -> None:
        self._backend = backend
        self._tokens: list[contextvars.Token[tuple[Session, ...]]] = []
        if session_id is not None:
            if not isinstance(session_id, str) or not session_id:
                raise InvalidInputError(f"session_id must be a session's id, got {session_id!r}")
            self._session_id = session_id
            self._record = backend.client.get_session(session_id)
        elif create_new:
            settings = _settings(max_time, max_cost, max_jobs)
            self._record = backend.client.create_session(backend.name, settings or None)
            created = self._record.get("id")
            if not isinstance(created, str) or not created:
                raise InvalidInputError(
                    f"the service answered a session without an id: {created!r}"
                )
            self._session_id = created
        else:
            raise InvalidInputError("give create_new=True or the session_id of an existing session")

    @classmethod
    def from_id(cls, session_id: str, *, backend: IonQBackend) -> Session:
        """The existing session ``session_id`` on ``backend``."""
        return cls(backend, create_new=False, session_id=session_id)

    def __repr__(self) -> str:
        return f"<Session {self._session_id!r} on {self._backend.name!r}>"

    @property
    def session_id(self) -> str:
        """The session's id."""
        return self._session_id

    @property
    def backend(self) -> IonQBackend:
        """The backend the session was opened for."""
        return self._backend

    def details(self) -> dict[str, Any]:
        """The session's record, fetched now (``GET /sessions/{id}``)."""
        self._record = self._backend.client.get_session(self._session_id)
        return self._record

    def status(self) -> str | None:
        """The session's status now: ``"created"``, ``"started"`` or ``"ended"``."""
        value = self.details().get("status")
        return value if isinstance(value, str) else None

    def usage(self) -> float | None:
        """Seconds of QPU time used so far, when the service reports it (v0.4 records do not)."""
        value = self.details().get("usage_time")
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    def run(self, run_input: QuantumCircuit | list[QuantumCircuit], **options: Any) -> IonQJob:
        """``backend.run(...)`` joining this session."""
        return self._backend.run(run_input, **{**options, "session_id": self._session_id})

    def _job_ids(self) -> Iterator[str]:
        for record in self._backend.client.list_session_jobs(self._session_id):
            job_id, status = record.get("id"), record.get("status")
            if isinstance(job_id, str) and status not in TERMINAL_STATUSES:
                yield job_id

    def cancel(self) -> None:
        """Cancel every job of the session that has not finished."""
        ids = list(self._job_ids())
        if ids:
            self._backend.client.cancel_jobs(ids)

    def close(self) -> None:
        """End the session (``POST /sessions/{id}/end``); ending it twice changes nothing."""
        self._record = self._backend.client.end_session(self._session_id)

    def __enter__(self) -> Session:
        self._tokens.append(_OPEN.set((*_OPEN.get(), self)))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _OPEN.reset(self._tokens.pop())
        try:
            if exc_type is not None:
                self.cancel()
        finally:
            self.close()
