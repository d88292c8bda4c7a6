"""``Job``: a handle on one IonQ job — its status, waiting, and its results as Python values.

Result methods never wait on their own: asked too early they raise :class:`JobNotDoneError`
(pass ``wait=True`` to wait instead). A failed or canceled job raises ``JobFailedError``.
Probabilities are fetched once and cached on the handle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct import _polling, results
from ionq_direct.errors import InvalidInputError, IonQError, JobNotDoneError
from ionq_direct.metadata import SEED_METADATA_KEY
from ionq_direct.options import check_seed, check_shots, check_timeout
from ionq_direct.records import SHOTS_ARTIFACT, UNKNOWN_STATUS, JobRecord, failure_error

if TYPE_CHECKING:
    from ionq_direct.client import Client

__all__ = ["Job", "wait_all"]


def wait_all(
    jobs: Sequence[Job],
    timeout: float | None = None,
    callback: Callable[[Job], None] | None = None,
) -> None:
    """Wait for every job in turn within one deadline for them all.

    The deadline is measured on the first job's client policy clock; each job waits for what
    is left of it (every status request included), so the whole call ends on time.

    Args:
        jobs: the jobs, waited for in order.
        timeout: seconds for all of them; ``None`` waits as long as it takes.
        callback: called with the job checked after every status check.

    Raises:
        InvalidInputError: ``timeout`` is not a non-negative number or ``None``.
        JobTimeoutError: a job was still running when the deadline came (it names the job).
    """
    limit = check_timeout(timeout)
    if not jobs:
        return
    policy = jobs[0]._client.policy
    deadline = policy.deadline(limit)
    for job in jobs:
        left = None if deadline is None else policy.left(deadline)
        job.wait(timeout=left, callback=callback)


class Job:
    """A handle on one job: status, waiting, results, cancel, cost and children.

    Args:
        client: the :class:`~ionq_direct.client.Client` the job belongs to.
        job_id: the job's id.
        record: the last known job record (a creation response is enough).
    """

    def __init__(
        self, client: Client, job_id: str, record: Mapping[str, Any] | None = None
    ) -> None:
        self._client = client
        self._id = job_id
        self._set_record(dict(record) if record is not None else {"id": job_id})
        self._distributions: dict[bool | None, tuple[NDArray[Any], NDArray[np.float64]]] = {}

    def __repr__(self) -> str:
        return f"Job(id={self._id!r}, status={self.status!r})"

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

    @property
    def status(self) -> str:
        """The last known status (``submitted``, ``ready``, ``started``, ``completed``, ...).

        Never touches the network; call :meth:`refresh` or :meth:`wait` to update it.
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

    def refresh(self) -> Job:
        """Fetch the job record again; returns ``self``."""
        self._set_record(self._client.get_job(self._id))
        return self

    def wait(
        self, timeout: float | None = None, callback: Callable[[Job], None] | None = None
    ) -> Job:
        """Poll adaptively until the job is completed, failed or canceled; returns ``self``.

        The first check goes out at once; later ones follow the client policy's ladder (see
        ``ionq_direct._polling``).

        Args:
            timeout: seconds to wait at most, every status request included; ``None`` waits
                as long as it takes.
            callback: called with this job after every status check.

        Raises:
            InvalidInputError: ``timeout`` is not a non-negative number or ``None``, or
                ``callback`` is not callable.
            JobTimeoutError: the job was still running when the timeout expired.
        """
        if callback is not None and not callable(callback):
            raise InvalidInputError(
                f"callback must be callable or None, got {type(callback).__name__}"
            )

        def poll(deadline: float | None) -> Mapping[str, Any]:
            self._set_record(self._client._job_record(self._id, deadline))
            return self._record

        def on_poll() -> None:
            if callback is not None:
                callback(self)

        _polling.wait_for(
            poll, self._record, timeout=timeout, on_poll=on_poll, policy=self._client.policy
        )
        return self

    def cancel(self) -> Job:
        """Ask the service to cancel the job; returns ``self`` with the answered status."""
        answer = self._client.cancel_job(self._id)
        answered = JobRecord.parse(answer)
        if answered.status != UNKNOWN_STATUS:
            self._record["status"] = answered.status
            self._set_record(self._record)
        return self

    def cost(self) -> dict[str, Any]:
        """The job's estimated and actual cost (``GET /jobs/{id}/cost``)."""
        return self._client.get_job_cost(self._id)

    # Results --------------------------------------------------------------------------

    def distribution(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> tuple[NDArray[Any], NDArray[np.float64]]:
        """The outcome distribution as arrays ``(outcomes ascending, probabilities)``.

        This is the fast form of :meth:`probabilities` (no per-outcome Python objects); bit ``q``
        of an outcome is qubit ``q``. The arrays are fetched once, cached and read-only.

        Args:
            sharpen: ask for sharpened (plurality-vote) debiasing aggregation.
            wait: wait for the job instead of raising when it is not finished.

        Raises:
            JobNotDoneError: the job is still running and ``wait`` is false.
            JobFailedError: the job failed or was canceled.
            InvalidInputError: this is a multi-circuit parent; use ``children()`` or
                ``aggregated_probabilities()``.
        """
        self._require_results(wait)
        if self.is_multi_circuit:
            raise InvalidInputError(
                f"job {self._id} is a multi-circuit job: use job.aggregated_probabilities() "
                "for every circuit's distribution, or job.children() for per-circuit jobs"
            )
        if sharpen not in self._distributions:
            raw = self._client.get_probabilities(self._id, sharpen=sharpen)
            outcomes, probs = results.decode(raw)
            outcomes.setflags(write=False)  # shared with every caller: keep the cache intact
            probs.setflags(write=False)
            self._distributions[sharpen] = (outcomes, probs)
        return self._distributions[sharpen]

    def probabilities(self, sharpen: bool | None = None, *, wait: bool = False) -> dict[int, float]:
        """The outcome distribution ``{outcome: probability}``; bit ``q`` is qubit ``q``.

        Takes the same arguments and raises the same errors as :meth:`distribution`.
        """
        outcomes, probs = self.distribution(sharpen, wait=wait)
        return dict(zip(outcomes.tolist(), probs.tolist(), strict=True))

    def counts(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> dict[int, int]:
        """Integer counts per outcome that sum to ``shots``.

        The ideal simulator's exact distribution is sampled with a seeded generator; QPU and
        noisy-simulator frequencies are rounded by largest remainder.

        Args:
            shots: total count; defaults to the job's shots.
            seed: sampling seed; defaults to the seed recorded in the job's metadata.
            wait: wait for the job instead of raising when it is not finished.

        Raises:
            InvalidInputError: ``shots`` is not an integer from 1 to 1,000,000, or ``seed``
                is not a non-negative integer.
        """
        checked_seed = None if seed is None else check_seed(seed)
        if shots is not None:
            check_shots(shots)
        outcomes, probs = self.distribution(wait=wait)
        outcomes, values = results.counts(
            outcomes,
            probs,
            self._shots(shots),
            exact=self.is_exact,
            seed=checked_seed if checked_seed is not None else self.recorded_seed,
        )
        pairs = zip(outcomes.tolist(), values.tolist(), strict=True)
        return {int(k): int(v) for k, v in pairs if v}

    def memory(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> list[int]:
        """One outcome per shot.

        Uses the per-shot results the service recorded when the job advertises them (then
        ``shots`` and ``seed`` are ignored); otherwise synthesizes them consistently with
        :meth:`counts`.

        Raises:
            InvalidInputError: ``shots`` is not an integer from 1 to 1,000,000, or ``seed``
                is not a non-negative integer.
        """
        checked_seed = None if seed is None else check_seed(seed)
        if shots is not None:
            check_shots(shots)
        self._require_results(wait)
        recorded = self._recorded_shots()
        if recorded is not None:
            return [int(str(v)) for v in recorded]
        outcomes, probs = self.distribution()
        per_shot = results.memory(
            outcomes,
            probs,
            self._shots(shots),
            exact=self.is_exact,
            seed=checked_seed if checked_seed is not None else self.recorded_seed,
        )
        return [int(v) for v in per_shot.tolist()]

    def children(self) -> list[Job]:
        """The child jobs of a multi-circuit job, in circuit (``child_job_ids``) order."""
        ids = self._child_ids()
        if not ids:
            return []
        listed = {
            str(JobRecord.parse(item).id): item
            for item in self._client.list_jobs(parent_job_id=self._id)
        }
        return [
            Job(self._client, cid, listed[cid] if cid in listed else self._client.get_job(cid))
            for cid in ids
        ]

    def aggregated_distributions(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[tuple[NDArray[Any], NDArray[np.float64]]]:
        """Every circuit's distribution of a multi-circuit job as arrays, in circuit order.

        The fast form of :meth:`aggregated_probabilities`: ``(outcomes ascending,
        probabilities)`` per circuit.
        """
        self._require_results(wait)
        ids = self._child_ids()
        aggregate = self._client.get_aggregated_probabilities(self._id, sharpen=sharpen)
        missing = [cid for cid in ids if cid not in aggregate]
        if missing:
            raise IonQError(f"aggregated results of job {self._id} lack child jobs {missing}")
        return [results.decode(aggregate[cid]) for cid in ids]

    def aggregated_probabilities(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[dict[int, float]]:
        """Every circuit's distribution ``{outcome: probability}`` of a multi-circuit job."""
        return [
            dict(zip(outcomes.tolist(), probs.tolist(), strict=True))
            for outcomes, probs in self.aggregated_distributions(sharpen, wait=wait)
        ]

    # Helpers --------------------------------------------------------------------------

    def _require_results(self, wait: bool) -> None:
        # A creation answer ({"id", "status", "session_id"}) can already be terminal when a
        # submission was reconciled; results need the full record (backend, shots, seed).
        if not self.done or not self._info.is_full:
            self.refresh()
        if not self.done:
            if not wait:
                raise JobNotDoneError(
                    f"job {self._id} is {self.status!r}, not finished: call job.wait() first "
                    "(or pass wait=True)"
                )
            self.wait()
        if self.status in ("failed", "canceled"):
            raise failure_error(self._id, self._info)

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

    def _child_ids(self) -> list[str]:
        if self._info.child_job_ids is None:
            self.refresh()
        return list(self._info.child_job_ids or ())

    def _shots(self, shots: int | None) -> int:
        value = shots if shots is not None else self._info.shots
        if value is None:
            raise InvalidInputError(
                f"job {self._id} does not record its shots (ideal simulator jobs may omit "
                "them): pass shots=..."
            )
        return check_shots(value)

    def _recorded_shots(self) -> list[Any] | None:
        advertised = self._info.results
        if advertised.has_shots:
            return self._client.get_shots(self._id)
        artifact_id = advertised.artifacts.get(SHOTS_ARTIFACT)
        if artifact_id is not None:
            artifact = self._client.download_artifact(self._id, artifact_id)
            if isinstance(artifact, list):
                return artifact
        return None
