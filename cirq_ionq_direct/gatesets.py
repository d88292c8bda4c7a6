"""IonQ target gatesets for ``cirq.optimize_for_target_gateset``.

``IonQTargetGateset`` is the QIS gateset the translator accepts: Pauli powers, H, CNOT/CZ at any
power, SWAP, XX/YY/ZZ, phased X gates and measurements. Other gates are rewritten with Cirq's
standard decompositions (KAK into CZ powers plus single-qubit gates).

``AriaNativeGateset`` (GPI, GPI2, MS) and ``ForteNativeGateset`` (GPI, GPI2, ZZ) compile to IonQ's
native gates, exactly up to a global phase:

* A two-qubit unitary becomes at most three CZs plus single-qubit gates (Cirq's KAK). Each CZ is
  ``(Rz(-pi/2) (x) Rz(-pi/2)) ZZ(1/4)``, and ``ZZ(1/4) = (H (x) H) MS(0, 0, 1/4) (H (x) H)``.
* Every run of single-qubit gates is merged into one unitary, written with at most three GPI/GPI2
  gates by :func:`ionq_direct.native.exact_natives` (the synthesis the Qiskit optimizer uses too):
  a unitary that is one GPI or GPI2 (up to phase) becomes that single gate, a Z rotation two GPIs.
"""

from __future__ import annotations

import abc
import cmath
import math
from typing import Any, ClassVar

import cirq
from numpy.typing import NDArray

from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from ionq_direct.lowering import wrap_turns
from ionq_direct.native import exact_natives

__all__ = [
    "AriaNativeGateset",
    "ForteNativeGateset",
    "IonQTargetGateset",
    "decompose_all_to_all_connect_ccz_gate",
    "single_qubit_to_native",
]


def decompose_all_to_all_connect_ccz_gate(
    ccz_gate: cirq.CCZPowGate, qubits: tuple[cirq.Qid, ...] | list[cirq.Qid]
) -> list[cirq.Operation]:
    """``CCZ**t`` on three all-to-all connected qubits as 6 CNOTs and 7 Z powers, exactly.

    The phase ``pi*t*a*b*c`` is written as the parity sum
    ``(a + b + c - a^b - a^c - b^c + a^b^c) * pi*t/4``; each parity is computed onto one
    qubit with CNOTs, phased and uncomputed (cirq-ionq's function of the same name).

    Args:
        ccz_gate: the ``cirq.CCZPowGate`` (any exponent and global shift).
        qubits: the three qubits it acts on.

    Raises:
        ValueError: not a ``CCZPowGate``, or not three distinct qubits.
    """
    if not isinstance(ccz_gate, cirq.CCZPowGate):
        raise ValueError(f"expected a cirq.CCZPowGate, got {ccz_gate!r}")
    a, b, c = qubits
    if len({a, b, c}) != 3:
        raise ValueError(f"CCZ needs three distinct qubits, got {list(qubits)}")
    quarter = cirq.ZPowGate(exponent=ccz_gate.exponent / 4)
    inverse = quarter**-1
    ops: list[cirq.Operation] = [quarter(a), quarter(b), quarter(c)]
    ops += [cirq.CNOT(b, c), inverse(c)]  # -(b^c)
    ops += [cirq.CNOT(a, c), quarter(c)]  # +(a^b^c)
    ops += [cirq.CNOT(b, c), inverse(c)]  # -(a^c)
    ops += [cirq.CNOT(a, c)]  # c restored
    ops += [cirq.CNOT(a, b), inverse(b), cirq.CNOT(a, b)]  # -(a^b)
    shift = ccz_gate.global_shift
    if shift:
        turn = cmath.exp(1j * math.pi * shift * float(ccz_gate.exponent))
        ops.append(cirq.global_phase_operation(turn))
    return ops


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


def single_qubit_to_native(
    matrix: NDArray[Any], qubit: cirq.Qid, *, atol: float = 1e-8
) -> list[cirq.Operation]:
    """At most three GPI/GPI2 operations equal to ``matrix`` up to a global phase.

    Args:
        matrix: a 2x2 unitary.
        qubit: the qubit to act on.
        atol: tolerance for dropping identities and choosing a one-gate form.
    """
    return [
        (GPIGate if name == "gpi" else GPI2Gate)(wrap_turns(phase)).on(qubit)
        for name, phase in exact_natives(matrix, atol=atol)
    ]


class _NativeGateset(cirq.TwoQubitCompilationTargetGateset):
    """GPI, GPI2, one entangling gate (``_ENTANGLER``) and measurements: Aria and Forte.

    Args:
        atol: tolerance of the decompositions.
    """

    _ENTANGLER: ClassVar[type[cirq.Gate]]

    def __init__(self, *, atol: float = 1e-8) -> None:
        super().__init__(
            GPIGate,
            GPI2Gate,
            self._ENTANGLER,
            cirq.MeasurementGate,
            cirq.GlobalPhaseGate,
            name=type(self).__name__,
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

    _ENTANGLER = MSGate

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

    _ENTANGLER = ZZGate

    def _cz(self, a: cirq.Qid, b: cirq.Qid) -> list[cirq.Operation]:
        # CZ = (Rz(-pi/2) (x) Rz(-pi/2)) ZZ(1/4), up to a global phase.
        return [ZZGate(0.25).on(a, b), cirq.rz(-math.pi / 2).on(a), cirq.rz(-math.pi / 2).on(b)]
