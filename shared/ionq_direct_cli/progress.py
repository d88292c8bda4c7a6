"""Waiting for a job with a status line on stderr: its status, the time elapsed, the predicted wait.

On a terminal the line is live (a spinner; the elapsed time ticks between status checks); off a
terminal one line is written per status change. With ``--json`` nothing is written while
waiting. Ctrl-C leaves the job running and says how to come back to it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ionq_direct.jobs import Job

if TYPE_CHECKING:
    from rich.console import Console

    from ionq_direct_cli.context import Context

__all__ = ["status_text", "wait_for_job"]

#: Predicted durations shorter than this many seconds are not worth a mention.
_SHOWN_FROM = 0.1


def _seconds(record: Mapping[str, Any], field: str) -> float | None:
    value = record.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return float(value) / 1000.0


def status_text(job: Job, elapsed: float) -> str:
    """``job ID: started, 1.2 s elapsed, predicted wait 3.0 s`` for the job's last record."""
    parts = [f"job {job.id}: {job.status}", f"{elapsed:.1f} s elapsed"]
    if not job.done:
        wait = _seconds(job.record, "predicted_wait_time_ms")
        if wait is not None and job.status in ("submitted", "ready"):
            parts.append(f"predicted wait {wait:.1f} s")
        run = _seconds(job.record, "predicted_execution_duration_ms")
        if run is not None and run >= _SHOWN_FROM:
            parts.append(f"predicted run {run:.1f} s")
    return ", ".join(parts)


class _LiveLine:
    """A renderable that recomputes the status text at every refresh, so the clock ticks."""

    def __init__(self, job: Job, start: float) -> None:
        self.job = job
        self.start = start

    def __rich__(self) -> str:
        return status_text(self.job, time.monotonic() - self.start)


def _watch_on_terminal(job: Job, console: Console, timeout: float | None, start: float) -> None:
    from rich.live import Live
    from rich.spinner import Spinner

    spinner = Spinner("dots", text=_LiveLine(job, start))
    with Live(spinner, console=console, transient=True, refresh_per_second=8):
        job.wait(timeout=timeout)


def _watch_in_lines(job: Job, console: Console, timeout: float | None, start: float) -> None:
    last = job.status
    console.print(status_text(job, time.monotonic() - start))

    def report(current: Job) -> None:
        nonlocal last
        if current.status != last:
            last = current.status
            if not current.done:
                console.print(status_text(current, time.monotonic() - start))

    job.wait(timeout=timeout, callback=report)


def wait_for_job(job: Job, ctx: Context, *, timeout: float | None = None) -> Job:
    """Wait until ``job`` has ended, showing progress on stderr (human mode only).

    Raises:
        JobTimeoutError: ``timeout`` seconds passed first.
        KeyboardInterrupt: after saying on stderr that the job keeps running.
    """
    start = time.monotonic()
    try:
        if ctx.json or job.done:
            job.wait(timeout=timeout)
            return job
        console = ctx.status_console
        if console.is_terminal:
            _watch_on_terminal(job, console, timeout, start)
        else:
            _watch_in_lines(job, console, timeout, start)
        console.print(status_text(job, time.monotonic() - start))
    except KeyboardInterrupt:
        ctx.err.write(
            f"\njob {job.id} keeps running: see it with `ionq-direct results {job.id}`, "
            f"stop it with `ionq-direct cancel {job.id}`\n"
        )
        raise
    return job
