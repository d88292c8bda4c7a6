"""Translate a Cirq circuit into an IonQ JSON circuit (:class:`ionq_direct.circuit.Circuit`).

One pass over the operations; each gate type has a handler found by ``type(op.gate)`` in a dict.

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

import cmath
import gc
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import cirq

from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from ionq_direct._constants import MAX_CONTROLS
from ionq_direct.circuit import Circuit
from ionq_direct.errors import InvalidInputError

#: Circuit metadata key holding the JSON list of classical bits that ``invert_mask`` flips.
INVERTED_BITS_KEY = "cirq_inverted_bits"

_PI = math.pi
_isfinite = math.isfinite
_HINT = (
    "convert the circuit first, e.g. with cirq.optimize_for_target_gateset(circuit, "
    "gateset=cirq.CZTargetGateset())"
)

# An exact primitive on the operation's local qubits: (name, targets, controls, rotation).
_Prim = tuple[str, tuple[int, ...], tuple[int, ...], float | None]
# Primitives plus the global phase alpha: gate unitary = exp(i alpha) * product of primitives.
_Exact = tuple[list[_Prim], float]
_Gates = list[dict[str, Any]]
_Handler = Callable[[Any, Sequence[cirq.Qid], dict[cirq.Qid, int], _Gates, _Gates], None]


class _Reject(Exception):
    """A gate cannot be translated; the message is completed with the operation and moment."""


def _check_finite(value: float, what: str) -> float:
    if not _isfinite(value):
        raise _Reject(f"{what} is not finite ({value})")
    return value


# ---------------------------------------------------------------------------------------------
# Exact decompositions (controllable primitives plus a global phase)


def _phase_on(controls: tuple[int, ...], alpha: float) -> _Exact:
    """exp(i alpha) when every qubit in ``controls`` is 1, as controlled rz gates plus a phase."""
    prims: list[_Prim] = []
    # P_{rest+last}(a) = C_rest(exp(i a/2) rz_last(a)) = C_rest-rz_last(a) . P_rest(a/2).
    while controls and alpha != 0.0:
        prims.append(("rz", (controls[-1],), controls[:-1], alpha))
        controls = controls[:-1]
        alpha /= 2
    return prims, (alpha if not controls else 0.0)


def _cswap(controls: tuple[int, ...], a: int, b: int) -> list[_Prim]:
    return [("x", (a,), (b,), None), ("x", (b,), (*controls, a), None), ("x", (a,), (b,), None)]


def _with_controls(exact: _Exact, count: int) -> _Exact:
    """Put ``count`` controls (local qubits 0..count-1) on a gate acting on the next qubits."""
    prims, alpha = exact
    added = tuple(range(count))
    out: list[_Prim] = []
    for name, targets, controls, rotation in prims:
        shifted_targets = tuple(t + count for t in targets)
        shifted_controls = added + tuple(c + count for c in controls)
        if name == "swap":
            out.extend(_cswap(shifted_controls, *shifted_targets))
        else:
            out.append((name, shifted_targets, shifted_controls, rotation))
    phase_prims, global_phase = _phase_on(added, alpha)
    return out + phase_prims, global_phase


def _power(gate: Any) -> tuple[float, float]:
    """(exponent, global phase of the shift) of an EigenGate; TypeError when symbolic."""
    exponent = float(gate.exponent)
    return exponent, _PI * exponent * float(gate.global_shift)


def _pauli_power(name: str, rotation: str, e: float) -> _Exact:
    """P**e without global shift for a Pauli P: exactly exp(i pi e / 2) r(pi e), or P for odd e."""
    if e % 2 == 1:
        return [(name, (0,), (), None)], 0.0
    if e % 2 == 0:
        return [], 0.0
    return [(rotation, (0,), (), _PI * e)], _PI * e / 2


def _pauli_exact(name: str, rotation: str) -> Callable[[Any], _Exact]:
    def exact(gate: Any) -> _Exact:
        e, shift_phase = _power(gate)
        prims, alpha = _pauli_power(name, rotation, e)
        return prims, alpha + shift_phase

    return exact


def _h_exact(gate: Any) -> _Exact:
    e, shift_phase = _power(gate)
    if e % 2 == 1:
        return [("h", (0,), (), None)], shift_phase
    if e % 2 == 0:
        return [], shift_phase
    raise _Reject(f"H**{e} is not supported (only H**1 and H**-1); {_HINT}")


def _cpow_exact(count: int, name: str, rotation: str) -> Callable[[Any], _Exact]:
    """C^count-(P**e) for P = X or Z, with the phase of P**e put back on the controls."""

    def exact(gate: Any) -> _Exact:
        e, shift_phase = _power(gate)
        # The shift multiplies the whole controlled gate, so it stays global.
        prims, alpha = _with_controls(_pauli_power(name, rotation, e), count)
        return prims, alpha + shift_phase

    return exact


def _swap_exact(gate: Any) -> _Exact:
    e, shift_phase = _power(gate)
    if e % 2 == 1:
        return [("swap", (0, 1), (), None)], shift_phase
    if e % 2 == 0:
        return [], shift_phase
    raise _Reject(f"SWAP**{e} is not supported (only integer powers); {_HINT}")


def _ising_exact(basis: str) -> Callable[[Any], _Exact]:
    # PP**e = exp(i pi e (s + 1/2)) exp(-i (pi e / 2) PP); exp(-i t/2 ZZ) = cnot rz(t) cnot.
    before: list[_Prim]
    after: list[_Prim]
    if basis == "x":
        before = after = [("h", (0,), (), None), ("h", (1,), (), None)]
    elif basis == "y":  # rx(-pi/2) Z rx(pi/2) = Y
        before = [("rx", (0,), (), _PI / 2), ("rx", (1,), (), _PI / 2)]
        after = [("rx", (0,), (), -_PI / 2), ("rx", (1,), (), -_PI / 2)]
    else:
        before = after = []

    def exact(gate: Any) -> _Exact:
        e, shift_phase = _power(gate)
        core: list[_Prim] = [
            ("x", (1,), (0,), None),
            ("rz", (1,), (), _PI * e),
            ("x", (1,), (0,), None),
        ]
        return before + core + after, shift_phase + _PI * e / 2

    return exact


def _phased_x_exact(gate: cirq.PhasedXPowGate) -> _Exact:
    # Z**p X**e Z**-p: the Z phases cancel, the X**e phase stays.
    e, shift_phase = _power(gate)
    p = _PI * float(gate.phase_exponent)
    prims, alpha = _pauli_power("x", "rx", e)
    return [("rz", (0,), (), -p), *prims, ("rz", (0,), (), p)], alpha + shift_phase


def _phased_xz_exact(gate: cirq.PhasedXZGate) -> _Exact:
    # Z**z Z**a X**x Z**-a = exp(i pi (x + z) / 2) rz(pi (a + z)) rx(pi x) rz(-pi a).
    x = float(gate.x_exponent)
    z = float(gate.z_exponent)
    a = float(gate.axis_phase_exponent)
    prims: list[_Prim] = [
        ("rz", (0,), (), -_PI * a),
        ("rx", (0,), (), _PI * x),
        ("rz", (0,), (), _PI * (a + z)),
    ]
    return prims, _PI * (x + z) / 2


def _global_phase_exact(gate: cirq.GlobalPhaseGate) -> _Exact:
    return [], cmath.phase(complex(gate.coefficient))


def _controlled_exact(gate: cirq.ControlledGate) -> _Exact:
    if any(d != 2 for d in gate.control_qid_shape):
        raise _Reject("controls must be qubits (dimension 2)")
    states = list(gate.control_values.expand())
    if len(states) != 1:
        raise _Reject(
            f"control values {gate.control_values} select more than one control state; "
            "only a single state per control (0 or 1) is supported"
        )
    try:
        sub = _exact(gate.sub_gate)
    except _Reject as exc:
        raise _Reject(f"cannot control {gate.sub_gate!r}: {exc}") from None
    prims, alpha = _with_controls(sub, gate.num_controls())
    flips: list[_Prim] = [("x", (i,), (), None) for i, v in enumerate(states[0]) if v == 0]
    return flips + prims + flips, alpha


def _native_not_controllable(gate: Any) -> _Exact:
    raise _Reject(f"native gate {gate!r} cannot be controlled (IonQ native gates take no controls)")


_EXACT: dict[type, Callable[[Any], _Exact]] = {
    cirq.XPowGate: _pauli_exact("x", "rx"),
    type(cirq.X): _pauli_exact("x", "rx"),
    type(cirq.Y): _pauli_exact("y", "ry"),
    type(cirq.Z): _pauli_exact("z", "rz"),
    cirq.Rx: _pauli_exact("x", "rx"),
    cirq.YPowGate: _pauli_exact("y", "ry"),
    cirq.Ry: _pauli_exact("y", "ry"),
    cirq.ZPowGate: _pauli_exact("z", "rz"),
    cirq.Rz: _pauli_exact("z", "rz"),
    cirq.HPowGate: _h_exact,
    cirq.CXPowGate: _cpow_exact(1, "x", "rx"),
    cirq.CZPowGate: _cpow_exact(1, "z", "rz"),
    cirq.CCXPowGate: _cpow_exact(2, "x", "rx"),
    cirq.CCZPowGate: _cpow_exact(2, "z", "rz"),
    cirq.SwapPowGate: _swap_exact,
    cirq.CSwapGate: lambda _gate: (_cswap((0,), 1, 2), 0.0),
    cirq.XXPowGate: _ising_exact("x"),
    cirq.MSGate: _ising_exact("x"),
    cirq.YYPowGate: _ising_exact("y"),
    cirq.ZZPowGate: _ising_exact("z"),
    cirq.PhasedXPowGate: _phased_x_exact,
    cirq.PhasedXZGate: _phased_xz_exact,
    cirq.IdentityGate: lambda _gate: ([], 0.0),
    cirq.GlobalPhaseGate: _global_phase_exact,
    cirq.ControlledGate: _controlled_exact,
    GPIGate: _native_not_controllable,
    GPI2Gate: _native_not_controllable,
    MSGate: _native_not_controllable,
    ZZGate: _native_not_controllable,
}


def _exact(gate: cirq.Gate) -> _Exact:
    build = _EXACT.get(type(gate))
    if build is None:
        raise _Reject(f"unsupported gate {gate!r}")
    return build(gate)


def _emit(prims: list[_Prim], qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int]) -> _Gates:
    where = [index[q] for q in qubits]
    batch: _Gates = []
    for name, targets, controls, rotation in prims:
        if len(controls) > MAX_CONTROLS:
            raise _Reject(
                f"needs a gate with {len(controls)} controls; IonQ allows at most {MAX_CONTROLS}"
            )
        entry: dict[str, Any] = {
            "gate": "cnot" if name == "x" and controls else name,
            "targets": [where[t] for t in targets],
        }
        if controls:
            entry["controls"] = [where[c] for c in controls]
        if rotation is not None:
            entry["rotation"] = _check_finite(rotation, "rotation")
        batch.append(entry)
    return batch


# ---------------------------------------------------------------------------------------------
# Top-level handlers: (gate, op.qubits, index, qis gates, native gates) -> None


def _generic(
    gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
) -> None:
    out.extend(_emit(_exact(gate)[0], qubits, index))


def _rotation_handler(rotation: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
    ) -> None:
        angle = float(gate.exponent) * _PI
        if not _isfinite(angle):
            raise _Reject(f"angle is not finite ({angle})")
        out.append({"gate": rotation, "targets": [index[qubits[0]]], "rotation": angle})

    return handle


def _pauli_handler(rotation: str, named: dict[float, str]) -> _Handler:
    """X/Y/Z powers: IonQ's named gate for common exponents, else a rotation."""
    rotate = _rotation_handler(rotation)

    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
    ) -> None:
        name = named.get(gate.exponent)
        if name is None:
            rotate(gate, qubits, index, out, _n)
        else:
            out.append({"gate": name, "targets": [index[qubits[0]]]})

    return handle


def _fixed_handler(name: str, controls: int) -> _Handler:
    """Odd powers of a fixed gate as IonQ ``name``; other exponents via the exact path."""

    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
    ) -> None:
        exponent = gate.exponent
        if exponent != 1 and float(exponent) % 2 != 1:
            _generic(gate, qubits, index, out, _n)
        elif controls:
            out.append(
                {
                    "gate": name,
                    "controls": [index[q] for q in qubits[:controls]],
                    "targets": [index[q] for q in qubits[controls:]],
                }
            )
        else:
            out.append({"gate": name, "targets": [index[q] for q in qubits]})

    return handle


def _ising_handler(name: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
    ) -> None:
        angle = _check_finite(float(gate.exponent) * _PI, "rotation")
        out.append(
            {"gate": name, "targets": [index[qubits[0]], index[qubits[1]]], "rotation": angle}
        )

    return handle


def _drop(
    gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], out: _Gates, _n: _Gates
) -> None:
    _exact(gate)  # still raises TypeError on unresolved symbols


def _phase(value: Any, what: str) -> float:
    """A phase in turns, finite and wrapped into IonQ's [-1, 1] only when outside it."""
    turns = _check_finite(float(value), what)
    return turns if -1.0 <= turns <= 1.0 else turns % 1.0


def _gpi(name: str) -> _Handler:
    def handle(
        gate: Any, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], _o: _Gates, out: _Gates
    ) -> None:
        out.append({"gate": name, "targets": [index[qubits[0]]], "phase": _phase(gate.phi, "phi")})

    return handle


def _ms(
    gate: MSGate, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], _o: _Gates, out: _Gates
) -> None:
    phi0 = _phase(gate.phi0, "phi0")
    phi1 = _phase(gate.phi1, "phi1")
    theta = _check_finite(float(gate.theta), "theta")
    if not 0.0 <= theta <= 0.25:
        # MS(theta + 2) = MS(theta); MS(-theta) = MS(phi0 + 1/2, theta);
        # MS(1 - d) = -MS(phi0 + 1/2, d).
        theta %= 2.0
        if theta > 1.0:
            theta -= 2.0
        flip = theta < 0.0
        theta = abs(theta)
        if theta > 0.75:
            flip = not flip
            theta = 1.0 - theta
        if theta > 0.25:
            raise _Reject(
                f"MS angle theta={gate.theta} turns is not equivalent to one IonQ MS gate "
                f"(angle in [0, 0.25]); {_HINT}"
            )
        if flip:
            phi0 = phi0 + 0.5 if phi0 <= 0.5 else phi0 - 0.5
    out.append(
        {
            "gate": "ms",
            "targets": [index[qubits[0]], index[qubits[1]]],
            "phases": [phi0, phi1],
            "angle": theta,
        }
    )


def _zz(
    gate: ZZGate, qubits: Sequence[cirq.Qid], index: dict[cirq.Qid, int], _o: _Gates, out: _Gates
) -> None:
    theta = _check_finite(float(gate.theta), "theta")
    if not -1.0 <= theta <= 1.0:
        theta = (theta + 1.0) % 2.0 - 1.0  # ZZ(theta + 2) = ZZ(theta)
    out.append({"gate": "zz", "targets": [index[qubits[0]], index[qubits[1]]], "angle": theta})


_X_NAMES: dict[float, str] = {1: "x", -1: "x", 0.5: "v", -0.5: "vi"}
_Y_NAMES: dict[float, str] = {1: "y", -1: "y"}
_Z_NAMES: dict[float, str] = {1: "z", -1: "z", 0.5: "s", -0.5: "si", 0.25: "t", -0.25: "ti"}

_HANDLERS: dict[type, _Handler] = {
    **{kind: _generic for kind in _EXACT},
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
_NATIVE_TYPES = (GPIGate, GPI2Gate, MSGate, ZZGate)
_NEUTRAL_TYPES = (cirq.MeasurementGate, cirq.IdentityGate, cirq.GlobalPhaseGate)


# ---------------------------------------------------------------------------------------------
# The walk


class _Measurements:
    """Measurement keys in order of first appearance, with their qubits and invert masks."""

    def __init__(self) -> None:
        self.measured: set[cirq.Qid] = set()
        self.keys: dict[str, tuple[int, list[int], tuple[bool, ...]]] = {}

    def add(self, moment: int, op: cirq.Operation, index: dict[cirq.Qid, int]) -> None:
        gate = op.gate
        assert isinstance(gate, cirq.MeasurementGate)
        if gate.confusion_map:
            raise InvalidInputError(
                f"moment {moment}: {op}: confusion_map is not supported; IonQ returns raw "
                "outcomes (apply readout correction to the results instead)"
            )
        if any(d != 2 for d in cirq.qid_shape(gate)):
            raise InvalidInputError(f"moment {moment}: {op}: only qubits can be measured")
        key = gate.key
        if key in self.keys:
            raise InvalidInputError(
                f"moment {moment}: {op}: measurement key {key!r} is already used at moment "
                f"{self.keys[key][0]}; IonQ measures once, at the end, so each key must be "
                "unique (use a different key for each measurement)"
            )
        self.keys[key] = (moment, [index[q] for q in op.qubits], gate.full_invert_mask())
        self.measured.update(op.qubits)

    def layout(self) -> tuple[list[int], list[tuple[str, int]], list[int]]:
        """The measurement map, the registers and the classical bits to invert."""
        mapping: list[int] = []
        registers: list[tuple[str, int]] = []
        inverted: list[int] = []
        for key, (_moment, qubits, mask) in self.keys.items():
            offset = len(mapping)
            mapping.extend(qubits)
            registers.append((key, len(qubits)))
            inverted.extend(offset + i for i, flip in enumerate(mask) if flip)
        return mapping, registers, inverted


def _unsupported(moment: int, op: cirq.Operation, reason: str) -> InvalidInputError:
    return InvalidInputError(f"moment {moment}: operation {op} cannot be translated: {reason}")


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
        raise _unsupported(moment, resolved, f"unsupported gate {resolved.gate!r}; {_HINT}")
    return resolved, handler


def _walk(
    circuit: cirq.AbstractCircuit,
    index: dict[cirq.Qid, int],
    resolver: cirq.ParamResolver,
) -> tuple[_Gates, _Gates, _Measurements]:
    qis: _Gates = []
    native: _Gates = []
    measurements = _Measurements()
    measured = measurements.measured
    handlers = _HANDLERS
    for moment_index, moment in enumerate(circuit.moments):
        for op in moment.operations:
            gate = op.gate
            handler = handlers.get(type(gate))
            if handler is None:
                if isinstance(gate, cirq.MeasurementGate):
                    measurements.add(moment_index, op, index)
                    continue
                if gate is None:
                    raise _unsupported(
                        moment_index,
                        op,
                        "it has no gate (flatten circuit operations with "
                        "cirq.unroll_circuit_op(circuit); classical control is not expressible "
                        "in IonQ circuits)",
                    )
                raise _unsupported(moment_index, op, f"unsupported gate {gate!r}; {_HINT}")
            if measured and not measured.isdisjoint(op.qubits):
                raise InvalidInputError(
                    f"moment {moment_index}: operation {op} acts on a qubit that was already "
                    "measured; IonQ circuits measure every qubit once, at the end, so all "
                    "measurements must be terminal"
                )
            try:
                try:
                    handler(gate, op.qubits, index, qis, native)
                except TypeError:
                    # Symbols (or other non-numbers) do not convert to float: resolve, retry.
                    if not cirq.is_parameterized(op):
                        raise
                    resolved, handler = _resolve(moment_index, op, resolver)
                    handler(resolved.gate, resolved.qubits, index, qis, native)
            except _Reject as exc:
                raise _unsupported(moment_index, op, str(exc)) from None
            except TypeError as exc:
                raise _unsupported(
                    moment_index, op, f"its parameters must be real numbers ({exc})"
                ) from exc
    return qis, native, measurements


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
    if not isinstance(circuit, cirq.AbstractCircuit):
        raise InvalidInputError(f"expected a cirq circuit, got {type(circuit).__name__}")
    order = cirq.QubitOrder.as_qubit_order(qubit_order).order_for(circuit.all_qubits())
    index = {q: i for i, q in enumerate(order)}
    if not index:
        raise InvalidInputError("the circuit acts on no qubits; IonQ circuits need at least one")
    for qubit in index:
        if qubit.dimension != 2:
            raise InvalidInputError(f"{qubit!r} has dimension {qubit.dimension}; IonQ runs qubits")
    resolver = cirq.ParamResolver(param_resolver)
    # The walk allocates one dict per gate while the circuit holds many objects; pausing the cyclic
    # garbage collector (nothing here forms cycles) avoids repeated full scans of the circuit.
    collecting = gc.isenabled()
    gc.disable()
    try:
        qis, native, measurements = _walk(circuit, index, resolver)
        if qis and native:
            raise _mixed_gateset_error(circuit)
        mapping, registers, inverted = measurements.layout()
        metadata = (
            {INVERTED_BITS_KEY: json.dumps(inverted, separators=(",", ":"))} if inverted else None
        )
        return Circuit(
            native or qis,
            len(index),
            gateset="native" if native else "qis",
            measurement_map=mapping,
            registers=registers,
            name=name,
            metadata=metadata,
        )
    finally:
        if collecting:
            gc.enable()


def inverted_bits(circuit: Circuit) -> tuple[int, ...]:
    """The classical bits whose results must be flipped (from ``invert_mask``), ascending."""
    raw = circuit.metadata.get(INVERTED_BITS_KEY)
    return () if raw is None else tuple(sorted(int(i) for i in json.loads(raw)))
