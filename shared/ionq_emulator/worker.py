"""The worker pool: moves jobs submitted -> ready -> started -> completed | failed | canceled.

Each runner thread owns one simulation worker process (:mod:`ionq_emulator.processes`), so
simulations run in parallel, one per runner, and never stall the HTTP server. Every status
change is a conditional update in the store, so a cancel or delete that lands while a job runs
wins: the runner then kills its worker and the run is discarded. A multi-circuit parent is
never run itself; it follows its children and ends when the last child ends.
"""

from __future__ import annotations

import functools
import logging
import math
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ionq_direct.payload import MULTI_CIRCUIT
from ionq_direct.records import TERMINAL_STATUSES
from ionq_emulator import compilation, quick
from ionq_emulator.anchor import anchor_qiskit
from ionq_emulator.catalog import is_qpu
from ionq_emulator.processes import FORK_SERVER, SimulatorProcess, threads_per_worker
from ionq_emulator.records import now_iso
from ionq_emulator.simulation import SimulationAbandoned, SimulationFailure
from ionq_emulator.store import ACTIVE_STATUSES, JobRow, StatusChange, Store

log = logging.getLogger(__name__)

_STOP = object()
#: Wall-clock seconds one circuit may simulate before its job fails with ``SimulationTimeout``.
SIMULATION_BUDGET_SECONDS = 120.0


def settle_parent(store: Store, parent_id: str) -> None:
    """End a multi-circuit parent once every child has ended (a no-op before that)."""
    if store.active_children(parent_id):
        return
    children = store.child_states(parent_id)
    if not children or any(status not in TERMINAL_STATUSES for _, status, _, _ in children):
        return
    status, fields = parent_outcome(children)
    store.set_status(parent_id, status, only_from=ACTIVE_STATUSES, fields=fields)


def parent_outcome(
    children: Sequence[tuple[str, str, dict[str, Any] | None, int | None]],
) -> tuple[str, dict[str, Any]]:
    """How a parent ends once its children have: its status and the fields it sets.

    Args:
        children: each child's ``(id, status, failure, execution_duration_ms)``, in input
            order, every status terminal.
    """
    fields: dict[str, Any] = {
        "completed_at": now_iso(),
        "execution_duration_ms": sum(duration or 0 for _, _, _, duration in children),
    }
    failed = [(i, c) for i, c in enumerate(children) if c[1] == "failed"]
    if failed:
        index, (child_id, _, failure, _) = failed[0]
        failure = failure or {"code": "InternalError", "message": "unknown failure"}
        fields["failure"] = {
            "code": failure["code"],
            "message": f"Circuit {index} (job {child_id}) failed: {failure['message']}",
        }
        return "failed", fields
    if any(status == "canceled" for _, status, _, _ in children):
        return "canceled", fields
    return "completed", fields


class WorkerPool:
    """Runner threads that run queued jobs, each with its own simulation worker process.

    Args:
        store: the database.
        workers: runners, hence simulations that run at once.
        qpu_delay: seconds a QPU job waits in ``ready`` and again in ``started``.
    """

    def __init__(self, store: Store, *, workers: int = 2, qpu_delay: float = 0.0) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store = store
        self.qpu_delay = qpu_delay
        self._queue: queue.Queue[object] = queue.Queue()
        self._stopping = threading.Event()
        threads = threads_per_worker(workers)
        self._processes = [
            SimulatorProcess(threads=threads, budget=SIMULATION_BUDGET_SECONDS)
            for _ in range(workers)
        ]
        self._threads = [
            threading.Thread(
                target=self._loop, args=(process,), name=f"ionq-emulator-worker-{i}", daemon=True
            )
            for i, process in enumerate(self._processes)
        ]

    @property
    def workers(self) -> int:
        """How many simulations run at once."""
        return len(self._processes)

    def start(self) -> None:
        """Start the runners and re-queue jobs a previous process left unfinished.

        Returns once Qiskit is loaded on the calling thread (see :mod:`ionq_emulator.anchor`):
        each runner starts its worker process in the background (the fork server's first
        start, about a second, overlaps with whatever the caller does next).
        """
        anchor_qiskit()
        FORK_SERVER.warm()
        self.recover()
        for thread in self._threads:
            thread.start()

    def run_now(self, rows: Sequence[JobRow]) -> list[StatusChange] | None:
        """Run a job about to be stored in the calling thread if it takes a millisecond or so.

        That is a simulator job of small ideal circuits (a GHZ, a parameter sweep), simulated
        exactly in this process (:mod:`ionq_emulator.quick`): far quicker than the hops to a
        worker and back, and too short to hold up other requests. The job is stored with
        these changes in one transaction (``Store.insert_jobs(rows, then=...)``), so it has
        ended (completed or failed) when the caller answers.

        Args:
            rows: the job's rows: the single job, or a multi-circuit parent and its children.

        Returns:
            The status changes that end the job (each run row's, then the parent's), or
            ``None`` to store the job as submitted and :meth:`enqueue` it.
        """
        runnable = rows[1:] if rows[0].type == MULTI_CIRCUIT else rows
        if not runnable or self._stopping.is_set() or is_qpu(runnable[0].backend):
            return None
        if any(r.record.get("dry_run") or r.spec.get("failure") for r in runnable):
            return None
        if quick.batch_work([r.spec for r in runnable]) is None:
            return None
        started, started_at = time.monotonic(), now_iso()
        try:
            outcomes = quick.simulate_quick([r.spec for r in runnable])
        except Exception:  # a worker runs it, and says what went wrong
            log.debug("a quick run failed in the server's process; queueing it", exc_info=True)
            return None
        duration = _ms_since(started) // len(runnable)
        completed_at = now_iso()
        changes = []
        ended: list[tuple[str, str, dict[str, Any] | None, int | None]] = []
        for row, outcome in zip(runnable, outcomes, strict=True):
            fields: dict[str, Any] = {
                "started_at": started_at,
                "completed_at": completed_at,
                "execution_duration_ms": duration,
            }
            if isinstance(outcome, SimulationFailure):
                failure = {"code": outcome.code, "message": outcome.message}
                fields["failure"] = failure
                changes.append(StatusChange(row.id, "failed", ("submitted",), fields))
                ended.append((row.id, "failed", failure, duration))
            else:
                changes.append(StatusChange(row.id, "completed", ("submitted",), fields, outcome))
                ended.append((row.id, "completed", None, duration))
        if runnable is not rows:
            status, fields = parent_outcome(ended)
            fields["started_at"] = started_at
            changes.append(StatusChange(rows[0].id, status, ("submitted",), fields))
        return changes

    def enqueue(self, row: JobRow) -> None:
        """Queue a stored job to run."""
        self._queue.put((row,))

    def enqueue_group(self, rows: Sequence[JobRow]) -> None:
        """Queue the children of one multi-circuit job, in input order.

        On a simulator they are split into one run of consecutive circuits per worker: each
        run costs one message to its worker and a handful of writes, whatever its length, and
        the runs proceed in parallel. On an emulated QPU each circuit runs alone, waiting the
        QPU delay as a job of its own would.
        """
        if not rows:
            return
        runs = len(rows) if is_qpu(rows[0].backend) else min(len(rows), self.workers)
        size = math.ceil(len(rows) / runs)
        for start in range(0, len(rows), size):
            self._queue.put(tuple(rows[start : start + size]))

    def pending(self) -> int:
        """Jobs waiting for a worker."""
        return self._queue.qsize()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the runners and kill their workers, ending running simulations at once.

        Jobs not finished stay active and are re-run on the next start.
        """
        self._stopping.set()
        for _ in self._threads:
            self._queue.put(_STOP)
        for process in self._processes:
            process.kill()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))

    def recover(self) -> None:
        """Reset and re-queue every job left in submitted/ready/started."""
        parents: list[str] = []
        children: dict[str, list[JobRow]] = {}
        for row in self.store.active_jobs():
            if row.type == MULTI_CIRCUIT:
                parents.append(row.id)
                continue
            self.store.set_status(
                row.id,
                "submitted",
                only_from=ACTIVE_STATUSES,
                fields={"started_at": None, "execution_duration_ms": None},
            )
            if row.parent_id:
                children.setdefault(row.parent_id, []).append(row)
            else:
                self.enqueue(row)
        for siblings in children.values():
            self.enqueue_group(siblings)
        for parent_id in parents:
            settle_parent(self.store, parent_id)

    def _loop(self, process: SimulatorProcess) -> None:
        try:
            if not self._stopping.is_set():
                process.start()  # warm before the first job arrives
        except OSError:
            log.exception("could not start a simulation worker (retried with the next job)")
        try:
            while True:
                item = self._queue.get()
                if item is _STOP or self._stopping.is_set():
                    return
                assert isinstance(item, tuple)
                try:
                    self._run(item, process)
                except Exception:
                    log.exception("jobs %s crashed the worker", ", ".join(r.id for r in item))
                    process.close()
                    failure = ("InternalError", "internal error")
                    self._finish([_Done(r, "failed", failure=failure) for r in item])
        finally:
            process.close()

    def _wait(self, row: JobRow) -> bool:
        """Sleep the QPU delay; False if the pool is stopping."""
        if is_qpu(row.backend) and self.qpu_delay > 0:
            return not self._stopping.wait(self.qpu_delay)
        return not self._stopping.is_set()

    def _run(self, queued: Sequence[JobRow], process: SimulatorProcess) -> None:
        """Run one job, or one run of a multi-circuit job's children, to its end.

        The rows are as they were queued (a job's spec and record never change); only their
        status is read again, as a cancel or delete may have come since.
        """
        now = self.store.job_statuses([r.id for r in queued])
        rows = [r for r in queued if r.id in now and now[r.id] not in TERMINAL_STATUSES]
        doomed = [r for r in rows if r.spec.get("failure")]
        self._finish([_Done(r, "failed", failure=_failure(r.spec["failure"])) for r in doomed])
        rows = [r for r in rows if not r.spec.get("failure")]
        if not rows:
            return
        simulated = [r for r in rows if not r.record.get("dry_run")]
        if simulated:
            # The worker starts now: the status writes (and a QPU's emulated queue) overlap it.
            process.begin([r.spec for r in simulated])
        try:
            live = self._advance(rows, "ready")
            started = time.monotonic()
            live = self._advance(live, "started", fields={"started_at": now_iso()})
            if not live:
                return
            dry = []
            for row in live:
                if row.record.get("dry_run"):
                    results, failure = compilation.dry_run_results(row)
                    status = "failed" if failure else "completed"
                    dry.append(_Done(row, status, failure, results, _ms_since(started)))
            self._finish(dry)
            if simulated:
                self._simulate(simulated, started, process)
        finally:
            if process.busy:  # the jobs ended before their runs did: stop the runs
                process.close()

    def _advance(
        self, rows: Sequence[JobRow], status: str, fields: dict[str, Any] | None = None
    ) -> list[JobRow]:
        """Move ``rows`` one status on (their parent along, if behind), then sleep the QPU delay.

        Returns:
            The rows that moved, in order: one canceled or deleted meanwhile drops out; none
            do when the pool is stopping, and the run ends there.
        """
        if not rows:
            return []
        step = ACTIVE_STATUSES.index(status)
        previous, behind = ACTIVE_STATUSES[step - 1 : step], ACTIVE_STATUSES[:step]
        changes = [StatusChange(r.id, status, previous, fields) for r in rows]
        parents = dict.fromkeys(r.parent_id for r in rows if r.parent_id)
        changes += [StatusChange(p, status, behind, fields) for p in parents]
        moved = self.store.set_statuses(changes)[: len(rows)]
        live = [r for r, ok in zip(rows, moved, strict=True) if ok]
        if not live or not self._wait(live[0]):
            return []
        return live

    def _wanted(self, job_ids: Sequence[str]) -> bool:
        """Whether a run goes on: the pool is not stopping and one of its jobs still runs."""
        if self._stopping.is_set():
            return False
        return "started" in self.store.job_statuses(job_ids).values()

    def _simulate(self, rows: Sequence[JobRow], started: float, process: SimulatorProcess) -> None:
        """Collect the runs of started jobs from the runner's worker process and finish them.

        Answers that arrive together are finished in one write. A job whose run kills the
        worker (a crash, an overrun) fails alone: the jobs after it go to a fresh worker.
        """
        pending = list(rows)
        mark = started
        while pending:
            if not process.busy:
                process.begin([r.spec for r in pending])
            wanted = [r.id for r in pending]
            try:
                outcomes = process.collect(functools.partial(self._wanted, wanted))
            except SimulationAbandoned:
                return
            done, pending = pending[: len(outcomes)], pending[len(outcomes) :]
            # Answers that came together share the time since the previous ones.
            elapsed = int((time.monotonic() - mark) * 1000)
            mark = time.monotonic()
            each = elapsed // len(outcomes)
            self._finish(
                [
                    _Done(row, o.status, o.failure, o.results, each)
                    for row, o in zip(done, outcomes, strict=True)
                ]
            )

    def _finish(self, done: Sequence[_Done]) -> None:
        """End jobs in one write, then settle their parents."""
        if not done:
            return
        completed_at = now_iso()
        changes = []
        for job in done:
            fields: dict[str, Any] = {"completed_at": completed_at}
            if job.duration_ms is not None:
                fields["execution_duration_ms"] = job.duration_ms
            if job.failure is not None:
                fields["failure"] = {"code": job.failure[0], "message": job.failure[1]}
            only_from = ("started",) if job.status == "completed" else ACTIVE_STATUSES
            changes.append(StatusChange(job.row.id, job.status, only_from, fields, job.results))
        self.store.set_statuses(changes)
        for parent_id in dict.fromkeys(j.row.parent_id for j in done if j.row.parent_id):
            settle_parent(self.store, parent_id)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _failure(stored: Any) -> tuple[str, str]:
    """A failure ``(code, message)`` stored in a job spec."""
    code, message = stored
    return str(code), str(message)


@dataclass(frozen=True)
class _Done:
    """How one job ended: its status, failure ``(code, message)``, results and run time."""

    row: JobRow
    status: str
    failure: tuple[str, str] | None = None
    results: dict[str, Any] | None = None
    duration_ms: int | None = None
