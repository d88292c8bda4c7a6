"""A sweep template gives every point the circuit (or the error) a full translation gives."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cirq
import numpy as np
import pytest
import sympy

from cirq_ionq_direct import to_ionq
from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate, ZZGate
from cirq_ionq_direct.sampler import _translate, _translate_points
from cirq_ionq_direct.sweeps import SweepTemplate
from ionq_direct.circuit import Circuit
from ionq_direct.errors import InvalidInputError
from ionq_direct.simulate import probabilities

A, B = sympy.Symbol("a"), sympy.Symbol("b")
Factory = Callable[[Any, Any], cirq.Gate]

#: Parameterised gates (expressions ``e`` and ``f`` of the symbols), one to three qubits.
ONE: list[Factory] = [
    lambda e, f: cirq.rx(e),
    lambda e, f: cirq.ry(e),
    lambda e, f: cirq.rz(e),
    lambda e, f: cirq.XPowGate(exponent=e),
    lambda e, f: cirq.YPowGate(exponent=e),
    lambda e, f: cirq.ZPowGate(exponent=e, global_shift=-0.5),
    lambda e, f: cirq.PhasedXPowGate(phase_exponent=f, exponent=e),
    lambda e, f: cirq.PhasedXZGate(x_exponent=e, z_exponent=f, axis_phase_exponent=0.25),
]
TWO: list[Factory] = [
    lambda e, f: cirq.CZPowGate(exponent=e),
    lambda e, f: cirq.CXPowGate(exponent=e),
    lambda e, f: cirq.XXPowGate(exponent=e),
    lambda e, f: cirq.YYPowGate(exponent=e),
    lambda e, f: cirq.ZZPowGate(exponent=e),
    lambda e, f: cirq.ISwapPowGate(exponent=e),
    lambda e, f: cirq.FSimGate(theta=e, phi=f),
    lambda e, f: cirq.ControlledGate(cirq.XPowGate(exponent=e)),
]
THREE: list[Factory] = [
    lambda e, f: cirq.CCZPowGate(exponent=e),
    lambda e, f: cirq.ControlledGate(cirq.ry(e), num_controls=2),
]
#: Gates that translate at some values only (whole powers): other points must fail alone too.
PARTIAL: list[Factory] = [
    lambda e, f: cirq.HPowGate(exponent=e),
    lambda e, f: cirq.SwapPowGate(exponent=e),
]
FIXED: list[cirq.Gate] = [cirq.H, cirq.X, cirq.S, cirq.T, cirq.CNOT, cirq.CZ, cirq.rx(0.3)]
EXPRESSIONS: list[Callable[[], Any]] = [
    lambda: A,
    lambda: 2 * A + 0.25,
    lambda: A * B,
    lambda: A / sympy.pi,
    lambda: B - A,
]


def _random_circuit(seed: int, *, partial: bool = True) -> cirq.Circuit:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 5))
    qubits = cirq.LineQubit.range(n)
    circuit = cirq.Circuit(cirq.ry(float(rng.uniform(0.3, 2.8))).on(q) for q in qubits)
    for _ in range(int(rng.integers(4, 12))):
        chosen = [qubits[i] for i in rng.permutation(n)]
        if rng.random() < 0.3:
            gate = FIXED[rng.integers(len(FIXED))]
        else:
            e = EXPRESSIONS[rng.integers(len(EXPRESSIONS))]()
            f = EXPRESSIONS[rng.integers(len(EXPRESSIONS))]()
            pool = [ONE, TWO, THREE][int(rng.integers(3))]
            if partial and rng.random() < 0.1:
                pool = PARTIAL
            gate = pool[rng.integers(len(pool))](e, f)
        circuit.append(gate.on(*chosen[: gate.num_qubits()]))
    circuit.append(cirq.measure(*qubits, key="m"))
    return circuit


def _points(rng: np.random.Generator) -> list[cirq.ParamResolver]:
    """Random values, and values that give named gates and whole turns."""
    special = [0.0, 0.5, 1.0, -0.5, 2.0, 0.25]
    values = [{"a": float(rng.uniform(-2, 2)), "b": float(rng.uniform(-2, 2))} for _ in range(4)]
    values += [{"a": a, "b": float(rng.choice(special))} for a in special]
    return [cirq.ParamResolver(v) for v in values]


def _fields(circuit: Circuit) -> tuple[Any, ...]:
    return (
        circuit.gates,
        circuit.gateset,
        circuit.qubits,
        circuit.one_qubit_gates,
        circuit.two_qubit_gates,
        circuit.measurement_map,
        circuit.registers,
        circuit.name,
        circuit.metadata,
    )


def _full(circuit: cirq.Circuit, resolver: cirq.ParamResolver) -> Circuit | str:
    """The full translation at one point, or its error message."""
    try:
        return to_ionq(circuit, param_resolver=resolver)
    except InvalidInputError as exc:
        return str(exc)


@pytest.mark.parametrize("seed", range(120))
def test_each_point_is_the_full_translation(seed: int) -> None:
    circuit = _random_circuit(seed)
    template = SweepTemplate.of(circuit)
    assert template is not None
    points = _points(np.random.default_rng(seed))
    for resolver in points:
        bound, full = template.bind(resolver), _full(circuit, resolver)
        if isinstance(full, str):
            assert bound is None  # the caller translates the point in full for its error
        else:
            assert bound is not None
            assert _fields(bound) == _fields(full)
    # The sweep's translation, point by point, is the full one, errors included.
    try:
        swept: list[Any] = [c for c, _layout in _translate_points(circuit, points, None)]
    except InvalidInputError as exc:
        swept = [str(exc)]
    expected: list[Any] = []
    for resolver in points:
        full = _full(circuit, resolver)
        if isinstance(full, str):
            expected.append(f"with parameters {dict(resolver.param_dict)}: {full}")
            break
        expected.append(full)
    assert [c if isinstance(c, str) else _fields(c) for c in swept] == [
        c if isinstance(c, str) else _fields(c) for c in expected
    ]


@pytest.mark.parametrize("seed", range(8))
def test_bound_circuits_match_cirqs_simulator(seed: int) -> None:
    circuit = _random_circuit(1_000 + seed, partial=False)
    template = SweepTemplate.of(circuit)
    assert template is not None
    for resolver in _points(np.random.default_rng(seed)):
        bound = template.bind(resolver)
        assert bound is not None
        resolved = cirq.resolve_parameters(circuit[:-1], resolver)
        state = cirq.final_state_vector(
            resolved, qubit_order=sorted(circuit.all_qubits()), dtype=np.complex128
        )
        expected = np.abs(state) ** 2
        # IonQ outcomes put qubit 0 in the lowest bit; cirq's state vector, in the highest.
        n = bound.qubits
        ionq = probabilities(bound.gates, qubits=n, gateset=bound.gateset)
        got = np.array([ionq[int(format(k, f"0{n}b")[::-1], 2)] for k in range(2**n)])
        np.testing.assert_allclose(got, expected, atol=1e-9)


def test_native_gates_and_inverted_measurements() -> None:
    q = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(
        GPIGate(A).on(q[0]),
        GPI2Gate(0.125).on(q[1]),
        MSGate(A, 0.0, B).on(q[0], q[1]),
        ZZGate(B).on(q[1], q[2]),
        GPI2Gate(2 * A).on(q[2]),
        cirq.measure(q[0], q[2], key="x", invert_mask=(True, False)),
        cirq.measure(q[1], key="y"),
    )
    template = SweepTemplate.of(circuit)
    assert template is not None
    for values in [{"a": 0.1, "b": 0.2}, {"a": -0.7, "b": 0.25}, {"a": 1.3, "b": 0.9}]:
        resolver = cirq.ParamResolver(values)
        bound = template.bind(resolver)
        assert bound is not None
        assert bound.gateset == "native"
        assert _fields(bound) == _fields(to_ionq(circuit, param_resolver=resolver))


def test_a_circuit_without_parameters_has_no_template() -> None:
    q = cirq.LineQubit.range(2)
    assert SweepTemplate.of(cirq.Circuit(cirq.H(q[0]), cirq.measure(*q))) is None


@pytest.mark.parametrize(
    "circuit, values",
    [
        # a point without a value for b
        (cirq.Circuit(cirq.rx(A).on(cirq.q(0)), cirq.ry(B).on(cirq.q(0))), {"a": 0.1}),
        # a non-finite angle
        (cirq.Circuit(cirq.rx(A).on(cirq.q(0))), {"a": math.inf}),
        # native gates mixed with qis gates at this point only
        (
            cirq.Circuit(GPIGate(0.1).on(cirq.q(0)), cirq.XPowGate(exponent=A).on(cirq.q(1))),
            {"a": 0.3},
        ),
        # a complex parameter
        (cirq.Circuit(cirq.rx(A).on(cirq.q(0))), {"a": 1j}),
    ],
)
def test_a_point_the_template_cannot_bind_gets_the_full_translations_error(
    circuit: cirq.Circuit, values: dict[str, Any]
) -> None:
    circuit = circuit + cirq.Circuit(cirq.measure(cirq.q(5), key="m"))
    points = [cirq.ParamResolver({"a": 0.2, "b": 0.4}), cirq.ParamResolver(values)]
    with pytest.raises(InvalidInputError) as swept:
        _translate_points(circuit, points, None)
    for resolver in points:  # the first point that fails alone gives the sweep's error
        try:
            _translate(circuit, resolver, None)
        except InvalidInputError as alone:
            assert str(swept.value) == str(alone)
            break
    assert "with parameters" in str(swept.value)


def test_a_parameterised_gate_after_a_measurement_has_no_template() -> None:
    # Such a circuit is dynamic (an OpenQASM 3 job); to_ionq itself refuses it.
    q = cirq.q(0)
    circuit = cirq.Circuit(cirq.measure(q, key="early"), cirq.rx(A).on(q), cirq.measure(q))
    assert SweepTemplate.of(circuit) is None


def test_sweep_points_keep_their_order_and_layout() -> None:
    q = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(
        cirq.rx(A).on(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(q[1], q[0], key="m")
    )
    points = list(cirq.to_resolvers(cirq.Linspace("a", 0, math.pi, 7)))
    swept = _translate_points(circuit, points, 3)
    alone = [_translate(circuit, resolver, 3) for resolver in points]
    assert [(_fields(c), layout) for c, layout in swept] == [
        (_fields(c), layout) for c, layout in alone
    ]


def test_a_swept_circuit_without_measurements_names_its_first_point() -> None:
    circuit = cirq.Circuit(cirq.rx(A).on(cirq.q(0)))
    points = [cirq.ParamResolver({"a": 0.5}), cirq.ParamResolver({"a": 0.7})]
    with pytest.raises(InvalidInputError, match=r"^program 2: with parameters \{'a': 0.5\}: "):
        _translate_points(circuit, points, 2)
