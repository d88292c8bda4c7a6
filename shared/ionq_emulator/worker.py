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
import queue
import threading
import time
from typing import Any

from ionq_direct.payload import MULTI_CIRCUIT
from ionq_direct.records import TERMINAL_STATUSES
from ionq_emulator import compilation
from ionq_emulator.catalog import is_qpu
from ionq_emulator.processes import FORK_SERVER, SimulatorProcess, threads_per_worker
from ionq_emulator.records import now_iso
from ionq_emulator.simulation import SimulationAbandoned
from ionq_emulator.store import ACTIVE_STATUSES, JobRow, Store

log = logging.getLogger(__name__)

_STOP = object()
#: Wall-clock seconds one circuit may simulate before its job fails with ``SimulationTimeout``.
SIMULATION_BUDGET_SECONDS = 120.0


def settle_parent(store: Store, parent_id: str) -> None:
    """End a multi-circuit parent once every child has ended (a no-op before that)."""
    children = store.children(parent_id)
    if not children or any(c.status not in TERMINAL_STATUSES for c in children):
        return
    fields: dict[str, Any] = {
        "completed_at": now_iso(),
        "execution_duration_ms": sum(c.execution_duration_ms or 0 for c in children),
    }
    failed = [(i, c) for i, c in enumerate(children) if c.status == "failed"]
    if failed:
        index, child = failed[0]
        failure = child.failure or {"code": "InternalError", "message": "unknown failure"}
        fields["failure"] = {
            "code": failure["code"],
            "message": f"Circuit {index} (job {child.id}) failed: {failure['message']}",
        }
        status = "failed"
    elif any(c.status == "canceled" for c in children):
        status = "canceled"
    else:
        status = "completed"
    store.set_status(parent_id, status, only_from=ACTIVE_STATUSES, fields=fields)


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

        Returns at once: each runner starts its worker process in the background (the fork
        server's first start, about a second, overlaps with whatever the caller does next).
        """
        FORK_SERVER.warm()
        self.recover()
        for thread in self._threads:
            thread.start()

    def enqueue(self, job_id: str) -> None:
        """Queue a job to run."""
        self._queue.put(job_id)

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
            self.enqueue(row.id)
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
                try:
                    self._run(str(item), process)
                except Exception:
                    log.exception("job %s crashed the worker", item)
                    process.close()
                    self._finish(str(item), "failed", failure=("InternalError", "internal error"))
        finally:
            process.close()

    def _wait(self, row: JobRow) -> bool:
        """Sleep the QPU delay; False if the pool is stopping."""
        if is_qpu(row.backend) and self.qpu_delay > 0:
            return not self._stopping.wait(self.qpu_delay)
        return not self._stopping.is_set()

    def _run(self, job_id: str, process: SimulatorProcess) -> None:
        row = self.store.get_job(job_id)
        if row is None or row.status in TERMINAL_STATUSES:
            return
        if row.spec.get("failure"):
            code, message = row.spec["failure"]
            self._finish(row, "failed", failure=(code, message))
            return
        simulated = not row.record.get("dry_run")
        if simulated:
            # The worker starts now: the status writes (and a QPU's emulated queue) overlap it.
            process.begin(row.spec)
        try:
            if not self._advance(row, "ready"):
                return
            started = time.monotonic()
            if not self._advance(row, "started", fields={"started_at": now_iso()}):
                return
            if simulated:
                self._simulate(row, started, process)
            else:
                results, failure = compilation.dry_run_results(row)
                status = "failed" if failure else "completed"
                self._finish(row, status, failure=failure, results=results, started=started)
        finally:
            if process.busy:  # the job ended before its run did: stop the run
                process.close()

    def _advance(self, row: JobRow, status: str, fields: dict[str, Any] | None = None) -> bool:
        """Move ``row`` one status on (its parent along, if behind), then sleep the QPU delay.

        Returns:
            False when the job is no longer where it was (canceled or deleted meanwhile) or the
            pool is stopping: the run ends there.
        """
        step = ACTIVE_STATUSES.index(status)
        previous = ACTIVE_STATUSES[step - 1 : step]
        if not self.store.set_status(row.id, status, only_from=previous, fields=fields):
            return False
        if row.parent_id:
            behind = ACTIVE_STATUSES[:step]
            self.store.set_status(row.parent_id, status, only_from=behind, fields=fields)
        return self._wait(row)

    def _wanted(self, job_id: str) -> bool:
        """Whether a running job should go on (not when canceled, deleted or the pool stops)."""
        return not self._stopping.is_set() and self.store.job_status(job_id) == "started"

    def _simulate(self, row: JobRow, started: float, process: SimulatorProcess) -> None:
        """Collect a started job's run from the runner's worker process and finish it."""
        try:
            outcome = process.collect(functools.partial(self._wanted, row.id))
        except SimulationAbandoned:
            return
        if outcome.status == "completed":
            self._finish(row, "completed", results=outcome.results, started=started)
        else:
            self._finish(row, "failed", failure=outcome.failure, started=started)

    def _finish(
        self,
        job: JobRow | str,
        status: str,
        *,
        failure: tuple[str, str] | None = None,
        results: dict[str, Any] | None = None,
        started: float | None = None,
    ) -> None:
        fields: dict[str, Any] = {"completed_at": now_iso()}
        if started is not None:
            fields["execution_duration_ms"] = int((time.monotonic() - started) * 1000)
        if failure is not None:
            fields["failure"] = {"code": failure[0], "message": failure[1]}
        only_from = ("started",) if status == "completed" else ACTIVE_STATUSES
        row = self.store.get_job(job) if isinstance(job, str) else job
        if row is None:
            return
        self.store.set_status(row.id, status, only_from=only_from, fields=fields, results=results)
        if row.parent_id:
            settle_parent(self.store, row.parent_id)
