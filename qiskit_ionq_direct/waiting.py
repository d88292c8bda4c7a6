"""Wait for many Qiskit jobs at once from asyncio code: :func:`wait_for_all`.

``await wait_for_all(jobs)`` is ``[job.result() for job in jobs]`` with every IonQ job polled
at the same time, within one deadline, on the running event loop (see
``IonQJob.result_async``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from qiskit.result import Result

from ionq_direct.options import check_timeout
from qiskit_ionq_direct.job import IonQJob

__all__ = ["wait_for_all"]


async def wait_for_all(jobs: Sequence[IonQJob], timeout: float | None = None) -> list[Result]:
    """The results of ``jobs``, in order, waited for together.

    Args:
        jobs: Qiskit jobs from ``IonQBackend.run``.
        timeout: seconds for all of them; ``None`` waits as long as it takes (a job's own
            ``timeout`` run option applies when this is ``None``).

    Raises:
        InvalidInputError: ``timeout`` is not a non-negative number or ``None``.
        IonQJobFailedError: a job failed or was canceled (the others' waits are stopped).
        IonQJobTimeoutError: a job had not finished when the deadline came.
    """
    limit = check_timeout(timeout)
    tasks = [asyncio.ensure_future(job.result_async(limit)) for job in jobs]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
