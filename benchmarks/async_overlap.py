"""Do gathered async runs overlap? Three jobs of about a second each, gathered, versus one.

Runs against the embedded emulator with an emulated QPU: each job spends ``--qpu-delay``
seconds queued and as long again running (about a second in all by default), and the emulator
has enough workers to run the jobs side by side, as the cloud would. Timed, median of
``--runs``:

* Cirq: one ``await sampler.run_async(...)``; three gathered with ``asyncio.gather``; and
  three plain ``sampler.run(...)`` one after another for reference.
* Qiskit: one ``await job.result_async()``; ``await wait_for_all(three jobs)``; three
  ``job.result()`` one after another.

Real loopback HTTP, no mocks. Usage::

    python benchmarks/async_overlap.py [--runs 5] [--qpu-delay 0.5] [--jobs 3] [--only cirq]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import cirq
from qiskit import QuantumCircuit

from cirq_ionq_direct import Sampler
from ionq_direct import Client
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider, wait_for_all

TARGET = "qpu.aria-1"
SHOTS = 100


def _median_seconds(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm-up: imports, connections, the emulator's first job
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cirq_cases(client: Client, jobs: int) -> dict[str, Callable[[], Any]]:
    q = cirq.LineQubit.range(2)
    bell = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(*q, key="m"))
    sampler = Sampler(client, target=TARGET, seed=1)

    async def gathered(n: int) -> None:
        await asyncio.gather(*(sampler.run_async(bell, repetitions=SHOTS) for _ in range(n)))

    return {
        "cirq: 1 run_async": lambda: asyncio.run(gathered(1)),
        f"cirq: {jobs} gathered run_async": lambda: asyncio.run(gathered(jobs)),
        f"cirq: {jobs} run, one after another": lambda: [
            sampler.run(bell, repetitions=SHOTS) for _ in range(jobs)
        ],
    }


def qiskit_cases(provider: IonQProvider, jobs: int) -> dict[str, Callable[[], Any]]:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    backend = provider.get_backend(TARGET)

    def together(n: int) -> None:
        submitted = [backend.run(qc, shots=SHOTS) for _ in range(n)]
        asyncio.run(wait_for_all(submitted))

    return {
        "qiskit: 1 result_async": lambda: asyncio.run(backend.run(qc, shots=SHOTS).result_async()),
        f"qiskit: wait_for_all({jobs} jobs)": lambda: together(jobs),
        f"qiskit: {jobs} result(), one after another": lambda: [
            backend.run(qc, shots=SHOTS).result() for _ in range(jobs)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--qpu-delay", type=float, default=0.5)
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--only", choices=["cirq", "qiskit"])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    figures: dict[str, float] = {}
    with Emulator(qpu_delay=args.qpu_delay, workers=max(2, args.jobs)) as emu:
        client = Client(emu.api_key, emu.url)
        cases: dict[str, Callable[[], Any]] = {}
        if args.only != "qiskit":
            cases.update(cirq_cases(client, args.jobs))
        if args.only != "cirq":
            cases.update(qiskit_cases(IonQProvider(emu.api_key, emu.url), args.jobs))
        for name, fn in cases.items():
            figures[name] = _median_seconds(fn, args.runs)
            print(f"{name:<42} {figures[name]:6.2f} s", flush=True)
    for framework in ("cirq", "qiskit"):
        rows = [v for k, v in figures.items() if k.startswith(framework)]
        if len(rows) == 3:
            one, many, serial = rows
            print(
                f"{framework}: {args.jobs} overlapped / 1 = {many / one:.2f}x "
                f"(one after another: {serial / one:.2f}x)"
            )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"qpu_delay": args.qpu_delay, "runs": args.runs, **figures}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
