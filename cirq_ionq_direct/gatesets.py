"""IonQ target gatesets for ``cirq.optimize_for_target_gateset``.

``IonQTargetGateset`` is the QIS gateset the translator accepts: Pauli powers, H, CNOT/CZ at any
power, SWAP, XX/YY/ZZ, phased X gates and measurements. Other gates are rewritten with Cirq's
standard decompositions (KAK into CZ powers plus single-qubit gates).

``AriaNativeGateset`` (GPI, GPI2, MS) and ``ForteNativeGateset`` (GPI, GPI2, ZZ) compile to IonQ's
native gates, exactly up to a global phase:

* A two-qubit unitary becomes at most three CZs plus single-qubit gates (Cirq's KAK). Each CZ is
  ``(Rz(-pi/2) (x) Rz(-pi/2)) ZZ(1/4)``, and ``ZZ(1/4) = (H (x) H) MS(0, 0, 1/4) (H (x) H)``.
* Every run of single-qubit gates is merged into one unitary ``U = Rz(b) Ry(g) Rz(d)`` (up to
  phase). With ``Ry(g) = Rx(-pi/2) Rz(g) Rx(pi/2)``, ``Rx(pi/2) = GPI2(0)`` and virtual Z
  (``R_phi(a) Rz(t) = Rz(t) R_{phi - t/2pi}(a)``),
  ``U = Rz(b+g+d) GPI2(1/2 - (g+d)/2pi) GPI2(-d/2pi)``, and ``Rz(t) = GPI(t/4pi) GPI(0)``.
  A unitary that is one GPI or GPI2 (up to phase) becomes that single gate.
"""

from __future__ import annotations

import abc
import math
from typing import Any

import cirq
import numpy as np
from numpy.typing import NDArray

from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = [
    "AriaNativeGateset",
    "ForteNativeGateset",
    "IonQTargetGateset",
    "single_qubit_to_native",
]

_TAU = 2 * math.pi


class IonQTargetGateset(cirq.TwoQubitCompilationTargetGateset):
    """The QIS gates IonQ's JSON format (and :func:`cirq_ionq_direct.to_ionq`) accepts.

    Args:
        atol: tolerance of the decompositions.
    """

    def __init__(self, *, atol: float = 1e-8) -> None:
        super().__init__(
            cirq.XPowGate,
            cirq.YPowGate,
            cirq.ZPowGate,
            cirq.H,
            cirq.CXPowGate,
            cirq.CZPowGate,
            cirq.SWAP,
            cirq.XXPowGate,
            cirq.YYPowGate,
            cirq.ZZPowGate,
            cirq.PhasedXPowGate,
            cirq.PhasedXZGate,
            cirq.MeasurementGate,
            cirq.GlobalPhaseGate,
            name="IonQTargetGateset",
        )
        self.atol = atol

    def __repr__(self) -> str:
        return f"cirq_ionq_direct.IonQTargetGateset(atol={self.atol!r})"

    def _decompose_two_qubit_operation(self, op: cirq.Operation, moment_idx: int) -> Any:
        if not cirq.has_unitary(op):
            return NotImplemented
        return cirq.two_qubit_matrix_to_cz_operations(
            op.qubits[0], op.qubits[1], cirq.unitary(op), allow_partial_czs=True, atol=self.atol
        )


def _phase(turns: float) -> float:
    return float(turns) % 1.0


def _same(a: NDArray[Any], b: NDArray[Any], atol: float) -> bool:
    return bool(cirq.allclose_up_to_global_phase(a, b, atol=atol))


def single_qubit_to_native(
    matrix: NDArray[Any], qubit: cirq.Qid, *, atol: float = 1e-8
) -> list[cirq.Operation]:
    """At most four GPI/GPI2 operations equal to ``matrix`` up to a global phase.

    Args:
        matrix: a 2x2 unitary.
        qubit: the qubit to act on.
        atol: tolerance for dropping identities and choosing a one-gate form.
    """
    if _same(matrix, np.eye(2), atol):
        return []
    if abs(matrix[0, 1]) > atol:
        phi = float(np.angle(matrix[1, 0] / matrix[0, 1])) / (2 * _TAU)
        for candidate in (GPIGate(_phase(phi)), GPI2Gate(_phase(phi)), GPI2Gate(_phase(phi + 0.5))):
            if _same(cirq.unitary(candidate), matrix, atol):
                return [candidate.on(qubit)]
    before, y, after = cirq.deconstruct_single_qubit_matrix_into_angles(matrix)
    ops: list[cirq.Operation] = []
    if not math.isclose(math.remainder(y, _TAU), 0.0, abs_tol=atol):
        ops.append(GPI2Gate(_phase(-before / _TAU)).on(qubit))
        ops.append(GPI2Gate(_phase(0.5 - (y + before) / _TAU)).on(qubit))
    turn = after + y + before
    if not math.isclose(math.remainder(turn, _TAU), 0.0, abs_tol=atol):
        ops.append(GPIGate(0.0).on(qubit))
        ops.append(GPIGate(_phase(turn / (2 * _TAU))).on(qubit))
    return ops


class _NativeGateset(cirq.TwoQubitCompilationTargetGateset):
    """GPI, GPI2, one entangling gate and measurements; shared by Aria and Forte."""

    def __init__(self, entangler: type[cirq.Gate], name: str, atol: float) -> None:
        super().__init__(
            GPIGate,
            GPI2Gate,
            entangler,
            cirq.MeasurementGate,
            cirq.GlobalPhaseGate,
            name=name,
            preserve_moment_structure=False,
        )
        self.atol = atol

    def __repr__(self) -> str:
        return f"cirq_ionq_direct.{type(self).__name__}(atol={self.atol!r})"

    @abc.abstractmethod
    def _cz(self, a: cirq.Qid, b: cirq.Qid) -> list[cirq.Operation]:
        """CZ up to a global phase: the native entangler plus single-qubit corrections."""

    def _to_native(self, component: cirq.CircuitOperation) -> list[cirq.Operation]:
        return single_qubit_to_native(cirq.unitary(component), component.qubits[0], atol=self.atol)

    def _merge_single_qubit_runs(self, circuit: cirq.AbstractCircuit) -> cirq.Circuit:
        return cirq.merge_k_qubit_unitaries(circuit, k=1, rewriter=self._to_native)

    def _decompose_single_qubit_operation(self, op: cirq.Operation, moment_idx: int) -> Any:
        if not cirq.has_unitary(op):
            return NotImplemented
        return single_qubit_to_native(cirq.unitary(op), op.qubits[0], atol=self.atol)

    def _decompose_two_qubit_operation(self, op: cirq.Operation, moment_idx: int) -> Any:
        if not cirq.has_unitary(op):
            return NotImplemented
        a, b = op.qubits
        ops: list[cirq.Operation] = []
        for part in cirq.two_qubit_matrix_to_cz_operations(
            a, b, cirq.unitary(op), allow_partial_czs=False, atol=self.atol
        ):
            if len(part.qubits) == 2:
                ops.extend(self._cz(*part.qubits))
            else:
                ops.append(part)
        return list(self._merge_single_qubit_runs(cirq.Circuit(ops)).all_operations())

    @property
    def postprocess_transformers(self) -> list[cirq.TRANSFORMER]:
        """Merge single-qubit runs into native gates, then drop what is negligible or empty."""

        def merge(
            circuit: cirq.AbstractCircuit, *, context: cirq.TransformerContext | None = None
        ) -> cirq.Circuit:
            return cirq.merge_k_qubit_unitaries(
                circuit, k=1, rewriter=self._to_native, context=context
            )

        return [merge, cirq.drop_negligible_operations, cirq.drop_empty_moments]


class AriaNativeGateset(_NativeGateset):
    """IonQ Aria's native gates: GPI, GPI2 and MS.

    Args:
        atol: tolerance of the decompositions.
    """

    def __init__(self, *, atol: float = 1e-8) -> None:
        super().__init__(MSGate, "AriaNativeGateset", atol)

    def _cz(self, a: cirq.Qid, b: cirq.Qid) -> list[cirq.Operation]:
        # ZZ(1/4) = (H (x) H) MS(0, 0, 1/4) (H (x) H); CZ = (Rz(-pi/2) (x) Rz(-pi/2)) ZZ(1/4).
        return [
            cirq.H(a),
            cirq.H(b),
            MSGate(0.0, 0.0, 0.25).on(a, b),
            cirq.H(a),
            cirq.H(b),
            cirq.rz(-math.pi / 2).on(a),
            cirq.rz(-math.pi / 2).on(b),
        ]


class ForteNativeGateset(_NativeGateset):
    """IonQ Forte's native gates: GPI, GPI2 and ZZ.

    Args:
        atol: tolerance of the decompositions.
    """

    def __init__(self, *, atol: float = 1e-8) -> None:
        super().__init__(ZZGate, "ForteNativeGateset", atol)

    def _cz(self, a: cirq.Qid, b: cirq.Qid) -> list[cirq.Operation]:
        # CZ = (Rz(-pi/2) (x) Rz(-pi/2)) ZZ(1/4), up to a global phase.
        return [ZZGate(0.25).on(a, b), cirq.rz(-math.pi / 2).on(a), cirq.rz(-math.pi / 2).on(b)]
