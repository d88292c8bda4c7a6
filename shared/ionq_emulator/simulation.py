"""Run IonQ JSON circuits on qiskit-aer: exact for the ideal simulator, shot by shot with noise.

Each IonQ gate becomes Aer-native Qiskit gates that equal the gate table's matrix *exactly*,
global phase included (it matters once the gate is controlled):

- ``x``/``not``/``cnot``, ``y``, ``z``, ``h``, ``s``, ``si``, ``t``, ``ti``, ``v`` (= ``sx``),
  ``vi`` (= ``sxdg``), ``rx``/``ry``/``rz``, ``swap`` and ``xx``/``yy``/``zz`` (= ``rxx``/
  ``ryy``/``rzz``) map to their Qiskit namesakes, or to ``cx``/``ccx``/``mcx``, ``cp``/``mcphase``,
  ``crx``/``cry``/``crz``, ``csx`` and ``cswap`` under controls.
- Controlled forms Aer has no gate for are conjugations whose outer gates cancel when a control
  is off: ``C-Y = S C-X S+``, ``C-H = RY(pi/4) C-Z RY(-pi/4)``, ``C-V = H C-S H``,
  ``C-SWAP(a, b) = CX(a, b) C-CX(b, a) CX(a, b)`` and Pauli rotations (below).
- ``pauliexp`` and controlled rotations use ``exp(-i a P) = B+ CX-ladder+ RZ(2a) CX-ladder B``
  (``B`` maps each letter to Z); under controls only the ``RZ`` is controlled, as
  ``C-RZ(t) = RZ(t/2) C-X RZ(-t/2) C-X``. An all-identity term is a (controlled) phase.
- Native ``gpi``/``gpi2``/``ms`` are ``UnitaryGate`` s of the table's matrices. IonQ's matrices
  put ``targets[0]`` as the left tensor factor while Qiskit's put ``qargs[0]`` on the right, so
  they are applied to the reversed targets. Native ``zz(t)`` is ``rzz(2 pi t)``.

Only the qubits a circuit touches are simulated (the others stay in ``|0>``); result keys are
mapped back onto the full register, with qubit 0 as the least significant bit.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct.errors import GateError
from ionq_direct.gates import ParsedGate, iter_parsed
from ionq_direct.limits import MAX_CONTROLS
from ionq_emulator import noise
from ionq_emulator.catalog import NOISE_MODELS, NoiseModelInfo

#: Probabilities below this are left out of ideal results.
ZERO_PROBABILITY = 1e-12
#: Amplitude updates per second assumed when predicting run time; optimistic, so a prediction
#: only refuses runs that would certainly blow their budget.
_PREDICTED_RATE = 4e9
#: Amplitude updates per noisy batch; the wall-clock budget is checked between batches.
_BATCH_WORK = 2e8
_SEED_MODULUS = 2**31
#: From this width on, noisy runs use Aer's shot branching (shots share the state until their
#: sampled errors differ): measured 25x faster at 20 qubits, but 3x slower at 10.
_BRANCHING_QUBITS = 14


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation produced, keyed by IonQ's decimal outcome strings.

    Attributes:
        probabilities: outcome -> probability (sparse; exact for the ideal simulator, shot
            frequencies with noise).
        histogram: outcome -> shot count, or ``None`` for the ideal simulator.
        shots: each shot's outcome in order, or ``None`` for the ideal simulator.
        artifacts: further result bodies by result kind (the register-nested v2 artifacts of
            an OpenQASM 3 job), stored beside the three above.
    """

    probabilities: dict[str, float]
    histogram: dict[str, int] | None
    shots: list[str] | None
    artifacts: dict[str, Any] = field(default_factory=dict)


class SimulationAbandoned(Exception):
    """A run stopped because ``keep_going`` said so: there is no result to report.

    The worker asks this when the job was canceled or deleted, or the emulator is stopping.
    """


class SimulationFailure(Exception):
    """A simulation the cloud would fail, with IonQ's failure ``code`` and a ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


_local = threading.local()
#: Threads each Aer run may use (0: Aer's default, every core); see :func:`set_parallel_threads`.
_parallel_threads = 0


def set_parallel_threads(threads: int) -> None:
    """Bound the threads one Aer run uses in this process (0 restores Aer's default).

    A worker process that shares the cores with other workers sets its share, so parallel
    simulations do not oversubscribe the machine. Results do not depend on it.
    """
    global _parallel_threads
    if threads < 0:
        raise ValueError("threads must be at least 0")
    _parallel_threads = threads
    _local.simulators = {}


def _simulator(method: str, branching: bool = False) -> Any:
    """The calling thread's AerSimulator for ``method`` (one per thread keeps runs apart)."""
    cache: dict[tuple[str, bool], Any] | None = getattr(_local, "simulators", None)
    if cache is None:
        cache = _local.simulators = {}
    sim = cache.get((method, branching))
    if sim is None:
        from qiskit_aer import AerSimulator

        options: dict[str, Any] = (
            {"shot_branching_enable": True, "shot_branching_sampling_enable": True}
            if branching
            else {}
        )
        if _parallel_threads:
            options["max_parallel_threads"] = _parallel_threads
        sim = cache[method, branching] = AerSimulator(method=method, **options)
    return sim


class _Builder:
    """Appends IonQ gates to a Qiskit circuit as exact Aer-native gates, plus their noise."""

    def __init__(self, num_qubits: int, info: NoiseModelInfo | None) -> None:
        from qiskit import QuantumCircuit
        from qiskit.circuit import library

        self.qc = QuantumCircuit(num_qubits, num_qubits if info is not None else 0)
        self.lib = library
        self.info = info
        self.operations = 0

    # -- helpers on mapped qubit indices ---------------------------------------------------

    def mcx(self, controls: Sequence[int], target: int) -> None:
        qc = self.qc
        if not controls:
            qc.x(target)
        elif len(controls) == 1:
            qc.cx(controls[0], target)
        elif len(controls) == 2:
            qc.ccx(controls[0], controls[1], target)
        else:
            qc.append(self.lib.MCXGate(len(controls)), [*controls, target])

    def phase(self, angle: float, qubits: Sequence[int]) -> None:
        """Multiply the state by ``exp(i angle)`` where every qubit in ``qubits`` is 1."""
        qc = self.qc
        if not qubits:
            qc.global_phase += angle
        elif len(qubits) == 1:
            qc.p(angle, qubits[0])
        elif len(qubits) == 2:
            qc.cp(angle, qubits[0], qubits[1])
        else:
            qc.append(self.lib.MCPhaseGate(angle, len(qubits) - 1), list(qubits))

    def crz(self, theta: float, controls: Sequence[int], target: int) -> None:
        qc = self.qc
        if not controls:
            qc.rz(theta, target)
        elif len(controls) == 1:
            qc.crz(theta, controls[0], target)
        else:
            self.mcx(controls, target)
            qc.rz(-theta / 2, target)
            self.mcx(controls, target)
            qc.rz(theta / 2, target)

    def pauli_rotation(
        self, letters: str, targets: Sequence[int], controls: Sequence[int], angle: float
    ) -> None:
        """Apply ``exp(-i angle P)`` for the Pauli string ``letters`` on ``targets``."""
        active = [(q, p) for q, p in zip(targets, letters, strict=True) if p != "I"]
        if not active:
            self.phase(-angle, controls)
            return
        qc = self.qc
        for q, p in active:
            if p == "Y":
                qc.sdg(q)
            if p != "Z":
                qc.h(q)
        last = active[-1][0]
        for q, _ in active[:-1]:
            qc.cx(q, last)
        self.crz(2 * angle, controls, last)
        for q, _ in reversed(active[:-1]):
            qc.cx(q, last)
        for q, p in active:
            if p != "Z":
                qc.h(q)
            if p == "Y":
                qc.s(q)

    def unitary(self, gate: ParsedGate, targets: Sequence[int]) -> None:
        matrix = gate.unitary()
        self.qc.append(self.lib.UnitaryGate(matrix, check_input=False), list(reversed(targets)))

    # -- IonQ gates -----------------------------------------------------------------------

    def add(self, gate: ParsedGate, where: Mapping[int, int] | None) -> None:
        """Append ``gate`` (qubits renumbered through ``where``) and its noise."""
        targets = [where[q] for q in gate.targets] if where else list(gate.targets)
        controls = [where[q] for q in gate.controls] if where else list(gate.controls)
        if gate.spec.gateset == "native":
            self._native(gate, targets)
        else:
            self._qis(gate, targets, controls)
        self.operations += 1
        if self.info is not None:
            for instruction, qargs in noise.gate_noise(self.info, [*controls, *targets]):
                self.qc.append(instruction, qargs)
                self.operations += 1

    def _native(self, gate: ParsedGate, targets: list[int]) -> None:
        if gate.spec.name == "zz":
            self.qc.rzz(2 * math.pi * float(gate.params["angle"]), targets[0], targets[1])
        else:
            self.unitary(gate, targets)

    def _qis(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        rule = _QIS_RULES.get(gate.spec.name)
        if rule is None:  # pragma: no cover - the gate table and _QIS_RULES are tested together
            raise SimulationFailure(
                "SimulationError", f"no simulation for qis gate {gate.spec.name!r}"
            )
        rule(self, gate, targets, controls)

    # -- one rule per qis gate family: (gate, targets, controls) on mapped qubits ------------

    def _x(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        self.mcx(controls, targets[0])

    def _y(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        qc, t = self.qc, targets[0]
        if not controls:
            qc.y(t)
        elif len(controls) == 1:
            qc.cy(controls[0], t)
        else:
            qc.sdg(t)
            self.mcx(controls, t)
            qc.s(t)

    def _diagonal(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        """``z``, ``s``, ``si``, ``t``, ``ti``: a phase on ``|1>``, controlled as a multi-phase."""
        name, t = gate.spec.name, targets[0]
        if controls:
            self.phase(_PHASES[name], [*controls, t])
        else:
            getattr(self.qc, _PHASE_METHODS[name])(t)

    def _h(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        qc, t = self.qc, targets[0]
        if controls:
            qc.ry(-math.pi / 4, t)
            self.phase(math.pi, [*controls, t])
            qc.ry(math.pi / 4, t)
        else:
            qc.h(t)

    def _sqrt_x(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        """``v`` and ``vi``: ``sx``/``sxdg``, ``csx``, else ``H`` around a controlled phase."""
        qc, t, inverse = self.qc, targets[0], gate.spec.name == "vi"
        if not controls:
            (qc.sxdg if inverse else qc.sx)(t)
        elif len(controls) == 1 and not inverse:
            qc.csx(controls[0], t)
        else:
            qc.h(t)
            self.phase(-math.pi / 2 if inverse else math.pi / 2, [*controls, t])
            qc.h(t)

    def _rotation(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        """``rx``, ``ry``, ``rz``."""
        name, t, theta = gate.spec.name, targets[0], _rotation_angle(gate)
        if not controls:
            getattr(self.qc, name)(theta, t)
        elif len(controls) == 1:
            getattr(self.qc, "c" + name)(theta, controls[0], t)
        else:
            self.pauli_rotation(name[1].upper(), [t], controls, theta / 2)

    def _swap(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        qc, (a, b) = self.qc, targets
        if not controls:
            qc.swap(a, b)
        elif len(controls) == 1:
            qc.cswap(controls[0], a, b)
        else:
            qc.cx(a, b)
            self.mcx([*controls, b], a)
            qc.cx(a, b)

    def _ising(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        """``xx``, ``yy``, ``zz``: ``rxx``/``ryy``/``rzz``, else a controlled Pauli rotation."""
        name, theta = gate.spec.name, _rotation_angle(gate)
        if not controls:
            getattr(self.qc, "r" + name)(theta, targets[0], targets[1])
        else:
            self.pauli_rotation(name.upper(), targets, controls, theta / 2)

    def _pauliexp(self, gate: ParsedGate, targets: list[int], controls: list[int]) -> None:
        time_ = float(gate.params["time"])
        terms, coefficients = gate.params["terms"], gate.params["coefficients"]
        for term, coefficient in zip(terms, coefficients, strict=True):
            self.pauli_rotation(term, targets, controls, float(coefficient) * time_)


def _rotation_angle(gate: ParsedGate) -> float:
    return float(gate.params.get("rotation", 0.0))


_PHASES = {
    "z": math.pi,
    "s": math.pi / 2,
    "si": -math.pi / 2,
    "t": math.pi / 4,
    "ti": -math.pi / 4,
}
_PHASE_METHODS = {"z": "z", "s": "s", "si": "sdg", "t": "t", "ti": "tdg"}
_QisRule = Callable[[_Builder, ParsedGate, list[int], list[int]], None]
#: qis gate name -> the rule that builds it (every qis gate in the core gate table has one).
_QIS_RULES: dict[str, _QisRule] = {
    **dict.fromkeys(("x", "not", "cnot"), _Builder._x),
    "y": _Builder._y,
    **dict.fromkeys(_PHASES, _Builder._diagonal),
    "h": _Builder._h,
    **dict.fromkeys(("v", "vi"), _Builder._sqrt_x),
    **dict.fromkeys(("rx", "ry", "rz"), _Builder._rotation),
    "swap": _Builder._swap,
    **dict.fromkeys(("xx", "yy", "zz"), _Builder._ising),
    "pauliexp": _Builder._pauliexp,
}


def _spread(indices: NDArray[np.int64], used: Sequence[int] | None) -> NDArray[np.int64]:
    """Move bit ``j`` of each compact outcome index to bit ``used[j]`` of the register key."""
    if used is None:
        return indices
    out = np.zeros_like(indices)
    for j, q in enumerate(used):
        out |= ((indices >> j) & 1) << q
    return out


def _check_result(result: Any) -> None:
    if result.success:
        return
    status = (
        str(getattr(result, "status", ""))
        + " "
        + " ".join(str(getattr(r, "status", "")) for r in getattr(result, "results", []))
    )
    if "memory" in status.lower():
        raise SimulationFailure("SimulationTimeout", f"the simulation is too large: {status}")
    raise SimulationFailure("SimulationError", f"could not execute simulation: {status}")


def _ideal(builder: _Builder, used: Sequence[int] | None) -> SimulationResult:
    from qiskit_aer.library import SaveProbabilities

    qc = builder.qc
    qc.append(SaveProbabilities(qc.num_qubits), qc.qubits)
    result = _simulator("statevector").run(qc, shots=1).result()
    _check_result(result)
    probs = np.asarray(result.data(0)["probabilities"], dtype=np.float64)
    nonzero = np.flatnonzero(probs >= ZERO_PROBABILITY)
    keys = _spread(nonzero.astype(np.int64), used)
    return SimulationResult(
        probabilities=dict(zip(map(str, keys.tolist()), probs[nonzero].tolist(), strict=True)),
        histogram=None,
        shots=None,
    )


def _batch_seed(seed: int, done: int) -> int:
    """A well-mixed Aer seed for the batch starting at shot ``done``.

    Aer seeds shot ``i`` with ``seed + i``, so neighbouring user seeds (42 and 43) would share
    almost every trajectory; hashing the user seed with the batch offset keeps them independent.
    """
    state = np.random.SeedSequence([seed % 2**63, done]).generate_state(1, np.uint32)
    return int(state[0]) % _SEED_MODULUS


def _noisy(
    builder: _Builder,
    used: Sequence[int] | None,
    *,
    shots: int,
    seed: int,
    deadline: float | None,
    keep_going: Callable[[], bool] | None = None,
) -> SimulationResult:
    qc = builder.qc
    qc.measure(range(qc.num_qubits), range(qc.num_qubits))
    per_shot = max(builder.operations, 1) * float(2**qc.num_qubits)
    batch = max(1, min(shots, int(_BATCH_WORK / per_shot)))
    outcomes: list[NDArray[np.int64]] = []
    done = 0
    simulator = _simulator("statevector", qc.num_qubits >= _BRANCHING_QUBITS)
    while done < shots:
        size = min(batch, shots - done)
        result = simulator.run(
            qc, shots=size, seed_simulator=_batch_seed(seed, done), memory=True
        ).result()
        _check_result(result)
        outcomes.append(np.array([int(bits, 2) for bits in result.get_memory(0)], np.int64))
        done += size
        if done < shots and keep_going is not None and not keep_going():
            raise SimulationAbandoned
        if deadline is not None and done < shots and time.monotonic() > deadline:
            raise SimulationFailure("SimulationTimeout", "the simulation ran out of time")
    keys = _spread(np.concatenate(outcomes), used)
    values, counts = np.unique(keys, return_counts=True)
    labels = [str(v) for v in values.tolist()]
    histogram = dict(zip(labels, counts.tolist(), strict=True))
    return SimulationResult(
        probabilities={k: n / shots for k, n in histogram.items()},
        histogram=histogram,
        shots=list(map(str, keys.tolist())),
    )


def _trivial(shots: int, noisy: bool) -> SimulationResult:
    """The result of a circuit with no gates: every qubit reads 0."""
    if not noisy:
        return SimulationResult({"0": 1.0}, None, None)
    return SimulationResult({"0": 1.0}, {"0": shots}, ["0"] * shots)


def check(
    circuit: Sequence[Mapping[str, Any]],
    *,
    qubits: int,
    gateset: str,
    shots: int,
    noise_model: str,
) -> tuple[list[ParsedGate], NoiseModelInfo]:
    """Check a circuit against its noise model: its parsed gates and the model.

    Raises:
        SimulationFailure: ``InvalidInput``, ``TooManyControls`` or ``NotEnoughQubits`` (see
            :func:`simulate`).
    """
    info = NOISE_MODELS.get(noise_model)
    if info is None:
        raise SimulationFailure("InvalidInput", f"unknown noise model {noise_model!r}")
    if qubits < 1:
        raise SimulationFailure("InvalidInput", f"a circuit needs at least 1 qubit, got {qubits}")
    if qubits > info.max_qubits:
        raise SimulationFailure(
            "NotEnoughQubits",
            f"the circuit needs {qubits} qubits but the {noise_model} simulator supports at "
            f"most {info.max_qubits}",
        )
    if noise.is_noisy(info) and shots < 1:
        raise SimulationFailure("InvalidInput", f"a noisy simulation needs shots >= 1, got {shots}")
    try:
        parsed = iter_parsed(circuit, gateset=gateset, qubits=qubits, max_controls=MAX_CONTROLS)
    except GateError as exc:
        raise SimulationFailure(exc.code, str(exc)) from None
    return list(parsed), info


def refuse_overlong(work: float, max_seconds: float | None) -> None:
    """Fail a run of ``work`` amplitude updates that is sure to overrun ``max_seconds``.

    Raises:
        SimulationFailure: ``SimulationTimeout``, before anything runs.
    """
    if max_seconds is not None and work / _PREDICTED_RATE > max_seconds:
        raise SimulationFailure(
            "SimulationTimeout", f"the simulation would take longer than {max_seconds:g} s"
        )


def simulate(
    circuit: Sequence[Mapping[str, Any]],
    *,
    qubits: int,
    gateset: str,
    shots: int,
    noise_model: str,
    seed: int | None,
    max_seconds: float | None = None,
    keep_going: Callable[[], bool] | None = None,
) -> SimulationResult:
    """Simulate one IonQ JSON circuit, measuring every qubit at the end.

    Args:
        circuit: the gate dicts.
        qubits: the register width; result keys span it.
        gateset: ``"qis"`` or ``"native"``.
        shots: shots to run with noise (ignored by the ``ideal`` model).
        noise_model: a name from :data:`ionq_emulator.catalog.NOISE_MODELS`.
        seed: seeds the noisy run; the same seed gives the same shots.
        max_seconds: wall-clock budget; exceeding it (or being sure to) fails the run.
        keep_going: asked between batches of noisy shots; ``False`` abandons the run, so a
            canceled job does not hold the one simulator thread for the rest of its budget.

    Returns:
        Exact probabilities for ``ideal``; per-shot outcomes, a histogram and frequencies
        otherwise.

    Raises:
        SimulationFailure: ``InvalidInput`` (bad circuit, unknown model), ``TooManyControls``,
            ``NotEnoughQubits`` (wider than the model allows), ``SimulationTimeout`` (over
            budget or too large for memory) or ``SimulationError`` (Aer failed).
        SimulationAbandoned: ``keep_going`` returned ``False``.
    """
    started = time.monotonic()
    parsed, info = check(
        circuit, qubits=qubits, gateset=gateset, shots=shots, noise_model=noise_model
    )
    noisy = noise.is_noisy(info)
    used = sorted({q for g in parsed for q in (*g.targets, *g.controls)})
    if not used:
        return _trivial(shots, noisy)
    compact = used != list(range(len(used)))
    spread = used if compact else None
    where = {q: i for i, q in enumerate(used)} if compact else None
    builder = _Builder(len(used), info if noisy else None)
    for gate in parsed:
        builder.add(gate, where)
    refuse_overlong(
        builder.operations * float(2 ** len(used)) * (shots if noisy else 1), max_seconds
    )
    deadline = None if max_seconds is None else started + max_seconds
    try:
        if noisy:
            if seed is None:
                seed = secrets.randbelow(_SEED_MODULUS)
            result = _noisy(
                builder, spread, shots=shots, seed=seed, deadline=deadline, keep_going=keep_going
            )
        else:
            result = _ideal(builder, spread)
    except (SimulationFailure, SimulationAbandoned):
        raise
    except MemoryError:
        raise SimulationFailure("SimulationTimeout", "the simulation is too large") from None
    except Exception as exc:
        raise SimulationFailure("SimulationError", f"could not execute simulation: {exc}") from exc
    if deadline is not None and time.monotonic() > deadline:
        raise SimulationFailure("SimulationTimeout", "the simulation ran out of time")
    return result


def result_bodies(result: SimulationResult) -> dict[str, Any]:
    """The result bodies a job stores, by kind (``probabilities``, ``histogram``, ``shots``)."""
    bodies: dict[str, Any] = {"probabilities": result.probabilities}
    if result.histogram is not None:
        bodies["histogram"] = result.histogram
    if result.shots is not None:
        bodies["shots"] = result.shots
    bodies.update(result.artifacts)
    return bodies


def simulate_job(spec: Mapping[str, Any], *, max_seconds: float | None = None) -> dict[str, Any]:
    """Run one stored job: the single entry point every worker process calls.

    Args:
        spec: the job's stored run spec (``circuit``, ``qubits``, ``gateset``, ``shots``,
            ``noise_model``, ``seed``; an ``ionq.qasm3.v1`` job's ``program`` and
            ``registers`` instead of the circuit), as :mod:`ionq_emulator.rows` writes it.
        max_seconds: wall-clock budget of the run.

    Returns:
        The result bodies by kind, as :func:`result_bodies` gives them (with an OpenQASM 3
        job's v2 artifacts).

    Raises:
        SimulationFailure: the job fails with IonQ's failure code (see :func:`simulate`).
    """
    if spec.get("program") is not None:  # an ionq.qasm3.v1 job
        from ionq_emulator.qasm3 import run_program

        return result_bodies(
            run_program(
                spec["program"],
                shots=spec["shots"],
                noise_model=spec["noise_model"],
                seed=spec.get("seed"),
                registers=spec.get("registers", ()),
                max_seconds=max_seconds,
            )
        )
    from ionq_emulator import quick  # imports this module

    if quick.work(spec) is not None:
        (outcome,) = quick.simulate_quick([spec])
        if isinstance(outcome, SimulationFailure):
            raise outcome
        return outcome
    result = simulate(
        spec["circuit"],
        qubits=spec["qubits"],
        gateset=spec["gateset"],
        shots=spec["shots"],
        noise_model=spec["noise_model"],
        seed=spec.get("seed"),
        max_seconds=max_seconds,
    )
    return result_bodies(result)
