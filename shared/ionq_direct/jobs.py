"""``Job``: a handle on one IonQ job — its status, waiting, and its results as Python values.

Result methods never wait on their own: asked too early they raise :class:`JobNotDoneError`
(pass ``wait=True`` to wait instead). A failed or canceled job raises ``JobFailedError``.
Results are fetched once and cached on the handle. What a handle knows and decides without
the network is ``ionq_direct._job_state``, shared with :class:`~ionq_direct.async_jobs.AsyncJob`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ionq_direct import _polling
from ionq_direct._job_state import (
    Distribution,
    JobState,
    as_probabilities,
    check_count_args,
    recorded_outcomes,
)
from ionq_direct.errors import InvalidInputError
from ionq_direct.options import check_timeout
from ionq_direct.records import JobRecord

if TYPE_CHECKING:
    from ionq_direct.async_jobs import AsyncJob
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


class Job(JobState):
    """A handle on one job: status, waiting, results, cancel, cost and children.

    Args:
        client: the :class:`~ionq_direct.client.Client` the job belongs to.
        job_id: the job's id.
        record: the last known job record (a creation response is enough).
    """

    def __init__(
        self, client: Client, job_id: str, record: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(job_id, record)
        self._client = client

    @classmethod
    def from_async(cls, client: Client, job: AsyncJob) -> Job:
        """A handle on ``job`` for ``client``, holding what ``job`` has fetched already.

        A job waited for (and its results read) with an :class:`~ionq_direct.AsyncClient`
        becomes a ``Job`` whose result methods answer from that without new requests.
        """
        made = cls(client, job.id)
        made.take_results_from(job)
        return made

    @property
    def client(self) -> Client:
        """The client this job's requests go through."""
        return self._client

    def take_results_from(self, job: AsyncJob) -> Job:
        """Adopt what ``job`` (an :class:`~ionq_direct.AsyncJob` on this same job) fetched.

        Its record, and any distributions, per-shot results and child jobs it downloaded,
        become this handle's, so the result methods answer from them without new requests.
        Returns ``self``.

        Raises:
            InvalidInputError: ``job`` is a handle on another job.
        """
        self._take_state(job)
        if job._children is not None:
            self._children = [Job.from_async(self._client, child) for child in job._children]
        return self

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
        self._set_answered_status(self._client.cancel_job(self._id))
        return self

    def cost(self) -> dict[str, Any]:
        """The job's estimated and actual cost (``GET /jobs/{id}/cost``)."""
        return self._client.get_job_cost(self._id)

    # Results --------------------------------------------------------------------------

    def distribution(self, sharpen: bool | None = None, *, wait: bool = False) -> Distribution:
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
        self._refuse_multi_circuit()
        if sharpen not in self._distributions:
            raw = self._client.get_probabilities(self._id, sharpen=sharpen)
            return self._cache_distribution(sharpen, raw)
        return self._distributions[sharpen]

    def probabilities(self, sharpen: bool | None = None, *, wait: bool = False) -> dict[int, float]:
        """The outcome distribution ``{outcome: probability}``; bit ``q`` is qubit ``q``.

        Takes the same arguments and raises the same errors as :meth:`distribution`.
        """
        return as_probabilities(self.distribution(sharpen, wait=wait))

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
        checked = check_count_args(shots, seed)
        return self._counts_of(self.distribution(wait=wait), shots, checked)

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
        checked = check_count_args(shots, seed)
        self._require_results(wait)
        recorded = self._recorded_shots()
        if recorded is not None:
            return list(recorded)
        return self._memory_of(self.distribution(), shots, checked)

    def children(self) -> list[Job]:
        """The child jobs of a multi-circuit job, in circuit (``child_job_ids``) order.

        Once the job has finished the handles are kept, with whatever results they fetch.
        """
        if self._children is not None:
            return list(self._children)
        ids = self._child_ids()
        if not ids:
            return []
        listed = {
            str(JobRecord.parse(item).id): item
            for item in self._client.list_jobs(parent_job_id=self._id)
        }
        made = [
            Job(self._client, cid, listed[cid] if cid in listed else self._client.get_job(cid))
            for cid in ids
        ]
        if self.done:
            self._children = made
        return list(made)

    def aggregated_distributions(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[Distribution]:
        """Every circuit's distribution of a multi-circuit job as arrays, in circuit order.

        The fast form of :meth:`aggregated_probabilities`: ``(outcomes ascending,
        probabilities)`` per circuit, fetched once and cached.
        """
        self._require_results(wait)
        if sharpen not in self._aggregates:
            ids = self._child_ids()
            aggregate = self._client.get_aggregated_probabilities(self._id, sharpen=sharpen)
            self._aggregates[sharpen] = self._decode_aggregate(ids, aggregate)
        return list(self._aggregates[sharpen])

    def aggregated_probabilities(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[dict[int, float]]:
        """Every circuit's distribution ``{outcome: probability}`` of a multi-circuit job."""
        return [as_probabilities(d) for d in self.aggregated_distributions(sharpen, wait=wait)]

    # Helpers --------------------------------------------------------------------------

    def _require_results(self, wait: bool) -> None:
        if self._needs_record_for_results():
            self.refresh()
        if not self.done:
            if not wait:
                raise self._not_done()
            self.wait()
        self._raise_if_failed()

    def _child_ids(self) -> list[str]:
        if self._info.child_job_ids is None:
            self.refresh()
        return list(self._info.child_job_ids or ())

    def _recorded_shots(self) -> list[int] | None:
        if self._recorded is None:
            values: list[Any] | None = None
            if self._info.results.has_shots:
                values = self._client.get_shots(self._id)
            else:
                artifact_id = self._shots_artifact()
                if artifact_id is not None:
                    artifact = self._client.download_artifact(self._id, artifact_id)
                    if isinstance(artifact, list):
                        values = artifact
            if values is not None:
                self._recorded = recorded_outcomes(values)
        return self._recorded
