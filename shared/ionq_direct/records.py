"""What the service says about a job: statuses, backend names, and typed job records.

A job record arrives as a JSON object. :meth:`JobRecord.parse` reads the fields this package
acts on once, at the edge, into a frozen :class:`JobRecord`; the raw mapping stays available to
callers (``Job.record``) for everything else. :func:`is_simulator` is the one rule for telling a
simulator backend from a QPU, and :func:`failure_error` the one mapping from a failed or canceled
job to its exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ionq_direct.errors import JobFailedError

__all__ = [
    "CIRCUIT_TYPE",
    "MULTI_CIRCUIT_TYPE",
    "SHOTS_ARTIFACT",
    "TERMINAL_STATUSES",
    "Failure",
    "JobRecord",
    "ResultLinks",
    "failure_error",
    "is_simulator",
]

#: Job statuses after which nothing changes.
TERMINAL_STATUSES = frozenset({"completed", "failed", "canceled"})
#: Job type of one circuit in IonQ's JSON format.
CIRCUIT_TYPE = "ionq.circuit.v1"
#: Job type of a parent job that holds several circuits.
MULTI_CIRCUIT_TYPE = "ionq.multi-circuit.v1"
#: Artifact format holding per-shot outcomes as decimal strings.
SHOTS_ARTIFACT = "ionq.result.shots.json.v1"
#: Status of a record that does not state one.
UNKNOWN_STATUS = "unknown"


def is_simulator(backend: str | None) -> bool:
    """Whether ``backend`` names IonQ's simulator (``"simulator"`` or ``"simulator.<variant>"``).

    Everything else (``"qpu.aria-1"``, ``"qpu.forte-1"``, ...) is a QPU.
    """
    return isinstance(backend, str) and (backend == "simulator" or backend.startswith("simulator."))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Failure:
    """Why a job failed: IonQ's failure ``code`` and ``message`` (either may be missing)."""

    code: str | None
    message: str | None

    @classmethod
    def parse(cls, raw: object) -> Failure | None:
        """The ``failure`` object of a record (``message``, else ``error``), or ``None``."""
        if not isinstance(raw, Mapping):
            return None
        code = raw.get("code")
        message = raw.get("message") or raw.get("error")
        return cls(str(code) if code else None, str(message) if message else None)


@dataclass(frozen=True)
class ResultLinks:
    """What a finished job's ``results`` object advertises.

    Attributes:
        kinds: every entry's name: legacy result kinds (``"probabilities"``, ``"shots"``, ...)
            and artifact formats (e.g. :data:`SHOTS_ARTIFACT`).
        artifacts: artifact format to artifact id, for entries that are artifact descriptors.
    """

    kinds: frozenset[str] = frozenset()
    artifacts: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: object) -> ResultLinks:
        """The ``results`` object of a record (``null`` or absent: nothing advertised)."""
        if not isinstance(raw, Mapping) or not raw:
            return _NO_RESULTS
        artifacts = {
            str(key): entry["id"]
            for key, entry in raw.items()
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
        }
        return cls(frozenset(str(key) for key in raw), artifacts)

    @property
    def has_shots(self) -> bool:
        """Whether per-shot results are advertised at ``GET .../results/shots``."""
        return "shots" in self.kinds


_NO_RESULTS = ResultLinks()


@dataclass(frozen=True)
class JobRecord:
    """The fields of a job record this package reads, parsed once from the raw JSON object.

    Missing or mistyped fields read as ``None`` (``status`` as ``"unknown"``).

    Attributes:
        id: the job id.
        status: ``submitted``, ``ready``, ``started``, ``completed``, ``failed``, ``canceled``.
        backend: the backend name, absent from creation answers.
        type: the job type (``ionq.circuit.v1``, ``ionq.multi-circuit.v1``, ...).
        shots: the shots asked for (ideal simulator jobs may omit them).
        noise_model: the simulator noise model, when the record states one.
        failure: why the job failed, when it did.
        results: where results can be fetched.
        child_job_ids: a multi-circuit parent's children in circuit order; ``None`` when the
            record does not list them (list items never do).
        parent_job_id: the parent of a multi-circuit child.
        session_id: the session the job belongs to.
        metadata: the job's metadata (IonQ stores string values).
        predicted_wait_s: ``predicted_wait_time_ms`` in seconds, when usable.
        completed_at: when the job finished (ISO 8601).
        qubits: ``stats.qubits``, the job's width.
        is_full: whether this is a full record (it names the backend), not a creation answer.
    """

    id: str | None = None
    status: str = UNKNOWN_STATUS
    backend: str | None = None
    type: str | None = None
    shots: int | None = None
    noise_model: str | None = None
    failure: Failure | None = None
    results: ResultLinks = _NO_RESULTS
    child_job_ids: tuple[str, ...] | None = None
    parent_job_id: str | None = None
    session_id: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    predicted_wait_s: float | None = None
    completed_at: str | None = None
    qubits: int | None = None
    is_full: bool = False

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> JobRecord:
        """Read a job record (a full record, a list item or a creation answer)."""
        get = raw.get
        noise = get("noise")
        stats = get("stats")
        children = get("child_job_ids")
        metadata = get("metadata")
        status = get("status")
        return cls(
            id=_text(get("id")),
            status=status if isinstance(status, str) and status else UNKNOWN_STATUS,
            backend=_text(get("backend")),
            type=_text(get("type")),
            shots=_count(get("shots")),
            noise_model=_text(noise.get("model")) if isinstance(noise, Mapping) else None,
            failure=Failure.parse(get("failure")),
            results=ResultLinks.parse(get("results")),
            child_job_ids=(
                tuple(str(c) for c in children or ()) if "child_job_ids" in raw else None
            ),
            parent_job_id=str(get("parent_job_id")) if get("parent_job_id") else None,
            session_id=_text(get("session_id")),
            metadata=dict(metadata) if isinstance(metadata, Mapping) else {},
            predicted_wait_s=predicted_wait_seconds(get("predicted_wait_time_ms")),
            completed_at=_text(get("completed_at")),
            qubits=_count(stats.get("qubits")) if isinstance(stats, Mapping) else None,
            is_full="backend" in raw,
        )

    @property
    def done(self) -> bool:
        """Whether the status is terminal (completed, failed or canceled)."""
        return self.status in TERMINAL_STATUSES

    @property
    def on_simulator(self) -> bool:
        """Whether the job ran on the simulator (see :func:`is_simulator`)."""
        return is_simulator(self.backend)

    @property
    def is_exact(self) -> bool:
        """Whether results are an ideal simulator's exact distribution (not frequencies)."""
        return self.on_simulator and self.noise_model in (None, "ideal")

    @property
    def is_multi_circuit(self) -> bool:
        """Whether this is a multi-circuit parent (results per child, in circuit order)."""
        return self.type == MULTI_CIRCUIT_TYPE or bool(self.child_job_ids)


def predicted_wait_seconds(value: object) -> float | None:
    """``predicted_wait_time_ms`` in seconds, or ``None`` when absent, not a number or negative."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    seconds = float(value) / 1000.0
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def failure_error(
    job_id: str,
    record: JobRecord,
    error_class: type[JobFailedError] = JobFailedError,
) -> JobFailedError:
    """The exception for a failed or canceled job, of ``error_class`` (a ``JobFailedError``).

    A canceled job without a failure object reads as code ``"Canceled"``. Adapters pass their
    framework's subclass (Qiskit's is also a ``JobError``).
    """
    failure = record.failure or Failure(None, None)
    code, message = failure.code, failure.message
    if record.status == "canceled" and not (code or message):
        code, message = "Canceled", "the job was canceled before it finished"
    return error_class(job_id, code, message)
