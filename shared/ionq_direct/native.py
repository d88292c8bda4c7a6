"""Synthesis of IonQ native gates: one-qubit unitaries to GPI/GPI2, MS and ZZ normal forms.

Framework-neutral and numpy-only; every matrix comes from the gate table
(:mod:`ionq_direct.gates`). The Qiskit optimizer pass and the Cirq native gatesets both use it.

* :func:`virtual_natives` splits a 2x2 unitary into at most two natives and a Z rotation that the
  caller tracks virtually; :func:`exact_natives` writes it with at most three natives.
* :func:`ms_normal` and :func:`zz_normal` write an MS or ZZ gate with its angle in IonQ's range
  plus a layer of one-qubit gates (GPIs or Zs) and a global phase.

A native one-qubit gate is ``("gpi" | "gpi2", phase in turns)``; lists of them are in circuit
order (the first acts first).
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ionq_direct.gates import GATES, MS_MAX_ANGLE
from ionq_direct.lowering import reduce_ms, shift_half_turn

__all__ = [
    "ATOL",
    "MsNormal",
    "Native",
    "ZzNormal",
    "exact_natives",
    "ms_normal",
    "native_matrix",
    "natives_matrix",
    "rz_matrix",
    "virtual_natives",
    "zz_normal",
]

Matrix = NDArray[np.complex128]
#: A native one-qubit gate: ``("gpi" | "gpi2", phase in turns)``.
Native = tuple[str, float]

#: Default tolerance: below it a rotation angle (radians) or a matrix entry counts as zero.
ATOL = 1e-9

_TAU = 2 * math.pi
_ZZ_MAX_ANGLE = 0.25  # ZZ(1/4) is fully entangling; every ZZ angle folds into [-1/4, 1/4]
_GPI = GATES["native", "gpi"].matrix
_GPI2 = GATES["native", "gpi2"].matrix
_RX = GATES["qis", "rx"].matrix
_RZ = GATES["qis", "rz"].matrix
_EYE: Matrix = np.eye(2, dtype=np.complex128)


def native_matrix(name: str, phase: float) -> Matrix:
    """The gate table's matrix of ``gpi`` or ``gpi2`` at ``phase`` (turns)."""
    return _GPI({"phase": phase}) if name == "gpi" else _GPI2({"phase": phase})


def rz_matrix(angle: float) -> Matrix:
    """The gate table's ``rz`` matrix, ``diag(e^{-i angle/2}, e^{i angle/2})``."""
    return _RZ({"rotation": angle})


def natives_matrix(natives: Iterable[Native]) -> Matrix:
    """The matrix of natives in circuit order (the first acts first)."""
    out = _EYE
    for name, phase in natives:
        out = native_matrix(name, phase) @ out
    return out


# ---------------------------------------------------------------------------------------------
# One-qubit unitaries


def _zxz(u: Matrix, atol: float) -> tuple[float, float, float]:
    """``(A, t, B)`` with ``u`` = ``Rz(A) Rx(t) Rz(B)`` up to phase and ``t`` in ``[0, pi]``."""
    v = u / cmath.sqrt(complex(np.linalg.det(u)))
    x, y = complex(v[0, 0]), complex(v[1, 0])
    t = 2 * math.atan2(abs(y), abs(x))
    total = -2 * cmath.phase(x) if abs(x) > atol else 0.0  # A + B
    diff = 2 * (cmath.phase(y) + math.pi / 2) if abs(y) > atol else 0.0  # A - B
    return (total + diff) / 2, t, (total - diff) / 2


def _virtual_options(u: Matrix, atol: float) -> list[tuple[float, list[Native]]]:
    """Every ``(alpha, natives)`` found with ``u`` = ``Rz(alpha) . natives`` up to phase."""
    a, t, b = _zxz(u, atol)
    if math.sin(t / 2) < atol:
        return [(a + b, [])]
    if math.cos(t / 2) < atol:  # Rz(A) X Rz(B) = Rz(A - B) X = GPI((A - B) / 4pi)
        return [(0.0, [("gpi", (a - b) / (2 * _TAU))])]
    if abs(t - math.pi / 2) < atol:  # Rz(A + B) . GPI2(-B / 2pi)
        return [(a + b, [("gpi2", -b / _TAU)])]
    # GPI2(q) . GPI2(p) = Rz(q') C(p' - q') Rz(-p') with C(d) = Rx(pi/2) Rz(d) Rx(pi/2), whose
    # middle angle t obeys cos(t/2) = |sin(d/2)|: two choices of d.
    quarter = _RX({"rotation": math.pi / 2})
    options = []
    for d in (math.pi - t, t - math.pi):
        a0, _, b0 = _zxz(quarter @ rz_matrix(d) @ quarter, atol)
        p = b0 - b
        q = p - d
        options.append((a - a0 - q, [("gpi2", p / _TAU), ("gpi2", q / _TAU)]))
    return options


def virtual_natives(u: Matrix, *, atol: float = ATOL) -> tuple[float, list[Native]]:
    """``(alpha, natives)`` with ``u`` = ``Rz(alpha) . natives`` up to phase, at most two natives.

    Nothing when ``u`` is diagonal, one GPI when it is anti-diagonal, one GPI2 for a quarter
    turn, else two GPI2s. ``natives`` is in circuit order; ``Rz(alpha)`` (after them) is left for
    the caller to track virtually.
    """
    return _virtual_options(u, atol)[0]


def exact_natives(u: Matrix, *, atol: float = ATOL) -> list[Native]:
    """At most three natives (circuit order) equal to the 2x2 unitary ``u`` up to a global phase.

    A ``u`` that is one GPI or GPI2 up to phase becomes that single gate, the identity nothing,
    and a Z rotation two GPIs.
    """
    options = _virtual_options(u, atol)
    for alpha, natives in options:
        if abs(math.sin(alpha / 2)) < atol:  # Rz(alpha) is the identity up to phase
            return natives
    alpha, natives = options[0]
    # Rz(alpha) = GPI(c) . GPI(p) with c = p + alpha / 4pi, and GPI(p) . GPI2(p) ~ GPI2(p + 1/2).
    shift = alpha / (2 * _TAU)
    if not natives:
        return [("gpi", 0.0), ("gpi", shift)]
    *head, (name, phi) = natives
    if name == "gpi":
        return [*head, ("gpi", phi + shift)]
    return [*head, ("gpi2", phi + 0.5), ("gpi", phi + shift)]


# ---------------------------------------------------------------------------------------------
# Two-qubit normal forms


class MsNormal(NamedTuple):
    """``MS(phi0, phi1, theta) = e^{i phase} (GPI(l0) x GPI(l1)) . MS(phi0', phi1', theta')``.

    Attributes:
        phi0: ``phi0'``, in turns (not wrapped).
        phi1: ``phi1'``, in turns (not wrapped).
        theta: ``theta'`` in ``[0, 1/4]``.
        layer: ``(l0, l1)``, the GPI phases after the gate, or ``None`` for no layer.
        phase: the global phase in radians.
    """

    phi0: float
    phi1: float
    theta: float
    layer: tuple[float, float] | None
    phase: float


class ZzNormal(NamedTuple):
    """``ZZ(theta) = e^{i phase} (Z x Z)^layer . ZZ(theta')`` with ``theta'`` in ``[-1/4, 1/4]``.

    Attributes:
        theta: ``theta'``.
        layer: whether a Z on each qubit follows the gate.
        phase: the global phase in radians.
    """

    theta: float
    layer: bool
    phase: float


def ms_normal(phi0: float, phi1: float, theta: float, *, snap: float = 0.0) -> MsNormal:
    """One MS gate with its angle in ``[0, 1/4]``, plus a GPI layer when needed, exactly.

    After :func:`~ionq_direct.lowering.reduce_ms`, an angle above 1/4 uses
    ``MS(theta) = -i (GPI(phi0) x GPI(phi1)) MS(theta - 1/2)`` (``Rxx(b) = -i (X x X) Rxx(b - pi)``
    conjugated into the MS frame). An angle within ``snap`` of 1/4 becomes 1/4.
    """
    phi0, theta, negated = reduce_ms(phi0, theta)
    phase = math.pi if negated else 0.0
    layer = None
    if theta > MS_MAX_ANGLE + snap:
        layer = (phi0, phi1)
        phase -= math.pi / 2
        theta, phi0 = 0.5 - theta, shift_half_turn(phi0)
    if abs(theta - MS_MAX_ANGLE) <= snap:
        theta = MS_MAX_ANGLE
    return MsNormal(phi0, phi1, theta, layer, phase)


def zz_normal(theta: float, *, snap: float = 0.0) -> ZzNormal:
    """One ZZ gate with its angle in ``[-1/4, 1/4]``, plus a Z layer when needed, exactly.

    ``ZZ(theta + 1) = -ZZ(theta)``, and for ``|theta| > 1/4`` with ``s`` its sign,
    ``ZZ(theta) = -i s (Z x Z) ZZ(theta - s/2)``. An angle within ``snap`` of +-1/4 keeps it.
    """
    reduced = math.remainder(theta, 1.0)  # exact, in [-1/2, 1/2]
    phase = math.pi if (theta - reduced) % 2.0 == 1.0 else 0.0
    layer = abs(reduced) > _ZZ_MAX_ANGLE + snap
    if layer:
        s = 1.0 if reduced > 0 else -1.0
        reduced -= s / 2
        phase -= s * math.pi / 2
    return ZzNormal(reduced, layer, phase)
