"""``AsyncJob``: the asyncio twin of :class:`~ionq_direct.jobs.Job`, and ``wait_all``.

Every method that talks to the service is a coroutine; everything else (status, record,
seeds, the results decoding, counts and memory) is the sync ``Job``'s own logic
(``ionq_direct._job_state``), and waiting follows the same polling plan
(``ionq_direct._polling.wait_plan``), only sleeping with ``asyncio``. Many jobs wait at once
with :func:`wait_all` (or ``asyncio.gather`` over :meth:`AsyncJob.wait`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ionq_direct._job_state import (
    Distribution,
    JobState,
    as_probabilities,
    check_count_args,
    recorded_outcomes,
)
from ionq_direct._polling import PollStep, wait_plan
from ionq_direct._steps import Sleep, drive_async
from ionq_direct.errors import InvalidInputError
from ionq_direct.options import check_timeout
from ionq_direct.records import JobRecord

if TYPE_CHECKING:
    from ionq_direct.async_client import AsyncClient

__all__ = ["AsyncJob", "wait_all"]


class AsyncJob(JobState):
    """A handle on one job for asyncio code: the methods of ``Job``, awaited.

    Args:
        client: the :class:`~ionq_direct.async_client.AsyncClient` the job belongs to.
        job_id: the job's id.
        record: the last known job record (a creation response is enough).
    """

    def __init__(
        self, client: AsyncClient, job_id: str, record: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(job_id, record)
        self._client = client

    @classmethod
    def from_job(cls, client: AsyncClient, job: JobState) -> AsyncJob:
        """A handle on the same job as ``job`` (a sync ``Job``), for ``client``."""
        made = cls(client, job.id)
        made._take_state(job)
        return made

    @property
    def client(self) -> AsyncClient:
        """The client this job's requests go through."""
        return self._client

    async def refresh(self) -> AsyncJob:
        """Fetch the job record again; returns ``self``."""
        self._set_record(await self._client.get_job(self._id))
        return self

    async def wait(
        self, timeout: float | None = None, callback: Callable[[AsyncJob], None] | None = None
    ) -> AsyncJob:
        """Poll adaptively until the job is completed, failed or canceled; returns ``self``.

        The pauses are those of ``Job.wait`` (the client policy's ladder), slept with the
        policy's ``async_sleep``, so other tasks run meanwhile.

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
        policy = self._client.policy

        async def perform(step: PollStep | Sleep) -> Any:
            if isinstance(step, Sleep):
                await policy.async_sleep(step.seconds)
                return None
            self._set_record(await self._client._job_record(self._id, step.deadline))
            if callback is not None:
                callback(self)
            return self._record

        await drive_async(wait_plan(self._record, timeout=timeout, policy=policy), perform)
        return self

    async def cancel(self) -> AsyncJob:
        """Ask the service to cancel the job; returns ``self`` with the answered status."""
        self._set_answered_status(await self._client.cancel_job(self._id))
        return self

    async def cost(self) -> dict[str, Any]:
        """The job's estimated and actual cost (``GET /jobs/{id}/cost``)."""
        return await self._client.get_job_cost(self._id)

    # Results --------------------------------------------------------------------------

    async def _require_results(self, wait: bool) -> None:
        if self._needs_record_for_results():
            await self.refresh()
        if not self.done:
            if not wait:
                raise self._not_done()
            await self.wait()
        self._raise_if_failed()

    async def distribution(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> Distribution:
        """The outcome distribution as arrays ``(outcomes ascending, probabilities)``.

        As ``Job.distribution``: fetched once, cached and read-only.

        Raises:
            JobNotDoneError: the job is still running and ``wait`` is false.
            JobFailedError: the job failed or was canceled.
            InvalidInputError: this is a multi-circuit parent.
        """
        await self._require_results(wait)
        self._refuse_multi_circuit()
        if sharpen not in self._distributions:
            raw = await self._client.get_probabilities(self._id, sharpen=sharpen)
            return self._cache_distribution(sharpen, raw)
        return self._distributions[sharpen]

    async def probabilities(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> dict[int, float]:
        """The outcome distribution ``{outcome: probability}``; bit ``q`` is qubit ``q``."""
        return as_probabilities(await self.distribution(sharpen, wait=wait))

    async def counts(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> dict[int, int]:
        """Integer counts per outcome that sum to ``shots`` (as ``Job.counts``)."""
        checked = check_count_args(shots, seed)
        return self._counts_of(await self.distribution(wait=wait), shots, checked)

    async def memory(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> list[int]:
        """One outcome per shot (as ``Job.memory``): recorded when the job has them."""
        checked = check_count_args(shots, seed)
        await self._require_results(wait)
        recorded = await self._recorded_shots()
        if recorded is not None:
            return list(recorded)
        return self._memory_of(await self.distribution(), shots, checked)

    async def children(self) -> list[AsyncJob]:
        """The child jobs of a multi-circuit job, in circuit (``child_job_ids``) order.

        Once the job has finished the handles are kept, with whatever results they fetch.
        """
        if self._children is not None:
            return list(self._children)
        ids = await self._child_ids()
        if not ids:
            return []
        listed = {
            str(JobRecord.parse(item).id): item
            async for item in self._client.list_jobs(parent_job_id=self._id)
        }
        made = []
        for cid in ids:
            record = listed[cid] if cid in listed else await self._client.get_job(cid)
            made.append(AsyncJob(self._client, cid, record))
        if self.done:
            self._children = made
        return list(made)

    async def prefetch(self, *, memory: bool = False, sharpen: bool | None = None) -> AsyncJob:
        """Download now everything the result methods of a finished job read; returns ``self``.

        The full record, the distribution (or every circuit's, for a multi-circuit job; the
        sharpened one with ``sharpen``), and with ``memory`` the per-shot results each
        circuit has recorded (children included). A job that did not complete is left as it
        is: its result methods raise its failure. Hand the result to a sync handle with
        ``Job.take_results_from``.
        """
        if self._needs_record_for_results():
            await self.refresh()
        if self.status != "completed":
            return self
        sources: list[AsyncJob] = [self]
        if self.is_multi_circuit:
            await self.aggregated_distributions(sharpen)
            if memory and not self.is_exact:
                sources = await self.children()
        else:
            await self.distribution(sharpen)
        if memory and not self.is_exact:
            for source in sources:
                if await source._recorded_shots() is None and source is not self:
                    await source.distribution()
        return self

    async def aggregated_distributions(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[Distribution]:
        """Every circuit's distribution of a multi-circuit job as arrays, in circuit order."""
        await self._require_results(wait)
        if sharpen not in self._aggregates:
            ids = await self._child_ids()
            aggregate = await self._client.get_aggregated_probabilities(self._id, sharpen=sharpen)
            self._aggregates[sharpen] = self._decode_aggregate(ids, aggregate)
        return list(self._aggregates[sharpen])

    async def aggregated_probabilities(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[dict[int, float]]:
        """Every circuit's distribution ``{outcome: probability}`` of a multi-circuit job."""
        return [
            as_probabilities(d) for d in await self.aggregated_distributions(sharpen, wait=wait)
        ]

    # Helpers --------------------------------------------------------------------------

    async def _child_ids(self) -> list[str]:
        if self._info.child_job_ids is None:
            await self.refresh()
        return list(self._info.child_job_ids or ())

    async def _recorded_shots(self) -> list[int] | None:
        if self._recorded is None:
            values: list[Any] | None = None
            if self._info.results.has_shots:
                values = await self._client.get_shots(self._id)
            else:
                artifact_id = self._shots_artifact()
                if artifact_id is not None:
                    artifact = await self._client.download_artifact(self._id, artifact_id)
                    if isinstance(artifact, list):
                        values = artifact
            if values is not None:
                self._recorded = recorded_outcomes(values)
        return self._recorded


async def wait_all(
    jobs: Sequence[AsyncJob],
    timeout: float | None = None,
    callback: Callable[[AsyncJob], None] | None = None,
) -> list[AsyncJob]:
    """Wait for every job at once, within one deadline for them all.

    The jobs are polled concurrently (each on its own ladder), so the call takes about as long
    as the slowest job, not the sum. When one job fails to finish in time the others' waits
    are canceled and its ``JobTimeoutError`` is raised.

    Args:
        jobs: the jobs.
        timeout: seconds for all of them; ``None`` waits as long as it takes.
        callback: called with the job checked after every status check.

    Returns:
        The jobs, in the order given.

    Raises:
        InvalidInputError: ``timeout`` is not a non-negative number or ``None``.
        JobTimeoutError: a job was still running when the deadline came (it names the job).
    """
    limit = check_timeout(timeout)
    tasks = [asyncio.ensure_future(job.wait(limit, callback)) for job in jobs]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
    return list(jobs)
