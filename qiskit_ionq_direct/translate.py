"""Translate Qiskit circuits into IonQ JSON circuits, exactly and in one pass.

:func:`to_ionq` walks ``circuit.data`` once, reading each instruction's name, parameters and
qubits, and emits IonQ gate dicts through a table of small emitters. The result equals the input
up to a single global phase: controls are only placed on gates whose IonQ matrix is documented
(``x``/``cnot``, ``y``, ``z``, ``h``, ``rx``, ``ry``, ``rz``, ``swap``), and phase gates become
``rz`` rotations whose lost phases are put back with controlled ``rz`` gates on the controls.

Terminal measurements become the measurement map; anything the v1 JSON format cannot express
(mid-circuit measurement, reset, classical control, unbound parameters) fails fast, naming the
instruction and its index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from qiskit.circuit import CircuitInstruction, ParameterExpression, QuantumCircuit, Qubit
from qiskit.circuit.annotated_operation import (
    AnnotatedOperation,
    ControlModifier,
    InverseModifier,
)
from qiskit.quantum_info import SparseObservable, SparsePauliOp

from ionq_direct.circuit import UNMEASURED, Circuit, CircuitBuilder, check_name
from ionq_direct.errors import GateError, InvalidInputError
from ionq_direct.lowering import gate_dict, ms_gates, phase_ladder, turns_in_range, zz_angle
from ionq_direct.qasm3 import FEED_FORWARD_REFUSAL, DynamicCircuit, Measure, Reset, Step

__all__ = [
    "NATIVE_GATE_NAMES",
    "QIS_GATE_NAMES",
    "is_dynamic",
    "to_dynamic",
    "to_ionq",
    "to_ionq_many",
]

Gates = list[dict[str, Any]]
Index = dict[Qubit, int]
QArgs = tuple[Qubit, ...]
#: Appends IonQ gates for one instruction; returns how many of them touch a single qubit.
Emitter = Callable[[CircuitBuilder, Index, CircuitInstruction, QArgs], int]

_HALF_PI = math.pi / 2
_QUARTER_PI = math.pi / 4
_TRANSPILE_HINT = (
    "transpile it first: transpile(qc, backend) or "
    "transpile(qc, basis_gates=['rx', 'ry', 'rz', 'cx'])"
)
_V1_LIMIT = "IonQ's v1 JSON circuit format cannot express it"
_CONTROLS_HINT = " - decompose it first, e.g. transpile(qc, basis_gates=['rx', 'ry', 'rz', 'cx'])"
_CONTROL_FLOW = frozenset({"if_else", "while_loop", "for_loop", "switch_case", "box"})
_DROPPED = frozenset({"barrier", "id", "delay", "global_phase"})
_BAD_NAME_CHAR = re.compile(r"[^A-Za-z0-9 _-]")


class _Problem(Exception):
    """Raised inside the pass; :func:`to_ionq` adds the instruction's index and name."""


class _NativeGateFound(Exception):
    """A native gate in a circuit walked as ``qis`` without a chosen gateset: walk it as native."""


# ---------------------------------------------------------------------------------------------
# Numbers


def _num(value: Any) -> float:
    """A finite float parameter (fast for plain floats)."""
    if type(value) is float and value - value == 0.0:
        return value
    return _slow_num(value)


def _slow_num(value: Any) -> float:
    if isinstance(value, ParameterExpression):
        if value.parameters:
            names = ", ".join(sorted(p.name for p in value.parameters))
            raise _Problem(
                f"unbound parameter(s) {names}; bind them first, e.g. qc.assign_parameters({{...}})"
            )
        value = value.numeric()
    if isinstance(value, complex):
        if value.imag != 0:
            raise _Problem(f"parameter {value!r} is complex; IonQ angles are real")
        value = value.real
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Problem(f"parameter {value!r} is not a number") from None
    if not math.isfinite(number):
        raise _Problem(f"parameter {number!r} is not finite")
    return number


def _turns(value: Any) -> float:
    """A native phase in turns, brought into [-1, 1] (phases have period 1)."""
    return turns_in_range(_num(value))


# ---------------------------------------------------------------------------------------------
# Building blocks shared by the emitters (gate dicts from ionq_direct.lowering.gate_dict, whose
# GateError for too many controls the walk reports with a hint)


def _mcp(out: Gates, controls: Sequence[int], target: int, lam: float) -> None:
    """Exact C^n-P(lam) on ``target`` (its global phase dropped)."""
    steps, _global = phase_ladder([*controls, target], lam)
    for qubit, on, angle in steps:
        out.append(gate_dict("rz", (qubit,), on, angle))


def _phase_on(out: Gates, controls: Sequence[int], angle: float) -> None:
    """Multiply by ``e^{i angle}`` when every control is 1 (a global phase if there are none)."""
    if controls and angle != 0.0:
        _mcp(out, controls[:-1], controls[-1], angle)


def _emit_base(
    out: Gates, base: str, params: Sequence[Any], controls: Sequence[int], targets: Sequence[int]
) -> bool:
    """Emit gate ``base`` on ``targets`` controlled by ``controls``; False if it is not known."""
    if base in _DIRECT_CONTROLLABLE:
        rotation = _num(params[0]) if base[0] == "r" else None
        out.append(gate_dict(_DIRECT_CONTROLLABLE[base], targets, controls, rotation))
    elif base in _PHASES:
        angle = _PHASES[base] if base in _FIXED_PHASES else _num(params[0])
        _mcp(out, controls, targets[0], angle)
    elif base in ("sx", "sxdg"):
        sign = 1.0 if base == "sx" else -1.0
        out.append(gate_dict("rx", targets, controls, sign * _HALF_PI))
        _phase_on(out, controls, sign * _QUARTER_PI)
    elif base in ("u", "u3", "u2"):
        if base == "u2":
            theta, phi, lam = _HALF_PI, _num(params[0]), _num(params[1])
        else:
            theta, phi, lam = (_num(p) for p in params[:3])
        gamma = _num(params[3]) if len(params) > 3 else 0.0
        out.append(gate_dict("rz", targets, controls, lam))
        out.append(gate_dict("ry", targets, controls, theta))
        out.append(gate_dict("rz", targets, controls, phi))
        _phase_on(out, controls, gamma + (phi + lam) / 2)
    elif base == "r":
        theta, phi = _num(params[0]), _num(params[1])
        out.append(gate_dict("rz", targets, controls, -phi))
        out.append(gate_dict("rx", targets, controls, theta))
        out.append(gate_dict("rz", targets, controls, phi))
    elif base == "global_phase":
        _phase_on(out, controls, _num(params[0]))  # a relative phase once controlled
    elif base not in ("id", "i"):
        return False
    return True


#: Gates IonQ documents exactly, so they may carry controls (Qiskit name -> IonQ name; gate_dict
#: writes a controlled x as cnot).
_DIRECT_CONTROLLABLE = {
    "x": "x",
    "y": "y",
    "z": "z",
    "h": "h",
    "rx": "rx",
    "ry": "ry",
    "rz": "rz",
    "swap": "swap",
}
_FIXED_PHASES = {"s": _HALF_PI, "sdg": -_HALF_PI, "t": _QUARTER_PI, "tdg": -_QUARTER_PI}
_PHASES: dict[str, float] = {**_FIXED_PHASES, "p": 0.0, "u1": 0.0}


# ---------------------------------------------------------------------------------------------
# Fast emitters, keyed by Qiskit instruction name


# These emitters append what ``validate_circuit`` accepts by construction straight onto the
# builder's gates (indices from the circuit's qubit index, distinct; parameters finite and in
# range; at most one control). Anything else is validated as it is appended
# (``CircuitBuilder.add_checked``). tests/qiskit/test_translate.py proves the claim on random
# circuits.


def _twice(qubit: int) -> _Problem:
    return _Problem(f"qubit {qubit} is used twice; each qubit of an instruction must differ")


def _fixed(ionq: str) -> Emitter:
    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        b.gates.append({"gate": ionq, "target": idx[qargs[0]]})
        return 1

    return emit


def _rotation(ionq: str) -> Emitter:
    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        angle = inst.params[0]
        if type(angle) is not float or angle - angle != 0.0:  # the hottest path: _num inlined
            angle = _slow_num(angle)
        b.gates.append({"gate": ionq, "target": idx[qargs[0]], "rotation": angle})
        return 1

    return emit


def _controlled(ionq: str, rotation: bool = False) -> Emitter:
    """One control, then the target; ``rotation``: the instruction's angle too."""

    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        control = idx[qargs[0]]
        target = idx[qargs[1]]
        if control == target:
            raise _twice(target)
        gate: dict[str, Any] = {"gate": ionq, "control": control, "target": target}
        if rotation:
            gate["rotation"] = _num(inst.params[0])
        b.gates.append(gate)
        return 0

    return emit


def _pair(idx: Index, qargs: QArgs) -> list[int]:
    a = idx[qargs[0]]
    b = idx[qargs[1]]
    if a == b:
        raise _twice(a)
    return [a, b]


def _ising(ionq: str) -> Emitter:
    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        b.gates.append(
            {"gate": ionq, "targets": _pair(idx, qargs), "rotation": _num(inst.params[0])}
        )
        return 0

    return emit


def _via_base(base: str, controls: int | None) -> Emitter:
    """Emit through :func:`_emit_base`; ``controls=None`` means all qubits but the last."""

    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        qubits = [idx[q] for q in qargs]
        split = len(qubits) - 1 if controls is None else controls
        batch: Gates = []
        _emit_base(batch, base, inst.params, qubits[:split], qubits[split:])
        return b.add_checked(batch)

    return emit


def _swap(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
    b.gates.append({"gate": "swap", "targets": _pair(idx, qargs)})
    return 0


def _cswap(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
    control = idx[qargs[0]]
    targets = _pair(idx, qargs[1:])
    if control in targets:
        raise _twice(control)
    b.gates.append({"gate": "swap", "control": control, "targets": targets})
    return 0


_QIS_EMITTERS: dict[str, Emitter] = {
    "x": _fixed("x"),
    "y": _fixed("y"),
    "z": _fixed("z"),
    "h": _fixed("h"),
    "s": _fixed("s"),
    "sdg": _fixed("si"),
    "t": _fixed("t"),
    "tdg": _fixed("ti"),
    "sx": _fixed("v"),
    "sxdg": _fixed("vi"),
    "rx": _rotation("rx"),
    "ry": _rotation("ry"),
    "rz": _rotation("rz"),
    "p": _rotation("rz"),
    "u1": _rotation("rz"),
    "u": _via_base("u", 0),
    "u2": _via_base("u2", 0),
    "u3": _via_base("u3", 0),
    "r": _via_base("r", 0),
    "cx": _controlled("cnot"),
    "cy": _controlled("y"),
    "cz": _controlled("z"),
    "ch": _controlled("h"),
    "crx": _controlled("rx", rotation=True),
    "cry": _controlled("ry", rotation=True),
    "crz": _controlled("rz", rotation=True),
    "cp": _via_base("p", 1),
    "cu1": _via_base("u1", 1),
    "cu": _via_base("u", 1),
    "cs": _via_base("s", 1),
    "csdg": _via_base("sdg", 1),
    "csx": _via_base("sx", 1),
    "swap": _swap,
    "cswap": _cswap,
    "ccx": _via_base("x", 2),
    "ccz": _via_base("z", 2),
    "mcx": _via_base("x", None),
    "mcphase": _via_base("p", None),
    "mcu1": _via_base("u1", None),
    "rxx": _ising("xx"),
    "ryy": _ising("yy"),
    "rzz": _ising("zz"),
}


def _gpi(ionq: str) -> Emitter:
    def emit(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
        b.gates.append({"gate": ionq, "target": idx[qargs[0]], "phase": _turns(inst.params[0])})
        return 1

    return emit


def _ms(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
    a, c = _pair(idx, qargs)
    params = inst.params
    for phi0, phi1, angle in ms_gates(_turns(params[0]), _turns(params[1]), _num(params[2])):
        b.gates.append({"gate": "ms", "targets": [a, c], "phases": [phi0, phi1], "angle": angle})
    return 0


def _native_zz(b: CircuitBuilder, idx: Index, inst: CircuitInstruction, qargs: QArgs) -> int:
    angle = zz_angle(_num(inst.params[0]))
    b.gates.append({"gate": "zz", "targets": _pair(idx, qargs), "angle": angle})
    return 0


_NATIVE_EMITTERS: dict[str, Emitter] = {
    "gpi": _gpi("gpi"),
    "gpi2": _gpi("gpi2"),
    "ms": _ms,
    "zz": _native_zz,
}

#: Qiskit instruction names the translator accepts in a ``qis`` circuit (besides measure,
#: barrier, id, delay, ``PauliEvolution`` and controlled versions of the documented gates).
QIS_GATE_NAMES: frozenset[str] = frozenset(_QIS_EMITTERS)
#: Qiskit instruction names of IonQ's native gates.
NATIVE_GATE_NAMES: frozenset[str] = frozenset(_NATIVE_EMITTERS)


# ---------------------------------------------------------------------------------------------
# Rare instructions: Pauli evolutions, generic controlled gates, and everything we reject


def _pauli_evolution(out: Gates, idx: Index, inst: CircuitInstruction) -> None:
    time = _num(inst.params[0])
    operator = inst.operation.operator
    parts = operator if isinstance(operator, list) else [operator]
    total = SparsePauliOp.sum([_as_sparse_pauli_op(part) for part in parts])
    coeffs = np.asarray(total.coeffs)
    if np.any(np.abs(coeffs.imag) > 1e-12 * np.maximum(1.0, np.abs(coeffs.real))):
        raise _Problem("the operator has complex coefficients; pauliexp needs real ones")
    paulis = total.paulis
    keep = (paulis.x | paulis.z).any(axis=1) & (coeffs.real != 0.0)  # identity: a global phase
    if time == 0.0 or not keep.any():
        return
    x = paulis.x[keep].astype(np.int64)
    z = paulis.z[keep].astype(np.int64)
    clash = np.argwhere((x @ z.T + z @ x.T) % 2)
    labels = paulis[keep].to_labels()
    if clash.size:
        first, second = clash[0]
        raise _Problem(
            f"its terms do not all commute (e.g. {labels[first]!r} and {labels[second]!r}), so "
            "IonQ's pauliexp would Trotterise it instead of applying it exactly; "
            f"{_TRANSPILE_HINT}"
        )
    sign = 1.0 if time > 0 else -1.0
    out.append(
        {
            "gate": "pauliexp",
            "targets": [idx[q] for q in inst.qubits],
            # Qiskit labels are little-endian (last letter = qubit 0); IonQ's terms[k][i] acts on
            # targets[i].
            "terms": [label[::-1] for label in labels],
            "coefficients": [sign * float(c) for c in coeffs.real[keep]],
            "time": abs(time),
        }
    )


def _as_sparse_pauli_op(operator: Any) -> SparsePauliOp:
    if isinstance(operator, SparsePauliOp):
        return operator
    if isinstance(operator, SparseObservable):
        return SparsePauliOp.from_sparse_observable(operator)
    try:
        return SparsePauliOp(operator)
    except Exception:
        raise _Problem(f"cannot read its operator of type {type(operator).__name__}") from None


def _control_structure(operation: Any) -> tuple[Any, list[Any], int, int] | None:
    """(base gate, its parameters, number of controls, control state), or None if uncontrolled.

    Reads ``ControlledGate`` objects and ``AnnotatedOperation`` objects built from control (and
    inverse) modifiers, e.g. ``gate.control(k, annotated=True)``.
    """
    if isinstance(operation, AnnotatedOperation):
        count = state = 0
        inverse = False
        for modifier in operation.modifiers:
            if isinstance(modifier, ControlModifier):
                # Each modifier puts its controls in front of those already there.
                state = int(modifier.ctrl_state) | (state << modifier.num_ctrl_qubits)
                count += modifier.num_ctrl_qubits
            elif isinstance(modifier, InverseModifier):
                inverse = not inverse
            else:
                return None
        inner = operation.base_op.inverse() if inverse else operation.base_op
        unpacked = _control_structure(inner)
        if unpacked is None:
            return inner, list(inner.params), count, state
        base, params, inner_count, inner_state = unpacked
        return base, params, count + inner_count, state | (inner_state << count)
    base = getattr(operation, "base_gate", None)
    count = getattr(operation, "num_ctrl_qubits", 0)
    if base is None or not count:
        return None
    params = list(base.params)
    if base.name == "u" and len(operation.params) == 4:
        params.append(operation.params[3])  # cu's gamma lives on the controlled gate
    return base, params, count, int(operation.ctrl_state)


def _controlled_gate(out: Gates, idx: Index, inst: CircuitInstruction) -> bool:
    unpacked = _control_structure(inst.operation)
    if unpacked is None:
        return False
    base, params, count, state = unpacked
    qubits = [idx[q] for q in inst.qubits]
    controls = qubits[:count]
    # Any qubits after the base gate's are ancillas (mcx_vchain, mcx_recursive): left untouched.
    targets = qubits[count : count + base.num_qubits]
    open_controls = [q for k, q in enumerate(controls) if not (state >> k) & 1]
    flips = [{"gate": "x", "target": q} for q in open_controls]
    body: Gates = []
    if not _emit_base(body, base.name, params, controls, targets):
        return False
    out.extend(flips)
    out.extend(body)
    out.extend(dict(flip) for flip in flips)
    return True


def _rare(
    b: CircuitBuilder, idx: Index, inst: CircuitInstruction, gateset: str, strict: bool
) -> int:
    """Emit (and validate) a rare instruction or raise; returns the gates touching one qubit."""
    name = inst.name
    if name in _NATIVE_EMITTERS or name in _QIS_EMITTERS:
        kind = "native" if name in _NATIVE_EMITTERS else "qis"
        if kind == "native" and not strict:
            raise _NativeGateFound
        if strict:
            raise _Problem(f"it is a {kind} gate but the gateset is {gateset!r}")
        raise _Problem(
            f"it is a {kind} gate in a circuit of {gateset} gates; IonQ cannot mix native and "
            "qis gates in one circuit - transpile the whole circuit to one gateset"
        )
    if name == "reset":
        raise _Problem(f"reset is not supported: {_V1_LIMIT}")
    if name in _CONTROL_FLOW or inst.is_control_flow():
        raise _Problem(
            f"classical control flow is not supported: {FEED_FORWARD_REFUSAL} ({_V1_LIMIT} and "
            "neither can OpenQASM 3 jobs)"
        )
    if gateset == "qis":
        batch: Gates = []
        if name == "PauliEvolution":
            _pauli_evolution(batch, idx, inst)
            return b.add_checked(batch)
        controlled = name == "annotated" or inst.is_controlled_gate()
        if controlled and _controlled_gate(batch, idx, inst):
            return b.add_checked(batch)
    raise _Problem(f"gate {name!r} is not supported by IonQ's {gateset} gateset; {_TRANSPILE_HINT}")


# ---------------------------------------------------------------------------------------------
# The pass


def _has_native_gates(circuit: QuantumCircuit) -> bool:
    ops = circuit.count_ops()
    return any(name in ops for name in _NATIVE_EMITTERS)


def _translate(
    circuit: QuantumCircuit, gateset: str | None
) -> tuple[CircuitBuilder, tuple[int, ...], int]:
    """The builder holding the gates, the measurement map and how many gates touch one qubit.

    Without a chosen gateset, ``native`` is used exactly when the circuit has native gates: the
    circuit is walked as ``qis`` and walked again as ``native`` as soon as a native gate shows up,
    or when the ``qis`` walk finds a problem in a circuit with native gates (so the error is the
    one the native walk reports).
    """
    if gateset is not None:
        return _walk(circuit, gateset, strict=True)
    try:
        return _walk(circuit, "qis", strict=False)
    except _NativeGateFound:
        pass
    except InvalidInputError:
        if not _has_native_gates(circuit):
            raise
    return _walk(circuit, "native", strict=False)


def _walk(
    circuit: QuantumCircuit, gateset: str, strict: bool
) -> tuple[CircuitBuilder, tuple[int, ...], int]:
    table = _QIS_EMITTERS if gateset == "qis" else _NATIVE_EMITTERS
    index: Index = {bit: i for i, bit in enumerate(circuit.qubits)}
    clbit_index = {bit: i for i, bit in enumerate(circuit.clbits)}
    measurement_map = [UNMEASURED] * len(clbit_index)
    measured: set[Qubit] = set()
    dropped = _DROPPED
    builder = CircuitBuilder(gateset)
    one = 0
    position = -1
    inst: CircuitInstruction | None = None
    try:
        for position, inst in enumerate(circuit.data):  # noqa: B007 (read in except)
            name = inst.name
            emit = table.get(name)
            if emit is not None:
                qargs = inst.qubits
                if measured and not measured.isdisjoint(qargs):
                    _reused(index, measured, qargs)
                one += emit(builder, index, inst, qargs)
            elif name == "measure":
                qubit = inst.qubits[0]
                measurement_map[clbit_index[inst.clbits[0]]] = index[qubit]
                measured.add(qubit)
            elif name not in dropped:
                if measured and not measured.isdisjoint(inst.qubits) and name != "reset":
                    _reused(index, measured, inst.qubits)
                one += _rare(builder, index, inst, gateset, strict)
    except (_Problem, GateError) as problem:
        assert inst is not None
        hint = _CONTROLS_HINT if getattr(problem, "code", None) == "TooManyControls" else ""
        where = [index[q] for q in inst.qubits]
        raise InvalidInputError(
            f"circuit {circuit.name!r}, instruction {position} ({inst.name!r} on qubits "
            f"{where}): {problem}{hint}"
        ) from None
    return builder, tuple(measurement_map), one


def _reused(index: Index, measured: set[Qubit], qargs: QArgs) -> None:
    qubit = next(index[q] for q in qargs if q in measured)
    raise _Problem(
        f"qubit {qubit} is used after it was measured; mid-circuit measurement is not supported: "
        f"{_V1_LIMIT} (every qubit is measured once, at the end) - move measurements to the end"
    )


def _registers(circuit: QuantumCircuit) -> tuple[tuple[str, int], ...]:
    cregs = circuit.cregs
    clbits = circuit.clbits
    layout = [bit for creg in cregs for bit in creg] if len(cregs) != 1 else list(cregs[0])
    if layout != clbits:
        raise InvalidInputError(
            f"circuit {circuit.name!r}: its classical bits are not split into registers one by one "
            "(a bit outside every ClassicalRegister, in two registers, or out of order); put each "
            "classical bit in exactly one ClassicalRegister"
        )
    return tuple([(creg.name, creg.size) for creg in cregs])


def to_ionq(
    circuit: QuantumCircuit, *, gateset: str | None = None, name: str | None = None
) -> Circuit:
    """Translate a Qiskit circuit into an IonQ :class:`~ionq_direct.circuit.Circuit`.

    Args:
        circuit: the circuit; measurements must be terminal.
        gateset: ``"qis"``, ``"native"``, or ``None`` to use ``"native"`` exactly when the circuit
            contains native gates (:class:`~qiskit_ionq_direct.GPIGate` and friends).
        name: the IonQ circuit name; by default the circuit's name with characters IonQ does not
            allow replaced by ``_``.

    Returns:
        The validated IonQ circuit, equal to ``circuit`` up to a global phase, with the measurement
        map (classical bit ``i`` reads qubit ``measurement_map[i]``; ``-1`` for a bit never
        written) and the classical register layout.

    Raises:
        InvalidInputError: for anything IonQ's v1 JSON format cannot run exactly, naming the
            instruction, its index and the fix.
    """
    if not isinstance(circuit, QuantumCircuit):
        raise InvalidInputError(f"expected a QuantumCircuit, got {type(circuit).__name__}")
    if gateset is not None and gateset not in ("qis", "native"):
        raise InvalidInputError(f"gateset must be 'qis', 'native' or None, got {gateset!r}")
    builder, measurement_map, one = _translate(circuit, gateset)
    registers = _registers(circuit)
    qubits = circuit.num_qubits
    if name is None:
        name = _BAD_NAME_CHAR.sub("_", circuit.name)
    else:
        name = check_name(name, "circuit name")
    if qubits < 1 or (len(registers) > 1 and len(set(dict(registers))) != len(registers)):
        # No qubits, or a register name twice (Qiskit refuses that): Circuit() says what is wrong.
        return Circuit(
            builder.gates,
            qubits,
            gateset=builder.gateset,
            measurement_map=measurement_map,
            registers=registers,
            name=name,
        )
    # What finish() trusts holds by construction: each gate was emitted valid or was validated
    # as it was appended, indices come from the circuit's own bits and the registers cover the
    # classical bits one by one.
    return builder.finish(
        qubits,
        one_qubit_gates=one,
        measurement_map=measurement_map,
        registers=registers,
        name=name,
    )


def to_ionq_many(
    circuits: Sequence[QuantumCircuit],
    *,
    gateset: str | None = None,
    names: Sequence[str | None] | None = None,
) -> list[Circuit]:
    """Translate several circuits with :func:`to_ionq`, in order.

    Args:
        circuits: the circuits.
        gateset: as for :func:`to_ionq`, applied to each circuit.
        names: one name (or ``None``) per circuit; by default each circuit's own name.
    """
    if isinstance(circuits, QuantumCircuit):
        circuits = [circuits]
    if names is not None and len(names) != len(circuits):
        raise InvalidInputError(f"got {len(names)} names for {len(circuits)} circuits")
    chosen = names if names is not None else [None] * len(circuits)
    return [to_ionq(qc, gateset=gateset, name=n) for qc, n in zip(circuits, chosen, strict=True)]


# ---------------------------------------------------------------------------------------------
# Dynamic circuits: mid-circuit measurement, reset and qubit reuse, as OpenQASM 3 jobs


def _refuse_feed_forward(circuit: QuantumCircuit, position: int, inst: CircuitInstruction) -> None:
    raise InvalidInputError(
        f"circuit {circuit.name!r}, instruction {position} ({inst.name!r}): classical "
        f"feed-forward is not supported: {FEED_FORWARD_REFUSAL}"
    )


def is_dynamic(circuit: QuantumCircuit) -> bool:
    """Whether ``circuit`` needs an OpenQASM 3 job: it resets a qubit or uses one it measured.

    Raises:
        InvalidInputError: the circuit has classical feed-forward (``if_test``, loops,
            ``switch``, a classically conditioned gate), which IonQ runs on no target.
    """
    measured: set[Qubit] = set()
    dynamic = False
    for position, inst in enumerate(circuit.data):
        name = inst.name
        if name in _CONTROL_FLOW or inst.is_control_flow():
            _refuse_feed_forward(circuit, position, inst)
        if name in _DROPPED:
            continue
        if name == "reset":
            dynamic = True
        elif name == "measure":
            measured.add(inst.qubits[0])
            continue
        elif measured and not measured.isdisjoint(inst.qubits):
            dynamic = True
    return dynamic


def _segment(circuit: QuantumCircuit, position: int) -> QuantumCircuit:
    """An empty circuit on ``circuit``'s qubits that collects the gates between two steps."""
    segment = QuantumCircuit(circuit.qubits, name=f"{circuit.name} from instruction {position}")
    return segment


def to_dynamic(
    circuit: QuantumCircuit, *, gateset: str | None = None, name: str | None = None
) -> DynamicCircuit:
    """Translate a circuit with mid-circuit measurement or reset into a core dynamic circuit.

    The gates between measurements and resets are translated exactly as :func:`to_ionq` does;
    measurements keep their classical bits (a bit measured twice keeps the last value), and the
    classical registers are kept for formatting results. The core writes the OpenQASM 3.

    Args:
        circuit: the circuit (no classical feed-forward).
        gateset: as for :func:`to_ionq`.
        name: as for :func:`to_ionq`.

    Raises:
        InvalidInputError: for classical feed-forward, or anything :func:`to_ionq` refuses in a
            gate, naming the instruction.
    """
    if not isinstance(circuit, QuantumCircuit):
        raise InvalidInputError(f"expected a QuantumCircuit, got {type(circuit).__name__}")
    if gateset is not None and gateset not in ("qis", "native"):
        raise InvalidInputError(f"gateset must be 'qis', 'native' or None, got {gateset!r}")
    if gateset is None:
        gateset = "native" if _has_native_gates(circuit) else "qis"
    registers = _registers(circuit)
    qubit_index = {bit: i for i, bit in enumerate(circuit.qubits)}
    clbit_index = {bit: i for i, bit in enumerate(circuit.clbits)}
    steps: list[Step] = []
    segment = _segment(circuit, 0)

    def flush() -> None:
        nonlocal segment
        if segment.data:
            steps.extend(to_ionq(segment, gateset=gateset, name="segment").gates)
        segment = _segment(circuit, position + 1)

    position = -1
    for position, inst in enumerate(circuit.data):
        op_name = inst.name
        if op_name in _CONTROL_FLOW or inst.is_control_flow():
            _refuse_feed_forward(circuit, position, inst)
        if op_name == "measure":
            flush()
            steps.append(Measure(qubit_index[inst.qubits[0]], clbit_index[inst.clbits[0]]))
        elif op_name == "reset":
            flush()
            steps.append(Reset(qubit_index[inst.qubits[0]]))
        elif inst.clbits:
            raise InvalidInputError(
                f"circuit {circuit.name!r}, instruction {position} ({op_name!r}) writes classical "
                "bits; only measurements may"
            )
        else:
            segment.append(inst)
    flush()
    if name is None:
        name = _BAD_NAME_CHAR.sub("_", circuit.name)
    return DynamicCircuit(
        steps,
        max(circuit.num_qubits, 1),
        circuit.num_clbits,
        gateset=gateset,
        registers=registers,
        name=name,
    )
