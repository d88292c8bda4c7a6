"""Build the Qiskit ``Target`` of an IonQ backend.

IonQ's trapped-ion machines are all-to-all. Without a characterization (the simulator) every
instruction is *global*: ``transpile`` then does no layout or routing and keeps a circuit as
wide as it was written. With a QPU's characterization each one- and two-qubit instruction is
listed on every qubit and every connected pair, carrying the characterized error
(``1 - median fidelity``) and duration, as Qiskit's own backends do: ``AerSimulator.from_backend``
then simulates the QPU's noise, ``plot_gate_map`` draws it, and ``transpile`` lays circuits out
on the device (``run`` drops the qubits that leaves unused, see :mod:`qiskit_ionq_direct.idle`)
and decomposes three-qubit gates.
The ``qis`` gateset lists the standard gates the translator sends to IonQ as they are; the
``native`` gateset lists GPI, GPI2 and the machine's two-qubit gate (MS on Aria, ZZ on Forte).
Both list ``measure`` and ``reset`` (a circuit that resets or reuses a measured qubit runs as an
OpenQASM 3 job), so ``transpile`` keeps them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qiskit.circuit import Delay, Measure, Parameter, Reset
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
from qiskit.providers import QubitProperties
from qiskit.transpiler import InstructionProperties, Target

from ionq_direct.errors import InvalidInputError
from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

if TYPE_CHECKING:
    from qiskit_ionq_direct.calibration import Characterization

__all__ = [
    "CHARACTERIZED_TWO_QUBIT_GATES",
    "GATESETS",
    "NATIVE_TWO_QUBIT_GATES",
    "build_target",
    "qis_gate_names",
]

#: The gatesets a backend can be built for.
GATESETS = ("qis", "native")
#: IonQ's native two-qubit gates, by name.
NATIVE_TWO_QUBIT_GATES = ("ms", "zz")
#: The two-qubit gates a characterized target lists on every pair: IonQ's own ``qis`` ones
#: (``cnot``, ``swap``, ``xx``, ``yy``, ``zz``, controlled ``z``) and the native ones. Qiskit's
#: other controlled gates decompose into them. Fewer kinds keep ``transpile`` and
#: ``AerSimulator.from_backend`` (one noise channel per gate, pair and kind) fast. Gates on
#: three qubits (``ccx``, ``cswap``) are left out altogether: Qiskit's ``transpile`` refuses a
#: backend with both a coupling map and such gates. ``run`` still sends any of them untranspiled.
CHARACTERIZED_TWO_QUBIT_GATES = frozenset({"cx", "cz", "swap", "rxx", "ryy", "rzz", "ms", "zz"})


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
    characterization: Characterization | None = None,
) -> Target:
    """A ``Target`` for an all-to-all IonQ backend.

    Args:
        num_qubits: the backend's qubit count.
        gateset: ``"qis"`` (standard gates) or ``"native"`` (GPI, GPI2 and MS or ZZ).
        native_two_qubit: the native entangling gate(s): ``"ms"`` (Aria), ``"zz"`` (Forte),
            or both (the simulator); used only by the native gateset.
        description: the target's description.
        characterization: the QPU's latest characterization; with it one- and two-qubit
            instructions, ``measure`` and ``reset`` are listed per qubit and pair with its
            errors and durations; of the two-qubit gates only
            :data:`CHARACTERIZED_TWO_QUBIT_GATES`, and no gates on three qubits (``transpile``
            decomposes the others). Without it every instruction is global.

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
    if characterization is None:
        target = Target(description=description or None, num_qubits=num_qubits)
        for gate in gates:
            target.add_instruction(gate)
        target.add_instruction(Measure())
        target.add_instruction(Reset())
    else:
        target = _characterized(num_qubits, gates, characterization, description)
    target.add_instruction(Delay(Parameter("t")))
    return target


def _characterized(
    num_qubits: int, gates: list[object], cal: Characterization, description: str
) -> Target:
    """A target whose 1q/2q instructions and measure carry ``cal``'s errors and durations."""
    # The qubits' t1/t2 are left unset (``cal.timing`` has them): with them Aer builds a
    # thermal-relaxation channel for every instruction on every pair, which makes
    # ``AerSimulator.from_backend`` take minutes, for a contribution far below the gate errors
    # (IonQ's t1 and t2 are seconds; gates take microseconds).
    target = Target(
        description=description or None,
        num_qubits=num_qubits,
        qubit_properties=[QubitProperties() for _ in range(num_qubits)],
    )
    singles = [(q,) for q in range(num_qubits)]
    listed = {tuple(sorted(p)) for p in cal.connectivity if max(p) < num_qubits and p[0] != p[1]}
    if not listed:  # no pairs recorded: all-to-all, as every IonQ QPU is
        listed = set(itertools.combinations(range(num_qubits), 2))
    pairs = sorted({*listed, *((b, a) for a, b in listed)})
    one = InstructionProperties(duration=cal.duration("1q"), error=cal.error("1q"))
    two = InstructionProperties(duration=cal.duration("2q"), error=cal.error("2q"))
    readout = InstructionProperties(duration=cal.duration("readout"), error=cal.error("spam"))
    for gate in gates:
        width = gate.num_qubits  # type: ignore[attr-defined]
        if width == 1:
            target.add_instruction(gate, dict.fromkeys(singles, one))
        elif width == 2 and gate.name in CHARACTERIZED_TWO_QUBIT_GATES:  # type: ignore[attr-defined]
            target.add_instruction(gate, dict.fromkeys(pairs, two))
    target.add_instruction(Measure(), dict.fromkeys(singles, readout))
    reset = InstructionProperties(duration=cal.duration("reset"))
    target.add_instruction(Reset(), dict.fromkeys(singles, reset))
    return target
