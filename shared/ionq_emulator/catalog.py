"""The emulator's backends, their characterizations and the simulator's noise models.

Everything here is fixed data: ids come from :func:`uuid.uuid5` and dates are constants, so a
restarted emulator and the tests see the same records. Gate fidelities in the characterizations
are derived from the noise model's depolarizing rates (see :func:`gate_fidelity`), so what a
backend advertises is what its emulation does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ionq_direct.gates import GATE_NAMES

#: The one backend that is not a QPU.
SIMULATOR = "simulator"
#: Namespace of every id this module mints.
_NAMESPACE = uuid.UUID("6f1c2d9e-4b7a-5e3c-9d21-0a8b7c6e5f40")


def is_qpu(backend: str) -> bool:
    """Whether ``backend`` names a QPU rather than the simulator."""
    return backend != SIMULATOR


@dataclass(frozen=True)
class NoiseModelInfo:
    """A simulator noise model (spec section 4.5).

    Attributes:
        name: the ``noise.model`` value.
        max_qubits: the widest circuit the model simulates.
        one_qubit_rate: depolarizing rate ``r1`` applied after every one-qubit gate.
        two_qubit_rate: depolarizing rate ``r2`` applied after every multi-qubit gate.
    """

    name: str
    max_qubits: int
    one_qubit_rate: float
    two_qubit_rate: float


_ARIA_1 = (0.0005, 0.0133)
_ARIA_2 = (0.0006573333333333332, 0.01856)
_FORTE_1 = (0.0002666666666666667, 0.004949333333333333)
# Harmony's formula is not public. These rates describe a machine a few times noisier than Aria
# (one-qubit fidelity ~0.998, two-qubit ~0.96), in line with Harmony's published figures.
_HARMONY = (0.0025, 0.04)


def _model(name: str, max_qubits: int, rates: tuple[float, float]) -> NoiseModelInfo:
    return NoiseModelInfo(name, max_qubits, rates[0], rates[1])


#: Every ``noise.model`` the simulator accepts, by name. ``forte-enterprise-1`` has no published
#: rates; it reuses ``forte-1``'s, the same hardware generation.
NOISE_MODELS: dict[str, NoiseModelInfo] = {
    m.name: m
    for m in (
        _model("ideal", 29, (0.0, 0.0)),
        _model("harmony", 11, _HARMONY),
        _model("harmony-1", 11, _HARMONY),
        _model("harmony-2", 11, _HARMONY),
        _model("aria-1", 25, _ARIA_1),
        _model("aria-2", 25, _ARIA_2),
        _model("forte-1", 29, _FORTE_1),
        _model("forte-enterprise-1", 29, _FORTE_1),
    )
}


def gate_fidelity(rate: float, num_qubits: int) -> float:
    """The process fidelity of IonQ's ``num_qubits``-qubit depolarizing channel at ``rate``.

    The channel keeps the identity Kraus term with weight ``1 - (d**2 - 1) * rate / d**2``
    (``d = 2**num_qubits``), which is its process fidelity: ``1 - 3 r1 / 4`` for one qubit and
    ``1 - 15 r2 / 16`` for two.
    """
    d2 = 1 << (2 * num_qubits)
    return 1.0 - (d2 - 1) * rate / d2


@dataclass(frozen=True)
class Timing:
    """Characterized durations of a QPU, in seconds."""

    t1: float
    t2: float
    one_qubit: float
    two_qubit: float
    readout: float
    reset: float


@dataclass(frozen=True)
class BackendInfo:
    """One backend the emulator serves.

    Attributes:
        name: the ``backend`` value (``simulator`` or ``qpu.*``).
        qubits: the number of qubits it advertises.
        native_two_qubit_gate: ``"ms"`` (Aria), ``"zz"`` (Forte) or ``None`` (the simulator
            takes both).
        noise_model: the model that emulates it; ``"ideal"`` for the simulator, whose jobs may
            choose another with ``noise.model``.
        status: ``available``, ``unavailable`` or ``retired``.
        location: where the machine is.
        average_queue_time: the advertised queue wait (units unspecified by IonQ).
        spam_fidelity: median state preparation and measurement fidelity.
        timing: characterized durations (``None`` for the simulator).
        error_mitigations: the error mitigations it supports.
    """

    name: str
    qubits: int
    native_two_qubit_gate: str | None
    noise_model: str
    status: str
    location: str
    average_queue_time: float
    spam_fidelity: float | None = None
    timing: Timing | None = None
    error_mitigations: tuple[str, ...] = ()

    @property
    def is_qpu(self) -> bool:
        """Whether this is a QPU rather than the simulator."""
        return is_qpu(self.name)

    @property
    def native_gates(self) -> tuple[str, ...]:
        """The native gates it runs."""
        two = (self.native_two_qubit_gate,) if self.native_two_qubit_gate else ("ms", "zz")
        return ("gpi", "gpi2", *two)


_ARIA_TIMING = Timing(
    t1=100.0, t2=1.0, one_qubit=135e-6, two_qubit=600e-6, readout=300e-6, reset=20e-6
)
_FORTE_TIMING = Timing(
    t1=100.0, t2=1.0, one_qubit=63e-6, two_qubit=650e-6, readout=150e-6, reset=50e-6
)
_COLLEGE_PARK = "College Park, MD, USA"
_DEBIASING = ("debiasing",)

#: Every backend, by name, in the order ``GET /backends`` lists them.
BACKENDS: dict[str, BackendInfo] = {
    b.name: b
    for b in (
        BackendInfo(SIMULATOR, 29, None, "ideal", "available", _COLLEGE_PARK, 0),
        BackendInfo(
            "qpu.aria-1", 25, "ms", "aria-1", "available", _COLLEGE_PARK, 1181215,
            0.9959, _ARIA_TIMING, _DEBIASING,
        ),
        BackendInfo(
            "qpu.aria-2", 25, "ms", "aria-2", "available", _COLLEGE_PARK, 1423530,
            0.9952, _ARIA_TIMING, _DEBIASING,
        ),
        BackendInfo(
            "qpu.forte-1", 36, "zz", "forte-1", "available", _COLLEGE_PARK, 2874610,
            0.9968, _FORTE_TIMING, _DEBIASING,
        ),
        BackendInfo(
            "qpu.forte-enterprise-1", 36, "zz", "forte-enterprise-1", "available",
            "Seattle, WA, USA", 964200, 0.9971, _FORTE_TIMING, _DEBIASING,
        ),
    )
}  # fmt: skip

#: Dates of the characterizations each QPU carries, newest first.
CHARACTERIZATION_DATES = (
    "2025-06-16T00:00:00Z",
    "2025-06-09T00:00:00Z",
    "2025-06-02T00:00:00Z",
)
#: When the simulator's record last changed.
_SIMULATOR_UPDATED = "2025-06-16T00:00:00Z"


def _info(name: str) -> BackendInfo:
    info = BACKENDS.get(name)
    if info is None:
        raise KeyError(f"unknown backend {name!r}")
    return info


def characterization_id(name: str, date: str) -> str:
    """The stable id of ``name``'s characterization dated ``date``."""
    return str(uuid.uuid5(_NAMESPACE, f"characterization/{name}/{date}"))


def backend_record(name: str) -> dict[str, Any]:
    """The ``GET /backends/{name}`` body.

    Raises:
        KeyError: ``name`` is not a backend.
    """
    info = _info(name)
    record: dict[str, Any] = {
        "backend": info.name,
        "status": info.status,
        "qubits": info.qubits,
        "average_queue_time": info.average_queue_time,
        "last_updated": CHARACTERIZATION_DATES[0] if info.is_qpu else _SIMULATOR_UPDATED,
    }
    if info.is_qpu:
        record["characterization_id"] = characterization_id(info.name, CHARACTERIZATION_DATES[0])
    record.update(
        degraded=False,
        location=info.location,
        supported_gates=sorted(GATE_NAMES["qis"]),
        supported_native_gates=list(info.native_gates),
        supported_error_mitigations=list(info.error_mitigations),
    )
    return record


def _characterization(info: BackendInfo, age: int) -> dict[str, Any]:
    date = CHARACTERIZATION_DATES[age]
    model = NOISE_MODELS[info.noise_model]
    timing = info.timing
    assert timing is not None and info.spam_fidelity is not None
    return {
        "id": characterization_id(info.name, date),
        "date": date,
        "backend": info.name,
        "qubits": info.qubits,
        "connectivity": [[a, b] for a in range(info.qubits) for b in range(a + 1, info.qubits)],
        "fidelity": {
            # SPAM is not part of the noise model, so older entries may drift a little.
            "spam": {"median": round(info.spam_fidelity - 0.0003 * age, 6), "stderr": None},
            "1q": {"median": gate_fidelity(model.one_qubit_rate, 1)},
            "2q": {"median": gate_fidelity(model.two_qubit_rate, 2)},
        },
        "timing": {
            "t1": timing.t1,
            "t2": timing.t2,
            "1q": timing.one_qubit,
            "2q": timing.two_qubit,
            "readout": timing.readout,
            "reset": timing.reset,
        },
    }


def characterizations(name: str) -> list[dict[str, Any]]:
    """``name``'s characterizations, newest first (none for the simulator).

    Raises:
        KeyError: ``name`` is not a backend.
    """
    info = _info(name)
    if not info.is_qpu:
        return []
    return [_characterization(info, age) for age in range(len(CHARACTERIZATION_DATES))]


def find_characterization(name: str, characterization: str) -> dict[str, Any] | None:
    """``name``'s characterization with id ``characterization``, or ``None``."""
    return next((c for c in characterizations(name) if c["id"] == characterization), None)
