"""``ionq-direct demo``: the direct-submission guide's GHZ job on the embedded emulator.

It starts a local emulator of the IonQ v0.4 service, submits the three-qubit GHZ circuit as the
guide's raw JSON (ideal, on a noise model, on an emulated QPU), then the same circuit through
Qiskit's ``backend.run`` and Cirq's ``sampler.run`` (when they are installed), and prints
probabilities, counts and cost — no account or network needed. With ``--json`` it prints one
document: ``{"emulator", "runs": [result document + "title", "cost"], "frameworks": [...]}``.
"""

from __future__ import annotations

import copy
import importlib.util
from collections.abc import Callable
from typing import Any

from ionq_direct.client import Client
from ionq_direct_cli.context import Context
from ionq_direct_cli.display import histogram, render_results, show
from ionq_direct_cli.outcomes import result_document
from ionq_direct_cli.progress import wait_for_job

__all__ = ["GUIDE_JOB", "run_demo"]

#: The direct-submission guide's job: a three-qubit GHZ state on the ideal simulator.
GUIDE_JOB: dict[str, Any] = {
    "type": "ionq.circuit.v1",
    "name": "Hello many worlds",
    "shots": 1024,
    "backend": "simulator",
    "input": {
        "qubits": 3,
        "gateset": "qis",
        "circuit": [
            {"gate": "h", "target": 0},
            {"gate": "cnot", "control": 0, "target": 1},
            {"gate": "cnot", "control": 0, "target": 2},
        ],
    },
}

_WAIT_SECONDS = 120.0
#: Seconds an emulated QPU job spends queued and again running, so its statuses can be seen.
_QPU_DELAY = 0.3


def _say(ctx: Context, text: str) -> None:
    if not ctx.json:
        show(ctx.console, text)


def _raw_jobs(shots: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    guide = copy.deepcopy(GUIDE_JOB)
    guide["shots"] = shots
    noisy = copy.deepcopy(guide)
    noisy["noise"] = {"model": "aria-1", "seed": seed}
    noisy["name"] = "Hello many worlds aria-1 noise"
    qpu = copy.deepcopy(guide)
    qpu["backend"] = "qpu.aria-1"
    qpu["name"] = "Hello many worlds on emulated Aria"
    return [
        ("the guide's GHZ job, as raw JSON", guide),
        ("the same job on the aria-1 noise model", noisy),
        ("the same job on an emulated qpu.aria-1", qpu),
    ]


def _run(ctx: Context, client: Client, title: str, body: dict[str, Any], seed: int) -> Any:
    _say(ctx, f"\n== {title}")
    job = wait_for_job(client.submit(body), ctx, timeout=_WAIT_SECONDS)
    doc = result_document(job, shots=body["shots"], seed=seed)
    cost = client.get_job_cost(job.id).get("estimated_cost") or {}
    if not ctx.json:
        render_results(ctx.console, doc)
        _say(ctx, f"cost: {cost.get('value')} {cost.get('unit')} (emulated price model)")
    return {"title": title, **doc, "cost": cost}


def _qiskit_demo(ctx: Context, client: Client, shots: int, seed: int) -> dict[str, Any]:
    from qiskit import QuantumCircuit, transpile

    from qiskit_ionq_direct import IonQProvider

    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(0, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    backend = IonQProvider(client=client).get_backend("simulator")
    job = backend.run(transpile(qc, backend), shots=shots, seed_simulator=seed)
    counts = job.result(timeout=_WAIT_SECONDS).get_counts()
    if not ctx.json:
        _say(ctx, f"job {job.job_id()}: {job.status().name}")
        _say(ctx, f"counts ({sum(counts.values())} shots, Qiskit keys: clbit 0 rightmost):")
        histogram(
            ctx.console, {int(key, 2): n for key, n in counts.items()}, qc.num_clbits, label="count"
        )
    return {"id": job.job_id(), "counts": dict(counts)}


def _cirq_demo(ctx: Context, client: Client, shots: int, seed: int) -> dict[str, Any]:
    import cirq

    from cirq_ionq_direct import Service

    q = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(
        [cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.measure(*q, key="ghz")]
    )
    sampler = Service(client=client).sampler(seed=seed)
    result = sampler.run(circuit, repetitions=shots)
    counts = result.histogram(key="ghz")  # big-endian integers: q0 is the leftmost bit
    if not ctx.json:
        _say(ctx, f"counts ({sum(counts.values())} repetitions, Cirq keys: q0 leftmost):")
        histogram(ctx.console, dict(counts), len(q), label="count")
    return {"counts": {format(k, "03b"): int(n) for k, n in sorted(counts.items())}}


#: The same circuit through each framework: (title, the framework's module and extra, runner).
_FRAMEWORK_DEMOS: tuple[
    tuple[str, str, Callable[[Context, Client, int, int], dict[str, Any]]], ...
] = (
    ("the same circuit in Qiskit: backend.run(transpile(qc, backend))", "qiskit", _qiskit_demo),
    ("the same circuit in Cirq: Service().sampler().run(circuit)", "cirq", _cirq_demo),
)


def _framework_demos(ctx: Context, client: Client, shots: int, seed: int) -> list[Any]:
    done = []
    for title, framework, run in _FRAMEWORK_DEMOS:
        entry: dict[str, Any] = {"title": title, "framework": framework}
        if importlib.util.find_spec(framework) is None:
            _say(ctx, f"\n== {title}: skipped (install ionq-direct[{framework}])")
            done.append({**entry, "skipped": True})
            continue
        _say(ctx, f"\n== {title}")
        done.append({**entry, "skipped": False, **run(ctx, client, shots, seed)})
    return done


def run_demo(ctx: Context, *, shots: int = 1000, seed: int = 7) -> int:
    """Run the demo against a fresh embedded emulator; returns an exit status."""
    from ionq_emulator import Emulator

    with Emulator(qpu_delay=_QPU_DELAY) as emulator:
        _say(ctx, f"IonQ v0.4 emulator listening at {emulator.url}")
        client = Client(api_key=emulator.api_key, base_url=emulator.url)
        runs = [_run(ctx, client, title, body, seed) for title, body in _raw_jobs(shots, seed)]
        frameworks = _framework_demos(ctx, client, shots, seed)
        document = {"emulator": emulator.url, "runs": runs, "frameworks": frameworks}
    _say(ctx, "\nResult keys are decimal integers with qubit 0 as the least significant bit.")
    ctx.emit(document, lambda console: None)
    return 0
