"""The asyncio plumbing of ``Sampler.run_sweep_async`` and ``run_batch_async``.

A run's prepared job bodies are submitted, waited for and read through an
:class:`ionq_direct.AsyncClient` made from the sampler's client (same key, URL, timeouts,
retries and policy), so while one run waits for the service the event loop runs the others.
What is fetched is handed to ordinary :class:`ionq_direct.Job` handles
(:meth:`ionq_direct.Job.from_async`), from which the sampler builds its Cirq results exactly as
:meth:`Sampler.run_batch` does, without another request.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Sequence

from cirq_ionq_direct.exceptions import peer_errors
from ionq_direct import AsyncClient, Client, Job
from ionq_direct.async_jobs import wait_all
from ionq_direct.payload import PreparedJob

__all__ = ["asyncio_running", "run_parts"]


def asyncio_running() -> bool:
    """Whether runs can be awaited here: in an asyncio event loop, with httpx installed.

    Not under another scheduler (``duet.run``, which some Cirq code uses) and not without the
    ``async`` extra; the sampler then runs its blocking path, as it always did.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return importlib.util.find_spec("httpx") is not None


async def run_parts(
    client: Client, bodies: Sequence[PreparedJob], timeout: float | None
) -> list[Job]:
    """Submit ``bodies`` exactly once each, wait for them all within ``timeout``, read them.

    Returns:
        One finished :class:`ionq_direct.Job` per body, in order, holding its results.

    Raises:
        JobTimeoutError: a job was still running after ``timeout`` seconds.
    """
    async with AsyncClient.from_client(client) as aclient:
        with peer_errors():
            jobs = list(await asyncio.gather(*(aclient.submit(body) for body in bodies)))
        await wait_all(jobs, timeout)
        await asyncio.gather(*(job.prefetch() for job in jobs))
    return [Job.from_async(client, job) for job in jobs]
