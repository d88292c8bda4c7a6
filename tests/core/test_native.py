"""Native synthesis: one-qubit unitaries to GPI/GPI2, MS and ZZ normal forms (gate table)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ionq_direct import native
from ionq_direct.gates import GATES

exact_natives, virtual_natives = native.exact_natives, native.virtual_natives
native_matrix, natives_matrix, rz_matrix = (
    native.native_matrix,
    native.natives_matrix,
    native.rz_matrix,
)
ms_normal, zz_normal = native.ms_normal, native.zz_normal

_Z = np.diag([1.0, -1.0]).astype(complex)


def _random_unitary(rng: np.random.Generator) -> Any:
    z = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def _equal_up_to_phase(a: Any, b: Any, atol: float = 1e-9) -> bool:
    overlap = np.trace(b.conj().T @ a)
    return bool(
        abs(abs(overlap) - a.shape[0]) < atol
        and np.allclose(a, overlap / abs(overlap) * b, atol=atol)
    )


def test_matrices_are_the_gate_table_s() -> None:
    for name in ("gpi", "gpi2"):
        assert np.array_equal(
            native.native_matrix(name, 0.3), GATES["native", name].matrix({"phase": 0.3})
        )
    assert np.array_equal(native.rz_matrix(0.7), GATES["qis", "rz"].matrix({"rotation": 0.7}))
    built = native.natives_matrix([("gpi2", 0.1), ("gpi", 0.4)])
    assert np.allclose(built, native.native_matrix("gpi", 0.4) @ native.native_matrix("gpi2", 0.1))
    assert np.array_equal(native.natives_matrix([]), np.eye(2))


@pytest.mark.parametrize("seed", range(200))
def test_one_qubit_synthesis_is_exact_and_short(seed: int) -> None:
    u = _random_unitary(np.random.default_rng(seed))
    alpha, natives = native.virtual_natives(u)
    assert len(natives) <= 2
    assert _equal_up_to_phase(native.rz_matrix(alpha) @ native.natives_matrix(natives), u)
    exact = native.exact_natives(u)
    assert len(exact) <= 3 and {name for name, _ in exact} <= {"gpi", "gpi2"}
    assert _equal_up_to_phase(native.natives_matrix(exact), u)


@pytest.mark.parametrize("phase", [0.0, 0.3, -0.45, 0.9])
def test_single_natives_stay_single(phase: float) -> None:
    for name in ("gpi", "gpi2"):
        [(found, _)] = native.exact_natives(native.native_matrix(name, phase))
        assert found == name
    assert native.exact_natives(1j * np.eye(2)) == []
    for angle in (0.1, math.pi / 2, math.pi, -2.0):
        natives = native.exact_natives(native.rz_matrix(angle))
        assert [name for name, _ in natives] == ["gpi", "gpi"]
        assert _equal_up_to_phase(native.natives_matrix(natives), native.rz_matrix(angle))


def _ms(phi0: float, phi1: float, theta: float) -> Any:
    return GATES["native", "ms"].matrix({"phases": [phi0, phi1], "angle": theta})


@settings(max_examples=300)
@given(
    phi0=st.floats(-3, 3),
    phi1=st.floats(-3, 3),
    theta=st.floats(-20, 20),
    snap=st.sampled_from([0.0, 1e-12]),
)
def test_ms_normal_is_exact_with_its_phase(
    phi0: float, phi1: float, theta: float, snap: float
) -> None:
    form = native.ms_normal(phi0, phi1, theta, snap=snap)
    assert 0.0 <= form.theta <= 0.25
    built = _ms(form.phi0, form.phi1, form.theta)
    if form.layer is not None:
        built = (
            np.kron(
                native.native_matrix("gpi", form.layer[0]),
                native.native_matrix("gpi", form.layer[1]),
            )
            @ built
        )
    assert np.allclose(np.exp(1j * form.phase) * built, _ms(phi0, phi1, theta), atol=1e-9)


@settings(max_examples=300)
@given(theta=st.floats(-20, 20), snap=st.sampled_from([0.0, 1e-12]))
def test_zz_normal_is_exact_with_its_phase(theta: float, snap: float) -> None:
    form = native.zz_normal(theta, snap=snap)
    assert abs(form.theta) <= 0.25 + snap
    zz = GATES["native", "zz"].matrix
    built = zz({"angle": form.theta})
    if form.layer:
        built = np.kron(_Z, _Z) @ built
    assert np.allclose(np.exp(1j * form.phase) * built, zz({"angle": theta}), atol=1e-9)


def test_normal_forms_keep_what_is_in_range() -> None:
    assert native.ms_normal(0.1, 0.2, 0.2) == (0.1, 0.2, 0.2, None, 0.0)
    assert native.ms_normal(0.1, 0.2, 0.25 + 1e-13, snap=1e-12).theta == 0.25
    assert native.zz_normal(-0.2) == (-0.2, False, 0.0)
    assert (
        native.zz_normal(0.4).layer and not native.zz_normal(0.75).layer
    )  # 0.75 is -0.25 plus a turn
