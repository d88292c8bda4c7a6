"""Quick ideal runs: small ideal circuits, simulated exactly without Aer.

Building a Qiskit circuit and handing it to Aer costs a few tenths of a millisecond before
anything is simulated, which is nearly all the time a small ideal circuit takes (a GHZ, each
point of a parameter sweep). Such circuits are instead simulated by the core's exact state-
vector simulator (:mod:`ionq_direct.simulate`, numpy over the gate table's matrices) in tens of
microseconds: in the server's process while their ``POST`` is handled, or in a worker. Every
path takes them here, so a job's results do not depend on where it ran; the tests hold them to
Aer's probabilities within 1e-12.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ionq_direct.simulate import evolve
from ionq_emulator.simulation import (
    ZERO_PROBABILITY,
    SimulationFailure,
    SimulationResult,
    check,
    result_bodies,
)

#: Amplitude updates (gates, a Pauli exponential counting each term, times ``2**qubits``)
#: up to which an ideal run is quick.
QUICK_WORK = 2**14
#: Most amplitude updates, and most circuits, run together: a batch stays a few milliseconds.
BATCH_WORK = 2**18
BATCH_SIZE = 100


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
    """The updates of specs that may run together in one go, or ``None`` if they may not."""
    if not specs or len(specs) > BATCH_SIZE:
        return None
    total = 0
    for spec in specs:
        updates = work(spec)
        if updates is None:
            return None
        total += updates
    return total if total <= BATCH_WORK else None


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
    """Simulate quick ideal run specs (see :func:`work`) exactly.

    Returns:
        For each spec, in order, its result bodies or the failure it ends with (the failure
        :func:`ionq_emulator.simulation.simulate` gives it).
    """
    return [_one(spec) for spec in specs]


def _one(spec: Mapping[str, Any]) -> dict[str, Any] | SimulationFailure:
    circuit, qubits, gateset = spec["circuit"], int(spec["qubits"]), spec["gateset"]
    try:
        parsed, _ = check(
            circuit,
            qubits=qubits,
            gateset=gateset,
            shots=spec["shots"],
            noise_model=spec["noise_model"],
        )
    except SimulationFailure as exc:
        return exc
    if not parsed:
        return result_bodies(SimulationResult({"0": 1.0}, None, None))
    probs = np.abs(evolve(parsed, qubits)) ** 2
    nonzero = np.flatnonzero(probs >= ZERO_PROBABILITY)
    found = dict(zip(map(str, nonzero.tolist()), probs[nonzero].tolist(), strict=True))
    return result_bodies(SimulationResult(found, None, None))
