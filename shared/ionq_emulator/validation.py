"""Check a ``POST /jobs`` body the way the cloud does and turn it into an execution plan.

Malformed input raises :class:`ApiError` (an IonQ 400 naming the offending key). Input the cloud
accepts but cannot run (too wide, too many controls, a native gate the QPU lacks) is not an error
here: it is recorded on the plan as a deferred failure, and the job later ends ``failed`` with
IonQ's failure code, as on the cloud.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ionq_direct.errors import GateError
from ionq_direct.gates import GATESETS, count_gates, iter_parsed
from ionq_direct.limits import (
    MAX_CIRCUITS_PER_JOB,
    MAX_CONTROLS,
    MAX_GATES_PER_JOB,
    MAX_SHOTS,
    MIN_DEBIASING_SHOTS,
)
from ionq_direct.payload import MULTI_CIRCUIT, QASM3, SINGLE_CIRCUIT
from ionq_emulator import catalog
from ionq_emulator.catalog import is_qpu
from ionq_emulator.errors import ApiError, bad_request

JOB_TYPES = (SINGLE_CIRCUIT, MULTI_CIRCUIT, QASM3)
DEFAULT_SHOTS = 100
_NAME_RE = re.compile(r"^[A-Za-z0-9 _-]*$")
# "lang" is v0.3's format field; cirq-ionq still sends "lang": "json" and the live service takes
# it, so it is accepted and ignored.
_TOP_KEYS = frozenset(
    {"type", "backend", "input", "name", "metadata", "shots", "session_id", "settings"}
    | {"dry_run", "noise", "lang"}
)
_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class CircuitPlan:
    """One circuit to run: the gates, its width and what the cloud would say about it.

    Attributes:
        circuit: the gate dicts as submitted.
        qubits: register width (result keys span it).
        gateset: ``qis`` or ``native``.
        name: the circuit's name (a multi-circuit child's job name).
        one_qubit: one-qubit gate count.
        two_qubit: multi-qubit gate count.
        failure: ``(code, message)`` when the job must fail instead of running.
        program: the OpenQASM 3 source of an ``ionq.qasm3.v1`` job (``circuit`` is empty).
        registers: the program's classical registers, ``(name, size)`` in order.
    """

    circuit: list[dict[str, Any]]
    qubits: int
    gateset: str
    name: str | None
    one_qubit: int
    two_qubit: int
    failure: tuple[str, str] | None = None
    program: str | None = None
    registers: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class JobPlan:
    """A validated job submission.

    Attributes:
        type: the job type.
        backend: the target backend.
        name: the job name, or ``None``.
        metadata: string-to-string metadata, or ``None``.
        shots: shots per circuit.
        session_id: the session to join, or ``None``.
        settings: the settings echoed on the job object.
        dry_run: compile only, no results.
        noise: ``{"model", "seed"?}`` for simulator jobs, else ``None``.
        circuits: one plan per circuit (one for ``ionq.circuit.v1``).
    """

    type: str
    backend: str
    name: str | None
    metadata: dict[str, str] | None
    shots: int
    session_id: str | None
    settings: dict[str, Any]
    dry_run: bool
    noise: dict[str, Any] | None
    circuits: list[CircuitPlan] = field(default_factory=list)

    @property
    def is_multi(self) -> bool:
        """Whether this is a multi-circuit (parent + children) job."""
        return self.type == MULTI_CIRCUIT

    @property
    def noise_model(self) -> str:
        """The noise model the circuits run with (the QPU's own model for QPU backends)."""
        if self.noise is not None:
            return str(self.noise["model"])
        return catalog.BACKENDS[self.backend].noise_model


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_object(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise bad_request(key, f'"{key}" must be an object.')
    return value


def _check_unknown(obj: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for k in obj:
        if k not in allowed:
            key = f"{prefix}.{k}" if prefix else str(k)
            raise bad_request(key, f'"{key}" is not allowed.')


def _check_bool(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise bad_request(key, f'"{key}" must be a boolean.')
    return value


def _width_limit(backend: str, noise_model: str) -> int:
    """The widest circuit ``backend`` (with ``noise_model`` on the simulator) can run."""
    info = catalog.BACKENDS[backend]
    if info.is_qpu:
        return int(info.qubits)
    return min(int(info.qubits), int(catalog.NOISE_MODELS[noise_model].max_qubits))


def _plan_circuit(
    raw: Mapping[str, Any],
    *,
    gateset: str,
    qubits: int | None,
    name: str | None,
    path: str,
    backend: str,
    noise_model: str,
) -> CircuitPlan:
    circuit = raw.get("circuit")
    if not isinstance(circuit, list):
        raise bad_request(path, f'"{path}" must be a list of gates.')
    try:
        parsed = iter_parsed(circuit, gateset=gateset, qubits=qubits, max_controls=None, path=path)
    except GateError as exc:
        raise bad_request(exc.key, str(exc)) from None
    counts = count_gates(parsed)
    width = max(qubits if qubits is not None else counts.width, 1)
    failure: tuple[str, str] | None = None
    limit = _width_limit(backend, noise_model)
    too_many = [i for i, g in enumerate(parsed) if len(g.controls) > MAX_CONTROLS]
    if too_many:
        failure = (
            "TooManyControls",
            f"{path}[{too_many[0]}] has {len(parsed[too_many[0]].controls)} controls; "
            f"at most {MAX_CONTROLS} are supported.",
        )
    elif width > limit:
        failure = (
            "NotEnoughQubits",
            f"The circuit needs {width} qubits but {backend} supports at most {limit}.",
        )
    elif gateset == "native" and is_qpu(backend):
        native_2q = catalog.BACKENDS[backend].native_two_qubit_gate
        bad = sorted({g.spec.name for g in parsed if g.spec.name in ("ms", "zz")} - {native_2q})
        if bad:
            failure = (
                "UnsupportedGate",
                f"Gate types [{', '.join(bad)}] are not supported by this backend",
            )
    return CircuitPlan(
        circuit=[dict(g) for g in circuit],
        qubits=width,
        gateset=gateset,
        name=name,
        one_qubit=counts.one_qubit,
        two_qubit=counts.two_qubit,
        failure=failure,
    )


def _check_gateset(value: object, key: str) -> str:
    if value not in GATESETS:
        raise bad_request(key, f'"{key}" must be one of: qis, native.')
    return str(value)


def _check_qubits(value: object, key: str) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or not 1 <= int(str(value)) <= _INT32_MAX:
        raise bad_request(key, f'"{key}" must be a positive integer.')
    return int(str(value))


def _circuits(
    body: Mapping[str, Any], job_type: str, backend: str, noise_model: str
) -> list[CircuitPlan]:
    inp = _check_object(body.get("input"), "input")
    gateset = _check_gateset(inp.get("gateset"), "input.gateset")
    qubits = _check_qubits(inp.get("qubits"), "input.qubits")
    plan = functools.partial(_plan_circuit, backend=backend, noise_model=noise_model)
    if job_type == SINGLE_CIRCUIT:
        _check_unknown(inp, frozenset({"qubits", "circuit", "gateset"}), "input")
        if "circuit" not in inp:
            raise bad_request("input.circuit", '"input.circuit" is required.')
        return [plan(inp, gateset=gateset, qubits=qubits, name=None, path="input.circuit")]
    _check_unknown(inp, frozenset({"qubits", "circuits", "gateset"}), "input")
    raw_circuits = inp.get("circuits")
    if not isinstance(raw_circuits, list) or not raw_circuits:
        raise bad_request("input.circuits", '"input.circuits" must be a non-empty list.')
    if len(raw_circuits) > MAX_CIRCUITS_PER_JOB:
        raise bad_request(
            "input.circuits",
            f"A multi-circuit job may contain at most {MAX_CIRCUITS_PER_JOB} circuits.",
        )
    plans: list[CircuitPlan] = []
    for i, raw in enumerate(raw_circuits):
        where = f"input.circuits[{i}]"
        entry = _check_object(raw, where)
        _check_unknown(
            entry, frozenset({"circuit", "name", "qubits", "registers", "gateset"}), where
        )
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise bad_request(f"{where}.name", f'"{where}.name" must be a string.')
        own_gateset = gateset
        if "gateset" in entry:
            own_gateset = _check_gateset(entry["gateset"], f"{where}.gateset")
        own_qubits = _check_qubits(entry.get("qubits"), f"{where}.qubits")
        own_qubits = qubits if own_qubits is None else own_qubits
        path = f"{where}.circuit"
        plans.append(plan(entry, gateset=own_gateset, qubits=own_qubits, name=name, path=path))
    total = sum(len(p.circuit) for p in plans)
    if total > MAX_GATES_PER_JOB:
        raise bad_request(
            "input.circuits",
            f"A multi-circuit job may contain at most {MAX_GATES_PER_JOB} gates in total "
            f"(got {total}).",
        )
    return plans


def _program(body: Mapping[str, Any], backend: str, noise_model: str) -> list[CircuitPlan]:
    """The one plan of an ``ionq.qasm3.v1`` job: its program, preflighted (see ``qasm3``)."""
    from ionq_emulator.qasm3 import preflight

    inp = _check_object(body.get("input"), "input")
    # IonQ's schema allows only ``data``; qiskit-ionq also sends ``qubits``, which the live
    # service accepts, so it is checked and otherwise ignored.
    data = inp.get("data")
    if not isinstance(data, str) or not data.strip():
        raise bad_request("input.data", '"input.data" must be an OpenQASM 3 program (a string).')
    _check_unknown(inp, frozenset({"data", "qubits"}), "input")
    _check_qubits(inp.get("qubits"), "input.qubits")
    target = backend if is_qpu(backend) else f"the {noise_model} simulator"
    checked = preflight(data, max_qubits=_width_limit(backend, noise_model), target=target)
    return [
        CircuitPlan(
            circuit=[],
            qubits=checked.qubits,
            gateset="qis",
            name=None,
            one_qubit=checked.one_qubit,
            two_qubit=checked.two_qubit,
            failure=checked.failure,
            program=data,
            registers=checked.registers,
        )
    ]


def _noise(body: Mapping[str, Any], backend: str) -> dict[str, Any] | None:
    raw = body.get("noise")
    if raw is None:
        return {"model": "ideal"} if not is_qpu(backend) else None
    noise = _check_object(raw, "noise")
    _check_unknown(noise, frozenset({"model", "seed"}), "noise")
    model = noise.get("model")
    if not isinstance(model, str) or model not in catalog.NOISE_MODELS:
        names = ", ".join(catalog.NOISE_MODELS)
        raise bad_request("noise.model", f'"noise.model" must be one of: {names}.')
    result: dict[str, Any] = {"model": model}
    if "seed" in noise and noise["seed"] is not None:
        seed = noise["seed"]
        if not _is_int(seed) or not -(2**31) <= seed <= _INT32_MAX:
            raise bad_request("noise.seed", '"noise.seed" must be a 32-bit integer.')
        result["seed"] = seed
    return None if is_qpu(backend) else result


def _settings(
    body: Mapping[str, Any], backend: str, shots: int, gatesets: set[str]
) -> dict[str, Any]:
    raw = body.get("settings")
    settings = _check_object(raw, "settings") if raw is not None else {}
    _check_unknown(settings, frozenset({"error_mitigation", "compilation"}), "settings")
    mitigation = _check_object(settings.get("error_mitigation") or {}, "settings.error_mitigation")
    _check_unknown(
        mitigation, frozenset({"debiasing", "symmetry_verification"}), "settings.error_mitigation"
    )
    compilation = _check_object(settings.get("compilation") or {}, "settings.compilation")
    _check_unknown(
        compilation,
        frozenset({"opt", "precision", "gate_basis", "service_version"}),
        "settings.compilation",
    )
    if "opt" in compilation and not (
        isinstance(compilation["opt"], (int, float))
        and not isinstance(compilation["opt"], bool)
        and math.isfinite(compilation["opt"])
    ):
        raise bad_request(
            "settings.compilation.opt", '"settings.compilation.opt" must be a number.'
        )
    for key in ("precision", "gate_basis", "service_version"):
        if key in compilation and not isinstance(compilation[key], str):
            raise bad_request(
                f"settings.compilation.{key}", f'"settings.compilation.{key}" must be a string.'
            )
    echoed: dict[str, Any] = {"compilation": dict(compilation)}
    debias_key = "settings.error_mitigation.debiasing"
    debiasing: bool | None = None
    if "debiasing" in mitigation:
        debiasing = _check_bool(mitigation["debiasing"], debias_key)
        if debiasing and shots < MIN_DEBIASING_SHOTS:
            raise bad_request(
                debias_key,
                f"To turn on debiasing, you must request at least {MIN_DEBIASING_SHOTS} shots.",
            )
    if "symmetry_verification" in mitigation:
        _check_bool(
            mitigation["symmetry_verification"], "settings.error_mitigation.symmetry_verification"
        )
    if is_qpu(backend):
        if debiasing is None:
            debiasing = shots >= MIN_DEBIASING_SHOTS and gatesets == {"qis"}
        em: dict[str, Any] = {"debiasing": debiasing}
        if "symmetry_verification" in mitigation:
            em["symmetry_verification"] = mitigation["symmetry_verification"]
        echoed["error_mitigation"] = em
    return echoed


def _metadata(body: Mapping[str, Any]) -> dict[str, str] | None:
    raw = body.get("metadata")
    if raw is None:
        return None
    metadata = _check_object(raw, "metadata")
    for k, v in metadata.items():
        if not isinstance(v, str):
            raise bad_request(f"metadata.{k}", f'"metadata.{k}" must be a string.')
    return {str(k): str(v) for k, v in metadata.items()}


def validate_job(body: object) -> JobPlan:
    """Validate a decoded ``POST /jobs`` body.

    Raises:
        ApiError: a 400 naming the first offending key.
    """
    obj = _check_object(body, "body") if isinstance(body, Mapping) else None
    if obj is None:
        raise ApiError(400, "The request body must be a JSON object.", keys=[])
    job_type = obj.get("type")
    if job_type is None:
        raise bad_request("type", '"type" is required.')
    if job_type not in JOB_TYPES:
        raise bad_request("type", f'"type" must be one of: {", ".join(JOB_TYPES)}.')
    _check_unknown(obj, _TOP_KEYS, "")
    backend = obj.get("backend")
    if not isinstance(backend, str) or backend not in catalog.BACKENDS:
        raise bad_request(
            "backend", f'"backend" must be one of: {", ".join(sorted(catalog.BACKENDS))}.'
        )
    if "input" not in obj:
        raise bad_request("input", '"input" is required.')
    shots = obj.get("shots", DEFAULT_SHOTS)
    if isinstance(shots, str) and shots.isascii() and shots.isdigit():
        # The service's validator converts numeric strings, as cirq-ionq sends ("shots": "1000").
        shots = int(shots)
    if not _is_int(shots) or not 1 <= shots <= MAX_SHOTS:
        raise bad_request("shots", f'"shots" must be an integer from 1 to {MAX_SHOTS}.')
    name = obj.get("name")
    if name is not None and (not isinstance(name, str) or not _NAME_RE.match(name)):
        raise bad_request(
            "name", '"name" may contain only letters, digits, spaces, hyphens and underscores.'
        )
    session_id = obj.get("session_id")
    if session_id is not None and not isinstance(session_id, str):
        raise bad_request("session_id", '"session_id" must be a string.')
    dry_run = obj.get("dry_run", False)
    if dry_run is None:
        dry_run = False
    _check_bool(dry_run, "dry_run")
    metadata = _metadata(obj)
    noise = _noise(obj, backend)
    noise_model = noise["model"] if noise else catalog.BACKENDS[backend].noise_model
    if job_type == QASM3:
        circuits = _program(obj, backend, str(noise_model))
    else:
        circuits = _circuits(obj, str(job_type), backend, str(noise_model))
    settings = _settings(obj, backend, shots, {c.gateset for c in circuits})
    return JobPlan(
        type=str(job_type),
        backend=backend,
        name=name,
        metadata=metadata,
        shots=shots,
        session_id=session_id,
        settings=settings,
        dry_run=bool(dry_run),
        noise=noise,
        circuits=circuits,
    )
