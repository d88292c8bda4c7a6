"""``IonQJob``: a Qiskit ``JobV1`` over one or more IonQ jobs.

A ``backend.run`` call usually makes one IonQ job (several circuits go out as one
``ionq.multi-circuit.v1`` job); a batch over the API limits makes several, and the Qiskit job id
is then their ids joined by commas. ``result()`` waits with the core's adaptive polling and
formats every circuit's counts and memory (see :mod:`qiskit_ionq_direct.result`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from qiskit.providers import JobError, JobStatus, JobV1
from qiskit.providers import JobTimeoutError as QiskitJobTimeoutError
from qiskit.result import Result
from qiskit.result.models import ExperimentResult

import ionq_direct.errors as core_errors
from ionq_direct import results
from ionq_direct.errors import IonQError
from ionq_direct.jobs import Job, wait_all
from ionq_direct.metadata import MAX_METADATA_KEYS, MAX_METADATA_VALUE
from ionq_direct.records import failure_error
from qiskit_ionq_direct._async import settle_jobs
from qiskit_ionq_direct.result import (
    CircuitLayout,
    build_result,
    decode_layouts,
    experiment_result,
    omitted_layouts,
)

if TYPE_CHECKING:
    from qiskit_ionq_direct.backend import IonQBackend

__all__ = [
    "STATUS_MAP",
    "IonQJob",
    "IonQJobError",
    "IonQJobFailedError",
    "IonQJobTimeoutError",
]

#: IonQ job status -> Qiskit ``JobStatus``.
STATUS_MAP: dict[str, JobStatus] = {
    "submitted": JobStatus.INITIALIZING,
    "ready": JobStatus.QUEUED,
    "started": JobStatus.RUNNING,
    "completed": JobStatus.DONE,
    "failed": JobStatus.ERROR,
    "canceled": JobStatus.CANCELLED,
}
_PROGRESS = [JobStatus.INITIALIZING, JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.RUNNING]


class IonQJobError(JobError, IonQError):  # type: ignore[misc]
    """A Qiskit ``JobError`` raised by this package (e.g. ``submit()`` on a submitted job)."""


class IonQJobFailedError(core_errors.JobFailedError, JobError):  # type: ignore[misc]
    """The IonQ job failed or was canceled; ``code`` and ``message`` are IonQ's."""

    def __init__(self, job_id: str, code: str | None, message: str | None) -> None:
        super().__init__(job_id, code, message)
        # QiskitError's constructor overwrote ``message`` with the full text; restore IonQ's.
        self.message = message


class IonQJobTimeoutError(core_errors.JobTimeoutError, QiskitJobTimeoutError):  # type: ignore[misc]
    """The job did not finish within the timeout given to ``result()``."""


@dataclass
class _Part:
    """One IonQ job of a Qiskit job and the layouts of its circuits (``None``: from metadata)."""

    job: Job
    layouts: list[CircuitLayout] | None = None


class IonQJob(JobV1):  # type: ignore[misc]
    """A Qiskit job running on IonQ.

    Args:
        backend: the backend that ran (or holds) the job.
        jobs: the IonQ job handles, in circuit order.
        layouts: per IonQ job, the layouts of its circuits; ``None`` reads them from the job's
            metadata (as :meth:`IonQProvider.retrieve_job` does).
        memory: whether ``result()`` includes per-shot memory.
        timeout: the default ``timeout`` of :meth:`result`, in seconds.
    """

    def __init__(
        self,
        backend: IonQBackend,
        jobs: Sequence[Job],
        layouts: Sequence[list[CircuitLayout] | None] | None = None,
        *,
        memory: bool = True,
        timeout: float | None = None,
    ) -> None:
        if not jobs:
            raise IonQJobError("an IonQJob needs at least one IonQ job")
        super().__init__(backend, ",".join(job.id for job in jobs))
        given = list(layouts) if layouts is not None else [None] * len(jobs)
        self._parts = [_Part(job, lay) for job, lay in zip(jobs, given, strict=True)]
        self._memory = memory
        self._timeout = timeout
        self._result: Result | None = None

    @property
    def ionq_jobs(self) -> list[Job]:
        """The underlying ``ionq_direct.Job`` handles, in circuit order."""
        return [part.job for part in self._parts]

    def submit(self) -> None:
        """Jobs are submitted by ``backend.run``; calling this raises ``IonQJobError``."""
        raise IonQJobError("this job was already submitted by backend.run(); run it again there")

    def status(self) -> JobStatus:
        """The job's status, fetched now; a multi-part job reports its least advanced part."""
        for part in self._parts:
            if not part.job.done:
                part.job.refresh()
        return self._known_status()

    def cancel(self) -> bool:
        """Ask IonQ to cancel every unfinished part; ``True`` if any cancel was sent."""
        sent = False
        for part in self._parts:
            if not part.job.done:
                part.job.cancel()
                sent = True
        return sent

    def wait_until_done(
        self, timeout: float | None = None, callback: Callable[[Job], None] | None = None
    ) -> None:
        """Poll adaptively until every part is finished.

        Raises:
            IonQJobTimeoutError: a part was still running after ``timeout`` seconds.
        """
        self._wait_parts(timeout, callback)

    def wait_for_final_state(
        self,
        timeout: float | None = None,
        wait: float = 5,
        callback: Callable[[str, JobStatus, IonQJob], None] | None = None,
    ) -> None:
        """Poll adaptively until the job is in a final state (``DONE``, ``ERROR``, ``CANCELLED``).

        Qiskit's ``JobV1`` version sleeps ``wait`` seconds between checks and can overrun
        ``timeout`` by as much; this one uses the core's adaptive polling for every IonQ job
        within one overall deadline. A failed or canceled job is a final state: this returns and
        ``status()`` reports it.

        Args:
            timeout: seconds to wait at most; ``None`` waits as long as it takes.
            wait: accepted for compatibility with ``JobV1``; polling is adaptive.
            callback: called after every status check as ``callback(job_id, job_status, job)``,
                with this job's id, its status from the checks so far and this job.

        Raises:
            IonQJobTimeoutError: (a Qiskit ``JobTimeoutError``) the job was not in a final
                state after ``timeout`` seconds.
        """
        del wait
        on_poll = None
        if callback is not None:

            def on_poll(_: Job) -> None:
                callback(self.job_id(), self._known_status(), self)

        self._wait_parts(timeout, on_poll)

    def _known_status(self) -> JobStatus:
        """The job's status from the statuses already fetched (no request)."""
        statuses = [STATUS_MAP.get(part.job.status, JobStatus.INITIALIZING) for part in self._parts]
        for final in (JobStatus.ERROR, JobStatus.CANCELLED):
            if final in statuses:
                return final
        if all(status is JobStatus.DONE for status in statuses):
            return JobStatus.DONE
        return min((s for s in statuses if s is not JobStatus.DONE), key=_PROGRESS.index)

    def _wait_parts(self, timeout: float | None, callback: Callable[[Job], None] | None) -> None:
        """Wait for every part with the core's adaptive polling, within one core deadline."""
        try:
            wait_all([part.job for part in self._parts], timeout, callback)
        except core_errors.JobTimeoutError as exc:
            raise self._timed_out(timeout) from exc

    def _timed_out(self, timeout: float | None) -> IonQJobTimeoutError:
        running = next((part.job for part in self._parts if not part.job.done), None)
        where = "" if running is None else f"job {running.id} was still {running.status!r} "
        return IonQJobTimeoutError(f"{where}after {timeout} s; call result() again to keep waiting")

    # asyncio --------------------------------------------------------------------------

    async def wait_for_final_state_async(
        self,
        timeout: float | None = None,
        callback: Callable[[str, JobStatus, IonQJob], None] | None = None,
    ) -> None:
        """:meth:`wait_for_final_state` for asyncio code: awaits without blocking the loop.

        Every IonQ job of this Qiskit job is polled at once (the core's adaptive ladder, one
        deadline), so ``asyncio.gather`` over several Qiskit jobs waits for them together.

        Raises:
            IonQJobTimeoutError: the job was not in a final state after ``timeout`` seconds.
        """
        on_poll = None
        if callback is not None:

            def on_poll(_: Job) -> None:
                callback(self.job_id(), self._known_status(), self)

        await self._settle(timeout, on_poll, memory=False)

    async def result_async(self, timeout: float | None = None) -> Result:
        """:meth:`result` for asyncio code: the same ``Result``, awaited without blocking.

        The waiting and the downloads go through :class:`ionq_direct.AsyncClient`, so
        ``await asyncio.gather(*(job.result_async() for job in jobs))`` (or
        :func:`qiskit_ionq_direct.wait_for_all`) overlaps every job.

        Raises:
            IonQJobFailedError: IonQ failed or canceled the job.
            IonQJobTimeoutError: the job had not finished after ``timeout`` seconds.
        """
        if self._result is None:
            limit = timeout if timeout is not None else self._timeout
            await self._settle(limit, None, memory=self._memory)
        return self.result()

    async def _settle(
        self, timeout: float | None, on_poll: Callable[[Job], None] | None, *, memory: bool
    ) -> None:
        try:
            await settle_jobs(self.ionq_jobs, timeout, memory=memory, on_poll=on_poll)
        except core_errors.JobTimeoutError as exc:
            raise self._timed_out(timeout) from exc

    def result(
        self,
        timeout: float | None = None,
        wait: float | None = None,
        callback: Callable[[Job], None] | None = None,
    ) -> Result:
        """Wait for the job and return its ``Result``, one experiment per circuit in order.

        Args:
            timeout: seconds to wait at most (``None``: the run's ``timeout`` option, else as
                long as it takes).
            wait: accepted for compatibility; polling is adaptive.
            callback: called with the IonQ job handle after every status check.

        Raises:
            IonQJobFailedError: IonQ failed or canceled the job (``code`` names the failure).
            IonQJobTimeoutError: the job had not finished after ``timeout`` seconds.
        """
        del wait
        if self._result is None:
            self.wait_until_done(timeout if timeout is not None else self._timeout, callback)
            experiments: list[ExperimentResult] = []
            for part in self._parts:
                experiments.extend(self._experiments(part))
            self._result = build_result(
                experiments,
                backend_name=self._backend.name,
                backend_version=str(self._backend.backend_version),
                job_id=self.job_id(),
                date=self._parts[-1].job.info.completed_at,
            )
        return self._result

    # Formatting -----------------------------------------------------------------------

    def _experiments(self, part: _Part) -> list[ExperimentResult]:
        job = part.job
        if not job.info.is_full:
            # A creation or cancel answer (id and status only) can already be terminal; the
            # shots, type and seed read below are in the full record.
            job.refresh()
        info = job.info
        if info.status != "completed":
            raise failure_error(job.id, info, IonQJobFailedError)
        shots = info.shots or 0
        seed = job.recorded_seed
        multi = job.is_multi_circuit
        dists = job.aggregated_distributions() if multi else [job.distribution()]
        layouts = part.layouts or decode_layouts(info.metadata)
        if layouts is None and omitted_layouts(info.metadata) is not None:
            raise IonQJobError(
                f"job {job.id} ran {len(dists)} circuits whose layouts were too large to store "
                f"in its metadata ({MAX_METADATA_KEYS} keys of {MAX_METADATA_VALUE:,} "
                "characters), so only the IonQJob that submitted it can format its counts; "
                "IonQJob.ionq_jobs[i].aggregated_probabilities() gives the raw distributions"
            )
        if layouts is None or len(layouts) != len(dists):
            layouts = _fallback_layouts(job, len(dists))
        exact = job.is_exact
        children: list[Job] | None = None
        out = []
        for index, (layout, (outcomes, probs)) in enumerate(zip(layouts, dists, strict=True)):
            circuit_seed = seed if not multi or seed is None else results.derive_seed(seed, index)
            if exact:
                per_shot = results.memory(outcomes, probs, shots, exact=True, seed=circuit_seed)
                out.append(
                    experiment_result(
                        layout, shots, per_shot=per_shot, memory=self._memory, seed=circuit_seed
                    )
                )
            elif self._memory:
                if multi and children is None:
                    children = job.children()
                source = children[index] if children is not None else job
                per_shot = np.asarray(source.memory(shots=shots, seed=circuit_seed))
                out.append(experiment_result(layout, shots, per_shot=per_shot, seed=circuit_seed))
            else:
                out.append(
                    experiment_result(
                        layout,
                        shots,
                        distribution=(outcomes, probs),
                        memory=False,
                        seed=circuit_seed,
                    )
                )
        return out


def _fallback_layouts(job: Job, count: int) -> list[CircuitLayout]:
    qubits = job.info.qubits
    width = qubits if qubits is not None and qubits > 0 else 1
    return [CircuitLayout.measure_all(f"{job.id}-{i}", width) for i in range(count)]
