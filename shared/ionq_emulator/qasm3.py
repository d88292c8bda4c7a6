"""``ionq.qasm3.v1`` jobs: preflight an OpenQASM 3 program, then run it per shot on qiskit-aer.

Preflight (at submission, as the cloud does it) parses the program with a real OpenQASM 3 parser
(``openqasm3``, then ``qiskit.qasm3.loads`` through ``qiskit-qasm3-import``) and enforces the
subset IonQ runs. Anything outside it is not a 400: the job is accepted and then fails with
``PreflightError`` and a message naming the construct, as IonQ's OpenQASM 3 page says. The page
states that loops and branches run on no target, the simulator included; the rest of the list
below is this emulator's reading of "a circuit" (declarations, gates, ``measure``, ``reset``,
``barrier``), refusing classical computation, timing and pulse-level constructs:

* accepted: ``OPENQASM 3``, ``include "stdgates.inc"``, ``qubit``/``qreg`` and
  ``bit``/``creg`` declarations, standard gates (with ``ctrl``/``negctrl``/``inv`` modifiers),
  ``gate`` definitions, ``gphase``, ``measure`` (into bits), ``reset``, ``barrier``, pragmas,
  and IonQ's native gates ``gpi(p)``, ``gpi2(p)``, ``ms(p0, p1[, t])`` and ``zz(t)`` with
  phases and angles in turns, as in IonQ's native gateset;
* refused (``PreflightError`` naming it): ``if``/``else``, ``for``, ``while``, ``switch``,
  ``break``/``continue``/``end``/``return``, ``def`` subroutines, ``extern``, ``input``/
  ``output``, classical variables other than bits, ``const``, ``let`` aliases, classical
  assignments and expressions, ``delay``, ``box``, ``cal``/``defcal``.

Running: shot-based targets (QPUs and noise models) run every shot on Aer, with IonQ's
depolarizing channel after every gate of the program as written (spec §4.5), and answer with
the v2 shots, histogram and probabilities artifacts plus the legacy v1 results of
``output_all``. The ideal simulator computes the exact distribution over the classical bits,
branching on every mid-circuit measurement and reset (terminal measurements are read off the
final state), and answers with probabilities only, as qiskit-ionq 1.1 documents for IonQ's
ideal simulator ("returns only the aggregate distribution").
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct import artifacts
from ionq_emulator import noise
from ionq_emulator.catalog import NOISE_MODELS
from ionq_emulator.simulation import (
    _BATCH_WORK,
    _SEED_MODULUS,
    ZERO_PROBABILITY,
    SimulationAbandoned,
    SimulationFailure,
    SimulationResult,
    _batch_seed,
    _simulator,
    refuse_overlong,
)

__all__ = ["MAX_BRANCHES", "Preflight", "preflight", "run_program"]

#: Live branches the exact (ideal) simulation of mid-circuit measurements may hold.
MAX_BRANCHES = 4096
_SKIPPED = frozenset({"barrier", "delay"})

#: Refused statement types -> how the failure names them.
_REFUSED = {
    "BranchingStatement": "an if/else branch",
    "ForInLoop": "a for loop",
    "WhileLoop": "a while loop",
    "SwitchStatement": "a switch statement",
    "BreakStatement": "a break statement",
    "ContinueStatement": "a continue statement",
    "EndStatement": "an end statement",
    "ReturnStatement": "a return statement",
    "SubroutineDefinition": "a def subroutine",
    "ExternDeclaration": "an extern declaration",
    "IODeclaration": "an input/output declaration",
    "ConstantDeclaration": "a const declaration",
    "AliasStatement": "a let alias",
    "ClassicalAssignment": "a classical assignment",
    "ExpressionStatement": "a classical expression statement",
    "DelayInstruction": "a delay",
    "Box": "a box",
    "CalibrationStatement": "a cal block",
    "CalibrationDefinition": "a defcal calibration",
    "CalibrationGrammarDeclaration": "a defcalgrammar declaration",
}
_CONTROL_FLOW = frozenset(
    {"BranchingStatement", "ForInLoop", "WhileLoop", "SwitchStatement"}
    | {"BreakStatement", "ContinueStatement", "EndStatement", "ReturnStatement"}
)


@dataclass(frozen=True)
class Preflight:
    """What preflight learned about a program.

    Attributes:
        qubits: declared qubits.
        one_qubit: one-qubit gates.
        two_qubit: gates on two or more qubits.
        registers: the declared classical registers, ``(name, size)`` in order.
        failure: ``(code, message)`` when the job must fail instead of running.
    """

    qubits: int
    one_qubit: int
    two_qubit: int
    registers: tuple[tuple[str, int], ...]
    failure: tuple[str, str] | None = None


def _fail(message: str, code: str = "PreflightError") -> Preflight:
    return Preflight(1, 0, 0, (), (code, message))


def _where(node: Any) -> str:
    span = getattr(node, "span", None)
    return f" (line {span.start_line})" if span is not None else ""


def _refusal(statement: Any) -> str | None:
    """Why a top-level statement is outside IonQ's subset, or ``None``."""
    from openqasm3 import ast

    kind = type(statement).__name__
    if kind in _REFUSED:
        what = _REFUSED[kind] + _where(statement)
        if kind in _CONTROL_FLOW:
            return (
                f"{what}: dynamic circuit execution (loops and branches) is not supported on "
                "any target, including the simulator"
            )
        return f"{what} is not in the OpenQASM 3 subset IonQ runs"
    if isinstance(statement, ast.ClassicalDeclaration):
        if not isinstance(statement.type, ast.BitType):
            kind = type(statement.type).__name__.removesuffix("Type").lower()
            return (
                f"a classical variable of type {kind}{_where(statement)} is not in the "
                "OpenQASM 3 subset IonQ runs (only bit registers)"
            )
        if statement.init_expression is not None:
            return f"an initialised bit declaration{_where(statement)} is not supported"
    if isinstance(statement, ast.Include) and statement.filename != "stdgates.inc":
        return f"include {statement.filename!r}{_where(statement)}: only stdgates.inc exists"
    if isinstance(statement, ast.QuantumGate):
        for modifier in statement.modifiers:
            if modifier.modifier == ast.GateModifierName.pow:
                return f"the pow() gate modifier{_where(statement)} is not supported"
    return None


def _bit_registers(program: Any) -> list[tuple[str, int]]:
    from openqasm3 import ast

    out: list[tuple[str, int]] = []
    for statement in program.statements:
        if isinstance(statement, ast.ClassicalDeclaration) and isinstance(
            statement.type, ast.BitType
        ):
            size = statement.type.size
            width = size.value if isinstance(size, ast.IntegerLiteral) else 1
            out.append((statement.identifier.name, int(width)))
    return out


# ---------------------------------------------------------------------------------------------
# IonQ's native gates in OpenQASM 3 (phases and angles in turns), defined for the loader

#: Definitions of IonQ's native gates from the built-in ``U`` (``ctrl @ U(pi, 0, pi)`` is a CNOT;
#: OpenQASM 3 has no built-in ``CX``), exact up to a global
#: phase, like IonQ's natives themselves, which are never controlled): ``gpi``/``gpi2`` are
#: ``U`` gates, ``zz(t)`` is ``exp(-i pi t ZZ)`` and ``ms`` an ``XX`` rotation between frames.
_CNOT = "ctrl @ U(pi, 0, pi) a, b;"
_NATIVE_DEFINITIONS = {
    "gpi": "gate gpi(p) a { U(pi, 2*pi*p, pi - 2*pi*p) a; }",
    "gpi2": "gate gpi2(p) a { U(pi/2, 2*pi*p - pi/2, pi/2 - 2*pi*p) a; }",
    "zz": f"gate zz(t) a, b {{ {_CNOT} U(0, 0, 2*pi*t) b; {_CNOT} }}",
    "ms": (
        "gate ms(p0, p1, t) a, b { U(0, 0, -2*pi*p0) a; U(0, 0, -2*pi*p1) b; "
        f"U(pi/2, 0, pi) a; U(pi/2, 0, pi) b; {_CNOT} U(0, 0, 2*pi*t) b; {_CNOT} "
        "U(pi/2, 0, pi) a; U(pi/2, 0, pi) b; U(0, 0, 2*pi*p0) a; U(0, 0, 2*pi*p1) b; }"
    ),
}
_VERSION = re.compile(r"OPENQASM\s+[0-9.]+\s*;")


def _with_natives(program: str) -> str:
    """``program`` with definitions of the IonQ native gates it calls but does not define."""
    missing = [
        text
        for name, text in _NATIVE_DEFINITIONS.items()
        if re.search(rf"\b{name}\s*\(", program) and not re.search(rf"\bgate\s+{name}\b", program)
    ]
    if not missing:
        return program
    version = _VERSION.search(program)
    cut = version.end() if version is not None else 0
    return program[:cut] + "\n" + "\n".join(missing) + "\n" + program[cut:]


def _load(program: str) -> Any:
    """The program as a Qiskit circuit, IonQ's native gates known besides stdgates.inc."""
    from qiskit import qasm3

    return qasm3.loads(_with_natives(program))


def preflight(program: str, *, max_qubits: int, target: str) -> Preflight:
    """Parse ``program`` and check it against IonQ's OpenQASM 3 subset and ``max_qubits``.

    Args:
        program: the OpenQASM 3 source from ``input.data``.
        max_qubits: the widest program the target runs.
        target: the backend (and noise model) named in a ``NotEnoughQubits`` message.
    """
    import openqasm3

    try:
        tree = openqasm3.parse(program)
    except Exception as exc:  # the parser raises its own error types
        return _fail(f"the OpenQASM 3 program could not be parsed: {exc}")
    if tree.version is not None and not str(tree.version).startswith("3"):
        return _fail(f"OPENQASM {tree.version} is not OpenQASM 3")
    for statement in tree.statements:
        reason = _refusal(statement)
        if reason is not None:
            return _fail(reason)
    try:
        circuit = _load(program)
    except Exception as exc:
        return _fail(f"the OpenQASM 3 program is invalid: {exc}")
    one = two = 0
    for inst in circuit.data:
        if inst.name in _SKIPPED or inst.name in ("measure", "reset"):
            continue
        if len(inst.qubits) == 1:
            one += 1
        else:
            two += 1
    registers = _bit_registers(tree)
    if sum(size for _, size in registers) != circuit.num_clbits:
        registers = [(reg.name, reg.size) for reg in circuit.cregs]
    width = circuit.num_qubits
    if width < 1:
        return _fail("the program declares no qubits")
    if width > max_qubits:
        return Preflight(
            width,
            one,
            two,
            tuple(registers),
            (
                "NotEnoughQubits",
                f"The circuit needs {width} qubits but {target} supports at most {max_qubits}.",
            ),
        )
    return Preflight(width, one, two, tuple(registers))


# ---------------------------------------------------------------------------------------------
# Running


def _clbit_layout(
    circuit: Any, registers: Sequence[tuple[str, int]]
) -> list[tuple[str, list[int]]]:
    """Register name -> the circuit's clbit indices, in register bit order."""
    layout: list[tuple[str, list[int]]] = []
    start = 0
    for name, size in registers:
        layout.append((name, list(range(start, start + size))))
        start += size
    if start != circuit.num_clbits:  # declarations not matched: fall back to Qiskit's registers
        layout = [(reg.name, [circuit.find_bit(b).index for b in reg]) for reg in circuit.cregs]
    return layout


def _flat(circuit: Any, info: Any | None) -> Any:
    """One register of every clbit, and (with ``info``) IonQ's noise after every gate."""
    from qiskit import QuantumCircuit, transpile

    flat = QuantumCircuit(circuit.num_qubits, circuit.num_clbits)
    qubit = {q: i for i, q in enumerate(circuit.qubits)}
    clbit = {c: i for i, c in enumerate(circuit.clbits)}
    for inst in circuit.data:
        if inst.name in _SKIPPED:
            continue
        qargs = [qubit[q] for q in inst.qubits]
        flat.append(inst.operation, qargs, [clbit[c] for c in inst.clbits])
        if info is not None and inst.name not in ("measure", "reset"):
            for channel, where in noise.gate_noise(info, qargs):
                flat.append(channel, where)
    flat.global_phase = circuit.global_phase
    return transpile(flat, _simulator("statevector"), optimization_level=0)


def _noisy_bits(
    circuit: Any,
    info: Any,
    *,
    shots: int,
    seed: int,
    deadline: float | None,
    keep_going: Callable[[], bool] | None,
) -> NDArray[np.uint8]:
    """``(shots, clbits)`` measured bits, every shot a trajectory of IonQ's noise."""
    flat = _flat(circuit, info)
    per_shot = max(len(flat.data), 1) * float(2**flat.num_qubits)
    batch = max(1, min(shots, int(_BATCH_WORK / per_shot)))
    rows: list[NDArray[np.uint8]] = []
    done = 0
    simulator = _simulator("statevector")
    width = flat.num_clbits
    while done < shots:
        size = min(batch, shots - done)
        result = simulator.run(
            flat, shots=size, seed_simulator=_batch_seed(seed, done), memory=True
        ).result()
        if not result.success:
            raise SimulationFailure("SimulationError", f"could not execute simulation: {result}")
        memory = result.get_memory(0) if width else [""] * size
        bits = np.zeros((size, width), dtype=np.uint8)
        for row, text in enumerate(memory):
            bits[row] = [int(ch) for ch in reversed(text.replace(" ", ""))]
        rows.append(bits)
        done += size
        if done < shots and keep_going is not None and not keep_going():
            raise SimulationAbandoned
        if deadline is not None and done < shots and time.monotonic() > deadline:
            raise SimulationFailure("SimulationTimeout", "the simulation ran out of time")
    return np.concatenate(rows) if rows else np.zeros((0, width), dtype=np.uint8)


def _terminal(circuit: Any) -> set[int]:
    """Positions of measurements nothing later touches (read off the final state)."""
    touched: set[Any] = set()
    written: set[Any] = set()
    out: set[int] = set()
    for position in range(len(circuit.data) - 1, -1, -1):
        inst = circuit.data[position]
        if inst.name in _SKIPPED:
            continue
        if inst.name == "measure":
            q, c = inst.qubits[0], inst.clbits[0]
            if q not in touched and c not in written:
                out.add(position)
            written.add(c)
        touched.update(inst.qubits)
    return out


class _Branches:
    """Normalised state vectors of every measurement history, with weights and clbits."""

    def __init__(self, num_qubits: int) -> None:
        self.n = num_qubits
        state = np.zeros((1,) + (2,) * num_qubits, dtype=np.complex128)
        state[(0,) * (num_qubits + 1)] = 1.0
        self.states = state
        self.weights = np.ones(1, dtype=np.float64)
        self.clbits: list[int] = [0]

    def axis(self, qubit: int) -> int:
        return 1 + self.n - 1 - qubit

    def apply(self, matrix: NDArray[np.complex128], qubits: Sequence[int]) -> None:
        k = len(qubits)
        tensor = matrix.reshape((2,) * (2 * k))
        # Qiskit's matrix has qargs[0] as its least significant (last) index.
        axes = [self.axis(q) for q in reversed(qubits)]
        moved = np.tensordot(tensor, self.states, axes=(list(range(k, 2 * k)), axes))
        self.states = np.moveaxis(moved, list(range(k)), axes)

    def split(self, qubit: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Branch on ``qubit``: returns which new branches read 0 and which read 1."""
        axis = self.axis(qubit)
        ones = np.take(self.states, 1, axis=axis)
        p1 = np.sum(np.abs(ones.reshape(ones.shape[0], -1)) ** 2, axis=1)
        p0 = np.clip(1.0 - p1, 0.0, 1.0)
        parts = []
        weights = []
        clbits: list[int] = []
        reads = []
        for outcome, prob in ((0, p0), (1, p1)):
            keep = np.flatnonzero(self.weights * prob > ZERO_PROBABILITY)
            if keep.size == 0:
                continue
            part = self.states[keep].copy()
            index: list[Any] = [slice(None)] * part.ndim
            index[axis] = 1 - outcome
            part[tuple(index)] = 0.0
            part /= np.sqrt(prob[keep]).reshape((-1,) + (1,) * self.n)
            parts.append(part)
            weights.append(self.weights[keep] * prob[keep])
            clbits.extend(self.clbits[i] for i in keep.tolist())
            reads.append(np.full(keep.size, outcome))
        self.states = np.concatenate(parts)
        self.weights = np.concatenate(weights)
        self.clbits = clbits
        if len(clbits) > MAX_BRANCHES:
            raise SimulationFailure(
                "SimulationTimeout",
                f"exact simulation would track more than {MAX_BRANCHES} measurement histories; "
                "run it with a noise model (shot by shot) instead",
            )
        read = np.concatenate(reads)
        return read == 0, read == 1

    def measure(self, qubit: int, clbit: int) -> None:
        _zero, one = self.split(qubit)
        mask = 1 << clbit
        self.clbits = [
            (c | mask) if is_one else (c & ~mask)
            for c, is_one in zip(self.clbits, one.tolist(), strict=True)
        ]

    def reset(self, qubit: int) -> None:
        _zero, one = self.split(qubit)
        axis = self.axis(qubit)
        flipped = np.flip(self.states[one], axis=axis)
        self.states[one] = flipped


def _exact(
    circuit: Any, deadline: float | None, keep_going: Callable[[], bool] | None
) -> dict[int, float]:
    """The exact distribution over all clbits (clbit ``i`` = bit ``i``) of the ideal run."""
    from qiskit.quantum_info import Operator

    qubit = {q: i for i, q in enumerate(circuit.qubits)}
    clbit = {c: i for i, c in enumerate(circuit.clbits)}
    terminal = _terminal(circuit)
    branches = _Branches(circuit.num_qubits)
    reads: list[tuple[int, int]] = []
    for position, inst in enumerate(circuit.data):
        name = inst.name
        if name in _SKIPPED:
            continue
        qargs = [qubit[q] for q in inst.qubits]
        if name == "measure":
            if position in terminal:
                reads.append((qargs[0], clbit[inst.clbits[0]]))
            else:
                branches.measure(qargs[0], clbit[inst.clbits[0]])
        elif name == "reset":
            branches.reset(qargs[0])
        else:
            branches.apply(np.asarray(Operator(inst.operation).data), qargs)
        if deadline is not None and time.monotonic() > deadline:
            raise SimulationFailure("SimulationTimeout", "the simulation ran out of time")
        if keep_going is not None and position % 64 == 63 and not keep_going():
            raise SimulationAbandoned
    total: dict[int, float] = {}
    states = branches.states.reshape(len(branches.clbits), -1)
    probs = np.abs(states) ** 2
    # Index k of the flattened state has qubit q as bit q; read the terminal qubits from it.
    indices = np.arange(probs.shape[1], dtype=np.int64)
    for b, base in enumerate(branches.clbits):
        weight = float(branches.weights[b])
        row = probs[b]
        keep = np.flatnonzero(row * weight > ZERO_PROBABILITY)
        for k in keep.tolist():
            value = base
            for q, c in reads:
                if (int(indices[k]) >> q) & 1:
                    value |= 1 << c
                else:
                    value &= ~(1 << c)
            total[value] = total.get(value, 0.0) + weight * float(row[k])
    norm = sum(total.values())
    return {k: v / norm for k, v in total.items() if v / norm >= ZERO_PROBABILITY}


def _bits_of(value: int, indices: Sequence[int]) -> list[int]:
    return [(value >> i) & 1 for i in indices]


def _legacy_key(bits: Sequence[int]) -> str:
    return str(sum(b << i for i, b in enumerate(bits)))


def _distribution_result(
    joint: Mapping[int, float], layout: Sequence[tuple[str, list[int]]], clbits: int
) -> SimulationResult:
    everything = list(range(clbits))
    per: dict[str, dict[str, float]] = {}
    for name, indices in [*layout, (artifacts.OUTPUT_ALL, everything)]:
        table: dict[str, float] = {}
        for value, p in joint.items():
            key = artifacts.register_key(_bits_of(value, indices))
            table[key] = table.get(key, 0.0) + p
        per[name] = table
    legacy: dict[str, float] = {}
    for value, p in joint.items():
        key = _legacy_key(_bits_of(value, everything))
        legacy[key] = legacy.get(key, 0.0) + p
    return SimulationResult(
        probabilities=legacy,
        histogram=None,
        shots=None,
        artifacts={"probabilities_v2": artifacts.probabilities_body(per)},
    )


def _shots_result(
    bits: NDArray[np.uint8], layout: Sequence[tuple[str, list[int]]]
) -> SimulationResult:
    shots = bits.shape[0]
    registers = {name: bits[:, indices] for name, indices in layout}
    registers[artifacts.OUTPUT_ALL] = bits
    histogram = artifacts.histogram_body(registers)
    per_register = histogram["histogram"]["registers"]
    probabilities = {
        name: {key: n / shots for key, n in table.items()} for name, table in per_register.items()
    }
    values = artifacts.register_values(bits) if bits.shape[1] else np.zeros(shots, np.int64)
    legacy_shots = [str(int(v)) for v in values.tolist()]
    labels, counts = np.unique(np.array(legacy_shots, dtype=object), return_counts=True)
    legacy_histogram = {
        str(k): int(n) for k, n in zip(labels.tolist(), counts.tolist(), strict=True)
    }
    return SimulationResult(
        probabilities={k: n / shots for k, n in legacy_histogram.items()},
        histogram=legacy_histogram,
        shots=legacy_shots,
        artifacts={
            "shots_v2": artifacts.shots_body(registers),
            "histogram_v2": histogram,
            "probabilities_v2": artifacts.probabilities_body(probabilities),
        },
    )


def run_program(
    program: str,
    *,
    shots: int,
    noise_model: str,
    seed: int | None,
    registers: Sequence[Sequence[Any]] = (),
    max_seconds: float | None = None,
    keep_going: Callable[[], bool] | None = None,
) -> SimulationResult:
    """Run a preflighted OpenQASM 3 program.

    Args:
        program: the source.
        shots: shots to run (ignored by the ideal model).
        noise_model: a name from :data:`ionq_emulator.catalog.NOISE_MODELS`.
        seed: seeds the shots; the same seed gives the same shots.
        registers: the declared ``(name, size)`` registers preflight found.
        max_seconds: wall-clock budget.
        keep_going: asked between batches; ``False`` abandons the run.

    Returns:
        Legacy v1 results of ``output_all`` and the v2 artifacts (``artifacts`` keyed by
        result kind: ``shots_v2``, ``histogram_v2``, ``probabilities_v2``).

    Raises:
        SimulationFailure: the program does not load, or the run is too large or too long.
        SimulationAbandoned: ``keep_going`` returned ``False``.
    """
    started = time.monotonic()
    deadline = None if max_seconds is None else started + max_seconds
    info = NOISE_MODELS.get(noise_model)
    if info is None:
        raise SimulationFailure("InvalidInput", f"unknown noise model {noise_model!r}")
    try:
        circuit = _load(program)
    except Exception as exc:
        raise SimulationFailure("PreflightError", f"the program is invalid: {exc}") from None
    layout = _clbit_layout(circuit, [(str(n), int(s)) for n, s in registers])
    noisy = noise.is_noisy(info)
    work = len(circuit.data) * float(2**circuit.num_qubits) * (shots if noisy else 1)
    refuse_overlong(work, max_seconds)
    try:
        if noisy:
            if seed is None:
                seed = secrets.randbelow(_SEED_MODULUS)
            bits = _noisy_bits(
                circuit, info, shots=shots, seed=seed, deadline=deadline, keep_going=keep_going
            )
            return _shots_result(bits, layout)
        return _distribution_result(
            _exact(circuit, deadline, keep_going), layout, circuit.num_clbits
        )
    except (SimulationFailure, SimulationAbandoned):
        raise
    except MemoryError:
        raise SimulationFailure("SimulationTimeout", "the simulation is too large") from None
    except Exception as exc:
        raise SimulationFailure("SimulationError", f"could not execute simulation: {exc}") from exc
