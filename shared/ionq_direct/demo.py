"""``ionq-direct demo``: the direct-submission guide's GHZ job on the embedded emulator.

It starts a local emulator of the IonQ v0.4 service, submits the three-qubit GHZ circuit as the
guide's raw JSON, then the same circuit written in Qiskit and in Cirq (when they are installed),
and prints probabilities, counts and the job's cost for each — no account or network needed.
"""

from __future__ import annotations

import copy
from typing import Any, TextIO

from ionq_direct.client import Client
from ionq_direct.display import print_results, watch

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
    client: Client,
    title: str,
    body: dict[str, Any] | bytes,
    token: str | None,
    out: TextIO,
    shots: int,
    seed: int,
) -> None:
    out.write(f"\n== {title}\n")
    job = client.submit(body, client_token=token) if token else client.submit(body)
    watch(job, out, timeout=_WAIT_SECONDS)
    print_results(job, out, shots=shots, seed=seed)
    cost = client.get_job_cost(job.id)
    estimated = cost.get("estimated_cost") or {}
    out.write(f"cost: {estimated.get('value')} {estimated.get('unit')} (emulated price model)\n")


def _qiskit_ghz(shots: int) -> tuple[bytes, str] | None:
    try:
        from qiskit import QuantumCircuit

        from qiskit_ionq_direct import to_ionq
    except ImportError:
        return None
    from ionq_direct.payload import build_jobs

    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(0, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    (prepared,) = build_jobs([to_ionq(qc, name="ghz qiskit")], backend="simulator", shots=shots)
    return prepared.body, prepared.client_token


def _cirq_ghz(shots: int) -> tuple[bytes, str] | None:
    try:
        import cirq

        from cirq_ionq_direct import to_ionq
    except ImportError:
        return None
    from ionq_direct.payload import build_jobs

    q = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(
        [cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.measure(*q, key="ghz")]
    )
    (prepared,) = build_jobs([to_ionq(circuit, name="ghz cirq")], backend="simulator", shots=shots)
    return prepared.body, prepared.client_token


def run_demo(out: TextIO, *, shots: int = 1000, seed: int = 7) -> int:
    """Run the demo against a fresh embedded emulator; returns an exit status."""
    from ionq_direct.emulator import Emulator

    with Emulator(qpu_delay=_QPU_DELAY) as emulator:
        out.write(f"IonQ v0.4 emulator listening at {emulator.url}\n")
        client = Client(api_key=emulator.api_key, base_url=emulator.url)
        guide = copy.deepcopy(GUIDE_JOB)
        guide["shots"] = shots
        _run(client, "the guide's GHZ job, as raw JSON", guide, None, out, shots, seed)
        noisy = copy.deepcopy(guide)
        noisy["noise"] = {"model": "aria-1", "seed": seed}
        noisy["name"] = "Hello many worlds aria-1 noise"
        _run(client, "the same job on the aria-1 noise model", noisy, None, out, shots, seed)
        qpu = copy.deepcopy(guide)
        qpu["backend"] = "qpu.aria-1"
        qpu["name"] = "Hello many worlds on emulated Aria"
        _run(client, "the same job on an emulated qpu.aria-1", qpu, None, out, shots, seed)
        for title, built in (
            ("the same circuit written in Qiskit", _qiskit_ghz(shots)),
            ("the same circuit written in Cirq", _cirq_ghz(shots)),
        ):
            if built is None:
                out.write(f"\n== {title}: skipped (install ionq-direct[all])\n")
                continue
            body, token = built
            _run(client, title, body, token, out, shots, seed)
    out.write("\nResult keys are decimal integers with qubit 0 as the least significant bit.\n")
    return 0
