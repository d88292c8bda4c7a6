"""Framework-neutral lowering rules: the one home of what both translators write the same way.

The Qiskit and Cirq translators walk their framework's circuit and look gates up in their own name
tables; everything below that is IonQ's and lives here, once:

* :func:`gate_dict` writes a ``qis`` gate dict in the translators' shape and enforces IonQ's
  control limit;
* :func:`phase_ladder` lowers a phase on the all-ones state of some qubits (a multi-controlled
  phase gate) to controlled ``rz`` gates, exactly;
* :func:`turns_in_range` and :func:`wrap_turns` bring native phases (turns) into IonQ's range;
* :func:`ms_gates` folds any MS angle into IonQ MS gates with angles in ``[0, 1/4]``
  (:func:`reduce_ms` is the first step, shared with :func:`ionq_direct.native.ms_normal`);
* :func:`zz_angle` folds a native ZZ angle into ``[-1, 1]``.

Every rule is exact: the IonQ gates have the matrix of the input, up to a global phase only where
the docstring says so. Numbers are never rounded where they need not be: values already in range
are returned unchanged, and reductions use ``math.fmod``/``math.remainder``, which are exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ionq_direct.errors import GateError
from ionq_direct.gates import MS_MAX_ANGLE
from ionq_direct.limits import MAX_CONTROLS

__all__ = [
    "RzStep",
    "check_controls",
    "gate_dict",
    "ms_gates",
    "phase_ladder",
    "reduce_ms",
    "shift_half_turn",
    "turns_in_range",
    "wrap_turns",
    "zz_angle",
]

#: One controlled ``rz`` of a :func:`phase_ladder`: ``(target, controls, rotation)``.
RzStep = tuple[int, tuple[int, ...], float]


# ---------------------------------------------------------------------------------------------
# Gate dicts


def check_controls(count: int) -> None:
    """Refuse more controls than IonQ allows on one gate.

    Raises:
        GateError: with code ``TooManyControls`` and the message ``"<count> controls; IonQ
            allows at most <MAX_CONTROLS>"`` (translators add their own hint).
    """
    if count > MAX_CONTROLS:
        raise GateError(
            f"{count} controls; IonQ allows at most {MAX_CONTROLS}",
            key="controls",
            code="TooManyControls",
        )


def gate_dict(
    name: str,
    targets: Sequence[int],
    controls: Sequence[int] = (),
    rotation: float | None = None,
) -> dict[str, Any]:
    """A ``qis`` gate dict as the translators write it.

    One target is written ``target``, several ``targets``; one control ``control``, several
    ``controls``. ``x`` with controls is written ``cnot`` and ``cnot`` without controls ``x``
    (the same matrix on the targets either way).

    Args:
        name: the IonQ gate name.
        targets: the target qubits.
        controls: the control qubits.
        rotation: the angle in radians, for rotations.

    Raises:
        GateError: for more than ``MAX_CONTROLS`` controls (see :func:`check_controls`).
    """
    check_controls(len(controls))
    if name == "x" and controls:
        name = "cnot"
    elif name == "cnot" and not controls:
        name = "x"
    gate: dict[str, Any] = {"gate": name}
    if len(controls) == 1:
        gate["control"] = controls[0]
    elif controls:
        gate["controls"] = list(controls)
    if len(targets) == 1:
        gate["target"] = targets[0]
    else:
        gate["targets"] = list(targets)
    if rotation is not None:
        gate["rotation"] = rotation
    return gate


# ---------------------------------------------------------------------------------------------
# Controlled phases


def phase_ladder(qubits: Sequence[int], angle: float) -> tuple[list[RzStep], float]:
    """``e^{i angle}`` on the state where every qubit in ``qubits`` is 1, as controlled ``rz``.

    This is the multi-controlled phase gate ``C^n-P(angle)`` on ``qubits[-1]`` controlled by the
    others. With ``P_{rest+last}(a) = C_rest-Rz_last(a) . P_rest(a/2)`` it becomes
    ``rz(a)`` on ``qubits[-1]`` controlled by the rest, then ``rz(a/2)`` on ``qubits[-2]``
    controlled by those before it, and so on down to an uncontrolled ``rz`` on ``qubits[0]``;
    what remains is the global phase ``angle / 2**len(qubits)``. The steps commute with each
    other (all diagonal), so their order does not matter.

    Args:
        qubits: the qubits that must all be 1 (any indices: local or the circuit's).
        angle: the phase in radians.

    Returns:
        The ``(target, controls, rotation)`` steps, and the global phase left over.
    """
    steps: list[RzStep] = []
    rest = tuple(qubits)
    while rest:
        steps.append((rest[-1], rest[:-1], angle))
        rest = rest[:-1]
        angle /= 2
    return steps, angle


# ---------------------------------------------------------------------------------------------
# Native phases and angles (turns)


def wrap_turns(value: float, *, snap: float = 0.0) -> float:
    """A phase in turns reduced into ``[0, 1)`` (phases have period 1).

    The reduction is exact (``math.fmod``); only the shift of a negative remainder by one turn
    rounds. A result within ``snap`` of a whole turn becomes ``0.0``.
    """
    r = math.fmod(value, 1.0)
    if r < 0.0:
        r += 1.0
    if r < snap or r > 1.0 - snap or r >= 1.0:
        return 0.0
    return r


def turns_in_range(value: float) -> float:
    """A native phase in IonQ's range ``[-1, 1]``: unchanged inside it, else :func:`wrap_turns`."""
    return value if -1.0 <= value <= 1.0 else wrap_turns(value)


def shift_half_turn(phase: float) -> float:
    """``phase`` plus half a turn, staying in ``[-1, 1]`` when ``phase`` is in it.

    Half a turn negates ``sigma(phi) = cos(2 pi phi) X + sin(2 pi phi) Y``, so
    ``GPI(phi + 1/2) = -GPI(phi)`` and ``MS(phi0 + 1/2, phi1, theta) = MS(phi0, phi1, -theta)``.
    """
    return phase + 0.5 if phase <= 0.5 else phase - 0.5


def reduce_ms(phi0: float, theta: float) -> tuple[float, float, bool]:
    """Reduce an MS angle into ``[0, 1/2]``: the first step of every MS normal form.

    ``MS(theta) = exp(-i pi theta P)`` with ``P^2 = 1``, so ``MS(theta + 1) = -MS(theta)``, and
    ``MS(phi0, phi1, -theta) = MS(phi0 + 1/2, phi1, theta)``.

    Returns:
        ``(phi0', theta', negated)`` with ``MS(phi0, phi1, theta) = s MS(phi0', phi1, theta')``,
        ``s = -1`` when ``negated`` else ``1``, and ``theta'`` in ``[0, 1/2]``.
    """
    reduced = math.remainder(theta, 1.0)  # exact, in [-1/2, 1/2]
    negated = (theta - reduced) % 2.0 == 1.0  # an odd number of whole turns was taken off
    if reduced < 0.0:
        reduced = -reduced
        phi0 = shift_half_turn(phi0)
    return phi0, reduced, negated


def ms_gates(phi0: float, phi1: float, theta: float) -> list[tuple[float, float, float]]:
    """``MS(phi0, phi1, theta)`` as one or two IonQ MS gates, exact up to a global sign.

    An angle in ``[0, 1/4]`` is kept as it is. Otherwise it is reduced into ``[0, 1/2]``
    (:func:`reduce_ms`), and an angle above ``1/4`` is written as two gates, using
    ``MS(a + b) = MS(a) MS(b)``.

    Args:
        phi0: the first phase in turns, in ``[-1, 1]`` (see :func:`turns_in_range`).
        phi1: the second phase in turns, in ``[-1, 1]``.
        theta: the angle in turns, any finite number.

    Returns:
        ``(phi0, phi1, angle)`` of each gate in circuit order; phases in ``[-1, 1]``, angles in
        ``[0, 1/4]``.
    """
    if 0.0 <= theta <= MS_MAX_ANGLE:
        return [(phi0, phi1, theta)]
    phi0, theta, _negated = reduce_ms(phi0, theta)
    if theta > MS_MAX_ANGLE:
        return [(phi0, phi1, MS_MAX_ANGLE), (phi0, phi1, theta - MS_MAX_ANGLE)]
    return [(phi0, phi1, theta)]


def zz_angle(theta: float) -> float:
    """A native ZZ angle (turns) in IonQ's ``[-1, 1]``, unchanged inside it.

    ``ZZ(theta) = exp(-i pi theta Z.Z)`` has period 2, and ``math.remainder(theta, 2)`` differs
    from ``theta`` by an exact multiple of 2, so the gate is the same matrix.
    """
    return theta if -1.0 <= theta <= 1.0 else math.remainder(theta, 2.0)
