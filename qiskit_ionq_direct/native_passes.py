"""Compact, exact native circuits: merge single-qubit runs and track Z rotations in software.

:class:`IonQNativeOptimizer` walks a circuit of IonQ native gates once, qubit by qubit:

* every run of consecutive single-qubit gates on a qubit (GPI, GPI2, or any bound one-qubit
  gate) is multiplied into one 2x2 unitary ``P``;
* before a two-qubit gate, ``P`` is split as ``P = e^{i g} Rz(alpha) W`` with ``W`` the fewest
  natives: nothing (``P`` diagonal), one GPI (anti-diagonal), one GPI2 (a quarter turn) or two
  GPI2s (anything else). Only ``W`` is emitted; ``Rz(alpha)`` is a *virtual* Z rotation, pushed
  through the two-qubit gate: ZZ commutes with it, and ``MS(phi0, phi1) . (Rz(a0) x Rz(a1))
  = (Rz(a0) x Rz(a1)) . MS(phi0 - a0/2pi, phi1 - a1/2pi)``. Barriers and delays pass it on too;
* a virtual Z rotation reaching a measurement (or a reset) is dropped: it commutes with a
  Z-basis measurement and only multiplies each outcome's branch by a phase, so no measured
  distribution changes;
* at the end of the circuit (no measurement), or before any other instruction, ``P`` is emitted
  exactly with at most three natives (``Rz(alpha)`` folded into a GPI), so the circuit's
  ``Operator`` is unchanged;
* MS and ZZ angles are brought into IonQ's ranges, ``MS`` angle in ``[0, 1/4]`` and ``ZZ`` angle
  in ``[-1/4, 1/4]``: the remainder is a layer of GPIs (MS) or Z gates (ZZ) that joins the next
  single-qubit run. MS/ZZ gates that reduce to the identity are removed.

Every rewrite is exact, the global phase included (it is accumulated on the circuit), except the
Z rotations dropped before measurements. Phases are emitted normalised to ``[0, 1)`` turns.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from qiskit.circuit import Gate, ParameterExpression, Qubit
from qiskit.dagcircuit import DAGCircuit, DAGOpNode
from qiskit.transpiler import TransformationPass, TranspilerError

from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = ["IonQNativeOptimizer", "exact_natives", "virtual_natives"]

Matrix = NDArray[np.complex128]
#: A native one-qubit gate: ``("gpi" | "gpi2", phase in turns)``.
Native = tuple[str, float]

_TAU = 2 * math.pi
_ATOL = 1e-9  # below this, a rotation angle (radians) or a matrix entry counts as zero
_SNAP = 1e-12  # turns this close to a landmark (0, 1/4) are set to it
_EYE: Matrix = np.eye(2, dtype=np.complex128)
_Z: Matrix = np.diag([1.0, -1.0]).astype(np.complex128)
_MEASURE_LIKE = frozenset({"measure", "reset"})
_FRAME_TRANSPARENT = frozenset({"barrier", "delay"})


# Matrices --------------------------------------------------------------------------------------


def _rz(angle: float) -> Matrix:
    return np.diag([cmath.exp(-0.5j * angle), cmath.exp(0.5j * angle)]).astype(np.complex128)


def _rx(angle: float) -> Matrix:
    c, s = math.cos(angle / 2), math.sin(angle / 2)
    return np.array([[c, -1j * s], [-1j * s, c]], dtype=np.complex128)


def _gpi(phi: float) -> Matrix:
    e = cmath.exp(1j * _TAU * phi)
    return np.array([[0, e.conjugate()], [e, 0]], dtype=np.complex128)


def _gpi2(phi: float) -> Matrix:
    e = cmath.exp(1j * _TAU * phi)
    return np.array([[1, -1j * e.conjugate()], [-1j * e, 1]], dtype=np.complex128) / math.sqrt(2)


def _product(natives: Iterable[Native]) -> Matrix:
    """The matrix of natives in circuit order (the first acts first)."""
    out = _EYE
    for name, phi in natives:
        out = (_gpi(phi) if name == "gpi" else _gpi2(phi)) @ out
    return out


def _zxz(u: Matrix) -> tuple[float, float, float]:
    """``(A, t, B)`` with ``u`` = ``Rz(A) Rx(t) Rz(B)`` up to phase and ``t`` in ``[0, pi]``."""
    v = u / cmath.sqrt(complex(np.linalg.det(u)))
    x, y = complex(v[0, 0]), complex(v[1, 0])
    t = 2 * math.atan2(abs(y), abs(x))
    total = -2 * cmath.phase(x) if abs(x) > _ATOL else 0.0  # A + B
    diff = 2 * (cmath.phase(y) + math.pi / 2) if abs(y) > _ATOL else 0.0  # A - B
    return (total + diff) / 2, t, (total - diff) / 2


def _is_identity_rz(angle: float) -> bool:
    return abs(math.sin(angle / 2)) < _ATOL


def _phase(target: Matrix, built: Matrix) -> float:
    """``g`` with ``target = e^{i g} built``; raises if they differ by more than a phase."""
    overlap = complex(np.trace(built.conj().T @ target))
    if abs(abs(overlap) - target.shape[0]) > 1e-7:
        raise TranspilerError("IonQNativeOptimizer: internal decomposition error")
    return cmath.phase(overlap)


# One-qubit decompositions ----------------------------------------------------------------------


def _virtual_options(u: Matrix) -> list[tuple[float, list[Native]]]:
    """Every ``(alpha, natives)`` found with ``u`` = ``Rz(alpha) . natives`` up to phase."""
    a, t, b = _zxz(u)
    if math.sin(t / 2) < _ATOL:
        return [(a + b, [])]
    if math.cos(t / 2) < _ATOL:  # Rz(A) X Rz(B) = Rz(A - B) X = GPI((A - B) / 4pi)
        return [(0.0, [("gpi", (a - b) / (2 * _TAU))])]
    if abs(t - math.pi / 2) < _ATOL:  # Rz(A + B) . GPI2(-B / 2pi)
        return [(a + b, [("gpi2", -b / _TAU)])]
    # GPI2(q) . GPI2(p) = Rz(q') C(p' - q') Rz(-p') with C(d) = Rx(pi/2) Rz(d) Rx(pi/2), whose
    # middle angle t obeys cos(t/2) = |sin(d/2)|: two choices of d.
    options = []
    for d in (math.pi - t, t - math.pi):
        a0, _, b0 = _zxz(_rx(math.pi / 2) @ _rz(d) @ _rx(math.pi / 2))
        p = b0 - b
        q = p - d
        options.append((a - a0 - q, [("gpi2", p / _TAU), ("gpi2", q / _TAU)]))
    return options


def virtual_natives(u: Matrix) -> tuple[float, list[Native]]:
    """``(alpha, natives)`` with ``u`` = ``Rz(alpha) . natives`` up to phase, at most two natives.

    ``natives`` is in circuit order; ``Rz(alpha)`` is left for the caller to track virtually.
    """
    return _virtual_options(u)[0]


def exact_natives(u: Matrix) -> list[Native]:
    """At most three natives (circuit order) equal to ``u`` up to a global phase."""
    options = _virtual_options(u)
    for alpha, natives in options:
        if _is_identity_rz(alpha):
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


# Angles ----------------------------------------------------------------------------------------


def _turn(value: float) -> float:
    """A phase in turns brought into ``[0, 1)``; within 1e-12 of a whole turn it becomes 0."""
    r = math.fmod(value, 1.0)
    if r < 0:
        r += 1.0
    return 0.0 if r < _SNAP or r > 1.0 - _SNAP else r


def _ms_normal(
    phi0: float, phi1: float, theta: float
) -> tuple[float, float, float, tuple[Matrix, Matrix] | None, float]:
    """``MS(phi0, phi1, theta) = e^{i g} (E0 x E1) . MS(phi0', phi1', theta')``, theta' in [0, 1/4].

    Returns ``(phi0', phi1', theta', (E0, E1) or None, g)``.
    """
    k = math.floor(theta)  # Rxx(2 pi (theta + k)) = (-1)^k Rxx(2 pi theta)
    theta -= k
    g = k * math.pi
    if theta > 0.5:
        theta -= 1.0
        g += math.pi
    if theta < 0:  # MS(phi0, phi1, -theta) = MS(phi0 + 1/2, phi1, theta)
        theta, phi0 = -theta, phi0 + 0.5
    extra = None
    if theta > 0.25 + _SNAP:  # Rxx(b) = -i (X x X) Rxx(b - pi), X conjugated into GPI(phi)
        extra = (_gpi(phi0), _gpi(phi1))
        g -= math.pi / 2
        theta, phi0 = 0.5 - theta, phi0 + 0.5
    if abs(theta - 0.25) <= _SNAP:
        theta = 0.25
    return phi0, phi1, theta, extra, g


def _zz_normal(theta: float) -> tuple[float, tuple[Matrix, Matrix] | None, float]:
    """``ZZ(theta) = e^{i g} (E x E) . ZZ(theta')`` with theta' in [-1/4, 1/4]."""
    k = round(theta)  # ZZ(theta + k) = (-1)^k ZZ(theta)
    theta -= k
    g = k * math.pi
    extra = None
    if abs(theta) > 0.25 + _SNAP:  # ZZ(theta) = -i s (Z x Z) ZZ(theta - s/2)
        s = 1.0 if theta > 0 else -1.0
        theta -= s / 2
        g -= s * math.pi / 2
        extra = (_Z, _Z)
    return theta, extra, g


# The pass --------------------------------------------------------------------------------------


def _numbers(params: Sequence[Any]) -> list[float] | None:
    out = []
    for value in params:
        if isinstance(value, ParameterExpression) and value.parameters:
            return None
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            return None
    return out


def _one_qubit_matrix(node: DAGOpNode) -> Matrix | None:
    """The matrix of a bound one-qubit gate (GPI, GPI2 or any other), else ``None``."""
    op = node.op
    if len(node.qargs) != 1 or node.cargs or not isinstance(op, Gate):
        return None
    values = _numbers(op.params)
    if values is None:
        return None
    if isinstance(op, GPIGate):
        return _gpi(values[0])
    if isinstance(op, GPI2Gate):
        return _gpi2(values[0])
    try:
        matrix = np.asarray(op.to_matrix(), dtype=np.complex128)
    except Exception:  # no matrix (opaque gate): treat as an ordinary instruction
        return None
    return matrix if matrix.shape == (2, 2) else None


class IonQNativeOptimizer(TransformationPass):  # type: ignore[misc]
    """Merge single-qubit runs into the fewest IonQ natives, with virtual Z rotations.

    Run it on a circuit already translated to GPI, GPI2, MS and/or ZZ (it also folds any other
    bound one-qubit gate). See the module docstring for the rules.

    Args:
        merge: ``False`` emits every single-qubit gate as it comes (only normalising phases and
            MS/ZZ angles into IonQ's ranges), as optimisation level 0 asks.
    """

    def __init__(self, merge: bool = True) -> None:
        super().__init__()
        self.merge = merge

    def run(self, dag: DAGCircuit) -> DAGCircuit:
        """Rewrite ``dag`` (a new DAG is returned)."""
        out = dag.copy_empty_like()
        pending: dict[Qubit, Matrix] = {}
        phase = 0.0
        merge = self.merge

        def carry(qubit: Qubit, matrix: Matrix) -> None:
            nonlocal phase
            if abs(matrix[0, 1]) < _ATOL and abs(matrix[0, 0] - matrix[1, 1]) < _ATOL:
                phase += cmath.phase(complex(matrix[0, 0]))  # a multiple of the identity
                pending.pop(qubit, None)
            else:
                pending[qubit] = matrix

        def settle(qubit: Qubit, virtual: bool) -> float:
            """Emit the qubit's pending run; returns the Z rotation left virtual (or 0)."""
            nonlocal phase
            u = pending.pop(qubit, None)
            if u is None:
                return 0.0
            if virtual:
                alpha, natives = virtual_natives(u)
            else:
                alpha, natives = 0.0, exact_natives(u)
            phase += _phase(u, _rz(alpha) @ _product(natives))
            for name, phi in natives:
                gate = GPIGate(_turn(phi)) if name == "gpi" else GPI2Gate(_turn(phi))
                out.apply_operation_back(gate, (qubit,), (), check=False)
            return alpha

        for node in dag.topological_op_nodes():
            qargs = tuple(node.qargs)
            name = node.op.name
            matrix = _one_qubit_matrix(node)
            if matrix is not None:
                carry(qargs[0], matrix @ pending.get(qargs[0], _EYE))
                if not merge:
                    settle(qargs[0], virtual=False)
                continue
            native_2q = isinstance(node.op, (MSGate, ZZGate))
            values = _numbers(node.op.params) if native_2q else None
            if values is not None and len(qargs) == 2 and not node.cargs:
                alphas = [settle(q, virtual=merge) for q in qargs]
                if name == "ms":
                    phi0 = values[0] - alphas[0] / _TAU
                    phi1 = values[1] - alphas[1] / _TAU
                    phi0, phi1, theta, extra, g = _ms_normal(phi0, phi1, values[2])
                    if theta > _SNAP:
                        gate: Gate = MSGate(_turn(phi0), _turn(phi1), theta)
                        out.apply_operation_back(gate, qargs, (), check=False)
                else:
                    theta, extra, g = _zz_normal(values[0])
                    if abs(theta) > _SNAP:
                        out.apply_operation_back(ZZGate(theta), qargs, (), check=False)
                phase += g
                for index, qubit in enumerate(qargs):
                    after = _rz(alphas[index])  # the virtual Z, now after the gate
                    if extra is not None:
                        after = after @ extra[index]
                    carry(qubit, after)
                    if not merge:
                        settle(qubit, virtual=False)
                continue
            if merge and name in _MEASURE_LIKE:
                for qubit in qargs:
                    settle(qubit, virtual=True)  # the virtual Z cannot change the outcome
            elif merge and name in _FRAME_TRANSPARENT:
                for qubit in qargs:
                    alpha = settle(qubit, virtual=True)
                    carry(qubit, _rz(alpha))
            else:
                for qubit in qargs:
                    settle(qubit, virtual=False)
            out.apply_operation_back(node.op, qargs, tuple(node.cargs), check=False)

        for qubit in list(pending):
            settle(qubit, virtual=False)
        out.global_phase = dag.global_phase + phase
        return out
