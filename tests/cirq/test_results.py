"""Building cirq.ResultDicts from IonQ distributions: bit order, inversion, seeds, layouts."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from cirq_ionq_direct import to_ionq
from cirq_ionq_direct.gatesets import IonQTargetGateset
from cirq_ionq_direct.results import Layout, decode_layouts, encode_layouts
from ionq_direct.errors import InvalidInputError
from ionq_direct.results import derive_seed
from ionq_direct.simulate import probabilities

Q = cirq.LineQubit.range(4)


def _ideal(circuit: cirq.Circuit) -> tuple[Layout, tuple[np.ndarray, np.ndarray]]:
    """The layout and the exact IonQ distribution (LSB = qubit 0) of a Cirq circuit."""
    translated = to_ionq(circuit)
    probs = probabilities(translated.gates, qubits=translated.qubits, gateset=translated.gateset)
    kept = np.flatnonzero(probs > 1e-12)
    return Layout.of(translated), (kept, probs[kept])


def test_deterministic_asymmetric_circuit_matches_cirq_simulator() -> None:
    circuit = cirq.Circuit(
        cirq.X(Q[0]),
        cirq.X(Q[3]),
        cirq.measure(Q[2], Q[0], key="a"),
        cirq.measure(Q[3], Q[1], key="b", invert_mask=(False, True)),
    )
    layout, dist = _ideal(circuit)
    ours = layout.to_result(dist, 5, exact=True, seed=1)
    theirs = cirq.Simulator().run(circuit, repetitions=5)
    assert ours == theirs
    assert ours.measurements["a"].tolist() == [[0, 1]] * 5
    assert ours.measurements["b"].tolist() == [[1, 1]] * 5
    assert ours.records["a"].dtype == theirs.records["a"].dtype == np.int8
    assert ours.records["b"].shape == (5, 1, 2)


def test_random_circuits_have_cirq_simulator_support() -> None:
    for seed in range(8):
        body = cirq.optimize_for_target_gateset(
            cirq.testing.random_circuit(Q, 4, 0.7, random_state=seed), gateset=IonQTargetGateset()
        )
        order = list(np.random.default_rng(seed).permutation(4))
        circuit = body + cirq.Circuit(
            cirq.measure(Q[order[0]], Q[order[1]], key="x"),
            cirq.measure(Q[order[2]], Q[order[3]], key="y", invert_mask=(True,)),
        )
        layout, dist = _ideal(circuit)
        ours = layout.to_result(dist, 400, exact=True, seed=seed)
        theirs = cirq.Simulator(seed=seed).run(circuit, repetitions=4000)
        for key in ("x", "y"):
            assert set(ours.histogram(key=key)) <= set(theirs.histogram(key=key))


def test_exact_sampling_is_seeded_and_frequencies_keep_every_shot() -> None:
    layout = Layout((("m", 2),), (1, 0))
    dist = (np.array([0, 1, 3]), np.array([1 / 3, 1 / 3, 1 / 3]))
    one = layout.to_result(dist, 1000, exact=True, seed=7)
    assert one == layout.to_result(dist, 1000, exact=True, seed=7)
    assert one != layout.to_result(dist, 1000, exact=True, seed=8)
    rounded = layout.to_result(dist, 100, exact=False, seed=3)
    # Largest remainder: 34/33/33, never 99 rows; outcome 1 (qubit 0 set) reads "01" here.
    assert sorted(rounded.histogram(key="m").values()) == [33, 33, 34]
    assert set(rounded.histogram(key="m")) == {0b00, 0b01, 0b11}


def test_layouts_round_trip_through_metadata_text() -> None:
    a = Layout((("a", 2), ("b", 1)), (2, 0, 1), (2,))
    b = Layout((("m", 1),), (0,))
    text = encode_layouts([a, a, a, b, a], offset=7)
    assert decode_layouts(text) == ([a, a, a, b, a], 7)
    assert len(encode_layouts([b] * 5000)) < 100  # sweeps share one layout entry
    with pytest.raises(InvalidInputError):
        decode_layouts("{not json")


def test_circuit_seeds_differ_per_circuit_and_are_stable() -> None:
    seeds = [derive_seed(42, i) for i in range(100)]
    assert len(set(seeds)) == 100
    assert seeds == [derive_seed(42, i) for i in range(100)]
    assert all(0 <= s < 2**63 for s in seeds)
