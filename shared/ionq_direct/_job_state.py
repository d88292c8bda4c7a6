"""What a job handle knows and decides without the network, for ``Job`` and ``AsyncJob``.

The last record and its typed view, the result caches, and every decision a results method
makes (does the record need fetching, is the job done, did it fail, which shots and seed,
how counts and memory come out of a distribution) live here once; the handles only add the
requests, blocking or awaited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct import results
from ionq_direct.errors import InvalidInputError, IonQError, JobNotDoneError
from ionq_direct.metadata import SEED_METADATA_KEY
from ionq_direct.options import check_seed, check_shots
from ionq_direct.records import SHOTS_ARTIFACT, UNKNOWN_STATUS, JobRecord, failure_error

__all__ = ["Distribution", "JobState"]

#: ``(outcomes ascending, probabilities)``, read-only arrays.
Distribution = tuple[NDArray[Any], NDArray[np.float64]]


class JobState:
    """A job's id, last record and result caches, with the decisions made on them.

    Args:
        job_id: the job's id.
        record: the last known job record (a creation response is enough).
    """

    def __init__(self, job_id: str, record: Mapping[str, Any] | None = None) -> None:
        self._id = job_id
        self._set_record(dict(record) if record is not None else {"id": job_id})
        self._distributions: dict[bool | None, Distribution] = {}
        self._aggregates: dict[bool | None, list[Distribution]] = {}
        self._recorded: list[int] | None = None
        self._children: list[Any] | None = None

    def _take_state(self, other: JobState) -> None:
        """Adopt what ``other`` (a handle on the same job) has fetched: record and results.

        Lets a job waited for and read with one client (an ``AsyncJob``) become a handle of
        the other (a ``Job``) without fetching anything again.
        """
        if other.id != self._id:
            raise InvalidInputError(f"job {other.id} is not job {self._id}")
        self._set_record(dict(other.record))
        self._distributions.update(other._distributions)
        self._aggregates.update(other._aggregates)
        if other._recorded is not None:
            self._recorded = list(other._recorded)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self._id!r}, status={self.status!r})"

    @property
    def id(self) -> str:
        """The job's id."""
        return self._id

    @property
    def record(self) -> dict[str, Any]:
        """The raw job record from the last fetch (or the creation response)."""
        return self._record

    @property
    def info(self) -> JobRecord:
        """The fields of :attr:`record` this package reads, typed (parsed once per fetch)."""
        return self._info

    def _set_record(self, record: dict[str, Any]) -> None:
        self._record = record
        self._info = JobRecord.parse(record)

    def _set_answered_status(self, answer: Mapping[str, Any]) -> None:
        """Take the status a cancel answered with, when it names one."""
        answered = JobRecord.parse(answer)
        if answered.status != UNKNOWN_STATUS:
            self._record["status"] = answered.status
            self._set_record(self._record)

    @property
    def status(self) -> str:
        """The last known status (``submitted``, ``ready``, ``started``, ``completed``, ...).

        Never touches the network; refreshing or waiting updates it.
        """
        return self._info.status

    @property
    def done(self) -> bool:
        """Whether the last known status is terminal (completed, failed or canceled)."""
        return self._info.done

    @property
    def backend(self) -> str | None:
        """The job's backend, when the record names it."""
        return self._info.backend

    @property
    def is_multi_circuit(self) -> bool:
        """Whether this is a multi-circuit parent (results per child, in circuit order)."""
        return self._info.is_multi_circuit

    @property
    def is_exact(self) -> bool:
        """Whether results are an ideal simulator's exact distribution.

        Exact distributions are sampled (seeded) into counts and memory; QPU and noisy-simulator
        results are frequencies, rounded by largest remainder.
        """
        return self._info.is_exact

    @property
    def recorded_seed(self) -> int | None:
        """The sampling seed stored in the job's metadata when it was submitted, if any."""
        value = self._info.metadata.get(SEED_METADATA_KEY)
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"job {self._id} metadata {SEED_METADATA_KEY!r} is {value!r}, not an integer"
            ) from exc

    # Decisions ------------------------------------------------------------------------

    def _needs_record_for_results(self) -> bool:
        """Whether the record must be fetched before results can be read.

        A creation answer (``{"id", "status", "session_id"}``) can already be terminal when a
        submission was reconciled; results need the full record (backend, shots, seed).
        """
        return not self.done or not self._info.is_full

    def _not_done(self) -> JobNotDoneError:
        return JobNotDoneError(
            f"job {self._id} is {self.status!r}, not finished: call job.wait() first "
            "(or pass wait=True)"
        )

    def _raise_if_failed(self) -> None:
        if self.status in ("failed", "canceled"):
            raise failure_error(self._id, self._info)

    def _refuse_multi_circuit(self) -> None:
        if self.is_multi_circuit:
            raise InvalidInputError(
                f"job {self._id} is a multi-circuit job: use job.aggregated_probabilities() "
                "for every circuit's distribution, or job.children() for per-circuit jobs"
            )

    def _cache_distribution(self, sharpen: bool | None, raw: Mapping[str, Any]) -> Distribution:
        outcomes, probs = results.decode(raw)
        outcomes.setflags(write=False)  # shared with every caller: keep the cache intact
        probs.setflags(write=False)
        self._distributions[sharpen] = (outcomes, probs)
        return self._distributions[sharpen]

    def _decode_aggregate(self, ids: list[str], aggregate: Mapping[str, Any]) -> list[Distribution]:
        missing = [cid for cid in ids if cid not in aggregate]
        if missing:
            raise IonQError(f"aggregated results of job {self._id} lack child jobs {missing}")
        return [results.decode(aggregate[cid]) for cid in ids]

    def _shots(self, shots: int | None) -> int:
        value = shots if shots is not None else self._info.shots
        if value is None:
            raise InvalidInputError(
                f"job {self._id} does not record its shots (ideal simulator jobs may omit "
                "them): pass shots=..."
            )
        return check_shots(value)

    def _seed(self, seed: int | None) -> int | None:
        return seed if seed is not None else self.recorded_seed

    def _shots_artifact(self) -> str | None:
        """The artifact holding per-shot results, when the job advertises one."""
        return self._info.results.artifacts.get(SHOTS_ARTIFACT)

    def _counts_of(
        self, distribution: Distribution, shots: int | None, seed: int | None
    ) -> dict[int, int]:
        outcomes, values = results.counts(
            distribution[0],
            distribution[1],
            self._shots(shots),
            exact=self.is_exact,
            seed=self._seed(seed),
        )
        pairs = zip(outcomes.tolist(), values.tolist(), strict=True)
        return {int(k): int(v) for k, v in pairs if v}

    def _memory_of(
        self, distribution: Distribution, shots: int | None, seed: int | None
    ) -> list[int]:
        per_shot = results.memory(
            distribution[0],
            distribution[1],
            self._shots(shots),
            exact=self.is_exact,
            seed=self._seed(seed),
        )
        return [int(v) for v in per_shot.tolist()]


def check_count_args(shots: int | None, seed: int | None) -> int | None:
    """Check ``counts``/``memory`` arguments before any request; returns the checked seed."""
    checked = None if seed is None else check_seed(seed)
    if shots is not None:
        check_shots(shots)
    return checked


def recorded_outcomes(values: list[Any]) -> list[int]:
    """Per-shot outcomes as the service recorded them (decimal strings or ints)."""
    return [int(str(v)) for v in values]


def as_probabilities(distribution: Distribution) -> dict[int, float]:
    """``{outcome: probability}`` from a distribution's arrays."""
    return dict(zip(distribution[0].tolist(), distribution[1].tolist(), strict=True))
