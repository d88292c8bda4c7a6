"""IonQ's native gates as Qiskit gates: GPI, GPI2, MS and ZZ, with angles in turns.

Each gate's matrix is taken from the core gate table (:mod:`ionq_direct.gates`) and reordered to
Qiskit's convention: for the two-qubit gates IonQ's ``targets[0]`` is the *left* tensor factor
while Qiskit's qubit 0 is the *right* one, so ``MSGate`` on Qiskit qubits ``(a, b)`` equals IonQ's
``ms`` with ``targets=[a, b]``. Every gate also has an exact definition in standard gates, so
``Operator``, ``Statevector``, Aer and ``transpile`` can use it.
"""

from __future__ import annotations

import math
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray
from qiskit.circuit import Gate, ParameterExpression, QuantumCircuit, QuantumRegister

from ionq_direct.gates import GATES

#: A gate parameter: a number or a (possibly unbound) Qiskit parameter expression.
ParameterValue: TypeAlias = float | ParameterExpression

_TAU = 2 * math.pi
# Reorders a two-qubit matrix between IonQ's (targets[0] left) and Qiskit's (qubit 0 right) bases.
_SWAP_ORDER = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)


def _numbers(gate: Gate) -> list[float]:
    values = []
    for value in gate.params:
        if isinstance(value, ParameterExpression) and value.parameters:
            names = ", ".join(sorted(p.name for p in value.parameters))
            raise TypeError(f"{gate.name} has unbound parameter(s) {names}; bind them first")
        values.append(float(value))
    return values


def _as_array(matrix: NDArray[Any], dtype: Any, copy: bool | None) -> NDArray[Any]:
    if copy is False:
        raise ValueError("unable to avoid a copy while building the gate matrix")
    return np.asarray(matrix, dtype=dtype if dtype is not None else complex)


class GPIGate(Gate):  # type: ignore[misc]
    """IonQ's GPI gate: a pi rotation about the XY-plane axis at angle ``phi`` (turns).

    Matrix: ``[[0, e^{-2 pi i phi}], [e^{2 pi i phi}, 0]]``; ``GPI(0)`` is X.
    """

    def __init__(self, phi: ParameterValue, label: str | None = None) -> None:
        super().__init__("gpi", 1, [phi], label=label)

    def _define(self) -> None:
        phi = self.params[0]
        qc = QuantumCircuit(QuantumRegister(1, "q"), name=self.name)
        qc.rz(-2 * _TAU * phi, 0)
        qc.x(0)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> GPIGate:
        """GPI is its own inverse."""
        return GPIGate(self.params[0])

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        (phi,) = _numbers(self)
        return _as_array(GATES["native", "gpi"].matrix({"phase": phi}), dtype, copy)


class GPI2Gate(Gate):  # type: ignore[misc]
    """IonQ's GPI2 gate: a pi/2 rotation about the XY-plane axis at angle ``phi`` (turns).

    Matrix: ``[[1, -i e^{-2 pi i phi}], [-i e^{2 pi i phi}, 1]] / sqrt(2)``.
    """

    def __init__(self, phi: ParameterValue, label: str | None = None) -> None:
        super().__init__("gpi2", 1, [phi], label=label)

    def _define(self) -> None:
        phi = self.params[0]
        qc = QuantumCircuit(QuantumRegister(1, "q"), name=self.name)
        qc.rz(-_TAU * phi, 0)
        qc.rx(math.pi / 2, 0)
        qc.rz(_TAU * phi, 0)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> GPI2Gate:
        """GPI2(phi) inverted is GPI2(phi + 1/2)."""
        return GPI2Gate(self.params[0] + 0.5)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        (phi,) = _numbers(self)
        return _as_array(GATES["native", "gpi2"].matrix({"phase": phi}), dtype, copy)


class MSGate(Gate):  # type: ignore[misc]
    """IonQ's Molmer-Sorensen gate ``MS(phi0, phi1, theta)``; all three in turns.

    ``phi0`` belongs to Qiskit qubit 0 (IonQ ``targets[0]``), ``phi1`` to qubit 1. ``theta`` is the
    interaction angle: 0.25 (the default) is fully entangling.
    """

    def __init__(
        self,
        phi0: ParameterValue,
        phi1: ParameterValue,
        theta: ParameterValue = 0.25,
        label: str | None = None,
    ) -> None:
        super().__init__("ms", 2, [phi0, phi1, theta], label=label)

    def _define(self) -> None:
        phi0, phi1, theta = self.params
        qc = QuantumCircuit(QuantumRegister(2, "q"), name=self.name)
        # MS = (Rz(a0) (x) Rz(a1)) . Rxx(2 pi theta) . (Rz(-a0) (x) Rz(-a1)), a = 2 pi phi.
        qc.rz(-_TAU * phi0, 0)
        qc.rz(-_TAU * phi1, 1)
        qc.rxx(_TAU * theta, 0, 1)
        qc.rz(_TAU * phi0, 0)
        qc.rz(_TAU * phi1, 1)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> MSGate:
        """MS(phi0, phi1, theta) inverted is MS(phi0 + 1/2, phi1, theta)."""
        phi0, phi1, theta = self.params
        return MSGate(phi0 + 0.5, phi1, theta)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        phi0, phi1, theta = _numbers(self)
        ionq = GATES["native", "ms"].matrix({"phases": [phi0, phi1], "angle": theta})
        return _as_array(_SWAP_ORDER @ ionq @ _SWAP_ORDER, dtype, copy)


class ZZGate(Gate):  # type: ignore[misc]
    """IonQ's native ZZ gate ``exp(-i pi theta Z.Z)`` with ``theta`` in turns.

    It equals Qiskit's ``rzz(2 pi theta)``.

    The gate is symmetric in its two qubits.
    """

    def __init__(self, theta: ParameterValue, label: str | None = None) -> None:
        super().__init__("zz", 2, [theta], label=label)

    def _define(self) -> None:
        theta = self.params[0]
        qc = QuantumCircuit(QuantumRegister(2, "q"), name=self.name)
        qc.rzz(_TAU * theta, 0, 1)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> ZZGate:
        """ZZ(theta) inverted is ZZ(-theta)."""
        return ZZGate(-self.params[0])

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        (theta,) = _numbers(self)
        # Diagonal and symmetric in its two qubits, so both bases give the same matrix.
        return _as_array(GATES["native", "zz"].matrix({"angle": theta}), dtype, copy)


#: The native gate classes by their Qiskit (and IonQ) name.
NATIVE_GATES: dict[str, type[Gate]] = {
    "gpi": GPIGate,
    "gpi2": GPI2Gate,
    "ms": MSGate,
    "zz": ZZGate,
}
