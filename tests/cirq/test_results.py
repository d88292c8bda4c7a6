"""Building cirq.ResultDicts from IonQ distributions: bit order, inversion, seeds, layouts."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
import sympy

from cirq_ionq_direct import to_ionq
from cirq_ionq_direct.gatesets import IonQTargetGateset
from cirq_ionq_direct.results import (
    LAYOUT_METADATA_KEY,
    PARAMS_METADATA_KEY,
    Layout,
    decode_layouts,
    encode_layouts,
    encode_params,
    layouts_metadata,
    read_metadata,
)
from ionq_direct import metadata as core_metadata
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


def test_layouts_and_params_travel_through_the_metadata_codec() -> None:
    a = Layout((("a", 2),), (1, 0))
    b = Layout((("m", 1),), (0,), (0,))
    params = [cirq.ParamResolver({"t": 0.5}), cirq.ParamResolver({sympy.Symbol("u"): 2})]
    metadata = layouts_metadata([a, b], 4, params, max_keys=8)
    assert set(metadata) == {LAYOUT_METADATA_KEY, PARAMS_METADATA_KEY}
    assert read_metadata({"other": "x", **metadata}, "j") == ([a, b], 4, params)
    # Without parameters only the layouts are stored.
    plain = layouts_metadata([a], 0, [cirq.ParamResolver({})], max_keys=8)
    assert set(plain) == {LAYOUT_METADATA_KEY} and read_metadata(plain, "j") == ([a], 0, None)


def test_jobs_stored_as_plain_json_still_read() -> None:
    a = Layout((("a", 2),), (1, 0))
    params = [cirq.ParamResolver({"t": 0.5})]
    legacy = {
        LAYOUT_METADATA_KEY: encode_layouts([a], offset=2),
        PARAMS_METADATA_KEY: str(encode_params(params)),
    }
    assert read_metadata(legacy, "j") == ([a], 2, params)


def test_long_values_continue_over_keys_and_what_cannot_fit_is_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(core_metadata, "MAX_METADATA_VALUE", 40)
    layouts = [Layout(((f"k{i}", 1),), (i % 3,)) for i in range(6)]
    params = [cirq.ParamResolver({"t": i / 7}) for i in range(6)]
    roomy = layouts_metadata(layouts, 0, params, max_keys=40)
    assert LAYOUT_METADATA_KEY + "1" in roomy and PARAMS_METADATA_KEY + "1" in roomy
    assert all(len(value) <= 40 for value in roomy.values())
    assert read_metadata(roomy, "j") == (layouts, 0, params)
    # Parameter values that do not fit are replaced by a summary: records read, with a warning.
    tight = layouts_metadata(layouts, 0, params, max_keys=len(roomy) - 1)
    with pytest.warns(UserWarning, match="parameter values were too large"):
        assert read_metadata(tight, "j") == (layouts, 0, None)
    # Layouts that do not fit are refused clearly when read back, never guessed.
    with pytest.raises(InvalidInputError, match="6 circuits whose measurement layouts were too"):
        read_metadata(layouts_metadata(layouts, 0, params, max_keys=1), "j")
    with pytest.raises(InvalidInputError, match="has no 'cirq_layout' metadata"):
        read_metadata({}, "j")
    with pytest.raises(InvalidInputError, match="not readable"):
        read_metadata({LAYOUT_METADATA_KEY: "@@@"}, "j")


@pytest.mark.parametrize("shots", [5, 64, 3000])
@pytest.mark.parametrize("exact", [True, False])
def test_records_are_the_bits_of_each_shot_however_they_are_read(shots: int, exact: bool) -> None:
    # 64 outcomes: fewer shots than outcomes read every shot, more read each outcome once.
    from ionq_direct import results as core_results

    rng = np.random.default_rng(shots)
    outcomes = np.arange(64, dtype=np.int64)
    probs = rng.random(64)
    probs /= probs.sum()
    layout = Layout((("a", 2), ("b", 3)), (5, 0, 3, 1, 2), (1, 4), 6)
    got = layout.to_result((outcomes, probs), shots, exact=exact, seed=9)
    memory = core_results.memory(outcomes, probs, shots, exact=exact, seed=9)
    bits = core_results.qubit_bits(memory, layout.measurement_map).astype(np.int8)
    bits[:, [1, 4]] ^= 1
    assert np.array_equal(got.records["a"][:, 0, :], bits[:, :2])
    assert np.array_equal(got.records["b"][:, 0, :], bits[:, 2:])
