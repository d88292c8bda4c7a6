"""Quick ideal runs together: many small circuits of one multi-circuit job in one Aer call.

Each Aer call costs a few tenths of a millisecond before it simulates anything, which is most
of the time a small ideal circuit takes. A worker handed a run of such circuits (a parameter
sweep, say) gives them to Aer as one list, which runs them one after another in a single call;
each result equals what :func:`ionq_emulator.simulation.simulate_job` gives for it alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ionq_emulator.simulation import (
    SimulationFailure,
    _check_result,
    _ideal_circuit,
    _ideal_result,
    _trivial,
    prepare,
    result_bodies,
)

#: Amplitude updates (gates, a Pauli exponential counting each term, times ``2**qubits``)
#: up to which an ideal run is sure to take well under a millisecond of Aer's time.
QUICK_WORK = 2**14
#: Most amplitude updates, and most circuits, in one call: a call stays a few milliseconds.
BATCH_WORK = 2**18
BATCH_SIZE = 100
#: Serializes the quick runs of one process, and with them the first import of Qiskit and
#: Aer: two threads building the first circuits while the extensions load can crash.
_LOCK = threading.Lock()


_local = threading.local()


def _one_thread_simulator() -> Any:
    """The calling thread's single-threaded statevector AerSimulator.

    Quick circuits gain nothing from threads, and an OpenMP pool left spinning after a run
    would take the cores from the HTTP server around it.
    """
    sim = getattr(_local, "simulator", None)
    if sim is None:
        from qiskit_aer import AerSimulator

        sim = _local.simulator = AerSimulator(
            method="statevector", max_parallel_threads=1, max_parallel_experiments=1
        )
    return sim


def work(spec: Mapping[str, Any]) -> int | None:
    """The amplitude updates of a quick run spec, or ``None`` if it is not sure to be quick.

    Quick means a JSON circuit on the ideal simulator of at most :data:`QUICK_WORK` updates.
    """
    if spec.get("program") is not None or spec.get("noise_model") != "ideal":
        return None
    gates = sum(max(1, len(gate.get("terms") or ())) for gate in spec["circuit"])
    updates = gates * 2 ** int(spec["qubits"])
    return updates if updates <= QUICK_WORK else None


def batch_work(specs: Sequence[Mapping[str, Any]]) -> int | None:
    """The updates of specs that may share one call, or ``None`` if they may not."""
    if not specs or len(specs) > BATCH_SIZE:
        return None
    total = 0
    for spec in specs:
        updates = work(spec)
        if updates is None:
            return None
        total += updates
    return total if total <= BATCH_WORK else None


def warm() -> None:
    """Import Aer and run one tiny circuit, so the first quick run does not pay for them."""
    spec = {"circuit": [{"gate": "h", "targets": [0]}], "qubits": 1, "gateset": "qis"}
    simulate_quick([{**spec, "shots": 1, "noise_model": "ideal"}])


def batches(specs: Sequence[Mapping[str, Any]]) -> Iterator[range]:
    """Split ``specs`` into consecutive runs: quick specs together, every other one alone."""
    start, total = 0, 0
    for index, spec in enumerate(specs):
        updates = work(spec)
        if updates is None:
            if index > start:
                yield range(start, index)
            yield range(index, index + 1)
            start, total = index + 1, 0
            continue
        if index > start and (index - start >= BATCH_SIZE or total + updates > BATCH_WORK):
            yield range(start, index)
            start, total = index, 0
        total += updates
    if start < len(specs):
        yield range(start, len(specs))


def simulate_quick(specs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any] | SimulationFailure]:
    """Simulate quick ideal run specs in one Aer call.

    Returns:
        For each spec, in order, its result bodies or the failure it ends with.

    Raises:
        SimulationFailure: the call as a whole failed (the caller runs the specs one by one).
    """
    with _LOCK:
        return _simulate_quick(specs)


def _simulate_quick(specs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any] | SimulationFailure]:
    out: list[dict[str, Any] | SimulationFailure] = []
    circuits: list[Any] = []
    pending: list[tuple[int, Sequence[int] | None]] = []
    for spec in specs:
        try:
            prepared = prepare(
                spec["circuit"],
                qubits=spec["qubits"],
                gateset=spec["gateset"],
                shots=spec["shots"],
                noise_model=spec["noise_model"],
            )
        except SimulationFailure as exc:
            out.append(exc)
            continue
        if prepared.builder is None:
            out.append(result_bodies(_trivial(spec["shots"], noisy=False)))
            continue
        pending.append((len(out), prepared.spread))
        out.append({})  # filled in below
        circuits.append(_ideal_circuit(prepared.builder))
    if circuits:
        result = _one_thread_simulator().run(circuits, shots=1).result()
        _check_result(result)
        for experiment, (index, spread) in enumerate(pending):
            out[index] = result_bodies(_ideal_result(result.data(experiment), spread))
    return out
