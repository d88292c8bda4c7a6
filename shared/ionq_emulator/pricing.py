"""The emulator's price and duration model, used by ``/jobs/{id}/cost`` and ``/jobs/estimate``.

These are emulated figures in IonQ's shapes, not IonQ's price list:

* ``simulator``: free.
* Aria QPUs (``qpu.aria-1``, ``qpu.aria-2``): $0.00022 per one-qubit gate-shot and $0.000975
  per two-qubit gate-shot, at least $97.50 per job.
* Forte QPUs (``qpu.forte-1``, ``qpu.forte-enterprise-1``): $0.0003 per one-qubit gate-shot and
  $0.0025 per two-qubit gate-shot, at least $97.50 per job.

cost = max(minimum, shots * (n1q * cost_1q_gate + n2q * cost_2q_gate)), rounded to cents; a
multi-circuit job pays the minimum once over the sum of its circuits. Execution time per shot
is the sum of the gate times plus readout and reset (Aria: 135 us per 1q gate, 600 us per 2q
gate, 320 us per shot overhead; Forte: 110 us, 950 us, 400 us); the simulator takes 1 ms per
circuit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ionq_emulator.catalog import is_qpu

UNIT = "usd"
ORGANIZATION = "ionq-direct-emulator"


@dataclass(frozen=True)
class Rates:
    """Prices (USD) and durations (seconds) of one backend family."""

    cost_1q_gate: float
    cost_2q_gate: float
    job_cost_minimum: float
    time_1q_gate: float
    time_2q_gate: float
    time_per_shot: float


_FREE = Rates(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
_ARIA = Rates(0.00022, 0.000975, 97.50, 135e-6, 600e-6, 320e-6)
_FORTE = Rates(0.0003, 0.0025, 97.50, 110e-6, 950e-6, 400e-6)
_SIMULATOR_SECONDS_PER_CIRCUIT = 0.001


def rates(backend: str) -> Rates:
    """The rates that apply to ``backend``."""
    if backend.startswith("qpu.aria"):
        return _ARIA
    if backend.startswith("qpu.forte"):
        return _FORTE
    return _FREE


def job_cost(
    backend: str, shots: int, one_qubit: int, two_qubit: int, *, minimum: bool = True
) -> float:
    """The emulated price of a job, in USD.

    Args:
        backend: the target backend.
        shots: shots per circuit.
        one_qubit: one-qubit gates summed over circuits.
        two_qubit: two-qubit gates summed over circuits.
        minimum: apply the per-job minimum (children of a multi-circuit job do not).
    """
    r = rates(backend)
    cost = shots * (one_qubit * r.cost_1q_gate + two_qubit * r.cost_2q_gate)
    if minimum and r is not _FREE:
        cost = max(cost, r.job_cost_minimum)
    return round(cost, 2)


def execution_seconds(
    backend: str, shots: int, one_qubit: int, two_qubit: int, circuits: int = 1
) -> float:
    """The emulated run time of a job, in seconds."""
    if not is_qpu(backend):
        return _SIMULATOR_SECONDS_PER_CIRCUIT * circuits
    r = rates(backend)
    per_shot = r.time_per_shot * circuits + one_qubit * r.time_1q_gate + two_qubit * r.time_2q_gate
    return shots * per_shot


def estimate(
    *,
    backend: str,
    job_type: str,
    qubits: int,
    shots: int,
    one_qubit: int,
    two_qubit: int,
    error_mitigation: bool,
    queue_seconds: float,
    project: str | None = None,
) -> dict[str, Any]:
    """The ``GET /jobs/estimate`` answer in the OpenAPI's ``GetJobEstimateResponse`` shape.

    Times are integer milliseconds; the rate card has one per-gate entry for the backend family.
    """
    r = rates(backend)
    family = "aria" if r is _ARIA else "forte" if r is _FORTE else "simulator"
    return {
        "estimate_context": {
            "backend": backend,
            "type": job_type,
            "qubits": qubits,
            "shots": shots,
            "1q_gates": one_qubit,
            "2q_gates": two_qubit,
            "error_mitigation": error_mitigation,
            "organization": ORGANIZATION,
            "project": project,
        },
        "estimated_at": datetime.now(timezone.utc)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "estimated_unit": UNIT,
        "rate_card": {
            "id": f"emulator-{family}",
            "rates": [
                {
                    "sku": f"emulator-{family}-gates",
                    "unit": "gates",
                    "cost_1q_gate": r.cost_1q_gate,
                    "cost_2q_gate": r.cost_2q_gate,
                    "job_cost_minimum": r.job_cost_minimum,
                }
            ],
        },
        "estimated_total_cost": job_cost(backend, shots, one_qubit, two_qubit),
        "estimated_execution_time": round(
            execution_seconds(backend, shots, one_qubit, two_qubit) * 1000
        ),
        "current_predicted_queue_time": round(queue_seconds * 1000),
    }
