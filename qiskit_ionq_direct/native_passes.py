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

The one-qubit synthesis and the MS/ZZ normal forms are framework-neutral and live in
:mod:`ionq_direct.native` (shared with the Cirq native gatesets); this module is the Qiskit pass
around them.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from qiskit.circuit import Gate, ParameterExpression, Qubit
from qiskit.dagcircuit import DAGCircuit, DAGOpNode
from qiskit.transpiler import TransformationPass, TranspilerError

from ionq_direct.lowering import wrap_turns
from ionq_direct.native import (
    ATOL,
    exact_natives,
    ms_normal,
    native_matrix,
    natives_matrix,
    rz_matrix,
    virtual_natives,
    zz_normal,
)
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = ["IonQNativeOptimizer", "exact_natives", "virtual_natives"]

Matrix = NDArray[np.complex128]

_TAU = 2 * math.pi
_SNAP = 1e-12  # turns this close to a landmark (0, 1/4) are set to it
_EYE: Matrix = np.eye(2, dtype=np.complex128)
_Z: Matrix = np.diag([1.0, -1.0]).astype(np.complex128)
_MEASURE_LIKE = frozenset({"measure", "reset"})
_FRAME_TRANSPARENT = frozenset({"barrier", "delay"})


def _phase(target: Matrix, built: Matrix) -> float:
    """``g`` with ``target = e^{i g} built``; raises if they differ by more than a phase."""
    overlap = complex(np.trace(built.conj().T @ target))
    if abs(abs(overlap) - target.shape[0]) > 1e-7:
        raise TranspilerError("IonQNativeOptimizer: internal decomposition error")
    return cmath.phase(overlap)


def _turn(value: float) -> float:
    """A phase in turns brought into ``[0, 1)``; within 1e-12 of a whole turn it becomes 0."""
    return wrap_turns(value, snap=_SNAP)


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
    if isinstance(op, (GPIGate, GPI2Gate)):
        return native_matrix(op.name, values[0])
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
            if abs(matrix[0, 1]) < ATOL and abs(matrix[0, 0] - matrix[1, 1]) < ATOL:
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
            phase += _phase(u, rz_matrix(alpha) @ natives_matrix(natives))
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
                extra: tuple[Matrix, Matrix] | None = None
                if name == "ms":
                    phi0 = values[0] - alphas[0] / _TAU
                    phi1 = values[1] - alphas[1] / _TAU
                    ms = ms_normal(phi0, phi1, values[2], snap=_SNAP)
                    if ms.theta > _SNAP:
                        gate: Gate = MSGate(_turn(ms.phi0), _turn(ms.phi1), ms.theta)
                        out.apply_operation_back(gate, qargs, (), check=False)
                    if ms.layer is not None:
                        extra = (
                            native_matrix("gpi", ms.layer[0]),
                            native_matrix("gpi", ms.layer[1]),
                        )
                    phase += ms.phase
                else:
                    zz = zz_normal(values[0], snap=_SNAP)
                    if abs(zz.theta) > _SNAP:
                        out.apply_operation_back(ZZGate(zz.theta), qargs, (), check=False)
                    if zz.layer:
                        extra = (_Z, _Z)
                    phase += zz.phase
                for index, qubit in enumerate(qargs):
                    after = rz_matrix(alphas[index])  # the virtual Z, now after the gate
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
                    carry(qubit, rz_matrix(alpha))
            else:
                for qubit in qargs:
                    settle(qubit, virtual=False)
            out.apply_operation_back(node.op, qargs, tuple(node.cargs), check=False)

        for qubit in list(pending):
            settle(qubit, virtual=False)
        out.global_phase = dag.global_phase + phase
        return out
