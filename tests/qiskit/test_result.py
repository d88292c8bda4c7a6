"""Result building: layouts through metadata, clbit mapping, hex counts and memory that agree."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.primitives import BitArray

from ionq_direct import results
from qiskit_ionq_direct.result import (
    LAYOUT_METADATA_KEY,
    CircuitLayout,
    build_result,
    decode_gateset,
    decode_layouts,
    encode_layouts,
    experiment_result,
    omitted_layouts,
    shots_to_clbits,
)
from qiskit_ionq_direct.translate import to_ionq


def two_register_layout() -> CircuitLayout:
    q = QuantumRegister(3, "q")
    a, b = ClassicalRegister(2, "a"), ClassicalRegister(1, "b")
    qc = QuantumCircuit(q, a, b, name="pair")
    qc.measure(2, a[0])
    qc.measure(0, b[0])  # a[1] never written
    return CircuitLayout.of(qc, to_ionq(qc))


def test_layout_of_a_circuit() -> None:
    layout = two_register_layout()
    assert layout.measurement_map == (2, -1, 0)
    assert layout.cregs == (("a", 2), ("b", 1))
    header = layout.header()
    assert header["creg_sizes"] == [["a", 2], ["b", 1]]
    assert header["clbit_labels"] == [["a", 0], ["a", 1], ["b", 0]]
    assert header["memory_slots"] == 3 and header["n_qubits"] == 3


def test_layouts_round_trip_through_metadata() -> None:
    layouts = [two_register_layout(), CircuitLayout.measure_all("x y", 5)]
    metadata = encode_layouts(layouts)
    assert all(isinstance(v, str) for v in metadata.values())
    assert decode_layouts({"other": "1", **metadata}) == layouts
    assert decode_layouts({}) is None
    assert decode_layouts({LAYOUT_METADATA_KEY: "not base64 zlib"}) is None


def test_long_layouts_continue_in_further_keys_or_are_left_out() -> None:
    rng = np.random.default_rng(0)
    many = [
        CircuitLayout(
            f"c{i}-{rng.integers(1 << 40)}",
            20,
            (("q", 20),),
            (("c", 20),),
            tuple(int(v) for v in rng.permutation(20)),
        )
        for i in range(3000)
    ]
    metadata = encode_layouts(many)
    assert len(metadata) > 1 and all(len(v) <= 40_000 for v in metadata.values())
    assert decode_layouts(metadata) == many
    assert omitted_layouts(metadata) is None
    # Too long for the keys left, they are not dropped silently: one key says they were left out.
    left_out = encode_layouts(many * 10)
    assert len(left_out) == 1 and decode_layouts(left_out) is None
    assert omitted_layouts(left_out) == 30_000
    # The gateset is still kept.
    kept = encode_layouts(many * 10, "native")
    assert len(kept) == 1 and decode_gateset(kept) == "native" and decode_layouts(kept) is None
    assert omitted_layouts(kept) == 30_000
    # The number of keys follows what the job has left beside its other metadata.
    assert omitted_layouts(encode_layouts(many, max_keys=1)) == 3000


def test_gateset_travels_with_the_layouts() -> None:
    layouts = [two_register_layout()]
    metadata = encode_layouts(layouts, "native")
    assert set(metadata) == {LAYOUT_METADATA_KEY}
    assert isinstance(metadata[LAYOUT_METADATA_KEY], str)
    assert decode_layouts(metadata) == layouts
    assert decode_gateset(metadata) == "native"
    # Jobs run before the gateset was stored: layouts read, gateset unknown.
    assert decode_gateset(encode_layouts(layouts)) is None
    assert decode_gateset({}) is None
    assert decode_gateset({LAYOUT_METADATA_KEY: "not base64 zlib"}) is None


def test_shots_to_clbits_follows_the_measurement_map() -> None:
    shots = np.array([0b101, 0b011, 0b101, 0b000])
    # clbit 0 <- qubit 2, clbit 1 <- never, clbit 2 <- qubit 0
    assert shots_to_clbits(shots, (2, -1, 0)).tolist() == [0b101, 0b100, 0b101, 0]
    wide = shots_to_clbits(np.array([1, 2]), [0] * 40 + [1] * 30)
    assert wide.tolist() == [(1 << 40) - 1, ((1 << 70) - 1) ^ ((1 << 40) - 1)]


def test_exact_counts_and_memory_agree_and_format_with_registers() -> None:
    layout = two_register_layout()
    per_shot = results.memory([0b001, 0b100, 0b101], [0.2, 0.3, 0.5], 1000, exact=True, seed=4)
    experiment = experiment_result(layout, 1000, per_shot=per_shot, seed=4)
    result = build_result(
        [experiment], backend_name="simulator", backend_version="v0.4", job_id="j"
    )
    counts = result.get_counts("pair")
    assert sum(counts.values()) == 1000
    assert set(counts) <= {"1 00", "0 01", "1 01"}
    memory = result.get_memory("pair")
    tally = {key: memory.count(key) for key in set(memory)}
    assert tally == counts
    # What BackendSamplerV2 does with the hex memory: the registers come out right.
    bits = BitArray.from_samples(experiment.data.memory, num_bits=3)
    assert bits.slice_bits([2]).get_counts().keys() <= {"0", "1"}
    assert bits.slice_bits([0, 1]).get_counts().keys() <= {"00", "01"}


def test_frequencies_round_by_largest_remainder() -> None:
    layout = CircuitLayout.measure_all("f", 2)
    experiment = experiment_result(
        layout, 100, distribution=([0, 1, 2], [1 / 3, 1 / 3, 1 / 3]), memory=False
    )
    counts = experiment.data.counts
    assert sum(counts.values()) == 100 and sorted(counts.values()) == [33, 33, 34]
    with pytest.raises(ValueError):
        experiment_result(layout, 10)


def test_circuit_without_clbits_counts_every_shot_as_zero() -> None:
    layout = CircuitLayout.of(QuantumCircuit(2, name="none"), to_ionq(QuantumCircuit(2)))
    experiment = experiment_result(layout, 7, per_shot=[3] * 7)
    assert experiment.data.counts == {"0x0": 7}
    assert experiment.data.memory == ["0x0"] * 7


def _reference(shots: list[int], mapping: tuple[int, ...]) -> tuple[dict[str, int], list[str]]:
    """Counts and memory, one shot at a time in plain Python (clbit ``i`` reads qubit map[i])."""
    values = [
        sum(((shot >> q) & 1) << i for i, q in enumerate(mapping) if q >= 0) for shot in shots
    ]
    counts = {hex(v): values.count(v) for v in sorted(set(values))}
    return counts, [hex(v) for v in values]


@pytest.mark.parametrize("seed", range(12))
def test_counts_and_memory_match_a_shot_by_shot_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    qubits = int(rng.integers(1, 9))
    width = int(rng.integers(1, 9))
    mapping = tuple(int(q) for q in rng.integers(-1, qubits, size=width))  # repeats, gaps
    distinct = rng.integers(0, 2**qubits, size=int(rng.integers(1, 6)))
    shots = distinct[rng.integers(0, len(distinct), size=int(rng.integers(0, 1500)))]
    qc = QuantumCircuit(qubits, width, name=f"c{seed}")
    layout = CircuitLayout(
        name=qc.name,
        num_qubits=qubits,
        qregs=(("q", qubits),),
        cregs=(("c", width),),
        measurement_map=mapping,
    )
    made = experiment_result(layout, len(shots), per_shot=shots, memory=True)
    counts, memory = _reference(shots.tolist(), mapping)
    assert list(made.data.counts.items()) == list(counts.items())
    assert made.data.memory == memory
    assert experiment_result(layout, len(shots), per_shot=shots, memory=False).data.counts == counts
