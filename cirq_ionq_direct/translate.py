"""Translate a Cirq circuit into an IonQ JSON circuit (:class:`ionq_direct.circuit.Circuit`).

One pass over the operations; each gate type has a handler found by ``type(op.gate)`` in a dict
(rotations and CNOT, the bulk of large circuits, are handled inline). Gates the handlers do not
write directly go through the phase-exact decompositions of :mod:`cirq_ionq_direct._decompose`.

Qubits. ``qubit_order.order_for(circuit.all_qubits())`` (by default the sorted qubits) gives IonQ
indices ``0..n-1`` in that order, and ``Circuit.qubits`` is ``n``.

Gates. Every supported gate becomes IonQ gates that are exact up to a global phase. Under controls
a global phase becomes a relative one, so controlled gates are built only from IonQ gates with
exact matrices (x/cnot, y, z, h, rx, ry, rz) and the phase is put back with (multi-)controlled rz
gates on the controls. Controlled swaps become cnot, multi-controlled cnot, cnot.

Measurements. They must be terminal. Each key becomes a register ``(key, size)`` in order of first
appearance, and the measurement map lists, key by key, the qubits in the order given to
``cirq.measure``: column ``j`` of ``result.measurements[key]`` (big-endian, like
``cirq.Simulator``) is classical bit ``offset(key) + j``, which reads qubit
``measurement_map[offset(key) + j]``. Bits flipped by ``invert_mask`` are listed, as classical
bit indices, in JSON under ``metadata[INVERTED_BITS_KEY]`` (read them with
:func:`inverted_bits`).
"""

from __future__ import annotations

import gc
import json
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import cirq

from cirq_ionq_direct._decompose import EXACT, HINT, Prim, Reject, exact
from cirq_ionq_direct._known_unitary import lower_known_unitary
from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from ionq_direct.circuit import Circuit, CircuitBuilder, check_name
from ionq_direct.errors import GateError, InvalidInputError
from ionq_direct.lowering import gate_dict, ms_gates, turns_in_range, zz_angle
from ionq_direct.qasm3 import FEED_FORWARD_REFUSAL, DynamicCircuit, Measure, Reset, Step

#: Circuit metadata key holding the JSON list of classical bits that ``invert_mask`` flips.
INVERTED_BITS_KEY = "cirq_inverted_bits"

_PI = math.pi
_isfinite = math.isfinite

_Gates = list[dict[str, Any]]
_Builder = CircuitBuilder
_Index = dict[cirq.Qid, int]
#: (gate, op.qubits, index, qis builder, native builder) -> appended gates touching one qubit.
_Handler = Callable[[Any, Sequence[cirq.Qid], _Index, _Builder, _Builder], int]

# The handlers append to the builders' gates what ``validate_circuit`` accepts by construction:
# indices come from the qubit index (distinct: cirq refuses an operation on a qubit twice, and
# the two- and three-qubit handlers check it again), angles are finite, native parameters are
# folded into range (ionq_direct.lowering) and no handler adds more than two controls.
# Decomposed gates are validated as they are appended (:func:`_generic`). So the translated
# Circuit is built without validating every gate again; tests/cirq/test_translate.py runs the
# full validator on random circuits to prove it.


def _check_finite(value: float, what: str) -> float:
    if not _isfinite(value):
        raise Reject(f"{what} is not finite ({value})")
    return value


def _distinct(*indices: int) -> None:
    if len(set(indices)) != len(indices):
        raise Reject(f"acts on one qubit twice ({list(indices)})")


def _emit(prims: list[Prim], qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int]) -> _Gates:
    where = [index[q] for q in qubits]
    batch: _Gates = []
    for name, targets, controls, rotation in prims:
        try:
            entry = gate_dict(
                name, [where[t] for t in targets], [where[c] for c in controls], rotation
            )
        except GateError as exc:  # too many controls
            raise Reject(f"needs a gate with {exc}") from None
        if rotation is not None:
            _check_finite(rotation, "rotation")
        batch.append(entry)
    return batch


# ---------------------------------------------------------------------------------------------
# Handlers: (gate, op.qubits, index, qis builder, native builder) -> one-qubit gates appended


def _generic(
    gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder
) -> int:
    batch = _emit(exact(gate)[0], qubits, index)
    try:
        return out.add_checked(batch)
    except GateError as exc:
        raise Reject(str(exc)) from None


def _rotation_handler(rotation: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder
    ) -> int:
        angle = float(gate.exponent) * _PI
        if not _isfinite(angle):
            raise Reject(f"angle is not finite ({angle})")
        out.gates.append({"gate": rotation, "target": index[qubits[0]], "rotation": angle})
        return 1

    return handle


def _pauli_handler(rotation: str, named: dict[float, str]) -> _Handler:
    """X/Y/Z powers: IonQ's named gate for common exponents, else a rotation."""
    rotate = _rotation_handler(rotation)

    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder
    ) -> int:
        name = named.get(gate.exponent)
        if name is None:
            return rotate(gate, qubits, index, out, _n)
        out.gates.append({"gate": name, "target": index[qubits[0]]})
        return 1

    return handle


def _fixed_handler(name: str, controls: int) -> _Handler:
    """Odd powers of a fixed gate as IonQ ``name``; other exponents via the exact path."""

    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder
    ) -> int:
        exponent = gate.exponent
        if exponent != 1 and float(exponent) % 2 != 1:
            return _generic(gate, qubits, index, out, _n)
        where = [index[q] for q in qubits]
        if len(where) == 1:
            out.gates.append({"gate": name, "target": where[0]})
            return 1
        _distinct(*where)
        if controls == 1:
            out.gates.append({"gate": name, "control": where[0], "target": where[1]})
        elif controls:
            out.gates.append(
                {"gate": name, "controls": where[:controls], "target": where[controls]}
            )
        else:
            out.gates.append({"gate": name, "targets": where})
        return 0

    return handle


def _ising_handler(name: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder
    ) -> int:
        angle = _check_finite(float(gate.exponent) * _PI, "rotation")
        targets = [index[qubits[0]], index[qubits[1]]]
        _distinct(*targets)
        out.gates.append({"gate": name, "targets": targets, "rotation": angle})
        return 0

    return handle


def _drop(gate: Any, qubits: Sequence[cirq.Qid], index: _Index, out: _Builder, _n: _Builder) -> int:
    exact(gate)  # still raises TypeError on unresolved symbols
    return 0


def _phase(value: Any, what: str) -> float:
    """A phase in turns, finite and wrapped into IonQ's [-1, 1] only when outside it."""
    return turns_in_range(_check_finite(float(value), what))


def _gpi(name: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: _Index, _o: _Builder, out: _Builder
    ) -> int:
        out.gates.append(
            {"gate": name, "target": index[qubits[0]], "phase": _phase(gate.phi, "phi")}
        )
        return 1

    return handle


def _ms(
    gate: MSGate, qubits: Sequence[cirq.Qid], index: _Index, _o: _Builder, out: _Builder
) -> int:
    phi0 = _phase(gate.phi0, "phi0")
    phi1 = _phase(gate.phi1, "phi1")
    theta = _check_finite(float(gate.theta), "theta")
    a, b = index[qubits[0]], index[qubits[1]]
    _distinct(a, b)
    for p0, p1, angle in ms_gates(phi0, phi1, theta):
        out.gates.append({"gate": "ms", "targets": [a, b], "phases": [p0, p1], "angle": angle})
    return 0


def _zz(
    gate: ZZGate, qubits: Sequence[cirq.Qid], index: _Index, _o: _Builder, out: _Builder
) -> int:
    theta = zz_angle(_check_finite(float(gate.theta), "theta"))
    targets = [index[qubits[0]], index[qubits[1]]]
    _distinct(*targets)
    out.gates.append({"gate": "zz", "targets": targets, "angle": theta})
    return 0


_X_NAMES: dict[float, str] = {1: "x", -1: "x", 0.5: "v", -0.5: "vi"}
_Y_NAMES: dict[float, str] = {1: "y", -1: "y"}
_Z_NAMES: dict[float, str] = {1: "z", -1: "z", 0.5: "s", -0.5: "si", 0.25: "t", -0.25: "ti"}

_HANDLERS: dict[type, _Handler] = {
    **{kind: _generic for kind in EXACT},
    cirq.XPowGate: _pauli_handler("rx", _X_NAMES),
    cirq.YPowGate: _pauli_handler("ry", _Y_NAMES),
    cirq.ZPowGate: _pauli_handler("rz", _Z_NAMES),
    type(cirq.X): _pauli_handler("rx", _X_NAMES),
    type(cirq.Y): _pauli_handler("ry", _Y_NAMES),
    type(cirq.Z): _pauli_handler("rz", _Z_NAMES),
    cirq.Rx: _rotation_handler("rx"),
    cirq.Ry: _rotation_handler("ry"),
    cirq.Rz: _rotation_handler("rz"),
    cirq.HPowGate: _fixed_handler("h", 0),
    cirq.CXPowGate: _fixed_handler("cnot", 1),
    cirq.CZPowGate: _fixed_handler("z", 1),
    cirq.CCXPowGate: _fixed_handler("cnot", 2),
    cirq.CCZPowGate: _fixed_handler("z", 2),
    cirq.SwapPowGate: _fixed_handler("swap", 0),
    cirq.XXPowGate: _ising_handler("xx"),
    cirq.MSGate: _ising_handler("xx"),
    cirq.YYPowGate: _ising_handler("yy"),
    cirq.ZZPowGate: _ising_handler("zz"),
    cirq.IdentityGate: _drop,
    cirq.GlobalPhaseGate: _drop,
    GPIGate: _gpi("gpi"),
    GPI2Gate: _gpi("gpi2"),
    MSGate: _ms,
    ZZGate: _zz,
}
#: Rotations written inline by the walk when their exponent is a finite float.
_ROTATIONS: dict[type, str] = {cirq.Rx: "rx", cirq.Ry: "ry", cirq.Rz: "rz"}
#: One-qubit gates written inline by IonQ name when their exponent is one of these.
_NAMED: dict[type, dict[float, str]] = {
    cirq.XPowGate: _X_NAMES,
    cirq.YPowGate: _Y_NAMES,
    cirq.ZPowGate: _Z_NAMES,
    type(cirq.X): _X_NAMES,
    type(cirq.Y): _Y_NAMES,
    type(cirq.Z): _Z_NAMES,
    cirq.HPowGate: {1: "h", -1: "h"},
}
_NATIVE_TYPES = (GPIGate, GPI2Gate, MSGate, ZZGate)
_LINE_X = operator.attrgetter("x")
_LINE_QUBIT_ONLY = {cirq.LineQubit}
_NEUTRAL_TYPES = (cirq.MeasurementGate, cirq.IdentityGate, cirq.GlobalPhaseGate)


# ---------------------------------------------------------------------------------------------
# The walk


#: Measurement key -> (moment, qubit indices, invert mask), in order of first appearance.
_Keys = dict[str, tuple[int, list[int], tuple[bool, ...]]]


def _measurement_error(moment: int, op: cirq.Operation, keys: _Keys) -> InvalidInputError:
    """Why a measurement cannot be recorded (called only when one of the checks fails)."""
    gate = op.gate
    assert isinstance(gate, cirq.MeasurementGate)
    if gate.confusion_map:
        return InvalidInputError(
            f"moment {moment}: {op}: confusion_map is not supported; IonQ returns raw "
            "outcomes (apply readout correction to the results instead)"
        )
    return InvalidInputError(
        f"moment {moment}: {op}: measurement key {gate.key!r} is already used at moment "
        f"{keys[gate.key][0]}; IonQ measures once, at the end, so each key must be "
        "unique (use a different key for each measurement)"
    )


def _layout(keys: _Keys) -> tuple[list[int], list[tuple[str, int]], list[int]]:
    """The measurement map, the registers and the classical bits to invert."""
    if len(keys) == 1:
        [(key, (_moment, qubits, mask))] = keys.items()
        if not mask:
            return qubits, [(key, len(qubits))], []
    mapping: list[int] = []
    registers: list[tuple[str, int]] = []
    inverted: list[int] = []
    for key, (_moment, qubits, mask) in keys.items():
        offset = len(mapping)
        mapping.extend(qubits)
        registers.append((key, len(qubits)))
        inverted.extend(offset + i for i, flip in enumerate(mask) if flip)
    return mapping, registers, inverted


def _unsupported(moment: int, op: cirq.Operation, reason: str) -> InvalidInputError:
    return InvalidInputError(f"moment {moment}: operation {op} cannot be translated: {reason}")


def _after_measurement(moment: int, op: cirq.Operation) -> InvalidInputError:
    return InvalidInputError(
        f"moment {moment}: operation {op} acts on a qubit that was already "
        "measured; IonQ circuits measure every qubit once, at the end, so all "
        "measurements must be terminal"
    )


def _resolve(
    moment: int, op: cirq.Operation, resolver: cirq.ParamResolver
) -> tuple[cirq.Operation, _Handler]:
    try:
        resolved = cirq.resolve_parameters(op, resolver)
    except (TypeError, ValueError) as exc:
        raise _unsupported(moment, op, f"its parameters must be real numbers ({exc})") from exc
    if cirq.is_parameterized(resolved):
        names = ", ".join(sorted(cirq.parameter_names(resolved)))
        raise InvalidInputError(
            f"moment {moment}: operation {op} has unresolved symbol(s) {names}; pass "
            "param_resolver={...} with a value for each"
        )
    handler = _HANDLERS.get(type(resolved.gate))
    if handler is None:
        raise _unsupported(moment, resolved, f"unsupported gate {resolved.gate!r}; {HINT}")
    return resolved, handler


def _fallback(
    moment: int,
    op: cirq.Operation,
    index: _Index,
    qis: _Builder,
    native: _Builder,
    measured: set[cirq.Qid],
    param_resolver: cirq.ParamResolverOrSimilarType,
) -> int:
    """A gate with no handler, lowered exactly from its unitary (:mod:`._known_unitary`)."""
    try:
        resolved = cirq.resolve_parameters(op, cirq.ParamResolver(param_resolver))
    except (TypeError, ValueError) as exc:
        raise _unsupported(moment, op, f"its parameters must be real numbers ({exc})") from exc
    lowered = lower_known_unitary(resolved)
    if lowered is None:
        raise _unsupported(moment, op, f"unsupported gate {op.gate!r}; {HINT}")
    if lowered and measured and not measured.isdisjoint(op.qubits):
        raise _after_measurement(moment, op)
    one = 0
    try:
        for part in lowered:
            one += _HANDLERS[type(part.gate)](part.gate, part.qubits, index, qis, native)
    except Reject as exc:
        raise _unsupported(moment, op, str(exc)) from None
    return one


class Slot:
    """A parameterised operation a sweep template translates again at each point.

    Attributes:
        moment: the operation's moment.
        op: the operation, its parameters unresolved.
        qis_at: how many qis gates come before it.
        native_at: how many native gates come before it.
    """

    __slots__ = ("moment", "native_at", "op", "qis_at")

    def __init__(self, moment: int, op: cirq.Operation, qis_at: int, native_at: int) -> None:
        self.moment, self.op, self.qis_at, self.native_at = moment, op, qis_at, native_at


def _walk(
    circuit: cirq.AbstractCircuit,
    index: dict[cirq.Qid, int],
    param_resolver: cirq.ParamResolverOrSimilarType,
    slots: list[Slot] | None = None,
) -> tuple[_Builder, _Builder, int, _Keys]:
    """The qis gates, the native gates, how many gates touch one qubit, and the measurements.

    With ``slots``, a parameterised operation that no measurement precedes on its qubits is
    not translated but recorded there, for :mod:`cirq_ionq_direct.sweeps` to translate at
    each sweep point.
    """
    qis_builder = CircuitBuilder("qis")
    native = CircuitBuilder("native")
    qis = qis_builder.gates  # the inline fast paths append here
    one = 0
    keys: _Keys = {}
    measured: set[cirq.Qid] = set()
    handlers = _HANDLERS
    rotations = _ROTATIONS
    named = _NAMED
    cnot = cirq.CXPowGate
    pi = _PI
    for moment_index, moment in enumerate(circuit.moments):
        for op in moment.operations:
            gate = op.gate
            kind = type(gate)
            # Inline fast paths: rotations by a finite float angle, named one-qubit gates, CNOT.
            # Anything else (or an odd case of these) goes to the gate type's handler.
            rotation = rotations.get(kind)
            if rotation is not None:
                exponent = gate.exponent  # type: ignore[union-attr]
                if type(exponent) is float:
                    angle = exponent * pi
                    if angle - angle == 0.0:  # finite
                        qubits = op.qubits
                        if measured and not measured.isdisjoint(qubits):
                            raise _after_measurement(moment_index, op)
                        qis.append(
                            {"gate": rotation, "target": index[qubits[0]], "rotation": angle}
                        )
                        one += 1
                        continue
            elif kind is cnot:
                if gate.exponent == 1:  # type: ignore[union-attr]
                    qubits = op.qubits
                    if measured and not measured.isdisjoint(qubits):
                        raise _after_measurement(moment_index, op)
                    control = index[qubits[0]]
                    target = index[qubits[1]]
                    if control != target:
                        qis.append({"gate": "cnot", "control": control, "target": target})
                        continue
            else:
                names = named.get(kind)
                if names is not None:
                    name = names.get(gate.exponent)  # type: ignore[union-attr]
                    if name is not None:
                        qubits = op.qubits
                        if measured and not measured.isdisjoint(qubits):
                            raise _after_measurement(moment_index, op)
                        qis.append({"gate": name, "target": index[qubits[0]]})
                        one += 1
                        continue
            if (
                slots is not None
                and gate is not None
                and not (measured and not measured.isdisjoint(op.qubits))
                and cirq.is_parameterized(op)
            ):
                slots.append(Slot(moment_index, op, len(qis), len(native.gates)))
                continue
            handler = handlers.get(kind)
            if handler is None:
                if isinstance(gate, cirq.MeasurementGate):
                    key = gate.key
                    if gate.confusion_map or key in keys:
                        raise _measurement_error(moment_index, op, keys)
                    # Every qubit of the circuit has dimension 2 (checked up front) and cirq
                    # checks a measurement's qid shape against its qubits: only qubits here.
                    qubits = op.qubits
                    mask = gate.full_invert_mask() if gate.invert_mask else ()
                    keys[key] = (moment_index, [index[q] for q in qubits], mask)
                    measured.update(qubits)
                    continue
                if gate is None:
                    raise _unsupported(
                        moment_index,
                        op,
                        "it has no gate (flatten circuit operations with "
                        "cirq.unroll_circuit_op(circuit); classical control is not expressible "
                        "in IonQ circuits)",
                    )
                one += _fallback(
                    moment_index, op, index, qis_builder, native, measured, param_resolver
                )
                continue
            if measured and not measured.isdisjoint(op.qubits) and handler is not _drop:
                raise _after_measurement(moment_index, op)
            try:
                try:
                    one += handler(gate, op.qubits, index, qis_builder, native)
                except TypeError:
                    # Symbols (or other non-numbers) do not convert to float: resolve, retry.
                    if not cirq.is_parameterized(op):
                        raise
                    resolver = cirq.ParamResolver(param_resolver)
                    resolved, handler = _resolve(moment_index, op, resolver)
                    one += handler(resolved.gate, resolved.qubits, index, qis_builder, native)
            except Reject as exc:
                raise _unsupported(moment_index, op, str(exc)) from None
            except TypeError as exc:
                raise _unsupported(
                    moment_index, op, f"its parameters must be real numbers ({exc})"
                ) from exc
    return qis_builder, native, one, keys


def _mixed_gateset_error(circuit: cirq.AbstractCircuit) -> InvalidInputError:
    first: dict[bool, tuple[int, cirq.Operation]] = {}
    for moment_index, moment in enumerate(circuit.moments):
        for op in moment.operations:
            if isinstance(op.gate, _NEUTRAL_TYPES):
                continue
            first.setdefault(isinstance(op.gate, _NATIVE_TYPES), (moment_index, op))
    (n_moment, n_op), (q_moment, q_op) = first[True], first[False]
    return InvalidInputError(
        f"the circuit mixes IonQ native gates (first: {n_op} at moment {n_moment}) with "
        f"non-native gates (first: {q_op} at moment {q_moment}); IonQ runs a circuit in one "
        "gateset, so use only GPIGate/GPI2Gate/MSGate/ZZGate or none of them"
    )


#: The last default-order index built, keyed by the qubits it covers: batches of circuits on the
#: same qubits (parameter sweeps) reuse it. Read-only once built; replaced as a whole.
_last_index: tuple[frozenset[cirq.Qid], dict[cirq.Qid, int]] | None = None


def _qubit_index(
    circuit: cirq.AbstractCircuit, qubit_order: cirq.QubitOrderOrList
) -> dict[cirq.Qid, int]:
    global _last_index  # a one-entry cache
    qubits = circuit.all_qubits()
    default = qubit_order is cirq.QubitOrder.DEFAULT
    if default:
        last = _last_index
        if last is not None and last[0] == qubits:
            return last[1]
    if default and set(map(type, qubits)) == _LINE_QUBIT_ONLY:
        # The default order sorts the qubits; LineQubits (all of dimension 2) sort by x.
        order: Sequence[cirq.Qid] = sorted(qubits, key=_LINE_X)
    else:
        order = cirq.QubitOrder.as_qubit_order(qubit_order).order_for(qubits)
        for qubit in order:
            if qubit.dimension != 2:
                raise InvalidInputError(
                    f"{qubit!r} has dimension {qubit.dimension}; IonQ runs qubits"
                )
    if not order:
        raise InvalidInputError("the circuit acts on no qubits; IonQ circuits need at least one")
    index = dict(zip(order, range(len(order)), strict=True))
    if default:
        _last_index = (frozenset(qubits), index)
    return index


def to_ionq(
    circuit: cirq.AbstractCircuit,
    *,
    param_resolver: cirq.ParamResolverOrSimilarType = None,
    qubit_order: cirq.QubitOrderOrList = cirq.QubitOrder.DEFAULT,
    name: str | None = None,
) -> Circuit:
    """Translate a Cirq circuit into a validated IonQ :class:`~ionq_direct.circuit.Circuit`.

    Args:
        circuit: the circuit; measurements must be terminal.
        param_resolver: values for the circuit's symbols.
        qubit_order: fixes IonQ qubit indices: ``qubit_order.order_for(circuit.all_qubits())``
            lists the qubits for indices 0, 1, ... (default: sorted).
        name: optional circuit name.

    Returns:
        The IonQ circuit, gateset ``"native"`` when it uses this package's native gates and
        ``"qis"`` otherwise; one register per measurement key (see the module docstring).

    Raises:
        InvalidInputError: naming the operation and its moment for unsupported gates,
            non-terminal measurements, unresolved symbols, non-finite angles, more than 7
            controls, repeated measurement keys or a mix of native and non-native gates.
    """
    if type(circuit) is not cirq.Circuit and not isinstance(circuit, cirq.AbstractCircuit):
        raise InvalidInputError(f"expected a cirq circuit, got {type(circuit).__name__}")
    index = _qubit_index(circuit, qubit_order)
    if name is not None:
        name = check_name(name, "circuit name")
    # The walk allocates one dict per gate while the circuit holds many objects; pausing the cyclic
    # garbage collector (nothing here forms cycles) avoids repeated full scans of the circuit.
    collecting = gc.isenabled()
    gc.disable()
    try:
        qis, native, one, keys = _walk(circuit, index, param_resolver)
    finally:
        if collecting:
            gc.enable()
    if qis.gates and native.gates:
        raise _mixed_gateset_error(circuit)
    mapping, registers, inverted = _layout(keys)
    metadata = {INVERTED_BITS_KEY: json.dumps(inverted, separators=(",", ":"))} if inverted else {}
    builder = native if native.gates else qis
    # What finish() trusts holds by construction: valid gates (see the handlers), indices below
    # len(index), one register per measurement key (keys are unique) covering the map.
    return builder.finish(
        len(index),
        one_qubit_gates=one,
        measurement_map=tuple(mapping),
        registers=tuple(registers),
        name=name,
        metadata=metadata,
    )


def inverted_bits(circuit: Circuit) -> tuple[int, ...]:
    """The classical bits whose results must be flipped (from ``invert_mask``), ascending."""
    raw = circuit.metadata.get(INVERTED_BITS_KEY)
    return () if raw is None else tuple(sorted(int(i) for i in json.loads(raw)))


# ---------------------------------------------------------------------------------------------
# Dynamic circuits: mid-circuit measurement, reset and qubit reuse, as OpenQASM 3 jobs


def _feed_forward(moment: int, op: cirq.Operation) -> InvalidInputError:
    return InvalidInputError(
        f"moment {moment}: {op} is classically controlled: {FEED_FORWARD_REFUSAL}"
    )


def is_dynamic(circuit: cirq.AbstractCircuit) -> bool:
    """Whether ``circuit`` needs an OpenQASM 3 job (a reset, a repeated key, a reused qubit).

    Raises:
        InvalidInputError: an operation is classically controlled (``with_classical_controls``),
            which IonQ runs on no target.
    """
    measured: set[cirq.Qid] = set()
    keys: set[str] = set()
    dynamic = False
    for moment_index, moment in enumerate(circuit.moments):
        for op in moment.operations:
            if cirq.control_keys(op):
                raise _feed_forward(moment_index, op)
            gate = op.gate
            if isinstance(gate, cirq.ResetChannel):
                dynamic = True
            elif isinstance(gate, cirq.MeasurementGate):
                if gate.key in keys:
                    dynamic = True
                keys.add(gate.key)
                measured.update(op.qubits)
            elif (
                measured
                and not isinstance(gate, _NEUTRAL_TYPES)
                and not measured.isdisjoint(op.qubits)
            ):
                dynamic = True
    return dynamic


class DynamicKeys:
    """How the program bits of a dynamic circuit become Cirq records.

    Attributes:
        registers: ``(key, size)`` per measurement key, in order of first appearance.
        measurement_map: classical bit ``i`` (keys in order, each key's measurements in
            order, then its qubits) reads program bit ``measurement_map[i]``.
        inverted: classical bits ``invert_mask`` flips.
        repeats: how many times each key is measured.
    """

    __slots__ = ("inverted", "measurement_map", "registers", "repeats")

    def __init__(
        self,
        registers: tuple[tuple[str, int], ...],
        measurement_map: tuple[int, ...],
        inverted: tuple[int, ...],
        repeats: tuple[int, ...],
    ) -> None:
        self.registers = registers
        self.measurement_map = measurement_map
        self.inverted = inverted
        self.repeats = repeats


def to_dynamic(
    circuit: cirq.AbstractCircuit,
    *,
    param_resolver: cirq.ParamResolverOrSimilarType = None,
    qubit_order: cirq.QubitOrderOrList = cirq.QubitOrder.DEFAULT,
    name: str | None = None,
) -> tuple[DynamicCircuit, DynamicKeys]:
    """Translate a circuit with mid-circuit measurements or resets into a core dynamic circuit.

    The gates between measurements and resets are translated exactly as :func:`to_ionq` does
    (same qubit indices); every measurement writes fresh program bits, so a key measured
    several times keeps each measurement. The core writes the OpenQASM 3 program.

    Returns:
        The dynamic circuit and how its program bits become records.

    Raises:
        InvalidInputError: for classically controlled operations, a key measured with different
            sizes, ``confusion_map``, a mix of native and non-native gates, or anything
            :func:`to_ionq` refuses in a gate.
    """
    if not isinstance(circuit, cirq.AbstractCircuit):
        raise InvalidInputError(f"expected a cirq circuit, got {type(circuit).__name__}")
    index = _qubit_index(circuit, qubit_order)
    order = cirq.QubitOrder.explicit(sorted(index, key=index.__getitem__))
    if name is not None:
        name = check_name(name, "circuit name")
    steps: list[Step | tuple[int, list[cirq.Operation]]] = []
    pending: list[cirq.Operation] = []
    first_moment = 0
    # key -> (size, [first program bit of each measurement], [invert mask of each])
    keys: dict[str, tuple[int, list[int], list[tuple[bool, ...]]]] = {}
    clbits = 0
    for moment_index, moment in enumerate(circuit.moments):
        for op in moment.operations:
            if cirq.control_keys(op):
                raise _feed_forward(moment_index, op)
            gate = op.gate
            if isinstance(gate, (cirq.MeasurementGate, cirq.ResetChannel)) and pending:
                steps.append((first_moment, pending))
                pending = []
            if isinstance(gate, cirq.MeasurementGate):
                if gate.confusion_map:
                    raise _measurement_error(moment_index, op, {})
                size = len(op.qubits)
                entry = keys.setdefault(gate.key, (size, [], []))
                if entry[0] != size:
                    raise InvalidInputError(
                        f"moment {moment_index}: {op}: key {gate.key!r} was measured on "
                        f"{entry[0]} qubit(s) before; every measurement of a key needs the same "
                        "number of qubits"
                    )
                entry[1].append(clbits)
                entry[2].append(gate.full_invert_mask())
                for j, qubit in enumerate(op.qubits):
                    steps.append(Measure(index[qubit], clbits + j))
                clbits += size
            elif isinstance(gate, cirq.ResetChannel):
                steps.append(Reset(index[op.qubits[0]]))
            else:
                if not pending:
                    first_moment = moment_index
                pending.append(op)
    if pending:
        steps.append((first_moment, pending))
    translated: list[Step] = []
    gatesets: set[str] = set()
    for step in steps:
        if not isinstance(step, tuple):
            translated.append(step)
            continue
        moment_offset, ops = step
        try:
            segment = to_ionq(cirq.Circuit(ops), param_resolver=param_resolver, qubit_order=order)
        except InvalidInputError as exc:
            raise InvalidInputError(f"in the gates from moment {moment_offset} on: {exc}") from None
        if segment.gates:
            gatesets.add(segment.gateset)
            translated.extend(segment.gates)
    if len(gatesets) > 1:
        raise InvalidInputError(
            "the circuit mixes IonQ native gates with non-native gates; IonQ runs a circuit "
            "in one gateset, so use only GPIGate/GPI2Gate/MSGate/ZZGate or none of them"
        )
    registers: list[tuple[str, int]] = []
    mapping: list[int] = []
    inverted: list[int] = []
    repeats: list[int] = []
    for key, (size, starts, masks) in keys.items():
        registers.append((key, size))
        repeats.append(len(starts))
        for start, mask in zip(starts, masks, strict=True):
            offset = len(mapping)
            mapping.extend(range(start, start + size))
            inverted.extend(offset + j for j, flip in enumerate(mask) if flip)
    dynamic = DynamicCircuit(
        translated,
        len(index),
        clbits,
        gateset=gatesets.pop() if gatesets else "qis",
        name=name,
    )
    layout = DynamicKeys(tuple(registers), tuple(mapping), tuple(inverted), tuple(repeats))
    return dynamic, layout
