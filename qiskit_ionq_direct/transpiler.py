"""Teach Qiskit's transpiler to reach IonQ's native gates.

:func:`add_equivalences` registers exact, ``Parameter``-keyed rules in Qiskit's
``SessionEquivalenceLibrary`` so that ``transpile(qc, backend)`` on a native-gateset backend
lowers standard gates to GPI, GPI2 and MS (Aria) or ZZ (Forte). Every rule is an exact identity,
global phase included (the tests check each with ``Operator``):

* ``U(theta, phi, lam) = GPI2(-lam/2pi) . GPI((phi - lam - theta)/4pi) . GPI2(phi/2pi)``
  (circuit order), so any one-qubit gate costs at most three native gates;
* ``RZ(theta) = GPI(0) . GPI(theta/4pi)``;
* ``RXX(theta) = MS(0, 0, theta/2pi)`` and ``RZZ(theta) = ZZ(theta/2pi)``;
* ``CZ = ZZ(-1/4)`` with a ``RZ(pi/2)`` on each qubit (for Forte, whose entangler is ZZ).

Qiskit's own library already reaches ``U``, ``RZ``, ``RXX`` and ``CZ`` from every standard gate.
Each native gate is also registered with its exact definition in standard gates
(:func:`standard_equivalences`): once a native gate appears in the library, Qiskit no longer
unrolls it through its definition, so without these rules a circuit of native gates could not be
transpiled back to a standard basis.
"""

from __future__ import annotations

import math
import threading

from qiskit.circuit import Gate, Parameter, QuantumCircuit
from qiskit.circuit import SessionEquivalenceLibrary as _SESSION
from qiskit.circuit.library import CZGate, RXXGate, RZGate, RZZGate, UGate

from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = ["add_equivalences", "native_equivalences", "standard_equivalences"]

_TAU = 2 * math.pi
_LOCK = threading.Lock()
_added = False


def native_equivalences() -> list[tuple[Gate, QuantumCircuit]]:
    """The ``(standard gate, native circuit)`` rules, keyed by ``Parameter``-valued gates."""
    theta, phi, lam = Parameter("theta"), Parameter("phi"), Parameter("lam")
    rules: list[tuple[Gate, QuantumCircuit]] = []

    u = QuantumCircuit(1, global_phase=(phi + lam) / 2 + math.pi / 2)
    u.append(GPI2Gate(-lam / _TAU), [0])
    u.append(GPIGate((phi - lam - theta) / (2 * _TAU)), [0])
    u.append(GPI2Gate(phi / _TAU), [0])
    rules.append((UGate(theta, phi, lam), u))

    rz = QuantumCircuit(1)
    rz.append(GPIGate(0.0), [0])
    rz.append(GPIGate(theta / (2 * _TAU)), [0])
    rules.append((RZGate(theta), rz))

    rxx = QuantumCircuit(2)
    rxx.append(MSGate(0.0, 0.0, theta / _TAU), [0, 1])
    rules.append((RXXGate(theta), rxx))

    rzz = QuantumCircuit(2)
    rzz.append(ZZGate(theta / _TAU), [0, 1])
    rules.append((RZZGate(theta), rzz))

    # CZ = e^{i pi/4} (RZ(pi/2) x RZ(pi/2)) . RZZ(-pi/2), with RZ(pi/2) = GPI(0) . GPI(1/8).
    cz = QuantumCircuit(2, global_phase=math.pi / 4)
    cz.append(ZZGate(-0.25), [0, 1])
    for qubit in (0, 1):
        cz.append(GPIGate(0.0), [qubit])
        cz.append(GPIGate(0.125), [qubit])
    rules.append((CZGate(), cz))
    return rules


def standard_equivalences() -> list[tuple[Gate, QuantumCircuit]]:
    """The ``(native gate, standard circuit)`` rules: each native gate's own definition."""
    gates: list[Gate] = [
        GPIGate(Parameter("phi")),
        GPI2Gate(Parameter("phi")),
        MSGate(Parameter("phi0"), Parameter("phi1"), Parameter("theta")),
        ZZGate(Parameter("theta")),
    ]
    return [(gate, gate.definition) for gate in gates]


def add_equivalences() -> None:
    """Register the native-gate rules in ``SessionEquivalenceLibrary`` (once per process)."""
    global _added
    with _LOCK:
        if _added:
            return
        for gate, circuit in [*native_equivalences(), *standard_equivalences()]:
            _SESSION.add_equivalence(gate, circuit)
        _added = True
