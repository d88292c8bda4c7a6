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

The rules alone give long circuits (three natives per one-qubit gate, two per ``RZ``).
:class:`IonQTranslationPlugin`, registered as the ``qiskit.transpiler.translation`` entry point
``ionq_direct`` and named by ``IonQBackend.get_translation_stage_plugin()`` on native backends,
follows the standard translation with
:class:`~qiskit_ionq_direct.native_passes.IonQNativeOptimizer`: every run of one-qubit gates
becomes at most two natives (three at the very end of an unmeasured qubit), Z rotations are
tracked virtually and dropped before measurements, and MS/ZZ angles land in IonQ's ranges. So
``transpile(qc, backend)`` and ``generate_preset_pass_manager(level, backend=backend)`` give
compact, exact native circuits. At optimisation level 0 (Qiskit's "no optimisation") runs are
not merged; phases and angles are still normalised. :func:`native_pass_manager` is the same
translation as a standalone ``PassManager`` (what ``IonQBackend.run`` uses on standard gates).
"""

from __future__ import annotations

import math
import threading
from typing import Any

from qiskit.circuit import Gate, Parameter, QuantumCircuit
from qiskit.circuit import SessionEquivalenceLibrary as _SESSION
from qiskit.circuit.library import CZGate, RXXGate, RZGate, RZZGate, UGate
from qiskit.transpiler import PassManager, PassManagerConfig, Target
from qiskit.transpiler.preset_passmanagers.builtin_plugins import BasisTranslatorPassManager
from qiskit.transpiler.preset_passmanagers.plugin import PassManagerStagePlugin

from qiskit_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qiskit_ionq_direct.native_passes import IonQNativeOptimizer

__all__ = [
    "TRANSLATION_PLUGIN",
    "IonQTranslationPlugin",
    "TrappedIonOptimizerPlugin",
    "add_equivalences",
    "is_native_target",
    "native_equivalences",
    "native_pass_manager",
    "standard_equivalences",
]

#: The name of the translation-stage plugin (entry point group ``qiskit.transpiler.translation``).
TRANSLATION_PLUGIN = "ionq_direct"

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


def is_native_target(target: Target | None) -> bool:
    """Whether ``target`` is an IonQ native target (lists GPI and GPI2)."""
    return target is not None and {"gpi", "gpi2"} <= set(target.operation_names)


class IonQTranslationPlugin(PassManagerStagePlugin):  # type: ignore[misc]
    """Translation stage for IonQ native targets: standard translation, then compaction.

    On a native target: Qiskit's ``BasisTranslator`` stage (with :func:`add_equivalences`), then
    :class:`~qiskit_ionq_direct.native_passes.IonQNativeOptimizer` (merging one-qubit runs at
    optimisation levels 1-3, only normalising at level 0). On any other target it is Qiskit's
    default translation stage unchanged.
    """

    def pass_manager(
        self, pass_manager_config: PassManagerConfig, optimization_level: int | None = None
    ) -> PassManager:
        """The stage's ``PassManager``."""
        add_equivalences()
        stage: PassManager = BasisTranslatorPassManager().pass_manager(
            pass_manager_config, optimization_level
        )
        if is_native_target(pass_manager_config.target):
            stage.append(IonQNativeOptimizer(merge=optimization_level != 0))
        return stage


def native_pass_manager(backend_or_target: Any, optimization_level: int = 2) -> PassManager:
    """Translation to IonQ natives plus compaction, without Qiskit's other stages.

    Args:
        backend_or_target: a native ``IonQBackend`` (anything with a ``target``) or a ``Target``.
        optimization_level: 0 keeps one-qubit runs unmerged; 1-3 merge them.
    """
    target = backend_or_target if isinstance(backend_or_target, Target) else None
    if target is None:
        target = backend_or_target.target
    config = PassManagerConfig(basis_gates=list(target.operation_names), target=target)
    return IonQTranslationPlugin().pass_manager(config, optimization_level)


class TrappedIonOptimizerPlugin:
    """qiskit-ionq's optimizer-plugin name, giving this package's native translation stage.

    ``TrappedIonOptimizerPlugin().pass_manager(PassManagerConfig(target=...), level)`` is
    :func:`native_pass_manager` for that target: standard gates to GPI/GPI2/MS or ZZ, one-qubit
    runs merged, angles in IonQ's ranges, exactly. (``transpile(qc, native_backend)`` already
    runs the same stage, so the plugin is only needed by code that calls it itself.)
    """

    def pass_manager(
        self, pass_manager_config: PassManagerConfig, optimization_level: int | None = None
    ) -> PassManager:
        """The native translation ``PassManager`` for ``pass_manager_config.target``."""
        target = pass_manager_config.target
        if target is None:
            raise ValueError("TrappedIonOptimizerPlugin needs PassManagerConfig(target=...)")
        level = 2 if optimization_level is None else optimization_level
        return native_pass_manager(target, optimization_level=level)
