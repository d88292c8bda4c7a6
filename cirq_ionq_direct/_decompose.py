"""Phase-exact decompositions of Cirq gates into controllable IonQ primitives.

``exact(gate)`` returns primitives plus a global phase ``alpha`` with
``gate unitary = exp(i alpha) * product of primitives``. Under controls a global phase becomes a
relative one, so primitives are only IonQ gates with exact matrices (x/cnot, y, z, h, rx, ry, rz,
swap) and the phase is put back with (multi-)controlled rz gates on the controls. The translator
uses this for every gate its fast handlers do not cover, and for controlled gates.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable
from typing import Any

import cirq

from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from ionq_direct.lowering import phase_ladder

__all__ = ["EXACT", "HINT", "Exact", "Prim", "Reject", "exact"]

_PI = math.pi
HINT = (
    "convert the circuit first, e.g. with cirq.optimize_for_target_gateset(circuit, "
    "gateset=cirq.CZTargetGateset())"
)

#: An exact primitive on the operation's local qubits: (name, targets, controls, rotation).
Prim = tuple[str, tuple[int, ...], tuple[int, ...], float | None]
#: Primitives plus the global phase alpha: gate unitary = exp(i alpha) * product of primitives.
Exact = tuple[list[Prim], float]


class Reject(Exception):
    """A gate cannot be translated; the message is completed with the operation and moment."""


def _phase_on(controls: tuple[int, ...], alpha: float) -> Exact:
    """exp(i alpha) when every qubit in ``controls`` is 1, as controlled rz gates plus a phase."""
    if alpha == 0.0:
        return [], 0.0
    steps, left = phase_ladder(controls, alpha)
    return [("rz", (target,), on, angle) for target, on, angle in steps], left


def _cswap(controls: tuple[int, ...], a: int, b: int) -> list[Prim]:
    return [("x", (a,), (b,), None), ("x", (b,), (*controls, a), None), ("x", (a,), (b,), None)]


def _with_controls(exact: Exact, count: int) -> Exact:
    """Put ``count`` controls (local qubits 0..count-1) on a gate acting on the next qubits."""
    prims, alpha = exact
    added = tuple(range(count))
    out: list[Prim] = []
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


def _pauli_power(name: str, rotation: str, e: float) -> Exact:
    """P**e without global shift for a Pauli P: exactly exp(i pi e / 2) r(pi e), or P for odd e."""
    if e % 2 == 1:
        return [(name, (0,), (), None)], 0.0
    if e % 2 == 0:
        return [], 0.0
    return [(rotation, (0,), (), _PI * e)], _PI * e / 2


def _pauli_exact(name: str, rotation: str) -> Callable[[Any], Exact]:
    def exact(gate: Any) -> Exact:
        e, shift_phase = _power(gate)
        prims, alpha = _pauli_power(name, rotation, e)
        return prims, alpha + shift_phase

    return exact


def _h_exact(gate: Any) -> Exact:
    e, shift_phase = _power(gate)
    if e % 2 == 1:
        return [("h", (0,), (), None)], shift_phase
    if e % 2 == 0:
        return [], shift_phase
    raise Reject(f"H**{e} is not supported (only H**1 and H**-1); {HINT}")


def _cpow_exact(count: int, name: str, rotation: str) -> Callable[[Any], Exact]:
    """C^count-(P**e) for P = X or Z, with the phase of P**e put back on the controls."""

    def exact(gate: Any) -> Exact:
        e, shift_phase = _power(gate)
        # The shift multiplies the whole controlled gate, so it stays global.
        prims, alpha = _with_controls(_pauli_power(name, rotation, e), count)
        return prims, alpha + shift_phase

    return exact


def _swap_exact(gate: Any) -> Exact:
    e, shift_phase = _power(gate)
    if e % 2 == 1:
        return [("swap", (0, 1), (), None)], shift_phase
    if e % 2 == 0:
        return [], shift_phase
    raise Reject(f"SWAP**{e} is not supported (only integer powers); {HINT}")


def _ising_exact(basis: str) -> Callable[[Any], Exact]:
    # PP**e = exp(i pi e (s + 1/2)) exp(-i (pi e / 2) PP); exp(-i t/2 ZZ) = cnot rz(t) cnot.
    before: list[Prim]
    after: list[Prim]
    if basis == "x":
        before = after = [("h", (0,), (), None), ("h", (1,), (), None)]
    elif basis == "y":  # rx(-pi/2) Z rx(pi/2) = Y
        before = [("rx", (0,), (), _PI / 2), ("rx", (1,), (), _PI / 2)]
        after = [("rx", (0,), (), -_PI / 2), ("rx", (1,), (), -_PI / 2)]
    else:
        before = after = []

    def exact(gate: Any) -> Exact:
        e, shift_phase = _power(gate)
        core: list[Prim] = [
            ("x", (1,), (0,), None),
            ("rz", (1,), (), _PI * e),
            ("x", (1,), (0,), None),
        ]
        return before + core + after, shift_phase + _PI * e / 2

    return exact


def _phased_x_exact(gate: cirq.PhasedXPowGate) -> Exact:
    # Z**p X**e Z**-p: the Z phases cancel, the X**e phase stays.
    e, shift_phase = _power(gate)
    p = _PI * float(gate.phase_exponent)
    prims, alpha = _pauli_power("x", "rx", e)
    return [("rz", (0,), (), -p), *prims, ("rz", (0,), (), p)], alpha + shift_phase


def _phased_xz_exact(gate: cirq.PhasedXZGate) -> Exact:
    # Z**z Z**a X**x Z**-a = exp(i pi (x + z) / 2) rz(pi (a + z)) rx(pi x) rz(-pi a).
    x = float(gate.x_exponent)
    z = float(gate.z_exponent)
    a = float(gate.axis_phase_exponent)
    prims: list[Prim] = [
        ("rz", (0,), (), -_PI * a),
        ("rx", (0,), (), _PI * x),
        ("rz", (0,), (), _PI * (a + z)),
    ]
    return prims, _PI * (x + z) / 2


def _global_phase_exact(gate: cirq.GlobalPhaseGate) -> Exact:
    return [], cmath.phase(complex(gate.coefficient))


def _controlled_exact(gate: cirq.ControlledGate) -> Exact:
    if any(d != 2 for d in gate.control_qid_shape):
        raise Reject("controls must be qubits (dimension 2)")
    states = list(gate.control_values.expand())
    if len(states) != 1:
        raise Reject(
            f"control values {gate.control_values} select more than one control state; "
            "only a single state per control (0 or 1) is supported"
        )
    try:
        sub = exact(gate.sub_gate)
    except Reject as exc:
        raise Reject(f"cannot control {gate.sub_gate!r}: {exc}") from None
    prims, alpha = _with_controls(sub, gate.num_controls())
    flips: list[Prim] = [("x", (i,), (), None) for i, v in enumerate(states[0]) if v == 0]
    return flips + prims + flips, alpha


def _native_not_controllable(gate: Any) -> Exact:
    raise Reject(f"native gate {gate!r} cannot be controlled (IonQ native gates take no controls)")


EXACT: dict[type, Callable[[Any], Exact]] = {
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


def exact(gate: cirq.Gate) -> Exact:
    """The gate as exact primitives on its local qubits plus a global phase; raises Reject."""
    build = EXACT.get(type(gate))
    if build is None:
        raise Reject(f"unsupported gate {gate!r}")
    return build(gate)
