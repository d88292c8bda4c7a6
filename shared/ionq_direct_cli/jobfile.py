"""Reading job files (``POST /jobs`` bodies) and circuit files, from a path or ``-`` (stdin).

A *job file* is a whole request body: ``{"type", "backend", "shots", "input": {...}}``. A *circuit
file* is only its ``input``: ``{"qubits", "gateset", "circuit": [...]}`` (one circuit) or
``{"circuits": [...]}`` (several). :func:`job_shape` reads either one into what
``GET /jobs/estimate`` asks for. A *program file* is OpenQASM 3 source (``.qasm``/``.qasm3``,
or standard input that starts with ``OPENQASM``), submitted as an ``ionq.qasm3.v1`` job.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ionq_direct.gates import validate_circuit
from ionq_direct_cli.exit_codes import USAGE, CommandError

__all__ = [
    "JobShape",
    "is_program",
    "job_shape",
    "parse_json_object",
    "read_json_object",
    "read_text",
]

#: The file name that means "read standard input".
STDIN_NAME = "-"
_SINGLE = "ionq.circuit.v1"
_MULTI = "ionq.multi-circuit.v1"
#: File suffixes read as OpenQASM 3 programs.
PROGRAM_SUFFIXES = (".qasm", ".qasm3")


def _shown(name: str) -> str:
    return "standard input" if name == STDIN_NAME else name


def read_text(name: str, stdin: TextIO, what: str = "job file") -> str:
    """The text of file ``name`` (``-``: standard input).

    Raises:
        CommandError: the file cannot be read (or is not UTF-8).
    """
    try:
        return stdin.read() if name == STDIN_NAME else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {what} {_shown(name)}: {exc}", USAGE) from None


def is_program(name: str, text: str) -> bool:
    """Whether file ``name`` holding ``text`` is an OpenQASM 3 program, not a JSON job.

    A ``.qasm``/``.qasm3`` file is; standard input is when it starts with ``OPENQASM``.
    """
    if name == STDIN_NAME:
        return text.lstrip().startswith("OPENQASM")
    return Path(name).suffix.lower() in PROGRAM_SUFFIXES


def read_json_object(name: str, stdin: TextIO, what: str = "job file") -> dict[str, Any]:
    """The JSON object in file ``name`` (``-``: standard input).

    Raises:
        CommandError: the file cannot be read, is not JSON, or holds something else than an object.
    """
    return parse_json_object(read_text(name, stdin, what), name, what)


def parse_json_object(text: str, name: str, what: str = "job file") -> dict[str, Any]:
    """The JSON object ``text`` (read from file ``name``) holds.

    Raises:
        CommandError: ``text`` is not JSON, or holds something else than an object.
    """
    shown = _shown(name)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"cannot read {what} {shown}: {exc}", USAGE) from None
    if not isinstance(value, dict):
        raise CommandError(f"{shown} must hold a JSON object, not {type(value).__name__}", USAGE)
    return value


@dataclass(frozen=True)
class JobShape:
    """What the service prices a job by (the query of ``GET /jobs/estimate``)."""

    backend: str
    type: str
    qubits: int
    shots: int
    one_qubit_gates: int
    two_qubit_gates: int


def _entries(data: Mapping[str, Any]) -> tuple[str, list[Mapping[str, Any]], str, int | None]:
    """``(job type, circuits, gateset, declared qubits)`` of a job's ``input`` object."""
    gateset = str(data.get("gateset") or "qis")
    qubits = data.get("qubits")
    declared = qubits if isinstance(qubits, int) and not isinstance(qubits, bool) else None
    if isinstance(data.get("circuits"), list):
        entries = [c if isinstance(c, Mapping) else {} for c in data["circuits"]]
        return _MULTI, entries, gateset, declared
    if "circuit" in data:
        return _SINGLE, [data], gateset, declared
    raise CommandError(
        'expected a job file (with "input") or a circuit file (with "circuit" or "circuits")',
        USAGE,
    )


def job_shape(
    data: Mapping[str, Any], *, backend: str | None, shots: int | None, default_shots: int
) -> JobShape:
    """The estimate query for a job file or circuit file; ``backend``/``shots`` override the file.

    Raises:
        CommandError: no backend anywhere, or the file is neither a job nor a circuit file.
        GateError: a gate is malformed (the message names it).
    """
    is_job = isinstance(data.get("input"), Mapping)
    body = data["input"] if is_job else data
    kind, circuits, gateset, declared = _entries(body)
    one = two = width = 0
    for index, entry in enumerate(circuits):
        path = "input.circuit" if kind == _SINGLE else f"input.circuits[{index}].circuit"
        counts = validate_circuit(
            entry.get("circuit", []),
            gateset=str(entry.get("gateset") or gateset),
            qubits=None,
            path=path,
        )
        one += counts.one_qubit
        two += counts.two_qubit
        entry_qubits = entry.get("qubits")
        width = max(width, entry_qubits if isinstance(entry_qubits, int) else counts.width)
    chosen = backend or (data.get("backend") if is_job else None)
    if not isinstance(chosen, str) or not chosen:
        raise CommandError("a circuit file names no backend: pass --backend", USAGE)
    file_shots = data.get("shots") if is_job else None
    return JobShape(
        backend=chosen,
        type=str(data.get("type") or kind) if is_job else kind,
        qubits=max(declared or 0, width, 1),
        shots=shots or (file_shots if isinstance(file_shots, int) else default_shots),
        one_qubit_gates=one,
        two_qubit_gates=two,
    )
