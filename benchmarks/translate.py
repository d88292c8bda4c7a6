"""Translation benchmark: ionq-direct vs qiskit-ionq and cirq-ionq, side by side in one run.

Each case is timed for our path (framework circuit -> validated core Circuit -> POST /jobs body as
bytes) and the peer's (qiskit-ionq's ``qiskit_to_ionq``, which also returns the JSON body;
cirq-ionq's ``Serializer().serialize_single_circuit`` / ``serialize_many_circuits`` followed by
the ``json.dumps`` its client does before sending). No network is used.

    pip install -e ".[qiskit,cirq]" qiskit-ionq cirq-ionq
    python benchmarks/translate.py [--runs 5] [--json out.json]

Reports medians of ``--runs`` runs (after one warm-up), gates per second, peak traced memory
(tracemalloc) and our speed-up over each peer.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from _timing import peak_mib, timed_runs

SHOTS = 1000


@dataclass
class Measurement:
    """One implementation on one case."""

    case: str
    impl: str
    gates: int
    median_s: float
    min_s: float
    peak_mib: float

    @property
    def gates_per_s(self) -> float:
        return self.gates / self.median_s if self.median_s > 0 else float("inf")


def measure(case: str, impl: str, gates: int, fn: Callable[[], Any], runs: int) -> Measurement:
    fn()  # warm-up: imports, caches
    times = timed_runs(fn, runs)
    return Measurement(case, impl, gates, statistics.median(times), min(times), peak_mib(fn))


# ---------------------------------------------------------------------------------------------
# Workloads


def qiskit_cases() -> dict[str, Any]:
    from qiskit import QuantumCircuit, transpile
    from qiskit.circuit.random import random_circuit

    ghz = QuantumCircuit(3, 3)
    ghz.h(0)
    ghz.cx(0, 1)
    ghz.cx(0, 2)
    ghz.measure([0, 1, 2], [0, 1, 2])

    basis = ["h", "x", "y", "z", "s", "sdg", "t", "tdg", "rx", "ry", "rz", "cx", "swap"]
    rand = transpile(
        random_circuit(20, 100, max_operands=2, seed=1234), basis_gates=basis, optimization_level=1
    )
    rand.measure_all()

    rng = np.random.default_rng(7)
    big = QuantumCircuit(30)
    kinds = rng.integers(0, 3, 100_000)
    angles = rng.uniform(-np.pi, np.pi, 100_000)
    for kind, angle in zip(kinds, angles, strict=True):
        if kind == 0:
            big.rz(float(angle), int(rng.integers(30)))
        elif kind == 1:
            big.ry(float(angle), int(rng.integers(30)))
        else:
            a, b = rng.choice(30, 2, replace=False)
            big.cx(int(a), int(b))
    big.measure_all()

    batch = []
    for i in range(1000):
        qc = QuantumCircuit(4)
        qc.h(0)
        qc.cx(0, 1)
        qc.ry(0.1 * i, 2)
        qc.cx(1, 2)
        qc.rz(0.2 * i, 3)
        qc.cx(2, 3)
        qc.measure_all()
        batch.append(qc)
    return {"ghz-3": ghz, "random-20q-d100": rand, "100k-gates-30q": big, "batch-1000": batch}


def cirq_cases() -> dict[str, Any]:
    import cirq

    q = cirq.LineQubit.range(30)
    ghz = cirq.Circuit(
        [cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.measure(*q[:3], key="m")]
    )

    rng = np.random.default_rng(1234)
    one_q = [cirq.H, cirq.X, cirq.Y, cirq.Z, cirq.S, cirq.T]
    rand_ops: list[cirq.Operation] = []
    for _ in range(100):
        free = list(rng.permutation(20))
        while free:
            k = int(rng.integers(0, 3))
            if k == 2 and len(free) >= 2:
                a, b = free.pop(), free.pop()
                gate = cirq.CNOT if rng.random() < 0.5 else cirq.SWAP
                rand_ops.append(gate(q[a], q[b]))
            elif k == 1:
                rot = [cirq.rx, cirq.ry, cirq.rz][int(rng.integers(3))]
                rand_ops.append(rot(float(rng.uniform(-np.pi, np.pi)))(q[free.pop()]))
            else:
                rand_ops.append(one_q[int(rng.integers(len(one_q)))](q[free.pop()]))
    rand = cirq.Circuit(rand_ops)
    rand.append(cirq.measure(*q[:20], key="m"))

    rng = np.random.default_rng(7)
    kinds = rng.integers(0, 3, 100_000)
    angles = rng.uniform(-np.pi, np.pi, 100_000)
    big_ops: list[cirq.Operation] = []
    for kind, angle in zip(kinds, angles, strict=True):
        if kind == 0:
            big_ops.append(cirq.rz(float(angle))(q[int(rng.integers(30))]))
        elif kind == 1:
            big_ops.append(cirq.ry(float(angle))(q[int(rng.integers(30))]))
        else:
            a, b = rng.choice(30, 2, replace=False)
            big_ops.append(cirq.CNOT(q[int(a)], q[int(b)]))
    big = cirq.Circuit(big_ops, strategy=cirq.InsertStrategy.EARLIEST)
    big.append(cirq.measure(*q, key="m"))

    batch = []
    for i in range(1000):
        c = cirq.Circuit(
            [
                cirq.H(q[0]),
                cirq.CNOT(q[0], q[1]),
                cirq.ry(0.1 * i)(q[2]),
                cirq.CNOT(q[1], q[2]),
                cirq.rz(0.2 * i)(q[3]),
                cirq.CNOT(q[2], q[3]),
                cirq.measure(*q[:4], key="m"),
            ]
        )
        batch.append(c)
    return {"ghz-3": ghz, "random-20q-d100": rand, "100k-gates-30q": big, "batch-1000": batch}


def qiskit_gate_count(case: Any) -> int:
    circuits = case if isinstance(case, list) else [case]
    return sum(1 for c in circuits for inst in c.data if inst.name not in ("measure", "barrier"))


def cirq_gate_count(case: Any) -> int:
    import cirq

    circuits = case if isinstance(case, list) else [case]
    return sum(1 for c in circuits for op in c.all_operations() if not cirq.is_measurement(op))


# ---------------------------------------------------------------------------------------------
# Implementations


def ours_qiskit(case: Any) -> Callable[[], Any]:
    from ionq_direct.payload import build_jobs
    from qiskit_ionq_direct import to_ionq

    circuits = case if isinstance(case, list) else [case]

    def run() -> Any:
        return build_jobs([to_ionq(c) for c in circuits], backend="simulator", shots=SHOTS)

    return run


def peer_qiskit(case: Any) -> Callable[[], Any]:
    import qiskit_ionq.ionq_backend as ionq_backend
    from qiskit_ionq import IonQProvider
    from qiskit_ionq.helpers import qiskit_to_ionq

    ionq_backend.get_n_qubits = lambda *_a, **_k: 36  # no network: the peer asks the API
    backend = IonQProvider(token="benchmark-token").get_backend("simulator")
    args = {"shots": SHOTS, "sampler_seed": 42}
    return lambda: qiskit_to_ionq(case, backend, passed_args=args)


def ours_cirq(case: Any) -> Callable[[], Any]:
    from cirq_ionq_direct import to_ionq
    from ionq_direct.payload import build_jobs

    circuits = case if isinstance(case, list) else [case]

    def run() -> Any:
        return build_jobs([to_ionq(c) for c in circuits], backend="simulator", shots=SHOTS)

    return run


def peer_cirq(case: Any) -> Callable[[], Any]:
    from cirq_ionq import Serializer

    serializer = Serializer()

    def run() -> bytes:
        if isinstance(case, list):
            program = serializer.serialize_many_circuits(case)
        else:
            program = serializer.serialize_single_circuit(case)
        # What cirq-ionq's client then does before sending: one dict, encoded by requests' json=.
        body = {
            "target": "simulator",
            "lang": "json",
            "input": program.input,
            "metadata": dict(program.metadata, shots=str(SHOTS)),
            "shots": str(SHOTS),
        }
        return json.dumps(body, allow_nan=False).encode()

    return run


def block_network() -> None:
    """Make any HTTP attempt by a peer fail loudly instead of touching the network."""
    import requests

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the benchmark must not use the network")

    requests.Session.request = refuse  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--only", choices=["qiskit", "cirq"], help="run one framework only")
    args = parser.parse_args()
    block_network()

    results: list[Measurement] = []
    suites = [
        ("qiskit", qiskit_cases, qiskit_gate_count, ours_qiskit, peer_qiskit, "qiskit-ionq"),
        ("cirq", cirq_cases, cirq_gate_count, ours_cirq, peer_cirq, "cirq-ionq"),
    ]
    for framework, cases, count, ours, peer, peer_name in suites:
        if args.only and args.only != framework:
            continue
        for name, case in cases().items():
            gates = count(case)
            label = f"{framework}/{name}"
            results.append(measure(label, "ionq-direct", gates, ours(case), args.runs))
            results.append(measure(label, peer_name, gates, peer(case), args.runs))

    print(f"python {platform.python_version()}, {platform.machine()}, runs={args.runs}")
    header = f"{'case':<24}{'impl':<13}{'gates':>8}{'median s':>11}{'gates/s':>12}{'peak MiB':>10}"
    print(header + f"{'speed-up':>10}{'mem ratio':>11}")
    for i in range(0, len(results), 2):
        ours_m, peer_m = results[i], results[i + 1]
        for m in (ours_m, peer_m):
            line = (
                f"{m.case:<24}{m.impl:<13}{m.gates:>8}{m.median_s:>11.5f}"
                f"{m.gates_per_s:>12.0f}{m.peak_mib:>10.2f}"
            )
            if m is ours_m:
                speedup = peer_m.median_s / ours_m.median_s
                memory = ours_m.peak_mib / peer_m.peak_mib if peer_m.peak_mib else float("nan")
                line += f"{speedup:>9.1f}x{memory:>10.2f}x"
            print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([asdict(m) | {"gates_per_s": m.gates_per_s} for m in results], fh, indent=2)


if __name__ == "__main__":
    main()
