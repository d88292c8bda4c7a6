"""``ionq-direct demo``: the direct-submission guide's GHZ job on the embedded emulator.

It starts a local emulator of the IonQ v0.4 service, submits the three-qubit GHZ circuit as the
guide's raw JSON (ideal, on a noise model, on an emulated QPU), then the same circuit through
Qiskit's ``backend.run`` and Cirq's ``sampler.run`` (when they are installed), and prints
probabilities, counts and cost — no account or network needed.
"""

from __future__ import annotations

import copy
import importlib.util
from collections.abc import Callable
from typing import Any, TextIO

from ionq_direct.client import Client
from ionq_direct_cli.display import histogram, print_results, watch

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


def _run(
    client: Client, title: str, body: dict[str, Any], out: TextIO, shots: int, seed: int
) -> None:
    out.write(f"\n== {title}\n")
    job = client.submit(body)
    watch(job, out, timeout=_WAIT_SECONDS)
    print_results(job, out, shots=shots, seed=seed)
    cost = client.get_job_cost(job.id)
    estimated = cost.get("estimated_cost") or {}
    out.write(f"cost: {estimated.get('value')} {estimated.get('unit')} (emulated price model)\n")


def _qiskit_demo(client: Client, out: TextIO, shots: int, seed: int) -> None:
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
    out.write(f"job {job.job_id()}: {job.status().name}\n")
    out.write(f"counts ({sum(counts.values())} shots, Qiskit keys: clbit 0 rightmost):\n")
    histogram({int(key, 2): n for key, n in counts.items()}, qc.num_clbits, out, label="count")


def _cirq_demo(client: Client, out: TextIO, shots: int, seed: int) -> None:
    import cirq

    from cirq_ionq_direct import Service

    q = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(
        [cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.measure(*q, key="ghz")]
    )
    sampler = Service(client=client).sampler(seed=seed)
    result = sampler.run(circuit, repetitions=shots)
    counts = result.histogram(key="ghz")  # big-endian integers: q0 is the leftmost bit
    out.write(f"counts ({sum(counts.values())} repetitions, Cirq keys: q0 leftmost):\n")
    histogram(dict(counts), len(q), out, label="count")


#: The same circuit through each framework: (title, the framework's module and extra, runner).
_FRAMEWORK_DEMOS: tuple[tuple[str, str, Callable[[Client, TextIO, int, int], None]], ...] = (
    ("the same circuit in Qiskit: backend.run(transpile(qc, backend))", "qiskit", _qiskit_demo),
    ("the same circuit in Cirq: Service().sampler().run(circuit)", "cirq", _cirq_demo),
)


def _framework_demos(client: Client, out: TextIO, shots: int, seed: int) -> None:
    for title, framework, run in _FRAMEWORK_DEMOS:
        if importlib.util.find_spec(framework) is None:
            out.write(f"\n== {title}: skipped (install ionq-direct[{framework}])\n")
            continue
        out.write(f"\n== {title}\n")
        run(client, out, shots, seed)


def run_demo(out: TextIO, *, shots: int = 1000, seed: int = 7) -> int:
    """Run the demo against a fresh embedded emulator; returns an exit status."""
    from ionq_emulator import Emulator

    with Emulator(qpu_delay=_QPU_DELAY) as emulator:
        out.write(f"IonQ v0.4 emulator listening at {emulator.url}\n")
        client = Client(api_key=emulator.api_key, base_url=emulator.url)
        guide = copy.deepcopy(GUIDE_JOB)
        guide["shots"] = shots
        _run(client, "the guide's GHZ job, as raw JSON", guide, out, shots, seed)
        noisy = copy.deepcopy(guide)
        noisy["noise"] = {"model": "aria-1", "seed": seed}
        noisy["name"] = "Hello many worlds aria-1 noise"
        _run(client, "the same job on the aria-1 noise model", noisy, out, shots, seed)
        qpu = copy.deepcopy(guide)
        qpu["backend"] = "qpu.aria-1"
        qpu["name"] = "Hello many worlds on emulated Aria"
        _run(client, "the same job on an emulated qpu.aria-1", qpu, out, shots, seed)
        _framework_demos(client, out, shots, seed)
    out.write("\nResult keys are decimal integers with qubit 0 as the least significant bit.\n")
    return 0
