"""The core circuit: IonQ JSON gates, a register width and what is needed to read results back.

Users build a :class:`Circuit` from gate dicts, translators (Qiskit, Cirq) through a
:class:`CircuitBuilder`; the payload builder turns circuits into job bodies. A circuit is
validated once, when it is constructed (or, through a builder, as its gates are appended), so
everything downstream may trust it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ionq_direct.errors import InvalidInputError
from ionq_direct.gates import GATESETS, validate_circuit

#: Measurement-map entry for a classical bit that no measurement writes: it always reads 0.
UNMEASURED = -1

__all__ = ["UNMEASURED", "Circuit", "CircuitBuilder", "check_metadata", "check_name"]

_NAME_CHARS = re.compile(r"[A-Za-z0-9 _-]*")
_BAD_NAME_CHAR = re.compile(r"[^A-Za-z0-9 _-]")


def check_name(name: object, what: str = "name") -> str:
    """Check a job or circuit name against IonQ's charset ``[A-Za-z0-9 _-]``.

    Raises:
        InvalidInputError: naming the first bad character.
    """
    if not isinstance(name, str):
        raise InvalidInputError(f"{what} must be a string, got {type(name).__name__}")
    if not _NAME_CHARS.fullmatch(name):
        bad = _BAD_NAME_CHAR.search(name)
        char = bad.group() if bad else "?"
        position = bad.start() if bad else -1
        raise InvalidInputError(
            f"{what} {name!r} contains {char!r} at position {position}; IonQ allows only "
            "letters, digits, spaces, '-' and '_' (e.g. replace it with '_')"
        )
    return name


def check_metadata(metadata: object, what: str = "metadata") -> dict[str, str]:
    """Check that ``metadata`` maps strings to strings and return a plain copy.

    Raises:
        InvalidInputError: naming the offending key.
    """
    if not isinstance(metadata, Mapping):
        raise InvalidInputError(
            f"{what} must be a mapping of strings to strings, got {type(metadata).__name__}"
        )
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise InvalidInputError(
                f"{what} key {key!r} is a {type(key).__name__}; keys must be strings"
            )
        if not isinstance(value, str):
            raise InvalidInputError(
                f"{what}[{key!r}] is a {type(value).__name__}; IonQ stores only string values "
                f"(convert it, e.g. str(value) or json.dumps(value))"
            )
    return dict(metadata)


def _is_index(value: object) -> bool:
    # NumPy integers too, as gate indices accept them; callers store int(value).
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


class Circuit:
    """An IonQ JSON circuit plus what results need to be read back. Validated once, at construction.

    Attributes:
        gates: the IonQ JSON gate dicts, in order.
        qubits: the register width; every gate index is below it.
        gateset: ``"qis"`` or ``"native"``.
        measurement_map: classical bit ``i`` reads qubit ``measurement_map[i]``, or always reads 0
            when the entry is :data:`UNMEASURED` (``-1``).
        registers: the classical register layout, in order; register ``r`` owns the next ``size``
            classical bits.
        name: the circuit's name, or ``None``.
        metadata: extra string entries the adapter wants stored with the job.
        one_qubit_gates: gates touching one qubit.
        two_qubit_gates: gates touching two or more qubits (targets plus controls).
    """

    __slots__ = (
        "gates",
        "gateset",
        "measurement_map",
        "metadata",
        "name",
        "one_qubit_gates",
        "qubits",
        "registers",
        "two_qubit_gates",
    )

    def __init__(
        self,
        gates: list[dict[str, Any]],
        qubits: int,
        *,
        gateset: str = "qis",
        measurement_map: Sequence[int] = (),
        registers: Sequence[tuple[str, int]] = (),
        name: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        if not _is_index(qubits) or qubits < 1:
            raise InvalidInputError(f"qubits must be an integer >= 1, got {qubits!r}")
        if gateset not in GATESETS:
            raise InvalidInputError(f"gateset must be 'qis' or 'native', got {gateset!r}")
        if not isinstance(gates, (list, tuple)):
            raise InvalidInputError(
                f"gates must be a list of IonQ gate dicts, got {type(gates).__name__}"
            )
        gates = list(gates)
        qubits = int(qubits)
        counts = validate_circuit(gates, gateset=gateset, qubits=qubits, path="circuit")
        self.gates: list[dict[str, Any]] = gates
        self.qubits: int = qubits
        self.gateset: str = gateset
        self.one_qubit_gates: int = counts.one_qubit
        self.two_qubit_gates: int = counts.two_qubit
        self.measurement_map: tuple[int, ...] = _check_measurement_map(measurement_map, qubits)
        self.registers: tuple[tuple[str, int], ...] = _check_registers(
            registers, len(self.measurement_map)
        )
        self.name: str | None = None if name is None else check_name(name, "circuit name")
        self.metadata: dict[str, str] = (
            {} if metadata is None else check_metadata(metadata, "circuit metadata")
        )

    @property
    def num_gates(self) -> int:
        """The number of gates in the circuit."""
        return len(self.gates)

    def to_input(self) -> dict[str, Any]:
        """The ``input`` object of an ``ionq.circuit.v1`` job."""
        return {"qubits": self.qubits, "gateset": self.gateset, "circuit": self.gates}

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name is not None else ""
        return (
            f"<Circuit{label} qubits={self.qubits} gateset={self.gateset} "
            f"gates={len(self.gates)} clbits={len(self.measurement_map)}>"
        )


class CircuitBuilder:
    """Collects the IonQ gates a translator writes and finishes them into a :class:`Circuit`.

    A translator reaches every gate once, so the builder validates each gate at most once, and
    finishes without validating the circuit again. Gates reach it two ways:

    * **Checked**: :meth:`add_checked` validates a batch of gate dicts against the gate table as
      it appends them (build them with :func:`ionq_direct.lowering.gate_dict`), raising
      ``GateError`` naming the first bad one. For everything but a translator's hottest paths.
    * **By construction**: a translator may append to :attr:`gates` directly the gates it writes
      valid by construction: the shape its gateset's table gives the gate, distinct indices
      from its own qubit index, finite parameters in range (see :mod:`ionq_direct.lowering`),
      at most ``MAX_CONTROLS`` controls. Its tests prove the promise on random circuits by
      comparing the finished circuit with a fully validated one.

    The translator counts the one-qubit gates it appends directly (checked batches report
    theirs) and passes the total, with the measurement layout, to :meth:`finish`.

    Args:
        gateset: ``"qis"`` or ``"native"``.

    Attributes:
        gates: the gate dicts so far, in order; the finished circuit takes this list.
        gateset: the gateset every gate belongs to.
    """

    __slots__ = ("gates", "gateset")

    def __init__(self, gateset: str = "qis") -> None:
        if gateset not in GATESETS:
            raise InvalidInputError(f"gateset must be 'qis' or 'native', got {gateset!r}")
        self.gates: list[dict[str, Any]] = []
        self.gateset: str = gateset

    def add_checked(self, batch: Sequence[dict[str, Any]]) -> int:
        """Validate gate dicts (indices without an upper bound yet), append them, count them.

        Returns:
            How many of the gates touch a single qubit.

        Raises:
            GateError: for the first bad gate, naming it ``gate[<position in batch>]``; nothing
                is appended then.
        """
        counts = validate_circuit(batch, gateset=self.gateset, qubits=None, path="gate")
        self.gates.extend(batch)
        return counts.one_qubit

    def finish(
        self,
        qubits: int,
        *,
        one_qubit_gates: int,
        measurement_map: tuple[int, ...] = (),
        registers: tuple[tuple[str, int], ...] = (),
        name: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> Circuit:
        """The circuit of the gates so far, built without validating again.

        The caller vouches for what :class:`Circuit` would check: ``qubits`` is an int above
        every gate index, ``one_qubit_gates`` counts the gates touching one qubit, the
        measurement map holds qubit indices below ``qubits`` (or ``UNMEASURED``), the registers
        have distinct names and sizes adding up to its length, the name passed
        :func:`check_name` and the metadata maps strings to strings. The circuit takes the gate
        list and the metadata dict (no copies); the builder starts over with no gates.
        """
        gates = self.gates
        self.gates = []
        circuit = Circuit.__new__(Circuit)
        circuit.gates = gates
        circuit.qubits = qubits
        circuit.gateset = self.gateset
        circuit.one_qubit_gates = one_qubit_gates
        circuit.two_qubit_gates = len(gates) - one_qubit_gates
        circuit.measurement_map = measurement_map
        circuit.registers = registers
        circuit.name = name
        circuit.metadata = {} if metadata is None else metadata
        return circuit


def _check_measurement_map(measurement_map: Sequence[int], qubits: int) -> tuple[int, ...]:
    if isinstance(measurement_map, np.ndarray) and measurement_map.ndim == 1:
        measurement_map = list(measurement_map)
    if isinstance(measurement_map, (str, bytes)) or not isinstance(measurement_map, Sequence):
        raise InvalidInputError(
            f"measurement_map must be a sequence of qubit indices, got {measurement_map!r}"
        )
    for clbit, qubit in enumerate(measurement_map):
        if not _is_index(qubit) or not UNMEASURED <= qubit < qubits:
            raise InvalidInputError(
                f"measurement_map[{clbit}] = {qubit!r} is not a qubit index in 0..{qubits - 1} "
                f"(or {UNMEASURED} for a classical bit no measurement writes)"
            )
    return tuple([int(qubit) for qubit in measurement_map])


def _check_registers(
    registers: Sequence[tuple[str, int]], clbits: int
) -> tuple[tuple[str, int], ...]:
    checked: list[tuple[str, int]] = []
    for position, entry in enumerate(registers):
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise InvalidInputError(
                f"registers[{position}] must be a (name, size) pair, got {entry!r}"
            )
        reg_name, size = entry
        if not isinstance(reg_name, str):
            raise InvalidInputError(
                f"registers[{position}] name must be a string, got {reg_name!r}"
            )
        if not _is_index(size) or size < 0:
            raise InvalidInputError(
                f"register {reg_name!r} size must be an integer >= 0, got {size!r}"
            )
        if any(reg_name == seen for seen, _ in checked):
            raise InvalidInputError(f"register name {reg_name!r} appears twice in registers")
        checked.append((reg_name, int(size)))
    total = sum(size for _, size in checked)
    if total != clbits:
        raise InvalidInputError(
            f"registers cover {total} classical bit(s) but measurement_map has {clbits}; "
            "the register sizes must add up to the number of measured bits"
        )
    return tuple(checked)
