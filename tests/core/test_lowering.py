"""The framework-neutral lowering rules, against the gate table and the reference simulator."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ionq_direct.errors import GateError
from ionq_direct.gates import GATES, validate_circuit
from ionq_direct.limits import MAX_CONTROLS
from ionq_direct.lowering import (
    check_controls,
    gate_dict,
    ms_gates,
    phase_ladder,
    reduce_ms,
    shift_half_turn,
    turns_in_range,
    wrap_turns,
    zz_angle,
)
from ionq_direct.simulate import statevector

_finite = st.floats(allow_nan=False, allow_infinity=False)
_turns = st.floats(-1.0, 1.0)
_moderate = st.floats(-1e6, 1e6)


def _gpi(phase: float) -> Any:
    return GATES["native", "gpi"].matrix({"phase": phase})


def _ms(phi0: float, phi1: float, theta: float) -> Any:
    return GATES["native", "ms"].matrix({"phases": [phi0, phi1], "angle": theta})


def _zz(theta: float) -> Any:
    return GATES["native", "zz"].matrix({"angle": theta})


# ---------------------------------------------------------------------------------------------
# Gate dicts


def test_gate_dict_shapes() -> None:
    assert gate_dict("h", [2]) == {"gate": "h", "target": 2}
    assert gate_dict("rx", (0,), (3,), 0.5) == {
        "gate": "rx",
        "control": 3,
        "target": 0,
        "rotation": 0.5,
    }
    assert gate_dict("swap", [0, 1], [2, 3]) == {
        "gate": "swap",
        "controls": [2, 3],
        "targets": [0, 1],
    }
    assert gate_dict("x", [1], [0]) == {"gate": "cnot", "control": 0, "target": 1}
    assert gate_dict("cnot", [1]) == {"gate": "x", "target": 1}
    assert gate_dict("rz", [0], rotation=0.0) == {"gate": "rz", "target": 0, "rotation": 0.0}


def test_gate_dict_lists_are_its_own() -> None:
    targets, controls = [0, 1], [2, 3]
    gate = gate_dict("swap", targets, controls)
    assert gate["targets"] is not targets and gate["controls"] is not controls


def test_control_limit() -> None:
    controls = list(range(1, MAX_CONTROLS + 1))
    gate = gate_dict("z", [0], controls)
    assert validate_circuit([gate], gateset="qis", qubits=MAX_CONTROLS + 1).two_qubit == 1
    with pytest.raises(
        GateError, match=f"^{MAX_CONTROLS + 1} controls; IonQ allows at most 7$"
    ) as e:
        gate_dict("z", [0], [*controls, MAX_CONTROLS + 1])
    assert e.value.code == "TooManyControls" and e.value.key == "controls"
    check_controls(MAX_CONTROLS)
    with pytest.raises(GateError):
        check_controls(MAX_CONTROLS + 1)


def test_controlled_x_written_as_cnot_simulates_as_cnot() -> None:
    gates = [{"gate": "h", "target": 0}, gate_dict("x", [1], [0])]
    bell = statevector(gates, qubits=2)
    assert np.allclose(bell, [1 / math.sqrt(2), 0, 0, 1 / math.sqrt(2)])


# ---------------------------------------------------------------------------------------------
# The controlled-phase ladder


def _ladder_state(qubits: int, on: list[int], angle: float) -> Any:
    """H on every qubit, then the ladder on ``on``, times the global phase it leaves out."""
    steps, left = phase_ladder(on, angle)
    gates = [{"gate": "h", "target": q} for q in range(qubits)]
    gates += [
        gate_dict("rz", (target,), controls, rotation) for target, controls, rotation in steps
    ]
    return statevector(gates, qubits=qubits) * np.exp(1j * left)


@settings(max_examples=60, deadline=None)
@given(
    angle=st.floats(-10, 10),
    order=st.permutations(range(4)),
    count=st.integers(0, 4),
)
def test_phase_ladder_is_the_multi_controlled_phase(
    angle: float, order: list[int], count: int
) -> None:
    on = order[:count]
    expected = np.full(16, 0.25, dtype=complex)
    mask = sum(1 << q for q in on)
    for k in range(16):
        if k & mask == mask:
            expected[k] *= np.exp(1j * angle)
    assert np.allclose(_ladder_state(4, on, angle), expected, atol=1e-12)


def test_phase_ladder_steps() -> None:
    steps, left = phase_ladder([4, 2, 7], 1.0)
    assert steps == [(7, (4, 2), 1.0), (2, (4,), 0.5), (4, (), 0.25)]
    assert left == 0.125
    assert phase_ladder([], 0.3) == ([], 0.3)


# ---------------------------------------------------------------------------------------------
# Phases in turns


@given(value=_finite, snap=st.sampled_from([0.0, 1e-12]))
def test_wrap_turns_lands_in_one_turn(value: float, snap: float) -> None:
    wrapped = wrap_turns(value, snap=snap)
    assert 0.0 <= wrapped < 1.0
    # value - wrapped is a whole number of turns, up to the one rounding of a negative shift.
    gap = Fraction(value) - Fraction(wrapped)
    assert abs(gap - round(gap)) <= 2**-52 + snap


@given(value=_moderate)
def test_wrapped_phases_give_the_same_gates(value: float) -> None:
    assert np.allclose(_gpi(wrap_turns(value)), _gpi(value), atol=1e-9)
    assert np.allclose(_gpi(turns_in_range(value)), _gpi(value), atol=1e-9)


@given(value=_finite)
def test_turns_in_range_keeps_what_ionq_accepts(value: float) -> None:
    kept = turns_in_range(value)
    assert -1.0 <= kept <= 1.0
    if -1.0 <= value <= 1.0:
        assert kept == value


def test_wrap_turns_examples() -> None:
    assert wrap_turns(1.25) == 0.25
    assert wrap_turns(-1.25) == 0.75
    assert wrap_turns(-1e-20) == 0.0  # 1 - 1e-20 rounds to a whole turn
    assert wrap_turns(3.0) == 0.0
    assert wrap_turns(2.0 + 1e-13, snap=1e-12) == 0.0
    assert wrap_turns(2.0 + 1e-13) == pytest.approx(1e-13, abs=1e-15)
    assert turns_in_range(-1.0) == -1.0 and turns_in_range(-1.5) == 0.5


@given(phase=_turns)
def test_half_a_turn_negates_gpi_and_stays_in_range(phase: float) -> None:
    shifted = shift_half_turn(phase)
    assert -1.0 <= shifted <= 1.0
    assert np.allclose(_gpi(shifted), -_gpi(phase), atol=1e-12)


# ---------------------------------------------------------------------------------------------
# MS and ZZ angles


@settings(max_examples=300)
@given(phi0=_turns, phi1=_turns, theta=st.floats(-50, 50))
def test_ms_gates_multiply_to_the_gate(phi0: float, phi1: float, theta: float) -> None:
    gates = ms_gates(phi0, phi1, theta)
    assert 1 <= len(gates) <= 2
    product = np.eye(4, dtype=complex)
    for p0, p1, angle in gates:
        assert -1.0 <= p0 <= 1.0 and -1.0 <= p1 <= 1.0 and 0.0 <= angle <= 0.25
        product = _ms(p0, p1, angle) @ product
    target = _ms(phi0, phi1, theta)
    # Exact up to a global sign: MS(theta + 1) = -MS(theta).
    assert min(np.abs(product - target).max(), np.abs(product + target).max()) < 1e-9
    if 0.0 <= theta <= 0.25:
        assert gates == [(phi0, phi1, theta)]


@settings(max_examples=300)
@given(phi0=_turns, phi1=_turns, theta=st.floats(-50, 50))
def test_reduce_ms_tracks_the_sign(phi0: float, phi1: float, theta: float) -> None:
    phi0_, theta_, negated = reduce_ms(phi0, theta)
    assert 0.0 <= theta_ <= 0.5 and -1.0 <= phi0_ <= 1.0
    sign = -1.0 if negated else 1.0
    assert np.allclose(sign * _ms(phi0_, phi1, theta_), _ms(phi0, phi1, theta), atol=1e-9)


def test_ms_gates_examples() -> None:
    assert ms_gates(0.1, 0.2, 0.25) == [(0.1, 0.2, 0.25)]
    assert ms_gates(0.1, 0.2, -0.1) == [(0.6, 0.2, 0.1)]
    two = ms_gates(0.1, 0.2, 0.4)
    assert [angle for _, _, angle in two] == [0.25, pytest.approx(0.15)]
    assert ms_gates(0.0, 0.0, 1.0) == [(0.0, 0.0, 0.0)]


@given(theta=_finite)
def test_zz_angle_is_exact_on_the_full_range(theta: float) -> None:
    # ZZ has period 2; the rule moves theta by an exact even integer, so the gate is the same.
    folded = zz_angle(theta)
    assert -1.0 <= folded <= 1.0
    gap = Fraction(theta) - Fraction(folded)
    assert gap.denominator == 1 and gap.numerator % 2 == 0
    if -1.0 <= theta <= 1.0:
        assert folded == theta


@given(theta=st.floats(-1e5, 1e5))
def test_zz_angle_agrees_with_both_former_formulas(theta: float) -> None:
    # The Qiskit translator used math.remainder(theta, 2.0), the Cirq one (theta + 1) % 2 - 1,
    # each only outside [-1, 1]; the latter rounds, so it is compared as a gate.
    if -1.0 <= theta <= 1.0:
        return
    folded = zz_angle(theta)
    assert folded == math.remainder(theta, 2.0)
    assert np.allclose(_zz(folded), _zz((theta + 1.0) % 2.0 - 1.0), atol=1e-9)
    assert np.allclose(_zz(folded), _zz(theta), atol=1e-9)
