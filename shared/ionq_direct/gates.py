"""The IonQ gate table: the single source of gate names, arities, parameters, units and unitaries.

IonQ's v1 JSON circuit format has two gatesets. ``qis`` gates take angles in radians and may carry
controls; ``native`` gates (gpi, gpi2, ms, zz) take phases and angles in turns (1 turn = 2*pi).
Validation, gate counting, the translators' tests and the emulator all read this table.

Matrix convention: a gate's matrix acts on its targets with ``targets[0]`` as the *left* (most
significant) tensor factor, as IonQ documents them. Result keys are a different matter: there,
qubit 0 is the least significant bit (see :mod:`ionq_direct.results`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct.errors import GateError
from ionq_direct.limits import MAX_CONTROLS

Matrix = NDArray[np.complex128]
Params = Mapping[str, Any]

GATESETS = ("qis", "native")
_PAULI_LETTERS = frozenset("IXYZ")


@dataclass(frozen=True)
class GateSpec:
    """One IonQ gate: its name, gateset, arity, parameters, their ranges and its unitary.

    Attributes:
        name: the JSON ``gate`` value.
        gateset: ``"qis"`` or ``"native"``.
        num_targets: number of target qubits, or ``None`` when variable (``pauliexp``).
        params: names of the required numeric JSON fields.
        unit: ``"radians"``, ``"turns"`` or ``None`` for parameterless gates.
        controllable: whether ``control``/``controls`` may be given.
        needs_control: whether at least one control is required (``cnot``).
        matrix: builds the unitary on the targets from the gate's parameters.
        ranges: the closed interval each numeric parameter lies in (each entry of a per-target
            list); ``(-inf, inf)`` means any finite number. Empty for ``pauliexp``, whose
            fields are checked by their own rules.
        per_target: parameters given as a list with one number per target (``ms`` ``phases``).
        defaults: optional parameters and the value they take when absent (``ms`` ``angle``).
        aliases: another JSON name accepted for a parameter when it is absent (native ``zz``
            takes cirq-ionq's ``phase`` for ``angle``).
    """

    name: str
    gateset: str
    num_targets: int | None
    params: tuple[str, ...]
    unit: str | None
    controllable: bool
    needs_control: bool
    matrix: Callable[[Params], Matrix]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    per_target: frozenset[str] = frozenset()
    defaults: Mapping[str, float] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GateCounts:
    """What validation learned about a circuit.

    Attributes:
        one_qubit: gates touching one qubit.
        two_qubit: gates touching two or more qubits (targets plus controls).
        width: one more than the highest qubit index used (0 for an empty circuit).
    """

    one_qubit: int
    two_qubit: int
    width: int


@dataclass(frozen=True)
class ParsedGate:
    """A validated gate dict in normalised form: its spec, targets, controls and parameters."""

    spec: GateSpec
    targets: tuple[int, ...]
    controls: tuple[int, ...]
    params: Mapping[str, Any]

    def unitary(self) -> Matrix:
        """The gate's matrix on its targets (controls not included)."""
        return self.spec.matrix(self.params)


# ---------------------------------------------------------------------------------------------
# Matrices


def _const(matrix: Any) -> Callable[[Params], Matrix]:
    fixed = np.array(matrix, dtype=np.complex128)
    fixed.setflags(write=False)
    return lambda _params: fixed


_I2 = np.eye(2, dtype=np.complex128)
_X = np.array([[0, 1], [1, 0]], dtype=np.complex128)
_Y = np.array([[0, -1j], [1j, 0]], dtype=np.complex128)
_Z = np.array([[1, 0], [0, -1]], dtype=np.complex128)
_PAULI = {"I": _I2, "X": _X, "Y": _Y, "Z": _Z}
_SQRT_HALF = 1 / math.sqrt(2)
_TAU = 2 * math.pi
#: The default ``ms`` angle in turns (fully entangling), also the largest IonQ accepts.
MS_MAX_ANGLE = 0.25


def _rotation(pauli: NDArray[Any]) -> Callable[[Params], Matrix]:
    def build(params: Params) -> Matrix:
        theta = float(params["rotation"])
        return (
            math.cos(theta / 2) * np.eye(len(pauli), dtype=np.complex128)
            - 1j * math.sin(theta / 2) * pauli
        )

    return build


def _gpi(params: Params) -> Matrix:
    phi = _TAU * float(params["phase"])
    return np.array([[0, np.exp(-1j * phi)], [np.exp(1j * phi), 0]], dtype=np.complex128)


def _gpi2(params: Params) -> Matrix:
    phi = _TAU * float(params["phase"])
    return _SQRT_HALF * np.array(
        [[1, -1j * np.exp(-1j * phi)], [-1j * np.exp(1j * phi), 1]], dtype=np.complex128
    )


def _ms(params: Params) -> Matrix:
    phi0, phi1 = (float(p) for p in params["phases"])
    theta = float(params.get("angle", MS_MAX_ANGLE))
    c = math.cos(math.pi * theta)
    s = math.sin(math.pi * theta)
    plus = _TAU * (phi0 + phi1)
    minus = _TAU * (phi0 - phi1)
    return np.array(
        [
            [c, 0, 0, -1j * np.exp(-1j * plus) * s],
            [0, c, -1j * np.exp(-1j * minus) * s, 0],
            [0, -1j * np.exp(1j * minus) * s, c, 0],
            [-1j * np.exp(1j * plus) * s, 0, 0, c],
        ],
        dtype=np.complex128,
    )


def _native_zz(params: Params) -> Matrix:
    theta = math.pi * float(params["angle"])
    minus, plus = np.exp(-1j * theta), np.exp(1j * theta)
    return np.diag([minus, plus, plus, minus]).astype(np.complex128)


def pauli_matrix(term: str) -> Matrix:
    """The matrix of a Pauli string; ``term[0]`` is the left (most significant) factor."""
    out: Matrix = np.ones((1, 1), dtype=np.complex128)
    for letter in term:
        out = np.kron(out, _PAULI[letter]).astype(np.complex128)
    return out


def _pauliexp(params: Params) -> Matrix:
    terms: Sequence[str] = params["terms"]
    coefficients: Sequence[float] = params["coefficients"]
    time = float(params["time"])
    dim = 2 ** len(terms[0])
    out = np.eye(dim, dtype=np.complex128)
    for term, coefficient in zip(terms, coefficients, strict=True):
        angle = float(coefficient) * time
        # P squares to the identity, so exp(-i a P) = cos(a) I - i sin(a) P; term 0 acts first.
        step = math.cos(angle) * np.eye(dim, dtype=np.complex128) - 1j * math.sin(
            angle
        ) * pauli_matrix(term)
        out = step @ out
    return out


_S = [[1, 0], [0, 1j]]
_SI = [[1, 0], [0, -1j]]
_T = [[1, 0], [0, np.exp(1j * math.pi / 4)]]
_TI = [[1, 0], [0, np.exp(-1j * math.pi / 4)]]
_V = [[0.5 + 0.5j, 0.5 - 0.5j], [0.5 - 0.5j, 0.5 + 0.5j]]
_VI = [[0.5 - 0.5j, 0.5 + 0.5j], [0.5 + 0.5j, 0.5 - 0.5j]]
_H = [[_SQRT_HALF, _SQRT_HALF], [_SQRT_HALF, -_SQRT_HALF]]
_SWAP = [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]


_ANY = (-math.inf, math.inf)
_TURNS = (-1.0, 1.0)


def _qis(
    name: str,
    matrix: Callable[[Params], Matrix],
    *,
    targets: int | None = 1,
    params: tuple[str, ...] = (),
    needs_control: bool = False,
) -> GateSpec:
    """A qis gate: controllable, parameters (a rotation, if any) in radians."""
    ranges = {"rotation": _ANY} if "rotation" in params else {}
    unit = "radians" if ranges else None
    return GateSpec(name, "qis", targets, params, unit, True, needs_control, matrix, ranges)


def _native(
    name: str,
    matrix: Callable[[Params], Matrix],
    *,
    targets: int,
    params: tuple[str, ...],
    ranges: Mapping[str, tuple[float, float]],
    per_target: frozenset[str] = frozenset(),
    defaults: Mapping[str, float] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> GateSpec:
    """A native gate: never controlled, parameters in turns."""
    spec = GateSpec(name, "native", targets, params, "turns", False, False, matrix, ranges)
    return replace(spec, per_target=per_target, defaults=defaults or {}, aliases=aliases or {})


_QIS_GATES = (
    _qis("x", _const(_X)),
    _qis("not", _const(_X)),
    _qis("y", _const(_Y)),
    _qis("z", _const(_Z)),
    _qis("h", _const(_H)),
    _qis("s", _const(_S)),
    _qis("si", _const(_SI)),
    _qis("t", _const(_T)),
    _qis("ti", _const(_TI)),
    _qis("v", _const(_V)),
    _qis("vi", _const(_VI)),
    _qis("rx", _rotation(_X), params=("rotation",)),
    _qis("ry", _rotation(_Y), params=("rotation",)),
    _qis("rz", _rotation(_Z), params=("rotation",)),
    _qis("cnot", _const(_X), needs_control=True),
    _qis("swap", _const(_SWAP), targets=2),
    _qis("xx", _rotation(np.kron(_X, _X)), targets=2, params=("rotation",)),
    _qis("yy", _rotation(np.kron(_Y, _Y)), targets=2, params=("rotation",)),
    _qis("zz", _rotation(np.kron(_Z, _Z)), targets=2, params=("rotation",)),
    _qis("pauliexp", _pauliexp, targets=None, params=("terms", "coefficients", "time")),
)

_NATIVE_GATES = (
    _native("gpi", _gpi, targets=1, params=("phase",), ranges={"phase": _TURNS}),
    _native("gpi2", _gpi2, targets=1, params=("phase",), ranges={"phase": _TURNS}),
    _native(
        "ms",
        _ms,
        targets=2,
        params=("phases",),
        ranges={"phases": _TURNS, "angle": (0.0, MS_MAX_ANGLE)},
        per_target=frozenset({"phases"}),
        defaults={"angle": MS_MAX_ANGLE},
    ),
    _native(
        "zz",
        _native_zz,
        targets=2,
        params=("angle",),
        ranges={"angle": _TURNS},
        aliases={"angle": "phase"},
    ),
)

#: Every IonQ gate, keyed by ``(gateset, name)``.
GATES: Mapping[tuple[str, str], GateSpec] = {
    (spec.gateset, spec.name): spec for spec in (*_QIS_GATES, *_NATIVE_GATES)
}
#: Gate names of each gateset.
GATE_NAMES: Mapping[str, frozenset[str]] = {
    gateset: frozenset(name for (gs, name) in GATES if gs == gateset) for gateset in GATESETS
}


def gate_spec(gateset: str, name: str) -> GateSpec:
    """The spec of gate ``name`` in ``gateset``; raises ``GateError`` if there is none."""
    spec = GATES.get((gateset, name))
    if spec is None:
        other = "native" if gateset == "qis" else "qis"
        hint = (
            f"; {name!r} is a {other} gate and gatesets cannot be mixed"
            if (other, name) in GATES
            else ""
        )
        raise GateError(f"unknown {gateset} gate {name!r}{hint}", key="gate")
    return spec


# ---------------------------------------------------------------------------------------------
# Validation


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_real(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _indices(gate: Mapping[str, Any], one: str, many: str, where: str) -> tuple[int, ...]:
    single = gate.get(one)
    multiple = gate.get(many)
    if single is not None and multiple is not None:
        raise GateError(f"{where}: give {one!r} or {many!r}, not both", key=f"{where}.{many}")
    if single is not None:
        if not _is_int(single):
            raise GateError(
                f"{where}.{one} must be an integer, got {single!r}", key=f"{where}.{one}"
            )
        return (int(single),)
    if multiple is None:
        return ()
    if not isinstance(multiple, (list, tuple)) or not all(_is_int(q) for q in multiple):
        raise GateError(
            f"{where}.{many} must be a list of integers, got {multiple!r}", key=f"{where}.{many}"
        )
    return tuple(int(q) for q in multiple)


def _as_finite(value: object) -> float | None:
    """``value`` as a finite float, or ``None`` (also for an int too large for a float)."""
    if not _is_real(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _shown(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 1024:
        # Its repr is unreadable, and fails beyond sys.get_int_max_str_digits() digits.
        return f"an integer of {value.bit_length()} bits, too large for a float"
    return repr(value)


def _check_real(
    value: object, key: str, low: float | None = None, high: float | None = None
) -> float:
    number = _as_finite(value)
    if number is None:
        raise GateError(f"{key} must be a finite number, got {_shown(value)}", key=key)
    if (low is not None and number < low) or (high is not None and number > high):
        raise GateError(f"{key} must lie in [{low}, {high}], got {number!r}", key=key)
    return number


_COUNT_WORDS = {1: "one", 2: "two"}


def _check_params(spec: GateSpec, gate: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The gate's parameters, checked against the ranges in its spec."""
    if spec.name == "pauliexp":
        return _check_pauliexp(gate, where)
    checked: dict[str, Any] = {}
    for name in spec.params:
        key = name
        alias = spec.aliases.get(name)
        if alias is not None and name not in gate and alias in gate:
            key = alias
        low, high = spec.ranges[name]
        if name in spec.per_target:
            checked[name] = _check_list(gate.get(key), spec, f"{where}.{key}", low, high)
        else:
            checked[name] = _check_real(gate.get(key), f"{where}.{key}", low, high)
    for name, default in spec.defaults.items():
        checked[name] = _check_real(gate.get(name, default), f"{where}.{name}", *spec.ranges[name])
    return checked


def _check_list(values: object, spec: GateSpec, key: str, low: float, high: float) -> list[float]:
    count = spec.num_targets or 0
    if not isinstance(values, (list, tuple)) or len(values) != count:
        noun = key.rsplit(".", 1)[-1]
        raise GateError(
            f"{key} must be a list of {_COUNT_WORDS.get(count, count)} {noun}, got {values!r}",
            key=key,
        )
    return [_check_real(value, key, low, high) for value in values]


def _check_pauliexp(gate: Mapping[str, Any], where: str) -> dict[str, Any]:
    terms = gate.get("terms")
    coefficients = gate.get("coefficients")
    if not isinstance(terms, (list, tuple)) or not terms:
        raise GateError(f"{where}.terms must be a non-empty list", key=f"{where}.terms")
    for term in terms:
        if not isinstance(term, str) or not term or not set(term) <= _PAULI_LETTERS:
            raise GateError(
                f"{where}.terms holds {term!r}; terms are strings over I, X, Y, Z",
                key=f"{where}.terms",
            )
    if not isinstance(coefficients, (list, tuple)) or len(coefficients) != len(terms):
        raise GateError(
            f"{where}.coefficients must be a list with one number per term",
            key=f"{where}.coefficients",
        )
    checked = [_check_real(c, f"{where}.coefficients") for c in coefficients]
    time = _check_real(gate.get("time"), f"{where}.time")
    if time <= 0:
        raise GateError(f"{where}.time must be positive, got {time!r}", key=f"{where}.time")
    return {"terms": list(terms), "coefficients": checked, "time": time}


def parse_gate(
    gate: Mapping[str, Any],
    *,
    gateset: str,
    qubits: int | None = None,
    max_controls: int | None = MAX_CONTROLS,
    where: str = "gate",
) -> ParsedGate:
    """Validate one gate dict and return it in normalised form.

    Args:
        gate: the JSON gate object.
        gateset: ``"qis"`` or ``"native"``.
        qubits: the register width; indices must be below it (``None``: no upper bound).
        max_controls: the most controls allowed (``None``: no limit); exceeding it raises a
            ``GateError`` with code ``TooManyControls``.
        where: the JSON path of the gate, used in error messages and ``GateError.key``.

    Raises:
        GateError: naming the offending field.
    """
    if not isinstance(gate, Mapping):
        raise GateError(f"{where} must be an object, got {gate!r}", key=where)
    name = gate.get("gate")
    if not isinstance(name, str):
        raise GateError(f"{where}.gate is missing or not a string", key=f"{where}.gate")
    try:
        spec = gate_spec(gateset, name)
    except GateError as exc:
        raise GateError(f"{where}: {exc}", key=f"{where}.gate") from None
    targets = _indices(gate, "target", "targets", where)
    controls = _indices(gate, "control", "controls", where)
    expected = spec.num_targets
    if expected is None:
        if not targets:
            raise GateError(f"{where}: {name} needs targets", key=f"{where}.targets")
    elif len(targets) != expected:
        raise GateError(
            f"{where}: {name} takes {expected} target(s), got {len(targets)}",
            key=f"{where}.targets",
        )
    if controls and not spec.controllable:
        raise GateError(
            f"{where}: native gate {name} cannot be controlled", key=f"{where}.controls"
        )
    if spec.needs_control and not controls:
        raise GateError(f"{where}: {name} needs a control qubit", key=f"{where}.controls")
    if max_controls is not None and len(controls) > max_controls:
        raise GateError(
            f"{where}: {len(controls)} controls; IonQ allows at most {max_controls}",
            key=f"{where}.controls",
            code="TooManyControls",
        )
    used = targets + controls
    if len(set(used)) != len(used):
        raise GateError(
            f"{where}: qubit used twice in {name} ({list(used)})", key=f"{where}.targets"
        )
    for q in used:
        if q < 0 or (qubits is not None and q >= qubits):
            limit = f"0..{qubits - 1}" if qubits is not None else ">= 0"
            raise GateError(
                f"{where}: qubit index {q} out of range {limit}", key=f"{where}.targets"
            )
    params = _check_params(spec, gate, where)
    if name == "pauliexp" and any(len(term) != len(targets) for term in params["terms"]):
        raise GateError(
            f"{where}: each pauliexp term needs one letter per target ({len(targets)})",
            key=f"{where}.terms",
        )
    return ParsedGate(spec=spec, targets=targets, controls=controls, params=params)


def iter_parsed(
    circuit: Sequence[Mapping[str, Any]],
    *,
    gateset: str,
    qubits: int | None = None,
    max_controls: int | None = MAX_CONTROLS,
    path: str = "input.circuit",
) -> list[ParsedGate]:
    """Parse every gate of a circuit (see :func:`parse_gate`)."""
    _check_circuit(circuit, gateset, path)
    return [
        parse_gate(
            g, gateset=gateset, qubits=qubits, max_controls=max_controls, where=f"{path}[{i}]"
        )
        for i, g in enumerate(circuit)
    ]


def count_gates(parsed: Sequence[ParsedGate]) -> GateCounts:
    """Count one- and multi-qubit gates and the width a parsed circuit needs."""
    one = two = 0
    width = 0
    for gate in parsed:
        n = len(gate.targets) + len(gate.controls)
        if n == 1:
            one += 1
        else:
            two += 1
        top = max(max(gate.targets), max(gate.controls, default=-1))
        if top + 1 > width:
            width = top + 1
    return GateCounts(one_qubit=one, two_qubit=two, width=width)


def validate_circuit(
    circuit: Sequence[Mapping[str, Any]],
    *,
    gateset: str,
    qubits: int | None,
    max_controls: int | None = MAX_CONTROLS,
    path: str = "input.circuit",
) -> GateCounts:
    """Validate a JSON circuit against the gate table and count its gates.

    Common gates in their usual shapes are checked by a fast path whose tables are derived from
    the gate table; any gate it does not vouch for goes through :func:`parse_gate`, so
    acceptance, rejection and error messages are exactly those of :func:`iter_parsed`.

    Raises:
        GateError: for the first offending gate, naming its JSON path.
    """
    _check_circuit(circuit, gateset, path)
    table = _FAST[gateset]
    limit: float = math.inf if qubits is None else qubits
    most_controls: float = math.inf if max_controls is None else max_controls
    one = two = 0
    top = -1
    for index, gate in enumerate(circuit):
        used = _vouched(gate, table, limit, most_controls)
        if used is None:
            parsed = parse_gate(
                gate,
                gateset=gateset,
                qubits=qubits,
                max_controls=max_controls,
                where=f"{path}[{index}]",
            )
            used = (*parsed.targets, *parsed.controls)
        if len(used) == 1:
            one += 1
            high = used[0]
        else:
            two += 1
            high = max(used)
        if high > top:
            top = high
    return GateCounts(one_qubit=one, two_qubit=two, width=top + 1)


def _check_circuit(circuit: object, gateset: str, path: str) -> None:
    """The checks of the circuit as a whole, before its gates."""
    if gateset not in GATESETS:
        raise GateError(f"gateset must be 'qis' or 'native', got {gateset!r}", key="gateset")
    if not isinstance(circuit, (list, tuple)):
        raise GateError(f"{path} must be a list of gates", key=path)


# ---------------------------------------------------------------------------------------------
# The fast path: plain dicts of plain ints and floats in the usual shapes. It never raises; a
# gate it cannot vouch for (odd types, odd shapes, or anything wrong) goes to parse_gate.


@dataclass(frozen=True, slots=True)
class _Fast:
    """What the fast path needs of one gate, derived from its :class:`GateSpec`."""

    num_targets: int
    params_ok: Callable[[dict[str, Any]], bool] | None  # None: no parameters
    needs_control: bool
    controllable: bool


def _vouched(
    gate: object, table: Mapping[str, _Fast], limit: float, most_controls: float
) -> Sequence[int] | None:
    """The qubits a gate touches (targets, then controls) if the fast path vouches for it."""
    if type(gate) is not dict:
        return None
    used: Sequence[Any] | None
    name = gate.get("gate")
    info = table.get(name) if type(name) is str else None
    if info is None:
        return None
    used = gate.get("targets")
    if used is None:
        if info.num_targets != 1:
            return None
        used = [gate.get("target")]  # an int, or refused by the index check below
    elif type(used) is not list or len(used) != info.num_targets or gate.get("target") is not None:
        return None
    if "control" in gate or "controls" in gate or info.needs_control:
        used = _fast_controls(gate, used, info, most_controls)
        if used is None:
            return None
    params_ok = info.params_ok
    if params_ok is not None and not params_ok(gate):
        return None
    size = len(used)
    if size == 1:
        only = used[0]
        return used if type(only) is int and 0 <= only < limit else None
    if size == 2:
        a, b = used
        if type(a) is int and type(b) is int and a != b and 0 <= a < limit and 0 <= b < limit:
            return used
        return None
    return used if _distinct_indices(used, limit) else None


def _fast_controls(
    gate: dict[str, Any], used: Sequence[int], info: _Fast, most_controls: float
) -> Sequence[int] | None:
    controls = gate.get("controls")
    if controls is None:
        control = gate.get("control")
        if control is None:
            return None if info.needs_control else used
        return (*used, control) if type(control) is int and info.controllable else None
    if type(controls) is not list or gate.get("control") is not None:
        return None
    if not controls:
        return None if info.needs_control else used
    if info.controllable and len(controls) <= most_controls:
        return [*used, *controls]
    return None


def _distinct_indices(used: Sequence[int], limit: float) -> bool:
    """Whether every index is an int in ``0..limit-1`` and no qubit is used twice."""
    return all(type(q) is int and 0 <= q < limit for q in used) and len(set(used)) == len(used)


# Parameter checks accept only Python floats, finite and in their spec's range.


def _fast_number(
    name: str, low: float, high: float, default: float | None = None
) -> Callable[[dict[str, Any]], bool]:
    if math.isinf(low) and math.isinf(high):

        def finite(gate: dict[str, Any]) -> bool:
            value = gate.get(name, default)
            return type(value) is float and low < value < high

        return finite

    def bounded(gate: dict[str, Any]) -> bool:
        value = gate.get(name, default)
        return type(value) is float and low <= value <= high

    return bounded


def _fast_list(name: str, count: int, low: float, high: float) -> Callable[[dict[str, Any]], bool]:
    def check(gate: dict[str, Any]) -> bool:
        values = gate.get(name)
        if type(values) is not list or len(values) != count:
            return False
        return all(type(value) is float and low <= value <= high for value in values)

    def pair(gate: dict[str, Any]) -> bool:  # the usual case (ms phases), without a generator
        values = gate.get(name)
        if type(values) is not list or len(values) != 2:
            return False
        a, b = values
        return type(a) is float and type(b) is float and low <= a <= high and low <= b <= high

    return pair if count == 2 else check


def _all_of(
    checks: Sequence[Callable[[dict[str, Any]], bool]],
) -> Callable[[dict[str, Any]], bool] | None:
    if not checks:
        return None
    first, *rest = checks
    if not rest:
        return first
    second = _all_of(rest)
    assert second is not None
    return lambda gate: first(gate) and second(gate)


def _fast_entry(spec: GateSpec) -> _Fast | None:
    """The fast-path entry of a gate, or ``None`` when it always takes the full path."""
    if spec.num_targets is None:  # pauliexp: its own rules, a rare gate
        return None
    checks: list[Callable[[dict[str, Any]], bool]] = []
    for name in spec.params:
        low, high = spec.ranges[name]
        if name in spec.per_target:
            checks.append(_fast_list(name, spec.num_targets, low, high))
        else:
            checks.append(_fast_number(name, low, high))
    for name, default in spec.defaults.items():
        checks.append(_fast_number(name, *spec.ranges[name], default=default))
    return _Fast(spec.num_targets, _all_of(checks), spec.needs_control, spec.controllable)


def _fast_table(gateset: str) -> dict[str, _Fast]:
    table: dict[str, _Fast] = {}
    for (gs, name), spec in GATES.items():
        entry = _fast_entry(spec) if gs == gateset else None
        if entry is not None:
            table[name] = entry
    return table


_FAST: Mapping[str, Mapping[str, _Fast]] = {gateset: _fast_table(gateset) for gateset in GATESETS}
