"""Dynamic circuits (mid-circuit measurement, reset, qubit reuse) and the OpenQASM 3 they become.

IonQ's v1 JSON format measures every qubit once, at the end. A circuit that measures a qubit and
uses it again, or resets one, goes out as an ``ionq.qasm3.v1`` job whose ``input.data`` is an
OpenQASM 3 program. Both translators build a :class:`DynamicCircuit`: IonQ gate dicts (the same
ones a v1 circuit holds, validated against the core gate table) interleaved with
:class:`Measure` and :class:`Reset` steps. :func:`write_program` is the one place that turns
IonQ gates into OpenQASM 3.

The program uses only ``stdgates.inc`` gates (and ``ctrl(k) @`` for controls the standard
library has no name for), so any OpenQASM 3 reader runs it:

* ``qis`` gates map to their namesakes (``si`` -> ``sdg``, ``v`` -> ``sx``, ``vi`` -> ``sx; x``,
  ``cnot`` -> ``cx``,
  controlled forms -> ``cx``/``ccx``/``cy``/``cz``/``ch``/``crx``/``cry``/``crz``/``cswap``);
  ``xx``/``yy``/``zz`` and ``pauliexp`` are basis changes around a ``cx`` ladder and an ``rz``
  (under controls only the ``rz`` is controlled, which is exact: the rest cancels);
* native gates (phases in turns) are written exactly in radians: ``gpi(p)`` is
  ``rz(-2 phi); x``, ``gpi2(p)`` is ``rz(-phi); rx(pi/2); rz(phi)``, ``ms`` is an ``rxx`` between
  ``rz`` frame changes and native ``zz(t)`` is ``rzz(2 pi t)``, with ``phi = 2 pi p``.

Every gate keeps the gate table's matrix exactly (global phase included, so controls stay
exact), except native gates, which are never controlled and keep theirs up to a global phase.

One classical register ``c`` holds every classical bit, in order; adapters split it into their
own registers (Qiskit) or measurement keys (Cirq) from the layout they keep, so results carry
the joint distribution of all bits even where only aggregates come back (the ideal simulator).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ionq_direct.circuit import check_metadata, check_name
from ionq_direct.errors import InvalidInputError
from ionq_direct.gates import GATESETS, ParsedGate, parse_gate

__all__ = [
    "CLASSICAL_REGISTER",
    "FEED_FORWARD_REFUSAL",
    "QASM3_TYPE",
    "QUANTUM_REGISTER",
    "DynamicCircuit",
    "Measure",
    "Reset",
    "Step",
    "check_program",
    "write_program",
]

#: The job type of an OpenQASM 3 program.
QASM3_TYPE = "ionq.qasm3.v1"
#: Name of the qubit register of written programs.
QUANTUM_REGISTER = "q"
#: Name of the one classical register of written programs.
CLASSICAL_REGISTER = "c"
#: Why classical feed-forward is refused (adapters add what the construct was).
FEED_FORWARD_REFUSAL = (
    "IonQ runs no classical branches or loops (if, else, while, for, switch) on any target, "
    "the simulator included; rewrite the circuit without classically controlled operations"
)

_TAU = 2 * math.pi
_VERSION = re.compile(r"\s*OPENQASM\s+3(\.\d+)?\s*;")
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_QUBIT_DECLARATION = re.compile(r"\b(qubit|qreg)\b")


@dataclass(frozen=True)
class Measure:
    """Measure ``qubit`` into classical bit ``clbit`` (any time, any number of times)."""

    qubit: int
    clbit: int


@dataclass(frozen=True)
class Reset:
    """Reset ``qubit`` to ``|0>``."""

    qubit: int


#: One step of a dynamic circuit: an IonQ gate dict, a measurement or a reset.
Step = Mapping[str, Any] | Measure | Reset


class DynamicCircuit:
    """IonQ gates interleaved with measurements and resets, validated once, at construction.

    Args:
        steps: the gate dicts (of ``gateset``), :class:`Measure` and :class:`Reset` steps, in
            order.
        qubits: the register width; every index is below it.
        clbits: the number of classical bits; every measurement writes one below it (a bit no
            measurement writes reads 0; a bit written twice keeps the last value).
        gateset: ``"qis"`` or ``"native"``.
        registers: how adapters name the classical bits, ``(name, size)`` in order; sizes add
            up to ``clbits`` (default: one register ``c``). The program always declares one
            register, :data:`CLASSICAL_REGISTER`.
        name: the circuit's name, or ``None``.
        metadata: extra string entries the adapter wants stored with the job.

    Raises:
        InvalidInputError: naming the first bad step (``GateError`` for a bad gate).
    """

    __slots__ = (
        "clbits",
        "gates",
        "gateset",
        "measurements",
        "metadata",
        "name",
        "one_qubit_gates",
        "qubits",
        "registers",
        "resets",
        "steps",
        "two_qubit_gates",
    )

    def __init__(
        self,
        steps: Sequence[Step],
        qubits: int,
        clbits: int,
        *,
        gateset: str = "qis",
        registers: Sequence[tuple[str, int]] | None = None,
        name: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        if isinstance(qubits, bool) or not isinstance(qubits, int) or qubits < 1:
            raise InvalidInputError(f"qubits must be an integer >= 1, got {qubits!r}")
        if isinstance(clbits, bool) or not isinstance(clbits, int) or clbits < 0:
            raise InvalidInputError(f"clbits must be an integer >= 0, got {clbits!r}")
        if gateset not in GATESETS:
            raise InvalidInputError(f"gateset must be 'qis' or 'native', got {gateset!r}")
        parsed: list[ParsedGate | Measure | Reset] = []
        one = two = measurements = resets = 0
        for position, step in enumerate(steps):
            where = f"step[{position}]"
            if isinstance(step, Measure):
                _check_index(step.qubit, qubits, f"{where} (measure) qubit")
                _check_index(step.clbit, clbits, f"{where} (measure) classical bit")
                measurements += 1
                parsed.append(step)
            elif isinstance(step, Reset):
                _check_index(step.qubit, qubits, f"{where} (reset) qubit")
                resets += 1
                parsed.append(step)
            else:
                gate = parse_gate(step, gateset=gateset, qubits=qubits, where=where)
                if len(gate.targets) + len(gate.controls) == 1:
                    one += 1
                else:
                    two += 1
                parsed.append(gate)
        layout = [(CLASSICAL_REGISTER, clbits)] if registers is None else list(registers)
        if sum(size for _, size in layout) != clbits:
            raise InvalidInputError(
                f"registers cover {sum(size for _, size in layout)} classical bit(s) but the "
                f"circuit has {clbits}"
            )
        self.steps: tuple[ParsedGate | Measure | Reset, ...] = tuple(parsed)
        self.gates: int = one + two
        self.one_qubit_gates: int = one
        self.two_qubit_gates: int = two
        self.measurements: int = measurements
        self.resets: int = resets
        self.qubits: int = qubits
        self.clbits: int = clbits
        self.gateset: str = gateset
        self.registers: tuple[tuple[str, int], ...] = tuple((str(n), int(s)) for n, s in layout)
        self.name: str | None = None if name is None else check_name(name, "circuit name")
        self.metadata: dict[str, str] = (
            {} if metadata is None else check_metadata(metadata, "circuit metadata")
        )

    def to_qasm3(self) -> str:
        """The circuit as an OpenQASM 3 program (see :func:`write_program`)."""
        return write_program(self)

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name is not None else ""
        return (
            f"<DynamicCircuit{label} qubits={self.qubits} clbits={self.clbits} "
            f"gates={self.gates} measurements={self.measurements} resets={self.resets}>"
        )


def _check_index(value: object, limit: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < limit:
        bound = f"0..{limit - 1}" if limit else "none (there are none)"
        raise InvalidInputError(f"{what} {value!r} is out of range {bound}")


# ---------------------------------------------------------------------------------------------
# Writing


def _number(value: float) -> str:
    return repr(float(value))


def _q(index: int) -> str:
    return f"{QUANTUM_REGISTER}[{index}]"


class _Writer:
    """Collects program lines; every method writes one IonQ gate exactly."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def op(
        self,
        name: str,
        qubits: Sequence[int],
        params: Sequence[float] = (),
        controls: Sequence[int] = (),
    ) -> None:
        """``name(params) qubits``, under ``controls`` (stdgates names where they exist)."""
        args = f"({', '.join(_number(p) for p in params)})" if params else ""
        prefix = ""
        if controls:
            named = _CONTROLLED_NAMES.get((name, len(controls)))
            if named is not None:
                name = named
            else:
                prefix = "ctrl @ " if len(controls) == 1 else f"ctrl({len(controls)}) @ "
        operands = ", ".join(_q(i) for i in (*controls, *qubits))
        self.lines.append(f"{prefix}{name}{args} {operands};")

    def rzz(self, a: int, b: int, angle: float, controls: Sequence[int] = ()) -> None:
        """``exp(-i angle/2 Z Z)``: ``cx; rz; cx`` (only the ``rz`` carries controls)."""
        self.op("x", (b,), controls=(a,))
        self.op("rz", (b,), (angle,), controls)
        self.op("x", (b,), controls=(a,))

    def rxx(self, a: int, b: int, angle: float, controls: Sequence[int] = ()) -> None:
        """``exp(-i angle/2 X X)``: ``rzz`` in the Hadamard basis."""
        self.op("h", (a,))
        self.op("h", (b,))
        self.rzz(a, b, angle, controls)
        self.op("h", (a,))
        self.op("h", (b,))

    def ryy(self, a: int, b: int, angle: float, controls: Sequence[int] = ()) -> None:
        """``exp(-i angle/2 Y Y)``: ``rxx`` conjugated by ``S`` (``Y = S X S+``)."""
        self.op("sdg", (a,))
        self.op("sdg", (b,))
        self.rxx(a, b, angle, controls)
        self.op("s", (a,))
        self.op("s", (b,))

    def pauli_term(
        self, term: str, targets: Sequence[int], angle: float, controls: Sequence[int]
    ) -> None:
        """``exp(-i angle P)`` for one Pauli string (letter ``j`` on ``targets[j]``)."""
        active = [(letter, q) for letter, q in zip(term, targets, strict=True) if letter != "I"]
        if not active:  # the phase e^{-i angle}; on the controls when there are any
            if controls:
                self.op("p", (controls[-1],), (-angle,), controls[:-1])
            elif angle:
                self.lines.append(f"gphase({_number(-angle)});")
            return
        for letter, q in active:  # into the Z basis: X -> H, Y -> H S+
            if letter == "Y":
                self.op("sdg", (q,))
            if letter != "Z":
                self.op("h", (q,))
        chain = [q for _, q in active]
        for a, b in pairwise(chain):
            self.op("x", (b,), controls=(a,))
        self.op("rz", (chain[-1],), (2 * angle,), controls)
        for a, b in reversed(list(pairwise(chain))):
            self.op("x", (b,), controls=(a,))
        for letter, q in active:
            if letter != "Z":
                self.op("h", (q,))
            if letter == "Y":
                self.op("s", (q,))

    def gate(self, gate: ParsedGate) -> None:
        """Write one validated IonQ gate."""
        name = gate.spec.name
        targets, controls, params = gate.targets, gate.controls, gate.params
        if gate.spec.gateset == "native":
            self._native(name, targets, params)
        elif name == "vi":  # sx is in stdgates.inc, sxdg is not: vi = x sx (they commute)
            self.op("sx", targets, (), controls)
            self.op("x", targets, (), controls)
        elif name in _QIS_NAMES:
            rotation = (float(params["rotation"]),) if "rotation" in params else ()
            self.op(_QIS_NAMES[name], targets, rotation, controls)
        elif name in ("xx", "yy", "zz"):
            angle = float(params["rotation"])
            write = {"xx": self.rxx, "yy": self.ryy, "zz": self.rzz}[name]
            write(targets[0], targets[1], angle, controls)
        else:  # pauliexp: term 0 acts first
            time = float(params["time"])
            for term, coefficient in zip(params["terms"], params["coefficients"], strict=True):
                self.pauli_term(term, targets, float(coefficient) * time, controls)

    def _native(self, name: str, targets: Sequence[int], params: Mapping[str, Any]) -> None:
        if name == "gpi":
            self.op("rz", targets, (-2 * _TAU * float(params["phase"]),))
            self.op("x", targets)
        elif name == "gpi2":
            phi = _TAU * float(params["phase"])
            self.op("rz", targets, (-phi,))
            self.op("rx", targets, (math.pi / 2,))
            self.op("rz", targets, (phi,))
        elif name == "ms":
            a, b = targets
            phi0, phi1 = (_TAU * float(p) for p in params["phases"])
            self.op("rz", (a,), (-phi0,))
            self.op("rz", (b,), (-phi1,))
            self.rxx(a, b, _TAU * float(params["angle"]))
            self.op("rz", (a,), (phi0,))
            self.op("rz", (b,), (phi1,))
        else:  # native zz(t) = exp(-i pi t Z Z)
            self.rzz(targets[0], targets[1], _TAU * float(params["angle"]))


#: IonQ qis gate -> OpenQASM 3 standard gate of the same matrix.
_QIS_NAMES = {
    "x": "x",
    "not": "x",
    "cnot": "x",
    "y": "y",
    "z": "z",
    "h": "h",
    "s": "s",
    "si": "sdg",
    "t": "t",
    "ti": "tdg",
    "v": "sx",
    "rx": "rx",
    "ry": "ry",
    "rz": "rz",
    "swap": "swap",
}
#: (gate, number of controls) -> the stdgates.inc name of the controlled gate.
_CONTROLLED_NAMES = {
    ("x", 1): "cx",
    ("x", 2): "ccx",
    ("y", 1): "cy",
    ("z", 1): "cz",
    ("h", 1): "ch",
    ("rx", 1): "crx",
    ("ry", 1): "cry",
    ("rz", 1): "crz",
    ("p", 1): "cp",
    ("swap", 1): "cswap",
}


def write_program(circuit: DynamicCircuit) -> str:
    """The OpenQASM 3 program of ``circuit``: qubit register ``q``, classical register ``c``.

    Classical bit ``i`` of the circuit is ``c[i]``; barriers are not written.
    """
    writer = _Writer()
    lines = writer.lines
    lines.append("OPENQASM 3.0;")
    lines.append('include "stdgates.inc";')
    lines.append(f"qubit[{circuit.qubits}] {QUANTUM_REGISTER};")
    if circuit.clbits:
        lines.append(f"bit[{circuit.clbits}] {CLASSICAL_REGISTER};")
    for step in circuit.steps:
        if isinstance(step, Measure):
            lines.append(f"{CLASSICAL_REGISTER}[{step.clbit}] = measure {_q(step.qubit)};")
        elif isinstance(step, Reset):
            lines.append(f"reset {_q(step.qubit)};")
        else:
            writer.gate(step)
    return "\n".join(lines) + "\n"


def check_program(program: object) -> str:
    """Check that ``program`` is plausible OpenQASM 3 for a job, and return it.

    This is a plausibility check, not a parser (IonQ parses the program and fails the job in
    preflight, naming the construct, when it is outside the subset it runs): the text must be a
    non-empty string whose first statement is ``OPENQASM 3;`` (or ``3.x``) and that declares
    qubits.

    Raises:
        InvalidInputError: saying what is missing.
    """
    if not isinstance(program, str):
        raise InvalidInputError(
            f"an OpenQASM 3 program must be a string, got {type(program).__name__}"
        )
    if not program.strip():
        raise InvalidInputError("the OpenQASM 3 program is empty")
    text = _COMMENTS.sub(" ", program)
    if not _VERSION.match(text):
        raise InvalidInputError(
            "the program does not start with 'OPENQASM 3.0;'; IonQ's ionq.qasm3.v1 jobs take "
            "OpenQASM 3 (an OpenQASM 2 program must be ported first)"
        )
    if not _QUBIT_DECLARATION.search(text):
        raise InvalidInputError(
            "the program declares no qubits; add a declaration such as 'qubit[2] q;'"
        )
    return program
