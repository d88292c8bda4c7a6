"""IonQ's gate-noise channels, expressed as qiskit-aer errors.

IonQ documents its noise models (spec section 4.5) as a depolarizing channel after every ideal
gate, with Kraus operators ``sqrt(1 - 3 r1 / 4) I`` and ``sqrt(r1 / 4) P`` (P = X, Y, Z) for
one-qubit gates and ``sqrt(1 - 15 r2 / 16) II`` and ``sqrt(r2 / 16) P Q`` for two-qubit gates.
In general, on ``n`` qubits with ``d = 2**n``, every non-identity Pauli gets weight ``r / d**2``
and the identity keeps ``1 - (d**2 - 1) r / d**2``.

Aer's ``depolarizing_error(p, n)`` is ``rho -> (1 - p) rho + p I / d``. Since
``I / d = (1 / d**2) * sum_P P rho P`` over all ``d**2`` Paulis, that channel gives every
non-identity Pauli weight ``p / d**2`` and the identity ``1 - p + p / d**2``: the same channel
with ``p = r``. :func:`aer_parameter` states this, and the tests check the Pauli weights.

Gates on three or more qubits (controlled gates with several controls, wide ``pauliexp``) have
no documented rate. They get the two-qubit channel on each consecutive pair of the qubits they
touch (controls first, then targets): a gate on ``n`` qubits suffers ``n - 1`` two-qubit
channels, roughly what its compilation into two-qubit gates would cost at minimum, and the rule
reduces to IonQ's for two-qubit gates.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import pairwise, product
from typing import Any

from ionq_emulator.catalog import NOISE_MODELS, NoiseModelInfo


def pauli_weights(rate: float, num_qubits: int) -> dict[str, float]:
    """The weight of each Pauli string in IonQ's ``num_qubits``-qubit depolarizing channel.

    The weights are the squared coefficients of the documented Kraus operators; strings are
    written with the first qubit on the left.
    """
    d2 = 1 << (2 * num_qubits)
    weights = {"".join(p): rate / d2 for p in product("IXYZ", repeat=num_qubits)}
    weights["I" * num_qubits] = 1.0 - (d2 - 1) * rate / d2
    return weights


def aer_parameter(rate: float, num_qubits: int) -> float:
    """The ``depolarizing_error`` parameter giving IonQ's channel at ``rate``.

    Both parameterisations give every non-identity Pauli ``rate / 4**num_qubits`` (see the
    module docstring), so the parameter is the rate itself for any number of qubits.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"a depolarizing rate lies in [0, 1], got {rate!r}")
    del num_qubits  # the same for every width; kept so callers state what they mean
    return rate


@functools.lru_cache(maxsize=64)
def depolarizing(rate: float, num_qubits: int) -> Any:
    """IonQ's depolarizing channel as an Aer ``QuantumError`` (cached; errors are immutable)."""
    from qiskit_aer.noise import depolarizing_error

    return depolarizing_error(aer_parameter(rate, num_qubits), num_qubits)


@functools.lru_cache(maxsize=64)
def _instruction(rate: float, num_qubits: int) -> Any:
    return depolarizing(rate, num_qubits).to_instruction()


def model(name: str) -> NoiseModelInfo:
    """The noise model called ``name``; raises ``KeyError`` for an unknown one."""
    return NOISE_MODELS[name]


def is_noisy(info: NoiseModelInfo) -> bool:
    """Whether the model adds any noise."""
    return info.one_qubit_rate > 0.0 or info.two_qubit_rate > 0.0


def gate_noise(info: NoiseModelInfo, qubits: Sequence[int]) -> list[tuple[Any, list[int]]]:
    """The channels to apply after a gate touching ``qubits`` (controls, then targets).

    Returns:
        ``(instruction, qargs)`` pairs to append to a Qiskit circuit, in order.
    """
    if len(qubits) == 1:
        if info.one_qubit_rate <= 0.0:
            return []
        return [(_instruction(info.one_qubit_rate, 1), [qubits[0]])]
    if info.two_qubit_rate <= 0.0:
        return []
    channel = _instruction(info.two_qubit_rate, 2)
    return [(channel, [a, b]) for a, b in pairwise(qubits)]
