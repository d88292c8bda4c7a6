"""End-to-end benchmark: ours (Qiskit and Cirq adapters) vs qiskit-ionq and cirq-ionq, one emulator.

Part 1 (clients): every implementation sends its jobs to the SAME emulator, interleaved run by
run (each run starting with the next implementation), and the script reports the median wall
time per workload, our speed-up over each peer, and the HTTP requests each implementation sent
per workload. A workload gets at least ``--runs`` runs, and more when it is short: about two
seconds of samples per implementation (judged from one warm call each), up to twenty times
``--runs``.

* ``ghz``: one 3-qubit GHZ on the simulator (done before the first status check);
* ``ghz x20``: twenty of those one after another (a variational loop);
* ``qpu ghz``: the GHZ on an emulated QPU whose job takes about 0.6 s (``--qpu-delay`` 0.3 s
  queued plus 0.3 s running, the emulator's QPU timing model);
* ``batch 50``: fifty circuits in one ``backend.run`` (Qiskit only);
* ``sweep 20``: a twenty-point ``run_sweep`` (Cirq only).

Part 2 (emulator): simulation-bound throughput and job latency (p50/p99, submit to completed)
for 1, 5 and 20 concurrent clients with one worker and with one per core, and the p99 of an
idle ``GET /backends`` sent while those simulations run. The two emulators run side by side
and take turns, three rounds of each load, pooled; throughput counts the jobs completed within
each load's window.

The emulator runs as its own process (``ionq_emulator.serve``) on loopback, so no client
shares its interpreter with the server. It needs the emulator extra; when the interpreter
running this script lacks it (the peers' venv), pass ``--server-python`` (or set
``IONQ_BENCH_SERVER_PYTHON``) to one that has it. A peer that is not installed is skipped.

    PYTHONPATH=$PWD:$PWD/shared python benchmarks/e2e.py [--runs 5] [--json out.json]
        [--server-python PATH] [--only clients|emulator] [--workload NAME ...] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters

REPO = Path(__file__).resolve().parent.parent
KEY = "e2e-benchmark-key"
QPU_DELAY = 0.3
SHOTS = 1000
#: Noisy simulation-bound job of part 2: a 3-qubit GHZ, about 0.2 s of Aer work (Aer spreads
#: its shots over every core it may use).
BOUND_SHOTS = 1500
#: Ideal simulation-bound job of part 2: 13 qubits, two 50-term Pauli exponentials that undo
#: each other, about 0.2 s of Aer work on one core (Aer runs statevectors below 14 qubits on
#: one thread) and a one-entry result.
BOUND_QUBITS, BOUND_TERMS = 13, 50
#: A load client's pause between status checks: at least LOAD_POLL seconds, and LOAD_RATIO of
#: the time it has waited so far (as ionq-direct's client paces itself), so the load generator,
#: which shares the cores being measured, does not spend them on polling.
LOAD_POLL = 0.05
LOAD_RATIO = 0.1
GHZ_JSON = [
    {"gate": "h", "targets": [0]},
    {"gate": "cnot", "controls": [0], "targets": [1]},
    {"gate": "cnot", "controls": [0], "targets": [2]},
]

# -- the emulator process ------------------------------------------------------------------


def _has_emulator(python: str) -> bool:
    probe = "import fastapi, uvicorn, qiskit_aer, ionq_emulator.server"
    env = _server_env()
    done = subprocess.run([python, "-c", probe], env=env, capture_output=True, timeout=120)
    return done.returncode == 0


def _server_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    shared = f"{REPO}{os.pathsep}{REPO / 'shared'}"
    return {**os.environ, "PYTHONPATH": shared + (os.pathsep + path if path else "")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def emulator(python: str, *, workers: int, qpu_delay: float) -> Iterator[str]:
    """An emulator process on a free loopback port; yields its base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="ionq-e2e-") as tmp:
        code = (
            "from ionq_emulator import serve; "
            f"serve(port={port}, db_path={str(Path(tmp) / 'e2e.sqlite3')!r}, "
            f"api_keys=[{KEY!r}], qpu_delay={qpu_delay}, workers={workers})"
        )
        proc = subprocess.Popen(
            [python, "-c", code],
            env=_server_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/v0.4"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    requests.get(url + "/backends", timeout=2)
                    break
                except requests.ConnectionError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the emulator did not start") from None
                    time.sleep(0.05)
            time.sleep(1.5)  # let the fork server and the workers finish warming up
            yield url
        finally:
            proc.terminate()
            proc.wait(30)


# -- request counting ---------------------------------------------------------------------

_requests_sent = 0
_count_lock = threading.Lock()
_original_send = requests.adapters.HTTPAdapter.send


def _counting_send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
    global _requests_sent
    with _count_lock:
        _requests_sent += 1
    return _original_send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = _counting_send  # type: ignore[method-assign]


def _counted(fn: Callable[[], Any]) -> tuple[float, int]:
    """Wall seconds and HTTP requests of one call."""
    before = _requests_sent
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, _requests_sent - before


# -- the implementations ------------------------------------------------------------------


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _qiskit_circuits(n: int) -> list[Any]:
    from qiskit import QuantumCircuit

    circuits = []
    for i in range(n):
        qc = QuantumCircuit(3, 3, name=f"ghz{i}")
        qc.h(0)
        qc.cx(0, 1)
        qc.cx(0, 2)
        if i % 2:
            qc.x(2)
        qc.measure(range(3), range(3))
        circuits.append(qc)
    return circuits


def _cirq_ghz() -> Any:
    import cirq

    q = cirq.LineQubit.range(3)
    return cirq.Circuit(
        cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.measure(*q, key="m")
    )


def _cirq_sweep() -> tuple[Any, Any]:
    import cirq
    import sympy

    q = cirq.LineQubit.range(2)
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(
        cirq.rx(theta).on(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(*q, key="m")
    )
    return circuit, cirq.Linspace("theta", 0, math.pi, 20)


Impl = dict[str, Callable[[], Any]]


def ours_qiskit(url: str) -> Impl:
    from qiskit_ionq_direct import IonQProvider

    provider = IonQProvider(KEY, url)
    sim, qpu = provider.get_backend("simulator"), provider.get_backend("qpu.aria-1")
    one, fifty = _qiskit_circuits(1)[0], _qiskit_circuits(50)

    def ghz() -> Any:
        return sim.run(one, shots=SHOTS).result().get_counts()

    return {
        "ghz": ghz,
        "ghz x20": lambda: [ghz() for _ in range(20)],
        "qpu ghz": lambda: qpu.run(one, shots=SHOTS).result().get_counts(),
        "batch 50": lambda: sim.run(fifty, shots=SHOTS).result().get_counts(),
    }


def qiskit_ionq(url: str) -> Impl:
    from qiskit_ionq import IonQProvider

    provider = IonQProvider(token=KEY, url=url)
    sim, qpu = provider.get_backend("ionq_simulator"), provider.get_backend("ionq_qpu.aria-1")
    one, fifty = _qiskit_circuits(1)[0], _qiskit_circuits(50)

    def ghz() -> Any:
        return sim.run(one, shots=SHOTS).result().get_counts()

    return {
        "ghz": ghz,
        "ghz x20": lambda: [ghz() for _ in range(20)],
        "qpu ghz": lambda: qpu.run(one, shots=SHOTS).result().get_counts(),
        "batch 50": lambda: sim.run(fifty, shots=SHOTS).result().get_counts(),
    }


def ours_cirq(url: str) -> Impl:
    from cirq_ionq_direct import Service

    service = Service(KEY, url)
    sim, qpu = service.sampler(seed=1), service.sampler("qpu.aria-1", seed=1)
    ghz_circuit = _cirq_ghz()
    sweep_circuit, points = _cirq_sweep()

    def ghz() -> Any:
        return sim.run(ghz_circuit, repetitions=SHOTS).histogram(key="m")

    return {
        "ghz": ghz,
        "ghz x20": lambda: [ghz() for _ in range(20)],
        "qpu ghz": lambda: qpu.run(ghz_circuit, repetitions=SHOTS).histogram(key="m"),
        "sweep 20": lambda: sim.run_sweep(sweep_circuit, points, repetitions=SHOTS),
    }


def cirq_ionq(url: str) -> Impl:
    import cirq_ionq

    service = cirq_ionq.Service(remote_host=url.removesuffix("/v0.4"), api_key=KEY)
    sim, qpu = service.sampler(target="simulator"), service.sampler(target="qpu.aria-1")
    ghz_circuit = _cirq_ghz()
    sweep_circuit, points = _cirq_sweep()

    def ghz() -> Any:
        return sim.run(ghz_circuit, repetitions=SHOTS).histogram(key="m")

    return {
        "ghz": ghz,
        "ghz x20": lambda: [ghz() for _ in range(20)],
        "qpu ghz": lambda: qpu.run(ghz_circuit, repetitions=SHOTS).histogram(key="m"),
        "sweep 20": lambda: sim.run_sweep(sweep_circuit, points, repetitions=SHOTS),
    }


#: name -> (module it needs, factory, which of "ours"/the peer it is compared with).
IMPLEMENTATIONS: dict[str, tuple[str, Callable[[str], Impl]]] = {
    "ours (Qiskit)": ("qiskit_ionq_direct", ours_qiskit),
    "ours (Cirq)": ("cirq_ionq_direct", ours_cirq),
    "qiskit-ionq": ("qiskit_ionq", qiskit_ionq),
    "cirq-ionq": ("cirq_ionq", cirq_ionq),
}
WORKLOADS = ("ghz", "ghz x20", "qpu ghz", "batch 50", "sweep 20")
PEER_OF = {"ours (Qiskit)": "qiskit-ionq", "ours (Cirq)": "cirq-ionq"}


def run_clients(url: str, runs: int, workloads: tuple[str, ...] = WORKLOADS) -> dict[str, Any]:
    """Part 1: the workloads, every implementation, interleaved run by run."""
    impls: dict[str, Impl] = {}
    for name, (module, factory) in IMPLEMENTATIONS.items():
        if not _installed(module):
            print(f"  skipping {name}: {module} is not installed")
            continue
        impls[name] = factory(url)
    table: dict[str, dict[str, Any]] = {}
    for workload in workloads:
        takers = {n: i[workload] for n, i in impls.items() if workload in i}
        for fn in takers.values():
            fn()  # warm-up: imports, connections, caches
        slowest = 0.0
        for fn in takers.values():  # one warm call each says how many runs fit
            start = time.perf_counter()
            fn()
            slowest = max(slowest, time.perf_counter() - start)
        times: dict[str, list[float]] = {n: [] for n in takers}
        sent: dict[str, list[int]] = {n: [] for n in takers}
        order = list(takers.items())
        for run in range(_samples(runs, slowest)):
            # Each run starts with the next implementation, so none always follows the same.
            for name, fn in order[run % len(order) :] + order[: run % len(order)]:
                seconds, count = _counted(fn)
                times[name].append(seconds)
                sent[name].append(count)
        table[workload] = {
            name: {
                "median_s": statistics.median(times[name]),
                "requests": statistics.median(sent[name]),
                "runs": times[name],
            }
            for name in takers
        }
        _print_workload(workload, table[workload])
    return table


#: A workload is timed until each implementation has about this many seconds of samples,
#: and at least ``--runs`` of them: ten runs of a 10 ms job say little about its median.
SAMPLE_SECONDS = 2.0
#: ... but at most this many times ``--runs``.
MAX_SAMPLE_FACTOR = 20


def _samples(runs: int, slowest: float) -> int:
    """How many runs a workload gets, from its slowest implementation's warm call."""
    wanted = math.ceil(SAMPLE_SECONDS / max(slowest, 1e-3))
    return max(runs, min(wanted, runs * MAX_SAMPLE_FACTOR))


def _print_workload(workload: str, rows: dict[str, Any]) -> None:
    print(f"\n  {workload}")
    for name, row in rows.items():
        ratio = ""
        peer = PEER_OF.get(name)
        if peer in rows:
            ratio = f"   {rows[peer]['median_s'] / row['median_s']:.2f}x vs {peer}"
        print(
            f"    {name:15s} {row['median_s'] * 1000:9.1f} ms  "
            f"{row['requests']:6.0f} requests{ratio}"
        )


# -- part 2: the emulator under simulation-bound load --------------------------------------


def _noisy_job() -> dict[str, Any]:
    return {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "shots": BOUND_SHOTS,
        "noise": {"model": "forte-1", "seed": 1},
        "input": {"qubits": 3, "gateset": "qis", "circuit": GHZ_JSON},
    }


def _statevector_job() -> dict[str, Any]:
    letters = "XYZ"
    terms = [
        "".join(letters[(7 * t + 3 * q + t * q) % 3] for q in range(BOUND_QUBITS))
        for t in range(BOUND_TERMS)
    ]
    wires = list(range(BOUND_QUBITS))

    def gate(order: list[str], sign: float) -> dict[str, Any]:
        coefficients = [sign * 0.1] * len(order)
        return {"gate": "pauliexp", "targets": wires, "terms": order, "coefficients": coefficients}

    forward, back = gate(terms, 1.0), gate(terms[::-1], -1.0)
    forward["time"] = back["time"] = 0.5
    return {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "input": {"qubits": BOUND_QUBITS, "gateset": "qis", "circuit": [forward, back]},
    }


BOUND_JOBS: dict[str, Callable[[], dict[str, Any]]] = {
    "statevector": _statevector_job,
    "noisy": _noisy_job,
}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def _load(url: str, job: dict[str, Any], clients: int, seconds: float) -> Load:
    """``clients`` threads submitting ``job`` one after another for ``seconds``.

    Throughput counts the jobs that completed within the window: every client starts at
    once, so the workers are busy from the first instant, and a job still running when the
    window closes is waited for (its latency is kept) but not counted, on either side of a
    comparison alike. Counting a fixed number of jobs instead left the last ones running on
    one worker while the other idled, which weighed on more workers only.
    """
    latencies: list[float] = []
    in_window = 0
    lock = threading.Lock()

    split = urlsplit(url)
    body = json.dumps(job).encode()
    headers = {"Authorization": f"apiKey {KEY}", "Content-Type": "application/json"}
    begin = time.perf_counter()
    window_end = begin + seconds

    def client() -> None:
        nonlocal in_window
        # http.client, not requests: the load generator shares the two cores with the
        # emulator, so it should spend as little of them as it can on its own requests.
        conn = http.client.HTTPConnection(split.hostname or "", split.port, timeout=60)

        def call(method: str, path: str, data: bytes | None = None) -> Any:
            conn.request(method, split.path + path, body=data, headers=headers)
            answer = conn.getresponse()
            content = answer.read()
            if answer.status >= 300:
                raise RuntimeError(f"{method} {path}: HTTP {answer.status} {content[:200]!r}")
            return json.loads(content)

        while time.perf_counter() < window_end:
            start = time.perf_counter()
            job_id = call("POST", "/jobs", body)["id"]
            while call("GET", f"/jobs/{job_id}")["status"] not in ("completed", "failed"):
                time.sleep(max(LOAD_POLL, LOAD_RATIO * (time.perf_counter() - start)))
            done = time.perf_counter()
            with lock:
                latencies.append(done - start)
                in_window += done <= window_end
        conn.close()

    idle: list[float] = []
    stop = threading.Event()

    def prober() -> None:
        conn = http.client.HTTPConnection(split.hostname or "", split.port, timeout=60)
        while not stop.is_set():
            start = time.perf_counter()
            conn.request("GET", split.path + "/backends")
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                raise RuntimeError(f"GET /backends: HTTP {answer.status}")
            idle.append(time.perf_counter() - start)
            stop.wait(0.05)
        conn.close()

    probe = threading.Thread(target=prober)
    probe.start()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    probe.join()
    return Load(latencies, in_window, seconds, idle)


@dataclass
class Load:
    """What load runs saw: each job's latency, jobs completed in the window, the window's
    seconds, and the idle probes' times."""

    latencies: list[float]
    in_window: int
    window: float
    idle: list[float]

    def add(self, other: Load) -> None:
        """Pool ``other`` into this one (throughput is then all jobs over all windows)."""
        self.latencies += other.latencies
        self.in_window += other.in_window
        self.window += other.window
        self.idle += other.idle

    def row(self) -> dict[str, float]:
        """Jobs, jobs/s, p50/p99 latency and the idle probe's p99 and max."""
        return {
            "jobs": float(len(self.latencies)),
            "jobs_per_s": self.in_window / self.window,
            "p50_s": statistics.median(self.latencies),
            "p99_s": _percentile(self.latencies, 99),
            "idle_backends_p99_ms": _percentile(self.idle, 99) * 1000,
            "idle_backends_max_ms": max(self.idle) * 1000,
        }


def run_emulator(python: str, quick: bool) -> dict[str, Any]:
    """Part 2: throughput and latency at 1, 5 and 20 clients, one worker vs one per core.

    Both emulators run side by side (an idle one costs nothing) and take turns, round by
    round, so a host that slows down or speeds up during the part weighs on both alike.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # clients -> seconds of load per round
    rounds, plan = (2, {1: 2.0, 5: 2.0, 20: 4.0}) if quick else (3, {1: 3.0, 5: 4.0, 20: 6.0})
    out: dict[str, Any] = {"cores": cores, "rounds": rounds}
    with ExitStack() as stack:
        urls = {
            workers: stack.enter_context(emulator(python, workers=workers, qpu_delay=0.0))
            for workers in sorted({1, cores or 1})
        }
        for kind, make in BOUND_JOBS.items():
            job = make()
            for url in urls.values():
                _load(url, job, 1, 0.5)  # warm-up
            for clients, seconds in plan.items():
                pooled: dict[int, Load] = {}
                for _ in range(rounds):
                    for workers, url in urls.items():
                        seen = _load(url, job, clients, seconds)
                        if workers in pooled:
                            pooled[workers].add(seen)
                        else:
                            pooled[workers] = seen
                for workers, seen in pooled.items():
                    row = seen.row()
                    out[f"{kind}, {workers} workers, {clients} clients"] = row
                    print(
                        f"    {kind:11s} workers {workers}  clients {clients:2d}: "
                        f"{row['jobs_per_s']:5.2f} jobs/s  p50 {row['p50_s']:.3f} s  "
                        f"p99 {row['p99_s']:.3f} s  idle GET /backends p99 "
                        f"{row['idle_backends_p99_ms']:.1f} ms "
                        f"(max {row['idle_backends_max_ms']:.1f})"
                    )
                if len(pooled) == 2:
                    one, many = (pooled[w].row()["jobs_per_s"] for w in sorted(pooled))
                    print(f"    {kind:11s} {clients:2d} clients: {many / one:.2f}x one worker")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--only", choices=("clients", "emulator"))
    parser.add_argument("--quick", action="store_true", help="fewer jobs in part 2")
    parser.add_argument(
        "--workload",
        action="append",
        choices=WORKLOADS,
        help="run only this workload of part 1 (repeatable; default: all)",
    )
    parser.add_argument(
        "--server-python",
        default=os.environ.get("IONQ_BENCH_SERVER_PYTHON", sys.executable),
        help="interpreter with the emulator extra that runs the emulator",
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if not _has_emulator(args.server_python):
        raise SystemExit(
            f"{args.server_python} cannot run the emulator (needs the emulator extra): "
            "pass --server-python or set IONQ_BENCH_SERVER_PYTHON"
        )
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    for module in ("qiskit_ionq", "cirq_ionq", "qiskit", "cirq"):
        if _installed(module):
            report[module] = getattr(__import__(module), "__version__", "?")
    print(json.dumps(report))
    if args.only in (None, "clients"):
        print("\nPart 1: end to end, one emulator, interleaved (median of runs)")
        cores = os.cpu_count() or 1
        with emulator(args.server_python, workers=cores, qpu_delay=QPU_DELAY) as url:
            report["clients"] = run_clients(url, args.runs, tuple(args.workload or WORKLOADS))
    if args.only in (None, "emulator"):
        print(
            f"\nPart 2: simulation-bound load (statevector: {BOUND_QUBITS}-qubit Pauli "
            f"exponentials; noisy: {BOUND_SHOTS}-shot forte-1 GHZ)"
        )
        report["emulator"] = run_emulator(args.server_python, args.quick)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
