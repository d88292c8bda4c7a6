"""``IonQJob``: a Qiskit ``JobV1`` over one or more IonQ jobs.

A ``backend.run`` call usually makes one IonQ job (several circuits go out as one
``ionq.multi-circuit.v1`` job); a batch over the API limits makes several, and the Qiskit job id
is then their ids joined by commas. ``result()`` waits with the core's adaptive polling and
formats every circuit's counts, memory and probabilities (see :mod:`qiskit_ionq_direct.result`).
qiskit-ionq's job methods are here too: ``get_counts``, ``get_probabilities``, ``get_memory``,
``status(detailed=True)``, ``result(sharpen=...)`` and, after a ``dry_run``, ``compiled_circuit``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.providers import JobError, JobStatus, JobV1
from qiskit.providers import JobTimeoutError as QiskitJobTimeoutError
from qiskit.result.models import ExperimentResult

import ionq_direct.errors as core_errors
from ionq_direct import artifacts, results
from ionq_direct.errors import IonQError
from ionq_direct.jobs import Job, wait_all
from ionq_direct.metadata import MAX_METADATA_KEYS, MAX_METADATA_VALUE
from ionq_direct.qasm3 import QASM3_TYPE
from ionq_direct.records import failure_error
from qiskit_ionq_direct._async import settle_jobs
from qiskit_ionq_direct.result import (
    CircuitLayout,
    IonQResult,
    build_result,
    decode_layouts,
    dynamic_experiment,
    experiment_result,
    omitted_layouts,
)

if TYPE_CHECKING:
    from ionq_direct.client import Client
    from qiskit_ionq_direct.backend import IonQBackend

__all__ = [
    "STATUS_MAP",
    "IonQJob",
    "IonQJobError",
    "IonQJobFailedError",
    "IonQJobStateError",
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


class IonQJobStateError(IonQJobFailedError):
    """The job was canceled, so it has no results (qiskit-ionq's name; an IonQJobFailedError)."""


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
        dry_run: whether the job was submitted with ``dry_run=True``; ``None`` reads it from
            the job's record.
    """

    def __init__(
        self,
        backend: IonQBackend,
        jobs: Sequence[Job],
        layouts: Sequence[list[CircuitLayout] | None] | None = None,
        *,
        memory: bool = True,
        timeout: float | None = None,
        dry_run: bool | None = None,
    ) -> None:
        if not jobs:
            raise IonQJobError("an IonQJob needs at least one IonQ job")
        super().__init__(backend, ",".join(job.id for job in jobs))
        given = list(layouts) if layouts is not None else [None] * len(jobs)
        self._parts = [_Part(job, lay) for job, lay in zip(jobs, given, strict=True)]
        self._memory = memory
        self._timeout = timeout
        self._dry_run = dry_run
        self._results: dict[bool | None, IonQResult] = {}

    @property
    def ionq_jobs(self) -> list[Job]:
        """The underlying ``ionq_direct.Job`` handles, in circuit order."""
        return [part.job for part in self._parts]

    def submit(self) -> None:
        """Jobs are submitted by ``backend.run``; calling this raises ``IonQJobError``."""
        raise IonQJobError("this job was already submitted by backend.run(); run it again there")

    @property
    def dry_run(self) -> bool:
        """Whether the job only compiles (``dry_run=True``): see :meth:`compiled_circuit`."""
        if self._dry_run is None:
            job = self._parts[0].job
            if "dry_run" not in job.record:
                job.refresh()
            self._dry_run = job.record.get("dry_run") is True
        return self._dry_run

    def status(self, detailed: bool = False) -> Any:
        """The job's status, fetched now; a multi-part job reports its least advanced part.

        Args:
            detailed: give, instead of the ``JobStatus``, qiskit-ionq's per-circuit summary
                ``{"total", "completed", "failed", "percentage_complete", "statuses"}`` (one
                status per circuit, in order; ``percentage_complete`` from 0 to 1).
        """
        for part in self._parts:
            if not part.job.done:
                part.job.refresh()
        if not detailed:
            return self._known_status()
        statuses: list[JobStatus] = []
        for part in self._parts:
            job = part.job
            if job.is_multi_circuit:
                statuses.extend(_status_of(child.status) for child in job.children())
            else:
                statuses.append(_status_of(job.status))
        total = len(statuses)
        completed = statuses.count(JobStatus.DONE)
        return {
            "total": total,
            "completed": completed,
            "failed": statuses.count(JobStatus.ERROR),
            "percentage_complete": completed / total if total else 0,
            "statuses": statuses,
        }

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
        statuses = [_status_of(part.job.status) for part in self._parts]
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

    async def result_async(
        self, timeout: float | None = None, sharpen: bool | None = None
    ) -> IonQResult:
        """:meth:`result` for asyncio code: the same ``Result``, awaited without blocking.

        The waiting and the downloads go through :class:`ionq_direct.AsyncClient`, so
        ``await asyncio.gather(*(job.result_async() for job in jobs))`` (or
        :func:`qiskit_ionq_direct.wait_for_all`) overlaps every job.

        Raises:
            IonQJobFailedError: IonQ failed or canceled the job.
            IonQJobTimeoutError: the job had not finished after ``timeout`` seconds.
        """
        sharpen = _sharpen(sharpen, None)
        if sharpen not in self._results:
            limit = timeout if timeout is not None else self._timeout
            await self._settle(limit, None, memory=self._memory, sharpen=sharpen)
        return self.result(sharpen=sharpen)

    async def _settle(
        self,
        timeout: float | None,
        on_poll: Callable[[Job], None] | None,
        *,
        memory: bool,
        sharpen: bool | None = None,
    ) -> None:
        try:
            await settle_jobs(
                self.ionq_jobs, timeout, memory=memory, sharpen=sharpen, on_poll=on_poll
            )
        except core_errors.JobTimeoutError as exc:
            raise self._timed_out(timeout) from exc

    def result(
        self,
        timeout: float | None = None,
        wait: float | None = None,
        callback: Callable[[str, JobStatus, IonQJob], None] | None = None,
        sharpen: bool | None = None,
        extra_query_params: Mapping[str, Any] | None = None,
    ) -> IonQResult:
        """Wait for the job and return its ``Result``, one experiment per circuit in order.

        Args:
            timeout: seconds to wait at most (``None``: the run's ``timeout`` option, else as
                long as it takes).
            wait: accepted for compatibility; polling is adaptive.
            callback: called after every status check as ``callback(job_id, job_status, job)``,
                as :meth:`wait_for_final_state` calls it.
            sharpen: for a debiased QPU job, IonQ's sharpened (plurality-vote) distribution
                instead of the averaged one; its counts are then those frequencies rounded, and
                the result has no memory (the recorded shots are not sharpened). Without
                debiasing both distributions are the same.
            extra_query_params: qiskit-ionq's query parameters for the results request; only
                ``{"sharpen": bool}`` has a meaning here.

        Raises:
            IonQJobFailedError: IonQ failed the job (``code`` names the failure).
            IonQJobStateError: the job was canceled.
            IonQJobError: the job was a dry run (see :meth:`compiled_circuit`).
            IonQJobTimeoutError: the job had not finished after ``timeout`` seconds.
        """
        del wait
        sharpen = _sharpen(sharpen, extra_query_params)
        if sharpen not in self._results:
            on_poll = None
            if callback is not None:

                def on_poll(_: Job) -> None:
                    callback(self.job_id(), self._known_status(), self)

            self.wait_until_done(timeout if timeout is not None else self._timeout, on_poll)
            if self.dry_run:
                raise IonQJobError(
                    f"job {self.job_id()} was a dry run (dry_run=True): it was compiled, not run, "
                    "so it has no counts; job.compiled_circuit() gives the compiled circuit"
                )
            experiments: list[ExperimentResult] = []
            for part in self._parts:
                experiments.extend(self._experiments(part, sharpen))
            self._results[sharpen] = build_result(
                experiments,
                backend_name=self._backend.name,
                backend_version=str(self._backend.backend_version),
                job_id=self.job_id(),
                date=self._parts[-1].job.info.completed_at,
            )
        return self._results[sharpen]

    def get_counts(self, circuit: Any = None) -> Any:
        """``result().get_counts(circuit)``: waits for the job."""
        return self.result().get_counts(circuit)

    def get_probabilities(self, circuit: Any = None) -> Any:
        """``result().get_probabilities(circuit)``: the distribution IonQ returned, per circuit."""
        return self.result().get_probabilities(circuit)

    def get_memory(self, circuit: Any = None) -> Any:
        """``result().get_memory(circuit)``: one bit string per shot.

        Raises:
            IonQJobError: the job was run with ``memory=False``.
        """
        if not self._memory:
            raise IonQJobError(
                f"job {self.job_id()} was run with memory=False, so its result has no per-shot "
                "memory; run it again with memory=True"
            )
        return self.result().get_memory(circuit)

    def compiled_circuit(self, lang: str = "native") -> Any:
        """The circuit IonQ's compiler produced for a dry run (``dry_run=True``).

        Args:
            lang: a short name (``"native"``, ``"qasm3"``) or a format id such as
                ``"ionq.native.v1"``, matched against the job's
                ``output.compilation.compiled_circuits``.

        Returns:
            The artifact: for ``ionq.native.v1`` a ``{"qubits", "circuit"}`` dict of native
            gates. A job of several circuits gives a list, one per circuit.

        Raises:
            IonQJobError: the job has not finished, or it published no such format.
        """
        out = []
        for part in self._parts:
            job = part.job
            if not job.done or not job.info.is_full:
                job.refresh()
            if not job.done:
                raise IonQJobError(
                    f"job {job.id} is {job.status!r}: wait for it (job.wait_for_final_state()) "
                    "before asking for its compiled circuit"
                )
            sources = job.children() if job.is_multi_circuit else [job]
            for source in sources:
                out.append(_compiled(self._backend.client, source, lang))
        return out[0] if len(out) == 1 else out

    # Formatting -----------------------------------------------------------------------

    def _experiments(self, part: _Part, sharpen: bool | None = None) -> list[ExperimentResult]:
        job = part.job
        if not job.info.is_full:
            # A creation or cancel answer (id and status only) can already be terminal; the
            # shots, type and seed read below are in the full record.
            job.refresh()
        info = job.info
        if info.status != "completed":
            cls = IonQJobStateError if info.status == "canceled" else IonQJobFailedError
            raise failure_error(job.id, info, cls)
        shots = info.shots or 0
        seed = job.recorded_seed
        if info.type == QASM3_TYPE:  # a dynamic circuit: results are its classical bits
            return [self._dynamic_experiment(part, seed)]
        multi = job.is_multi_circuit
        exact = job.is_exact
        sharpen = None if exact else sharpen  # an exact distribution has nothing to sharpen
        dists = job.aggregated_distributions(sharpen) if multi else [job.distribution(sharpen)]
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
        children: list[Job] | None = None
        out = []
        for index, (layout, (outcomes, probs)) in enumerate(zip(layouts, dists, strict=True)):
            circuit_seed = seed if not multi or seed is None else results.derive_seed(seed, index)
            if exact:
                per_shot = results.memory(outcomes, probs, shots, exact=True, seed=circuit_seed)
                out.append(
                    experiment_result(
                        layout,
                        shots,
                        per_shot=per_shot,
                        distribution=(outcomes, probs),
                        memory=self._memory,
                        seed=circuit_seed,
                    )
                )
            elif self._memory and sharpen is None:
                if multi and children is None:
                    children = job.children()
                source = children[index] if children is not None else job
                per_shot = np.asarray(source.memory(shots=shots, seed=circuit_seed))
                out.append(
                    experiment_result(
                        layout,
                        shots,
                        per_shot=per_shot,
                        distribution=(outcomes, probs),
                        seed=circuit_seed,
                    )
                )
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

    def _dynamic_experiment(self, part: _Part, seed: int | None) -> ExperimentResult:
        """The one experiment of an ``ionq.qasm3.v1`` job, from its register artifacts."""
        job = part.job
        stored = part.layouts or decode_layouts(job.info.metadata)
        layout = stored[0] if stored else _fallback_layouts(job, 1)[0]
        found = artifacts.fetch(job) if layout.memory_slots else None
        return dynamic_experiment(
            job, layout, register_results=found, memory=self._memory, seed=seed
        )


def _status_of(status: str) -> JobStatus:
    return STATUS_MAP.get(status, JobStatus.INITIALIZING)


def _sharpen(sharpen: bool | None, extra: Mapping[str, Any] | None) -> bool | None:
    """The ``sharpen`` flag, from the argument or qiskit-ionq's ``extra_query_params``."""
    if extra:
        if not isinstance(extra, Mapping) or set(extra) - {"sharpen"}:
            raise IonQJobError(
                "result(extra_query_params=...) takes only {'sharpen': True/False} here, got "
                f"{extra!r}"
            )
        if sharpen is not None and extra["sharpen"] != sharpen:
            raise IonQJobError("sharpen is given both as sharpen= and in extra_query_params")
        sharpen = extra["sharpen"]
    if sharpen is not None and not isinstance(sharpen, bool):
        raise IonQJobError(f"sharpen must be True, False or None, got {sharpen!r}")
    return sharpen


def _compiled(client: Client, job: Job, lang: str) -> Any:
    """The compiled-circuit artifact ``lang`` names among ``job``'s published ones."""
    output = job.record.get("output")
    compilation = output.get("compilation") if isinstance(output, Mapping) else None
    found = compilation.get("compiled_circuits") if isinstance(compilation, Mapping) else None
    available = {
        fmt: entry["id"]
        for fmt, entry in (found.items() if isinstance(found, Mapping) else ())
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]
    }
    fmt = lang if lang in available else None
    if fmt is None:
        fmt = next((f for f in available if f.split(".")[1:2] == [lang]), None)
    if fmt is None:
        listed = ", ".join(sorted(available)) or "none"
        raise IonQJobError(
            f"job {job.id} has no compiled circuit matching {lang!r} (published: {listed}); "
            "compiled circuits are published for dry_run=True jobs"
        )
    return client.download_artifact(job.id, available[fmt])


def _fallback_layouts(job: Job, count: int) -> list[CircuitLayout]:
    qubits = job.info.qubits
    width = qubits if qubits is not None and qubits > 0 else 1
    return [CircuitLayout.measure_all(f"{job.id}-{i}", width) for i in range(count)]
