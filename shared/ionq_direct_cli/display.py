"""Terminal output for the command line: a live status line, probability tables, histograms."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ionq_direct.jobs import Job

_BAR_WIDTH = 40


def watch(job: Job, out: TextIO, *, timeout: float | None = None) -> None:
    """Wait for ``job``, keeping one status line up to date (rewritten in place on a terminal)."""
    start = time.monotonic()
    live = out.isatty()
    last = ""

    def report(current: Job) -> None:
        nonlocal last
        line = f"job {current.id}: {current.status} ({time.monotonic() - start:.1f} s)"
        if live:
            out.write("\r" + line.ljust(len(last)))
            out.flush()
        elif current.status != last.split(": ")[-1].split(" ")[0]:
            out.write(line + "\n")
        last = line

    report(job)
    try:
        job.wait(timeout=timeout, callback=report)
    finally:
        report(job)
        if live:
            out.write("\n")


def _width(job: Job) -> int:
    stats = job.record.get("stats") or {}
    qubits = stats.get("qubits")
    return int(qubits) if isinstance(qubits, int) and qubits > 0 else 1


def histogram(values: Mapping[int, float], width: int, out: TextIO, *, label: str) -> None:
    """Print ``{outcome: value}`` as bars, each outcome as a ``width``-bit binary numeral.

    The numeral reads most significant bit first: for IonQ keys (qubit 0 least significant)
    qubit 0 is the rightmost bit; for Cirq's big-endian keys the first qubit is the leftmost.
    """
    if not values:
        out.write("  (empty)\n")
        return
    top = max(values.values())
    out.write(f"  {'outcome':>{max(width, 7)}}  {label}\n")
    for outcome in sorted(values):
        value = values[outcome]
        bar = "#" * max(1, round(_BAR_WIDTH * value / top)) if value > 0 else ""
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        out.write(f"  {format(outcome, f'0{width}b'):>{max(width, 7)}}  {shown:>8}  {bar}\n")


def print_results(
    job: Job, out: TextIO, *, shots: int | None = None, seed: int | None = None
) -> None:
    """Print a finished job's probabilities and counts (keys: qubit 0 is the rightmost bit)."""
    if job.status != "completed":
        failure = job.record.get("failure") or {}
        detail = f": {failure.get('code')}: {failure.get('message')}" if failure else ""
        out.write(f"job {job.id} is {job.status}{detail}\n")
        return
    if job.info.type == "ionq.qasm3.v1":
        print_register_results(job, out, shots=shots, seed=seed)
        return
    width = _width(job)
    out.write("probabilities (bitstrings read qubit n-1 ... qubit 0):\n")
    histogram(job.probabilities(), width, out, label="probability")
    counts = job.counts(shots=shots, seed=seed)
    out.write(f"counts ({sum(counts.values())} shots):\n")
    histogram(counts, width, out, label="count")


def print_register_results(
    job: Job, out: TextIO, *, shots: int | None = None, seed: int | None = None
) -> None:
    """Print an OpenQASM 3 job's counts per classical register (bit 0 is the rightmost)."""
    from ionq_direct import artifacts

    found = artifacts.fetch(job)
    total = shots or job.info.shots or 0
    names = sorted(found.widths, key=lambda name: (name == artifacts.OUTPUT_ALL, name))
    for name in names:
        values = found.outcomes(name, total, exact=job.is_exact, seed=seed)
        counts: dict[int, int] = {}
        for value in values.tolist():
            counts[int(value)] = counts.get(int(value), 0) + 1
        out.write(f"register {name} ({sum(counts.values())} shots):\n")
        histogram(counts, max(found.widths[name], 1), out, label="count")
