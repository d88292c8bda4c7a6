"""IonQ's native gates as Cirq gates: GPI, GPI2, MS and ZZ.

Phases and angles are in turns (1 turn = 2*pi), as in IonQ's native gateset. Each gate's
``_unitary_`` is the core gate table's matrix (:mod:`ionq_direct.gates`), which has the gate's
first qubit as the left (most significant) tensor factor, as does Cirq's big-endian order, so
``MSGate(...).on(a, b)`` means IonQ targets ``[a, b]``. The gates serialise to Cirq JSON under the
``ionq_direct`` namespace; read them back with
``cirq.read_json(..., resolvers=[json_resolver, *cirq.DEFAULT_RESOLVERS])``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

import cirq
import numpy as np
import sympy
from numpy.typing import NDArray

from ionq_direct.gates import GATES
from ionq_direct.lowering import wrap_turns


def _fmt(value: cirq.TParamVal) -> str:
    """A repr of a number or sympy expression that evaluates back to it."""
    if isinstance(value, sympy.Basic):
        return f"sympy.parse_expr({str(value)!r})"
    return repr(value)


def _shift(value: cirq.TParamVal, by: float) -> cirq.TParamVal:
    """``value + by``, wrapped into [0, 1) when it is a number (phases are periodic in turns)."""
    if isinstance(value, sympy.Basic):
        return value + by
    return wrap_turns(float(value) + by)


def _numeric_exponent(exponent: Any) -> float | None:
    if isinstance(exponent, (int, float, np.integer, np.floating)) and not isinstance(
        exponent, (bool, np.bool_)
    ):
        return float(exponent)
    return None


class _NativeGate(cirq.Gate):
    """What the IonQ native gates share: parameters in turns, stored as ``_<name>``.

    Subclasses name their parameters in ``_PARAMS`` (constructor order), their diagram and
    ``str`` symbol in ``_SYMBOL``, their IonQ gate in ``_IONQ`` and its JSON parameters in
    ``_ionq_params``; parameter handling, unitary, equality, repr and JSON follow from that.
    """

    _PARAMS: tuple[str, ...] = ()
    _SYMBOL = ""
    _IONQ = ""
    _QUBITS = 1

    def _values(self) -> tuple[cirq.TParamVal, ...]:
        return tuple(getattr(self, f"_{name}") for name in self._PARAMS)

    def _ionq_params(self, *values: float) -> dict[str, Any]:
        """The IonQ JSON parameters of the gate with these (numeric) parameter values."""
        raise NotImplementedError

    def _num_qubits_(self) -> int:
        return self._QUBITS

    def _has_unitary_(self) -> bool:
        return not self._is_parameterized_()

    def _unitary_(self) -> NDArray[np.complex128] | None:
        if self._is_parameterized_():
            return None
        params = self._ionq_params(*(float(v) for v in self._values()))
        return GATES["native", self._IONQ].matrix(params)

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        label = f"{self._SYMBOL}({','.join(args.format_real(v) for v in self._values())})"
        return cirq.CircuitDiagramInfo(wire_symbols=(label,) * self._num_qubits_())

    def _is_parameterized_(self) -> bool:
        return any(cirq.is_parameterized(v) for v in self._values())

    def _parameter_names_(self) -> AbstractSet[str]:
        names: set[str] = set()
        for value in self._values():
            names |= cirq.parameter_names(value)
        return names

    def _resolve_parameters_(self, resolver: cirq.ParamResolver, recursive: bool) -> Any:
        return type(self)(*(resolver.value_of(v, recursive) for v in self._values()))

    def _value_equality_values_(self) -> tuple[Any, ...]:
        return self._values()

    def __repr__(self) -> str:
        args = ", ".join(
            f"{n}={_fmt(v)}" for n, v in zip(self._PARAMS, self._values(), strict=True)
        )
        return f"cirq_ionq_direct.{type(self).__name__}({args})"

    def __str__(self) -> str:
        return f"{self._SYMBOL}({', '.join(str(v) for v in self._values())})"

    @classmethod
    def _json_namespace_(cls) -> str:
        return "ionq_direct"

    def _json_dict_(self) -> dict[str, Any]:
        return dict(zip(self._PARAMS, self._values(), strict=True))

    @classmethod
    def _from_json_dict_(cls, **kwargs: Any) -> Any:
        return cls(**{name: kwargs[name] for name in cls._PARAMS if name in kwargs})


class _PhaseGate(_NativeGate):
    """A one-qubit IonQ gate with one phase ``phi`` in turns: what GPI and GPI2 share."""

    _PARAMS = ("phi",)

    def __init__(self, phi: cirq.TParamVal) -> None:
        self._phi = phi

    @property
    def phi(self) -> cirq.TParamVal:
        """The phase in turns."""
        return self._phi

    def _ionq_params(self, *values: float) -> dict[str, Any]:
        (phi,) = values
        return {"phase": phi}


@cirq.value_equality(approximate=True)
class GPIGate(_PhaseGate):
    """IonQ's GPI gate: a pi rotation about the axis at phase ``phi`` (turns) in the XY plane.

    Unitary ``[[0, exp(-2 pi i phi)], [exp(2 pi i phi), 0]]``; ``GPIGate(0)`` is X.
    """

    _SYMBOL = "GPI"
    _IONQ = "gpi"

    def __pow__(self, exponent: Any) -> GPIGate:
        power = _numeric_exponent(exponent)
        if power in (1.0, -1.0):
            return self  # GPI is Hermitian and unitary: its own inverse.
        return NotImplemented


@cirq.value_equality(approximate=True)
class GPI2Gate(_PhaseGate):
    """IonQ's GPI2 gate: a pi/2 rotation about the axis at phase ``phi`` (turns) in the XY plane.

    Unitary ``(1/sqrt 2) [[1, -i exp(-2 pi i phi)], [-i exp(2 pi i phi), 1]]``; its inverse is
    ``GPI2Gate(phi + 0.5)``.
    """

    _SYMBOL = "GPI2"
    _IONQ = "gpi2"

    def __pow__(self, exponent: Any) -> GPI2Gate:
        power = _numeric_exponent(exponent)
        if power == 1.0:
            return self
        if power == -1.0:
            return GPI2Gate(_shift(self._phi, 0.5))
        return NotImplemented


class _EntanglingGate(_NativeGate):
    """A two-qubit IonQ gate with an interaction angle ``theta`` in turns: what MS and ZZ share."""

    _QUBITS = 2
    _theta: cirq.TParamVal

    @property
    def theta(self) -> cirq.TParamVal:
        """The interaction angle in turns."""
        return self._theta


@cirq.value_equality(approximate=True)
class MSGate(_EntanglingGate):
    """IonQ's Mølmer-Sørensen gate ``exp(-i pi theta sigma(phi0) (x) sigma(phi1))``.

    ``sigma(phi) = cos(2 pi phi) X + sin(2 pi phi) Y``; phases and ``theta`` are in turns and
    ``theta = 0.25`` (the default) is fully entangling. IonQ accepts ``theta`` in [0, 0.25].
    """

    _PARAMS = ("phi0", "phi1", "theta")
    _SYMBOL = "MS"
    _IONQ = "ms"

    def __init__(
        self, phi0: cirq.TParamVal, phi1: cirq.TParamVal, theta: cirq.TParamVal = 0.25
    ) -> None:
        self._phi0 = phi0
        self._phi1 = phi1
        self._theta = theta

    @property
    def phi0(self) -> cirq.TParamVal:
        """The phase on the first qubit, in turns."""
        return self._phi0

    @property
    def phi1(self) -> cirq.TParamVal:
        """The phase on the second qubit, in turns."""
        return self._phi1

    def _ionq_params(self, *values: float) -> dict[str, Any]:
        phi0, phi1, theta = values
        return {"phases": [phi0, phi1], "angle": theta}

    def __pow__(self, exponent: Any) -> MSGate:
        # MS is exp(-i pi theta P) with P**2 = 1, so its powers scale theta.
        power = _numeric_exponent(exponent)
        if power is None:
            return NotImplemented
        if power == -1.0:
            # IonQ keeps theta in [0, 0.25]; flipping the sign of P keeps it there.
            return MSGate(_shift(self._phi0, 0.5), self._phi1, self._theta)
        return MSGate(self._phi0, self._phi1, self._theta * power)


@cirq.value_equality(approximate=True)
class ZZGate(_EntanglingGate):
    """IonQ's native ZZ gate ``exp(-i pi theta Z (x) Z)``, ``theta`` in turns.

    Unitary ``diag(e^{-i pi theta}, e^{i pi theta}, e^{i pi theta}, e^{-i pi theta})``.
    """

    _PARAMS = ("theta",)
    _SYMBOL = "ZZ"
    _IONQ = "zz"

    def __init__(self, theta: cirq.TParamVal) -> None:
        self._theta = theta

    def _ionq_params(self, *values: float) -> dict[str, Any]:
        (theta,) = values
        return {"angle": theta}

    def __pow__(self, exponent: Any) -> ZZGate:
        power = _numeric_exponent(exponent)
        if power is None:
            return NotImplemented
        return ZZGate(self._theta * power)


_JSON_TYPES: dict[str, Callable[..., Any]] = {
    f"ionq_direct.{cls.__name__}": cls for cls in (GPIGate, GPI2Gate, MSGate, ZZGate)
}


def json_resolver(cirq_type: str) -> Callable[..., Any] | None:
    """Resolve this package's ``cirq_type`` names for ``cirq.read_json``.

    Example:
        ``cirq.read_json(json_text=text, resolvers=[json_resolver, *cirq.DEFAULT_RESOLVERS])``
    """
    return _JSON_TYPES.get(cirq_type)
