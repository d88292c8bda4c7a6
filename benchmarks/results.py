"""Result-conversion benchmark: ionq-direct vs qiskit-ionq and cirq-ionq, side by side in one run.

Each case starts from the probabilities body exactly as ``GET .../results/probabilities`` sends
it (``{"<decimal key>": p}``, string keys, parsed from JSON) and ends at the framework's result
object with its counts (and per-shot memory / records where that path produces them). Every
implementation runs its real job class against a stub client that hands back a prepared job
record and that body, so what is timed is the code a user's ``result()`` call runs after the
download:

* ours, Qiskit: ``IonQJob(...).result().get_counts()`` (core ``Job`` decode, seeded sampling or
  largest-remainder counts, per-shot hex memory, ``Result``);
* qiskit-ionq: ``IonQJob(...).result().get_counts()`` (its ``status()`` parse of the record,
  ``_build_counts``, ``Result.from_dict``);
* ours, Cirq: ``CirqJob(...).results()`` (core decode, then ``Layout.to_result``);
* cirq-ionq: ``Job(client, job_dict).results()`` then ``.to_cirq_result(seed=1234)`` for the
  simulator and ``.to_cirq_result()`` for a QPU.

No network is used (``requests`` is blocked). Workload construction is not timed.

    pip install -e ".[qiskit,cirq]" qiskit-ionq cirq-ionq
    python benchmarks/results.py [--runs 5] [--json out.json] [--only qiskit|cirq] [--no-large]

Reports medians of ``--runs`` runs (after one warm-up), peak traced memory (tracemalloc), our
speed-up over each peer, and each result's total count next to the shots asked for.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import signal
import statistics
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
from _timing import peak_mib, timed_runs

JOB_ID = "0190f1b2-bench-job"
QISKIT_SEED = 42
CIRQ_SEED = 1234
QPU = "qpu.aria-1"


@dataclass
class Workload:
    """One result body and the job it belongs to."""

    name: str
    backend: str  # "simulator" (ideal) or a QPU
    qubits: int
    shots: int
    body: dict[str, Any]  # as json.loads gives it

    @property
    def outcomes(self) -> int:
        return len(self.body)

    @property
    def ideal(self) -> bool:
        return self.backend == "simulator"


@dataclass
class Measurement:
    """One implementation on one case."""

    case: str
    impl: str
    outcomes: int
    shots: int
    total: int | None  # sum of the counts (Qiskit) / number of records (Cirq)
    memory: int | None  # per-shot entries produced (memory or records), None if none
    median_s: float
    min_s: float
    peak_mib: float
    note: str = ""


class TooSlow(Exception):
    """Raised by the alarm when a peer exceeds the time limit."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise TooSlow


def measure(
    case: str,
    impl: str,
    work: Workload,
    fn: Callable[[], Any],
    summary: Callable[[Any], tuple[int, int | None]],
    runs: int,
    limit: float | None = None,
) -> Measurement:
    def skipped(note: str) -> Measurement:
        nan = float("nan")
        return Measurement(case, impl, work.outcomes, work.shots, None, None, nan, nan, nan, note)

    armed = limit is not None and hasattr(signal, "setitimer")
    if armed and limit is not None:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        out = fn()  # warm-up: imports, caches; also where the result is checked
    except TooSlow:
        return skipped(f"n/a (> {limit:g} s)")
    except Exception as exc:  # a peer failing on a case is a finding, not a crash
        return skipped(f"error: {type(exc).__name__}: {exc}"[:120])
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
    total, memory = summary(out)
    del out
    times = timed_runs(fn, runs)
    peak = peak_mib(fn)
    return Measurement(
        case,
        impl,
        work.outcomes,
        work.shots,
        total,
        memory,
        statistics.median(times),
        min(times),
        peak,
    )


# ---------------------------------------------------------------------------------------------
# Workloads


def _as_received(probabilities: dict[int, float]) -> dict[str, Any]:
    """The body as the API sends it and ``json.loads`` returns it: decimal string keys."""
    text = json.dumps({str(k): v for k, v in probabilities.items()})
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _dense(qubits: int, seed: int) -> dict[str, Any]:
    weights = np.random.default_rng(seed).random(2**qubits)
    probs = weights / weights.sum()
    return _as_received(dict(enumerate(probs.tolist())))


def _realistic_qpu(qubits: int, shots: int, seed: int) -> dict[str, Any]:
    """Observed frequencies of ``shots`` shots spread over a pool of ~38k outcomes.

    The pool size makes ~987 of the 1,000 shots distinct, like a real 20-qubit QPU answer.
    """
    rng = np.random.default_rng(seed)
    pool = rng.choice(2**qubits, 38_000, replace=False)
    keys, tally = np.unique(rng.choice(pool, shots), return_counts=True)
    return _as_received({int(k): int(c) / shots for k, c in zip(keys, tally, strict=True)})


def workloads(large: bool) -> list[Workload]:
    dense16 = _dense(16, seed=16)
    cases = [
        Workload("ideal-16q-dense", "simulator", 16, 10_000, dense16),
        Workload("qpu-16q-dense", QPU, 16, 10_000, dense16),
        Workload("qpu-20q-1k-shots", QPU, 20, 1_000, _realistic_qpu(20, 1_000, seed=20)),
    ]
    if large:
        cases.append(Workload("ideal-20q-dense", "simulator", 20, 100_000, _dense(20, seed=2020)))
    return cases


# ---------------------------------------------------------------------------------------------
# Implementations: each returns a zero-argument callable doing the whole conversion.


class _OursClient:
    """The two calls a core ``Job`` makes for a finished single-circuit job, and its policy."""

    def __init__(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        from ionq_direct.policy import DEFAULT_POLICY

        self.record = record
        self.body = body
        self.policy = DEFAULT_POLICY

    def get_job(self, job_id: str) -> dict[str, Any]:
        return dict(self.record)

    def get_probabilities(self, job_id: str, sharpen: bool | None = None) -> dict[str, Any]:
        return self.body


def _ours_record(work: Workload, metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "id": JOB_ID,
        "status": "completed",
        "backend": work.backend,
        "shots": work.shots,
        "metadata": metadata,
        "stats": {"qubits": work.qubits},
    }


def _qiskit_circuit(qubits: int) -> Any:
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(qubits, qubits, name="bench")
    qc.h(range(qubits))
    qc.measure(range(qubits), range(qubits))
    return qc


def _cirq_circuit(qubits: int) -> Any:
    import cirq

    q = cirq.LineQubit.range(qubits)
    return cirq.Circuit(cirq.H.on_each(*q), cirq.measure(*q, key="m"))


def ours_qiskit(work: Workload, memory: bool = True) -> Callable[[], Any]:
    from ionq_direct.jobs import Job
    from ionq_direct.metadata import SEED_METADATA_KEY
    from qiskit_ionq_direct import to_ionq
    from qiskit_ionq_direct.job import IonQJob
    from qiskit_ionq_direct.result import CircuitLayout

    circuit = _qiskit_circuit(work.qubits)
    layout = CircuitLayout.of(circuit, to_ionq(circuit))
    record = _ours_record(work, {SEED_METADATA_KEY: str(QISKIT_SEED)})
    client = _OursClient(record, work.body)
    backend = SimpleNamespace(name=f"ionq_{work.backend}", backend_version="bench")

    def run() -> Any:
        # What backend.run(...) hands back; memory=True is our default.
        job = IonQJob(
            backend,  # type: ignore[arg-type]
            [Job(client, JOB_ID, record)],  # type: ignore[arg-type]
            [[layout]],
            memory=memory,
        )
        result = job.result()
        return result, result.get_counts()

    return run


def peer_qiskit(work: Workload) -> Callable[[], Any]:
    import qiskit_ionq.ionq_backend as ionq_backend
    from qiskit_ionq import IonQProvider
    from qiskit_ionq.helpers import qiskit_to_ionq
    from qiskit_ionq.ionq_job import IonQJob

    ionq_backend.get_n_qubits = lambda *_a, **_k: 36  # no network: the peer asks the API
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # IonQTranspileLevelWarning on every backend
        backend = IonQProvider(token="benchmark-token").get_backend(
            "ionq_simulator" if work.ideal else f"ionq_{QPU}"
        )
    circuit = _qiskit_circuit(work.qubits)
    args = {"shots": work.shots, "sampler_seed": QISKIT_SEED}
    # The metadata (compressed qiskit_header, shots, sampler_seed) the peer itself submits.
    metadata = json.loads(qiskit_to_ionq(circuit, backend, passed_args=dict(args)))["metadata"]
    record = {
        "id": JOB_ID,
        "status": "completed",
        "backend": work.backend,
        "stats": {"qubits": work.qubits},
        "metadata": metadata,
        "results": {"probabilities": {"url": f"/v0.4/jobs/{JOB_ID}/results/probabilities"}},
        "execution_duration_ms": 1000,
    }

    class Client:
        def retrieve_job(self, job_id: str) -> dict[str, Any]:
            return record

        def get_results(self, results_url: str = "", **_kwargs: Any) -> dict[str, Any]:
            return work.body

    client = Client()

    def run() -> Any:
        # backend.retrieve_job / the job backend.run returns: memory=False is the default.
        job = IonQJob(backend, JOB_ID, client=client, passed_args=dict(args))
        result = job.result()
        return result, result.get_counts()

    return run


def qiskit_summary(out: Any) -> tuple[int, int | None]:
    result, counts = out
    memory = result.results[0].data.memory if hasattr(result.results[0].data, "memory") else None
    return sum(counts.values()), None if memory is None else len(memory)


def ours_cirq(work: Workload) -> Callable[[], Any]:
    from cirq_ionq_direct import to_ionq
    from cirq_ionq_direct.job import CirqJob
    from cirq_ionq_direct.results import Layout
    from ionq_direct.jobs import Job

    layout = Layout.of(to_ionq(_cirq_circuit(work.qubits)))
    record = _ours_record(work, {})
    client = _OursClient(record, work.body)

    def run() -> Any:
        job = CirqJob(Job(client, JOB_ID, record), [layout], seed=CIRQ_SEED)  # type: ignore[arg-type]
        return job.results()[0]

    return run


def peer_cirq(work: Workload) -> Callable[[], Any]:
    import cirq_ionq
    from cirq_ionq import Serializer

    program = Serializer().serialize_single_circuit(_cirq_circuit(work.qubits))
    job_dict = {
        "id": JOB_ID,
        "name": "bench",
        "status": "completed",
        "backend": work.backend,
        "stats": {"qubits": work.qubits},
        "metadata": dict(program.metadata, shots=str(work.shots)),
    }

    class Client:
        def get_job(self, job_id: str) -> dict[str, Any]:
            return job_dict

        def get_results(self, job_id: str, **_kwargs: Any) -> dict[str, Any]:
            return work.body

    client = Client()

    def run() -> Any:
        result = cirq_ionq.Job(client, job_dict).results()
        if work.ideal:
            return result.to_cirq_result(seed=CIRQ_SEED)
        return result.to_cirq_result()

    return run


def cirq_summary(out: Any) -> tuple[int, int | None]:
    # A cirq.Result has a repetitions property; cirq-ionq's QPUResult/SimulatorResult (which a
    # job's results() gives, ours as the peer's) a repetitions() method.
    reps = out.repetitions
    count = int(reps() if callable(reps) else reps)
    return count, count


def block_network() -> None:
    """Make any HTTP attempt by a peer fail loudly instead of touching the network."""
    import requests

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the benchmark must not use the network")

    requests.Session.request = refuse  # type: ignore[method-assign]


def _same_counts(ours: Callable[[], Any], peer: Callable[[], Any], framework: str) -> bool:
    if framework == "qiskit":
        return bool(ours()[1] == peer()[1])
    return bool(ours().histogram(key="m") == peer().histogram(key="m"))


def _fmt(value: float, spec: str, width: int) -> str:
    return f"{'n/a':>{width}}" if math.isnan(value) else f"{value:>{width}{spec}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the measurements to this file")
    parser.add_argument("--only", choices=["qiskit", "cirq"], help="run one framework only")
    parser.add_argument("--no-large", action="store_true", help="skip the 2^20-outcome case")
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="run our Qiskit job with memory=False (counts only, like the peer's default)",
    )
    parser.add_argument(
        "--peer-limit", type=float, default=30.0, help="seconds before a peer call is n/a"
    )
    args = parser.parse_args()
    block_network()

    cases = workloads(large=not args.no_large)
    results: list[Measurement] = []
    notes: list[str] = []

    def with_memory(work: Workload) -> Callable[[], Any]:
        return ours_qiskit(work, memory=not args.no_memory)

    suites = [
        ("qiskit", with_memory, peer_qiskit, qiskit_summary, "qiskit-ionq"),
        ("cirq", ours_cirq, peer_cirq, cirq_summary, "cirq-ionq"),
    ]
    for framework, ours, peer, summary, peer_name in suites:
        if args.only and args.only != framework:
            continue
        for work in cases:
            label = f"{framework}/{work.name}"
            ours_fn, peer_fn = ours(work), peer(work)
            ours_m = measure(label, "ionq-direct", work, ours_fn, summary, args.runs)
            peer_m = measure(
                label, peer_name, work, peer_fn, summary, args.runs, limit=args.peer_limit
            )
            results += [ours_m, peer_m]
            if not work.ideal and peer_m.total is not None:
                # Frequencies leave no sampling freedom: both sides should agree exactly.
                same = _same_counts(ours_fn, peer_fn, framework)
                notes.append(f"{label}: counts identical to {peer_name}: {'yes' if same else 'NO'}")

    print(f"python {platform.python_version()}, {platform.machine()}, runs={args.runs}")
    header = (
        f"{'case':<25}{'impl':<13}{'outcomes':>9}{'shots':>8}{'total':>8}{'memory':>8}"
        f"{'median s':>10}{'peak MiB':>10}{'speed-up':>10}{'mem ratio':>11}"
    )
    print(header)
    for i in range(0, len(results), 2):
        ours_m, peer_m = results[i], results[i + 1]
        for m in (ours_m, peer_m):
            total = "-" if m.total is None else str(m.total)
            memory = "-" if m.memory is None else str(m.memory)
            line = (
                f"{m.case:<25}{m.impl:<13}{m.outcomes:>9}{m.shots:>8}{total:>8}{memory:>8}"
                f"{_fmt(m.median_s, '.4f', 10)}{_fmt(m.peak_mib, '.1f', 10)}"
            )
            if m is ours_m:
                speedup = peer_m.median_s / ours_m.median_s
                ratio = ours_m.peak_mib / peer_m.peak_mib if peer_m.peak_mib else float("nan")
                line += f"{_fmt(speedup, '.1f', 9)}x{_fmt(ratio, '.2f', 10)}x"
            elif m.note:
                line += f"  {m.note}"
            print(line)
    for m in results:
        if m.total is not None and m.total != m.shots:
            notes.append(f"{m.case}: {m.impl} accounts for {m.total} of {m.shots} shots")
    if notes:
        print("\nnotes:")
        for note in notes:
            print(f"  {note}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([asdict(m) for m in results], fh, indent=2)


if __name__ == "__main__":
    main()
