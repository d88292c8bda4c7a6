"""Build the Qiskit ``Target`` of an IonQ backend.

IonQ's trapped-ion machines are all-to-all, so every instruction is *global* (no coupling map):
``transpile`` then does no layout or routing and keeps a circuit as wide as it was written.
The ``qis`` gateset lists the standard gates the translator sends to IonQ as they are; the
``native`` gateset lists GPI, GPI2 and the machine's two-qubit gate (MS on Aria, ZZ on Forte).
"""

from __future__ import annotations

from collections.abc import Sequence

from qiskit.circuit import Delay, Measure, Parameter
from qiskit.circuit.library import (
    CCXGate,
    CHGate,
    CPhaseGate,
    CRXGate,
    CRYGate,
    CRZGate,
    CSwapGate,
    CXGate,
    CYGate,
    CZGate,
    HGate,
    PhaseGate,
    RXGate,
    RXXGate,
    RYGate,
    RYYGate,
    RZGate,
    RZZGate,
    SdgGate,
    SGate,
    SwapGate,
    SXdgGate,
    SXGate,
    TdgGate,
    TGate,
    UGate,
    XGate,
    YGate,
    ZGate,
)
from qiskit.transpiler import Target

from ionq_direct.errors import InvalidInputError
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = ["GATESETS", "NATIVE_TWO_QUBIT_GATES", "build_target", "qis_gate_names"]

#: The gatesets a backend can be built for.
GATESETS = ("qis", "native")
#: IonQ's native two-qubit gates, by name.
NATIVE_TWO_QUBIT_GATES = ("ms", "zz")


def _qis_gates() -> list[object]:
    theta, phi, lam = Parameter("theta"), Parameter("phi"), Parameter("lam")
    return [
        XGate(),
        YGate(),
        ZGate(),
        HGate(),
        SGate(),
        SdgGate(),
        TGate(),
        TdgGate(),
        SXGate(),
        SXdgGate(),
        RXGate(theta),
        RYGate(theta),
        RZGate(theta),
        PhaseGate(theta),
        UGate(theta, phi, lam),
        CXGate(),
        CYGate(),
        CZGate(),
        CHGate(),
        CRXGate(theta),
        CRYGate(theta),
        CRZGate(theta),
        CPhaseGate(theta),
        SwapGate(),
        RXXGate(theta),
        RYYGate(theta),
        RZZGate(theta),
        CCXGate(),
        CSwapGate(),
    ]


def qis_gate_names() -> frozenset[str]:
    """The gate names a ``qis`` target lists (besides measure and delay)."""
    return frozenset(gate.name for gate in _qis_gates())  # type: ignore[attr-defined]


def _native_gates(two_qubit: Sequence[str]) -> list[object]:
    bad = [name for name in two_qubit if name not in NATIVE_TWO_QUBIT_GATES]
    if bad or not two_qubit:
        raise InvalidInputError(
            f"native two-qubit gates must be among {NATIVE_TWO_QUBIT_GATES}, got {two_qubit!r}"
        )
    gates: list[object] = [GPIGate(Parameter("phi")), GPI2Gate(Parameter("phi"))]
    if "ms" in two_qubit:
        gates.append(MSGate(Parameter("phi0"), Parameter("phi1"), Parameter("theta")))
    if "zz" in two_qubit:
        gates.append(ZZGate(Parameter("theta")))
    return gates


def build_target(
    num_qubits: int,
    gateset: str = "qis",
    *,
    native_two_qubit: str | Sequence[str] = "ms",
    description: str = "",
) -> Target:
    """A ``Target`` with global instructions for an all-to-all IonQ backend.

    Args:
        num_qubits: the backend's qubit count.
        gateset: ``"qis"`` (standard gates) or ``"native"`` (GPI, GPI2 and MS or ZZ).
        native_two_qubit: the native entangling gate(s): ``"ms"`` (Aria), ``"zz"`` (Forte),
            or both (the simulator); used only by the native gateset.
        description: the target's description.

    Raises:
        InvalidInputError: an unknown gateset or two-qubit gate, or fewer than one qubit.
    """
    if gateset not in GATESETS:
        raise InvalidInputError(f"gateset must be 'qis' or 'native', got {gateset!r}")
    if num_qubits < 1:
        raise InvalidInputError(f"a backend needs at least one qubit, got {num_qubits}")
    if isinstance(native_two_qubit, str):
        native_two_qubit = (native_two_qubit,)
    gates = _qis_gates() if gateset == "qis" else _native_gates(native_two_qubit)
    target = Target(description=description or None, num_qubits=num_qubits)
    for gate in gates:
        target.add_instruction(gate)
    target.add_instruction(Measure())
    target.add_instruction(Delay(Parameter("t")))
    return target
