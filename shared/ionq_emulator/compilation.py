"""What a dry run produces: the job's circuit compiled to the backend's native gates.

IonQ compiles a dry-run job without running it and publishes the result as
``output.compilation.compiled_circuits``, a map from circuit format to an artifact descriptor;
``ionq.native.v1`` is a native circuit in the shape of a native ``input`` (``qubits`` and a list
of ``gpi``/``gpi2``/``ms``/``zz`` gates). The emulator does the same for every single-circuit job
(each child of a multi-circuit one): a ``qis`` circuit is lowered exactly, up to a global phase,
to GPI/GPI2 and the backend's entangler (MS on Aria and the simulator, ZZ on Forte); a native
circuit is published as it was sent.

Three hooks use this module: the worker stores :func:`dry_run_results` when a dry run ends,
:func:`output_block` is the job record's ``output`` and :meth:`Service.artifact` serves
:data:`COMPILED_ARTIFACT`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ionq_direct.lowering import ms_gates, turns_in_range, wrap_turns, zz_angle
from ionq_direct.payload import MULTI_CIRCUIT
from ionq_emulator import catalog
from ionq_emulator.store import JobRow

__all__ = [
    "COMPILED_ARTIFACT",
    "COMPILED_FORMAT",
    "COMPILED_KIND",
    "compile_native",
    "dry_run_results",
    "output_block",
]

log = logging.getLogger(__name__)

#: The format id of a native compiled circuit.
COMPILED_FORMAT = "ionq.native.v1"
#: Its artifact id (``GET /jobs/{id}/artifacts/compiled-native``).
COMPILED_ARTIFACT = "compiled-native"
#: The stored result kind holding it.
COMPILED_KIND = "compiled-native"
_TAU = 2 * math.pi


def _entangler(backend: str) -> str:
    """The native two-qubit gate a backend compiles to (MS where the backend takes both)."""
    info = catalog.BACKENDS.get(backend)
    gate = info.native_two_qubit_gate if info is not None else None
    return gate if gate is not None else "ms"


def compile_native(
    circuit: Sequence[Mapping[str, Any]], *, qubits: int, gateset: str, backend: str
) -> dict[str, Any]:
    """``circuit`` as an ``ionq.native.v1`` payload for ``backend``.

    Args:
        circuit: the job's (validated) gate dicts.
        qubits: the circuit's width.
        gateset: ``"qis"`` or ``"native"``.
        backend: the job's backend; its native entangler is used.

    Returns:
        ``{"qubits", "gateset": "native", "circuit"}``, equal to ``circuit`` up to a global phase.
    """
    if gateset == "native":
        return {"qubits": qubits, "gateset": "native", "circuit": [dict(g) for g in circuit]}
    from qiskit import transpile

    from ionq_direct.gates import iter_parsed
    from ionq_emulator.simulation import _Builder

    builder = _Builder(qubits, None)
    for gate in iter_parsed(circuit, gateset="qis", qubits=qubits, max_controls=None):
        builder.add(gate, None)
    entangler = _entangler(backend)
    basis = ["u", "rxx" if entangler == "ms" else "rzz"]
    lowered = transpile(builder.qc, basis_gates=basis, optimization_level=1, seed_transpiler=0)
    gates: list[dict[str, Any]] = []
    for instruction in lowered.data:
        name = instruction.operation.name
        where = [lowered.find_bit(q).index for q in instruction.qubits]
        params = [float(p) for p in instruction.operation.params]
        if name == "u":
            theta, phi, lam = params
            for native, phase in (
                ("gpi2", -lam / _TAU),
                ("gpi", (phi - lam - theta) / (2 * _TAU)),
                ("gpi2", phi / _TAU),
            ):
                gates.append({"gate": native, "target": where[0], "phase": wrap_turns(phase)})
        elif name == "rxx":
            for phi0, phi1, angle in ms_gates(0.0, 0.0, params[0] / _TAU):
                gates.append(
                    {
                        "gate": "ms",
                        "targets": where,
                        "phases": [turns_in_range(phi0), turns_in_range(phi1)],
                        "angle": angle,
                    }
                )
        elif name == "rzz":
            gates.append({"gate": "zz", "targets": where, "angle": zz_angle(params[0] / _TAU)})
        elif name != "barrier":  # pragma: no cover - the basis above is all transpile emits
            raise RuntimeError(f"compilation left a {name!r} gate")
    return {"qubits": qubits, "gateset": "native", "circuit": gates}


def _is_program(row: JobRow) -> bool:
    """Whether ``row`` runs an OpenQASM 3 program (an ``ionq.qasm3.v1`` job)."""
    return row.spec.get("program") is not None


def dry_run_results(row: JobRow) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """The stored results of a finished dry run, or the failure that ended it.

    Returns:
        ``({COMPILED_KIND: payload}, None)`` for a single-circuit job; ``(None, None)`` for a
        multi-circuit parent (its children carry the compiled circuits); ``(None, (code,
        message))`` if compiling failed. An OpenQASM 3 job's dry run publishes no compiled
        circuit (``(None, None)``): the compiler here takes JSON circuits only.
    """
    if row.type == MULTI_CIRCUIT or _is_program(row):
        return None, None
    spec = row.spec
    try:
        compiled = compile_native(
            spec["circuit"], qubits=spec["qubits"], gateset=spec["gateset"], backend=row.backend
        )
    except Exception as exc:
        log.exception("compiling dry run %s failed", row.id)
        return None, ("CompilationError", f"the circuit could not be compiled: {exc}")
    return {COMPILED_KIND: compiled}, None


def output_block(row: JobRow) -> dict[str, Any]:
    """The job record's ``output``: the compiled circuits of a completed dry run, else ``{}``."""
    if row.status != "completed" or not row.record.get("dry_run") or row.type == MULTI_CIRCUIT:
        return {}
    if _is_program(row):
        return {}
    descriptor = {
        "id": COMPILED_ARTIFACT,
        "format": COMPILED_FORMAT,
        "media_type": "application/json",
    }
    return {"compilation": {"compiled_circuits": {COMPILED_FORMAT: descriptor}}}
