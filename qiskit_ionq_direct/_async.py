"""The asyncio plumbing of ``IonQJob.result_async`` and :func:`wait_for_all`.

The IonQ jobs behind one or more Qiskit jobs are polled at once through an
:class:`ionq_direct.AsyncClient` made from their client (same key, URL, timeouts, retries and
policy), and what a result needs is downloaded the same way (``AsyncJob.prefetch``). It is then
handed back to the jobs' ordinary :class:`ionq_direct.Job` handles
(``Job.take_results_from``), so ``IonQJob.result()`` formats it without another request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from ionq_direct import AsyncClient, AsyncJob, Job
from ionq_direct.async_jobs import wait_all

__all__ = ["settle_jobs"]


async def settle_jobs(
    jobs: Sequence[Job],
    timeout: float | None,
    *,
    memory: bool = False,
    sharpen: bool | None = None,
    on_poll: Callable[[Job], None] | None = None,
) -> None:
    """Wait for ``jobs`` at once within ``timeout``, then download their results.

    Every status seen is handed to the sync handles as it arrives (``on_poll`` is then
    called with the handle), so a timeout leaves them as up to date as the waits were.

    Raises:
        JobTimeoutError: a job was still running after ``timeout`` seconds.
    """
    if not jobs:
        return
    by_client: dict[int, list[Job]] = {}
    for job in jobs:
        by_client.setdefault(id(job.client), []).append(job)
    await asyncio.gather(
        *(
            _settle_one_client(group, timeout, memory, sharpen, on_poll)
            for group in by_client.values()
        )
    )


async def _settle_one_client(
    jobs: list[Job],
    timeout: float | None,
    memory: bool,
    sharpen: bool | None,
    on_poll: Callable[[Job], None] | None,
) -> None:
    handles = {job.id: job for job in jobs}

    def seen(ajob: AsyncJob) -> None:
        handle = handles[ajob.id]
        handle.take_results_from(ajob)
        if on_poll is not None:
            on_poll(handle)

    async with AsyncClient.from_client(jobs[0].client) as client:
        ajobs = [AsyncJob.from_job(client, job) for job in jobs]
        await wait_all(ajobs, timeout, seen)
        await asyncio.gather(*(ajob.prefetch(memory=memory, sharpen=sharpen) for ajob in ajobs))
    for job, ajob in zip(jobs, ajobs, strict=True):
        job.take_results_from(ajob)
