"""The core Circuit: construction-time validation, gate counts, to_input, and the fast gate path."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ionq_direct.circuit import UNMEASURED, Circuit, CircuitBuilder, check_metadata, check_name
from ionq_direct.errors import InvalidInputError
from ionq_direct.gates import (
    GATES,
    GateCounts,
    GateError,
    GateSpec,
    count_gates,
    iter_parsed,
    validate_circuit,
)

GHZ_GATES = [
    {"gate": "h", "targets": [0]},
    {"gate": "cnot", "controls": [0], "targets": [1]},
    {"gate": "cnot", "controls": [0], "targets": [2]},
]


def test_ghz_to_input_is_the_guides_payload() -> None:
    circuit = Circuit(GHZ_GATES, 3, measurement_map=[0, 1, 2], registers=[("c", 3)])
    assert circuit.to_input() == {
        "qubits": 3,
        "gateset": "qis",
        "circuit": [
            {"gate": "h", "targets": [0]},
            {"gate": "cnot", "controls": [0], "targets": [1]},
            {"gate": "cnot", "controls": [0], "targets": [2]},
        ],
    }
    assert circuit.one_qubit_gates == 1
    assert circuit.two_qubit_gates == 2
    assert circuit.measurement_map == (0, 1, 2)
    assert circuit.registers == (("c", 3),)
    assert circuit.name is None
    assert circuit.metadata == {}


def test_attributes_are_normalised() -> None:
    circuit = Circuit(
        [
            {"gate": "gpi2", "target": 1, "phase": 0.25},
            {"gate": "zz", "targets": [0, 1], "angle": 0.1},
        ],
        2,
        gateset="native",
        measurement_map=[1, 0, 1],
        registers=[["a", 1], ("b", 2)],  # type: ignore[list-item]
        name="bell_test-1 x",
        metadata={"k": "v"},
    )
    assert circuit.gateset == "native"
    assert circuit.measurement_map == (1, 0, 1)
    assert circuit.registers == (("a", 1), ("b", 2))
    assert circuit.name == "bell_test-1 x"
    assert circuit.metadata == {"k": "v"}
    assert (circuit.one_qubit_gates, circuit.two_qubit_gates) == (1, 1)
    assert circuit.to_input()["gateset"] == "native"


def test_numpy_integers_are_accepted_where_indices_are_and_stored_as_int() -> None:
    # Gate indices already accept NumPy integers; the width, the measurement map and the
    # register sizes take them too (e.g. from np.argsort or an array of measured qubits).
    circuit = Circuit(
        [{"gate": "h", "target": np.int64(0)}],
        np.int64(3),
        measurement_map=np.array([2, 0, -1]),
        registers=[("c", np.int32(3))],
    )
    assert circuit.qubits == 3 and type(circuit.qubits) is int
    assert circuit.measurement_map == (2, 0, UNMEASURED)
    assert all(type(q) is int for q in circuit.measurement_map)
    assert circuit.registers == (("c", 3),) and type(circuit.registers[0][1]) is int


def test_unmeasured_classical_bits_are_minus_one() -> None:
    circuit = Circuit(GHZ_GATES, 3, measurement_map=[-1, 2, -1], registers=[("c", 3)])
    assert circuit.measurement_map == (UNMEASURED, 2, UNMEASURED)


def test_counts_include_controls_and_empty_circuit() -> None:
    circuit = Circuit(
        [
            {"gate": "x", "target": 0},
            {"gate": "rz", "target": 1, "rotation": 0.5},
            {"gate": "x", "target": 0, "controls": [1, 2]},
            {"gate": "swap", "targets": [0, 2]},
            {"gate": "pauliexp", "targets": [0], "terms": ["Z"], "coefficients": [1.0], "time": 1},
        ],
        3,
    )
    assert (circuit.one_qubit_gates, circuit.two_qubit_gates) == (3, 2)
    empty = Circuit([], 1)
    assert (empty.one_qubit_gates, empty.two_qubit_gates) == (0, 0)
    assert empty.to_input() == {"qubits": 1, "gateset": "qis", "circuit": []}


def test_gates_list_is_copied() -> None:
    gates = [{"gate": "h", "target": 0}]
    circuit = Circuit(gates, 1)
    gates.append({"gate": "x", "target": 5})
    assert len(circuit.gates) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"qubits": 0}, "qubits must be an integer >= 1, got 0"),
        ({"qubits": True}, "qubits must be an integer >= 1, got True"),
        ({"qubits": 2.0}, "qubits must be an integer >= 1, got 2.0"),
        ({"gateset": "QIS"}, "gateset must be 'qis' or 'native', got 'QIS'"),
        ({"gates": {"gate": "h"}}, "gates must be a list of IonQ gate dicts, got dict"),
        ({"gates": [{"gate": "h", "target": 2}]}, "circuit[0]: qubit index 2 out of range 0..1"),
        ({"gates": [{"gate": "foo", "target": 0}]}, "circuit[0]: unknown qis gate 'foo'"),
        (
            {"gates": [{"gate": "gpi", "target": 0, "phase": 0}]},
            "'gpi' is a native gate and gatesets cannot be mixed",
        ),
        (
            {"gates": [{"gate": "rx", "target": 0, "rotation": math.nan}]},
            "circuit[0].rotation must be a finite number, got nan",
        ),
        (
            {"gates": [{"gate": "x", "target": 0, "controls": list(range(1, 9))}], "qubits": 9},
            "circuit[0]: 8 controls; IonQ allows at most 7",
        ),
        (
            {"gates": [{"gate": "gpi", "target": 0, "phase": 1.5}], "gateset": "native"},
            "circuit[0].phase must lie in [-1.0, 1.0], got 1.5",
        ),
        ({"measurement_map": [0, 2]}, "measurement_map[1] = 2 is not a qubit index in 0..1"),
        ({"measurement_map": [-2]}, "measurement_map[0] = -2 is not a qubit index in 0..1"),
        ({"measurement_map": [True]}, "measurement_map[0] = True is not a qubit index"),
        ({"measurement_map": "01"}, "measurement_map must be a sequence of qubit indices"),
        ({"qubits": np.bool_(True)}, "qubits must be an integer >= 1, got "),
        ({"measurement_map": [np.bool_(False)]}, "is not a qubit index in 0..1"),
        (
            {"measurement_map": np.array([[0]])},
            "measurement_map must be a sequence of qubit indices",
        ),
        (
            {"gates": [{"gate": "rx", "target": 0, "rotation": 10**400}]},
            "circuit[0].rotation must be a finite number, got an integer of 1329 bits, too large",
        ),
        (
            {"gates": [{"gate": "gpi", "target": 0, "phase": -(10**400)}], "gateset": "native"},
            "circuit[0].phase must be a finite number, got an integer of 1329 bits, too large",
        ),
        (
            {"gates": [{"gate": "rx", "target": 0, "rotation": 10**5000}]},
            "circuit[0].rotation must be a finite number, got an integer of 16610 bits, too large",
        ),
        (
            {"measurement_map": [0, 1], "registers": [("c", 1)]},
            "registers cover 1 classical bit(s) but measurement_map has 2",
        ),
        ({"measurement_map": [0]}, "registers cover 0 classical bit(s) but measurement_map has 1"),
        (
            {"measurement_map": [0], "registers": [("c", -1), ("d", 2)]},
            "register 'c' size must be an integer >= 0, got -1",
        ),
        ({"registers": [("c",)]}, "registers[0] must be a (name, size) pair"),
        ({"registers": [(3, 0)]}, "registers[0] name must be a string, got 3"),
        ({"registers": [("c", 0), ("c", 0)]}, "register name 'c' appears twice"),
        ({"name": "bell/1"}, "circuit name 'bell/1' contains '/' at position 4"),
        ({"name": 5}, "circuit name must be a string, got int"),
        ({"metadata": {"a": 1}}, "circuit metadata['a'] is a int; IonQ stores only string values"),
        ({"metadata": {1: "a"}}, "circuit metadata key 1 is a int; keys must be strings"),
        ({"metadata": ["a"]}, "circuit metadata must be a mapping of strings to strings"),
    ],
)
def test_construction_errors(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"gates": [{"gate": "h", "target": 0}], "qubits": 2}
    args.update(kwargs)
    with pytest.raises(InvalidInputError) as info:
        Circuit(args.pop("gates"), args.pop("qubits"), **args)
    assert message in str(info.value)


def test_gate_errors_carry_key_and_code() -> None:
    with pytest.raises(GateError) as info:
        Circuit(
            [{"gate": "h", "target": 0}, {"gate": "x", "target": 0, "controls": list(range(1, 9))}],
            9,
        )
    assert info.value.key == "circuit[1].controls"
    assert info.value.code == "TooManyControls"


def test_name_helpers() -> None:
    assert check_name("ok name_1-2") == "ok name_1-2"
    with pytest.raises(InvalidInputError, match="job name 'café' contains 'é' at position 3"):
        check_name("café", "job name")
    assert check_metadata({"a": "b"}) == {"a": "b"}


def test_repr_names_the_shape() -> None:
    assert repr(Circuit(GHZ_GATES, 3, name="ghz")) == (
        "<Circuit 'ghz' qubits=3 gateset=qis gates=3 clbits=0>"
    )


# ---------------------------------------------------------------------------------------------
# The fast validation path must accept and reject exactly what parse_gate does.


def _slow(circuit: Any, gateset: str, qubits: int | None, max_controls: int | None = 7) -> Any:
    try:
        return count_gates(
            iter_parsed(circuit, gateset=gateset, qubits=qubits, max_controls=max_controls)
        )
    except Exception as exc:  # any outcome must match
        return (type(exc), str(exc), getattr(exc, "key", None), getattr(exc, "code", None))


def _fast(circuit: Any, gateset: str, qubits: int | None, max_controls: int | None = 7) -> Any:
    try:
        return validate_circuit(circuit, gateset=gateset, qubits=qubits, max_controls=max_controls)
    except Exception as exc:  # any outcome must match
        return (type(exc), str(exc), getattr(exc, "key", None), getattr(exc, "code", None))


BAD_GATES: list[tuple[str, Any]] = [
    ("qis", 5),
    ("qis", [1]),
    ("qis", {"targets": [0]}),
    ("qis", {"gate": ["h"], "targets": [0]}),
    ("qis", {"gate": "H", "targets": [0]}),
    ("qis", {"gate": "gpi", "target": 0, "phase": 0.0}),
    ("qis", {"gate": "h"}),
    ("qis", {"gate": "h", "targets": []}),
    ("qis", {"gate": "h", "targets": [0, 1]}),
    ("qis", {"gate": "h", "target": 0, "targets": [0]}),
    ("qis", {"gate": "h", "target": True}),
    ("qis", {"gate": "h", "target": 0.0}),
    ("qis", {"gate": "h", "target": "0"}),
    ("qis", {"gate": "h", "targets": [True]}),
    ("qis", {"gate": "h", "targets": "0"}),
    ("qis", {"gate": "h", "target": -1}),
    ("qis", {"gate": "h", "target": 3}),
    ("qis", {"gate": "h", "target": 10**30}),
    ("qis", {"gate": "cnot", "target": 0}),
    ("qis", {"gate": "cnot", "targets": [0], "controls": []}),
    ("qis", {"gate": "cnot", "target": 0, "control": 0}),
    ("qis", {"gate": "cnot", "target": 0, "control": 1, "controls": [2]}),
    ("qis", {"gate": "cnot", "target": 0, "control": True}),
    ("qis", {"gate": "cnot", "target": 0, "controls": [1, 1]}),
    ("qis", {"gate": "cnot", "target": 0, "controls": [1, "2"]}),
    ("qis", {"gate": "cnot", "target": 0, "controls": 1}),
    ("qis", {"gate": "cnot", "target": 0, "controls": [1, 2, 3, 4, 5, 6, 7, 8]}),
    ("qis", {"gate": "swap", "targets": [0, 0]}),
    ("qis", {"gate": "swap", "targets": [0]}),
    ("qis", {"gate": "swap", "target": 0}),
    ("qis", {"gate": "rx", "target": 0}),
    ("qis", {"gate": "rx", "target": 0, "rotation": None}),
    ("qis", {"gate": "rx", "target": 0, "rotation": "1"}),
    ("qis", {"gate": "rx", "target": 0, "rotation": True}),
    ("qis", {"gate": "rx", "target": 0, "rotation": math.inf}),
    ("qis", {"gate": "rx", "target": 0, "rotation": -math.inf}),
    ("qis", {"gate": "rx", "target": 0, "rotation": math.nan}),
    ("qis", {"gate": "rx", "target": 0, "rotation": np.float64(math.nan)}),
    ("qis", {"gate": "xx", "targets": [0, 1], "rotation": [1.0]}),
    ("qis", {"gate": "pauliexp", "targets": [0], "terms": ["ZZ"], "coefficients": [1], "time": 1}),
    ("qis", {"gate": "pauliexp", "targets": [0], "terms": ["Z"], "coefficients": [1], "time": 0}),
    ("native", {"gate": "h", "target": 0}),
    ("native", {"gate": "gpi", "target": 0}),
    ("native", {"gate": "gpi", "target": 0, "phase": 1.0000001}),
    ("native", {"gate": "gpi", "target": 0, "phase": -1.5}),
    ("native", {"gate": "gpi", "target": 0, "phase": math.nan}),
    ("native", {"gate": "gpi2", "target": 0, "phase": 0.1, "control": 1}),
    ("native", {"gate": "gpi2", "target": 0, "phase": 0.1, "controls": [1]}),
    ("native", {"gate": "ms", "targets": [0, 1]}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0]}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0, 2.0]}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0, 0.1], "angle": 0.3}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0, 0.1], "angle": -0.1}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0, 0.1], "angle": None}),
    ("native", {"gate": "ms", "targets": [1, 1], "phases": [0.0, 0.1]}),
    ("native", {"gate": "zz", "targets": [0, 1]}),
    ("native", {"gate": "zz", "targets": [0, 1], "angle": 1.5}),
    ("native", {"gate": "zz", "targets": [0, 1], "phase": 1.5}),
    ("native", {"gate": "nop", "target": 0}),
]

GOOD_GATES: list[tuple[str, Any]] = [
    ("qis", {"gate": "h", "target": 0}),
    ("qis", {"gate": "h", "targets": [2], "target": None, "controls": None}),
    ("qis", {"gate": "h", "targets": [0], "controls": []}),
    ("qis", {"gate": "rx", "target": 0, "rotation": 1}),
    ("qis", {"gate": "rx", "target": np.int64(1), "rotation": np.float64(0.5)}),
    ("qis", {"gate": "rx", "targets": (0,), "rotation": 0.5}),
    ("qis", {"gate": "cnot", "control": 2, "target": 0}),
    ("qis", {"gate": "cnot", "controls": [1, 2], "targets": [0]}),
    ("qis", {"gate": "swap", "targets": [0, 2], "controls": [1]}),
    ("qis", {"gate": "zz", "targets": [1, 0], "rotation": -0.3, "extra": "ignored"}),
    ("native", {"gate": "gpi", "target": 0, "phase": 1.0}),
    ("native", {"gate": "gpi2", "targets": [1], "phase": -1}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0.0, 0.25]}),
    ("native", {"gate": "ms", "targets": [0, 1], "phases": [0, 0.25], "angle": 0.25}),
    ("native", {"gate": "ms", "targets": [2, 1], "phases": (0.5, -1.0), "angle": 0.0}),
    ("native", {"gate": "zz", "targets": [0, 1], "angle": 0.5}),
    ("native", {"gate": "zz", "targets": [0, 1], "phase": 0.5}),
]


@pytest.mark.parametrize(("gateset", "gate"), BAD_GATES + GOOD_GATES)
def test_fast_and_slow_paths_agree_on_single_gates(gateset: str, gate: Any) -> None:
    circuit = [
        {"gate": "h", "target": 0}
        if gateset == "qis"
        else {"gate": "gpi", "target": 0, "phase": 0.0},
        gate,
    ]
    assert _fast(circuit, gateset, 3) == _slow(circuit, gateset, 3)


def test_bad_table_is_rejected_and_good_table_accepted() -> None:
    for gateset, gate in BAD_GATES:
        assert isinstance(_fast([gate], gateset, 3), tuple), gate
    for gateset, gate in GOOD_GATES:
        assert isinstance(_fast([gate], gateset, 3), GateCounts), gate


def test_fast_path_circuit_level_checks_match() -> None:
    for circuit, gateset in [(None, "qis"), ({"gate": "h"}, "qis"), ([], "bogus")]:
        assert _fast(circuit, gateset, 2) == _slow(circuit, gateset, 2)
    circuit = [{"gate": "x", "target": 0, "controls": [1, 2, 3]}]
    assert _fast(circuit, "qis", None, None) == _slow(circuit, "qis", None, None)
    assert _fast(circuit, "qis", 4, 2) == _slow(circuit, "qis", 4, 2)
    assert isinstance(_fast(circuit, "qis", 4, 2), tuple)
    huge = [{"gate": "h", "target": 10**20}]
    assert _fast(huge, "qis", None) == _slow(huge, "qis", None) == GateCounts(1, 0, 10**20 + 1)


_index = st.one_of(st.integers(-1, 4), st.booleans(), st.none(), st.floats(0, 2), st.just("1"))
_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 3),
    st.none(),
    st.booleans(),
    st.sampled_from([0.25, -1.0, 1.0, 0.0, 0.26]),
)
_index_list = st.one_of(st.lists(_index, max_size=4), st.tuples(_index), _index)
_gate = st.fixed_dictionaries(
    {
        "gate": st.sampled_from(
            ["h", "x", "rx", "rz", "cnot", "swap", "zz", "xx", "gpi", "gpi2", "ms", "nop", "q"]
        )
    },
    optional={
        "target": _index,
        "targets": _index_list,
        "control": _index,
        "controls": _index_list,
        "rotation": _number,
        "phase": _number,
        "angle": _number,
        "phases": st.one_of(st.lists(_number, max_size=3), _number),
    },
)


@settings(max_examples=600, deadline=None)
@given(gates=st.lists(_gate, max_size=4), gateset=st.sampled_from(["qis", "native"]))
def test_fast_and_slow_paths_agree_on_random_gates(
    gates: list[dict[str, Any]], gateset: str
) -> None:
    assert _fast(gates, gateset, 4) == _slow(gates, gateset, 4)
    assert _fast(gates, gateset, 4, 1) == _slow(gates, gateset, 4, 1)


def test_builder_finishes_with_the_parts_as_given() -> None:
    builder = CircuitBuilder("qis")
    builder.gates.append({"gate": "h", "target": 0})  # valid by construction
    assert builder.add_checked([{"gate": "cnot", "control": 0, "target": 1}]) == 0
    gates = builder.gates
    metadata = {"k": "v"}
    built = builder.finish(
        2,
        one_qubit_gates=1,
        measurement_map=(1, -1),
        registers=(("c", 2),),
        name="n",
        metadata=metadata,
    )
    public = Circuit(
        gates, 2, measurement_map=[1, -1], registers=[("c", 2)], name="n", metadata=metadata
    )
    for attribute in Circuit.__slots__:
        assert getattr(built, attribute) == getattr(public, attribute), attribute
    assert built.gates is gates and built.metadata is metadata  # owned, not copied
    assert repr(built) == repr(public)
    assert builder.gates == [] and builder.gates is not gates  # it starts over
    empty = CircuitBuilder("native").finish(1, one_qubit_gates=0)
    assert (empty.gateset, empty.gates, empty.metadata, empty.measurement_map) == (
        "native",
        [],
        {},
        (),
    )


def test_builder_checks_batches_before_appending_them() -> None:
    builder = CircuitBuilder("native")
    good = {"gate": "gpi", "target": 3, "phase": 0.5}
    assert builder.add_checked([good, {"gate": "zz", "targets": [0, 9], "angle": 0.1}]) == 1
    bad = [good, {"gate": "ms", "targets": [0, 1], "phases": [0.0, 0.0], "angle": 0.3}]
    with pytest.raises(GateError, match=r"gate\[1\]\.angle must lie in \[0.0, 0.25\]") as info:
        builder.add_checked(bad)
    assert info.value.key == "gate[1].angle"
    assert len(builder.gates) == 2  # nothing of the bad batch was appended
    with pytest.raises(GateError, match="unknown native gate 'h'"):
        builder.add_checked([{"gate": "h", "target": 0}])
    with pytest.raises(InvalidInputError, match="gateset must be 'qis' or 'native'"):
        CircuitBuilder("mixed")


def _edge_gate(spec: GateSpec, name: str, value: float) -> dict[str, Any]:
    """A gate of ``spec`` with every parameter in range and ``name`` (a parameter) at ``value``."""
    assert spec.num_targets is not None
    gate: dict[str, Any] = {"gate": spec.name, "targets": list(range(spec.num_targets))}
    if spec.needs_control:
        gate["control"] = spec.num_targets
    for param in (*spec.params, *spec.defaults):
        low, high = spec.ranges[param]
        ok = value if param == name else (0.0 if low <= 0.0 <= high else low)
        gate[param] = [ok] * spec.num_targets if param in spec.per_target else ok
    return gate


_RANGED = [
    (spec, name) for spec in GATES.values() if spec.num_targets is not None for name in spec.ranges
]


@pytest.mark.parametrize(("spec", "name"), _RANGED, ids=lambda v: getattr(v, "name", v))
def test_each_parameter_range_of_the_gate_table_bounds_both_paths(
    spec: GateSpec, name: str
) -> None:
    low, high = spec.ranges[name]
    inside = [x for x in (low, high, (low + high) / 2) if math.isfinite(x)] or [0.5, -7.0]
    outside = [math.nextafter(low, -math.inf), math.nextafter(high, math.inf), math.nan]
    # For (-inf, inf), nextafter gives the infinities: refused too, as any finite number goes.
    for value, accepted in [*((x, True) for x in inside), *((x, False) for x in outside)]:
        circuit = [_edge_gate(spec, name, value)]
        fast = _fast(circuit, spec.gateset, 4)
        assert fast == _slow(circuit, spec.gateset, 4), (value, fast)
        assert isinstance(fast, GateCounts) == accepted, (value, fast)
