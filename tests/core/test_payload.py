"""build_jobs: exact bodies, option checks, client tokens and splitting at the API limits."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import numpy as np
import pytest

from ionq_direct import payload
from ionq_direct.circuit import Circuit
from ionq_direct.errors import InvalidInputError
from ionq_direct.metadata import CLIENT_TOKEN_KEY
from ionq_direct.payload import JobPart, PreparedJob, build_jobs

GHZ = [
    {"gate": "h", "targets": [0]},
    {"gate": "cnot", "controls": [0], "targets": [1]},
    {"gate": "cnot", "controls": [0], "targets": [2]},
]


def _decode(job: PreparedJob) -> dict[str, Any]:
    body = json.loads(job.body)
    assert isinstance(body, dict)
    assert body["metadata"][CLIENT_TOKEN_KEY] == job.client_token
    return body


def _tiny(
    index: int = 0,
    gates: int = 1,
    name: str | None = None,
    metadata: dict[str, str] | None = None,
) -> Circuit:
    return Circuit(
        [{"gate": "x", "target": 0}] * gates, 1 + index % 2, name=name, metadata=metadata
    )


def test_single_circuit_body_is_exact() -> None:
    circuit = Circuit(GHZ, 3, measurement_map=[0, 1, 2], registers=[("c", 3)])
    [job] = build_jobs([circuit], backend="simulator")
    assert job.type == "ionq.circuit.v1"
    assert job.circuits == range(1)
    assert re.fullmatch(r"[0-9a-f]{32}", job.client_token)
    assert _decode(job) == {
        "type": "ionq.circuit.v1",
        "backend": "simulator",
        "metadata": {CLIENT_TOKEN_KEY: job.client_token},
        "input": {
            "qubits": 3,
            "gateset": "qis",
            "circuit": [
                {"gate": "h", "targets": [0]},
                {"gate": "cnot", "controls": [0], "targets": [1]},
                {"gate": "cnot", "controls": [0], "targets": [2]},
            ],
        },
    }
    assert b" " not in job.body  # compact separators


def test_every_field_on_a_qpu_job() -> None:
    circuit = Circuit(GHZ, 3, metadata={"shape": "ghz"})
    [job] = build_jobs(
        [circuit],
        backend="qpu.forte-1",
        shots=1000,
        name="My job_1-a",
        metadata={"user": "ada"},
        debiasing=True,
        dry_run=True,
        session_id="sess-1",
        extra_settings={"compilation": {"opt": 1}},
    )
    assert _decode(job) == {
        "type": "ionq.circuit.v1",
        "backend": "qpu.forte-1",
        "shots": 1000,
        "name": "My job_1-a",
        "metadata": {"user": "ada", "shape": "ghz", CLIENT_TOKEN_KEY: job.client_token},
        "settings": {"compilation": {"opt": 1}, "error_mitigation": {"debiasing": True}},
        "dry_run": True,
        "session_id": "sess-1",
        "input": {"qubits": 3, "gateset": "qis", "circuit": GHZ},
    }


def test_noise_on_the_simulator() -> None:
    [job] = build_jobs(
        [Circuit(GHZ, 3)], backend="simulator", noise_model="aria-1", noise_seed=7, debiasing=False
    )
    body = _decode(job)
    assert body["noise"] == {"model": "aria-1", "seed": 7}
    assert body["settings"] == {"error_mitigation": {"debiasing": False}}
    [job] = build_jobs([Circuit(GHZ, 3)], backend="simulator", noise_model="ideal", dry_run=False)
    body = _decode(job)
    assert body["noise"] == {"model": "ideal"}
    assert body["dry_run"] is False


def test_multi_circuit_body_is_exact() -> None:
    first = Circuit(GHZ, 3, name="ghz")
    second = Circuit([{"gate": "ms", "targets": [0, 1], "phases": [0, 0.25]}], 2, gateset="native")
    [job] = build_jobs([first, second], backend="simulator", shots=10, name="batch")
    assert job.type == "ionq.multi-circuit.v1"
    assert job.circuits == range(2)
    assert _decode(job) == {
        "type": "ionq.multi-circuit.v1",
        "backend": "simulator",
        "shots": 10,
        "name": "batch",
        "metadata": {CLIENT_TOKEN_KEY: job.client_token},
        "input": {
            "gateset": "qis",
            "circuits": [
                {"circuit": GHZ, "qubits": 3, "gateset": "qis", "name": "ghz"},
                {
                    "circuit": [{"gate": "ms", "targets": [0, 1], "phases": [0, 0.25]}],
                    "qubits": 2,
                    "gateset": "native",
                },
            ],
        },
    }


def test_multi_circuit_flag() -> None:
    [job] = build_jobs([Circuit(GHZ, 3)], backend="simulator", multi_circuit=True)
    assert job.type == "ionq.multi-circuit.v1"
    assert _decode(job)["input"]["circuits"] == [{"circuit": GHZ, "qubits": 3, "gateset": "qis"}]
    jobs = build_jobs([_tiny(0), _tiny(1), _tiny(2)], backend="simulator", multi_circuit=False)
    assert [j.type for j in jobs] == ["ionq.circuit.v1"] * 3
    assert [j.circuits for j in jobs] == [range(0, 1), range(1, 2), range(2, 3)]
    assert [_decode(j)["input"]["qubits"] for j in jobs] == [1, 2, 1]


def test_tokens_are_fresh_per_job_and_per_call() -> None:
    circuits = [_tiny(i) for i in range(4)]
    tokens = [
        j.client_token for j in build_jobs(circuits, backend="simulator", multi_circuit=False)
    ]
    tokens += [j.client_token for j in build_jobs(circuits, backend="simulator")]
    tokens += [j.client_token for j in build_jobs(circuits, backend="simulator")]
    assert len(set(tokens)) == len(tokens) == 6


def test_numpy_scalars_in_gates_are_written_as_numbers() -> None:
    gates = [{"gate": "rx", "target": np.int64(1), "rotation": np.float64(0.5)}]
    [job] = build_jobs([Circuit(gates, 2)], backend="simulator")
    assert _decode(job)["input"]["circuit"] == [{"gate": "rx", "target": 1, "rotation": 0.5}]


@pytest.mark.parametrize("integer", [np.int64, np.int32, np.uint16])
def test_numpy_integer_shots_and_noise_seed_are_accepted(integer: type) -> None:
    # e.g. shots taken from a NumPy array of sweep sizes; the body holds plain JSON integers.
    [job] = build_jobs(
        [Circuit(GHZ, 3)],
        backend="simulator",
        shots=integer(1000),
        noise_model="aria-1",
        noise_seed=integer(7),
    )
    body = _decode(job)
    assert body["shots"] == 1000 and type(body["shots"]) is int
    assert body["noise"] == {"model": "aria-1", "seed": 7}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shots": np.bool_(True)}, "shots must be an integer from 1 to 1,000,000, got "),
        ({"shots": np.int64(0)}, "shots must be an integer from 1 to 1,000,000, got 0"),
        (
            {"noise_model": "aria-1", "noise_seed": np.int64(2**31)},
            "noise_seed must be a 32-bit signed integer, got 2147483648",
        ),
    ],
)
def test_bad_numpy_integer_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build_jobs([Circuit(GHZ, 3)], backend="simulator", **kwargs)
    assert message in str(info.value)


def test_metadata_merges_across_circuits() -> None:
    a = Circuit(GHZ, 3, metadata={"fmt": "x", "a": "1"})
    b = Circuit(GHZ, 3, metadata={"fmt": "x", "b": "2"})
    [job] = build_jobs([a, b], backend="simulator", metadata={"user": "u"})
    assert _decode(job)["metadata"] == {
        "user": "u",
        "fmt": "x",
        "a": "1",
        "b": "2",
        CLIENT_TOKEN_KEY: job.client_token,
    }
    # Separate jobs carry only their own circuit's entries, so they may differ.
    c = Circuit(GHZ, 3, metadata={"fmt": "y"})
    jobs = build_jobs([a, c], backend="simulator", multi_circuit=False)
    assert _decode(jobs[1])["metadata"] == {"fmt": "y", CLIENT_TOKEN_KEY: jobs[1].client_token}


def test_split_parts_carry_only_their_circuits_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_CIRCUITS_PER_JOB", 1)
    a = Circuit(GHZ, 3, metadata={"a": "1"})
    b = Circuit(GHZ, 3, metadata={"b": "2"})
    first, second = build_jobs([a, b], backend="simulator")
    assert _decode(first)["metadata"] == {"a": "1", CLIENT_TOKEN_KEY: first.client_token}
    assert _decode(second)["metadata"] == {"b": "2", CLIENT_TOKEN_KEY: second.client_token}


GOOD: dict[str, Any] = {"backend": "simulator"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": ""}, "backend must be a non-empty string such as 'simulator'"),
        ({"backend": None}, "backend must be a non-empty string"),
        ({"shots": 0}, "shots must be an integer from 1 to 1,000,000, got 0"),
        ({"shots": 1_000_001}, "shots must be an integer from 1 to 1,000,000, got 1000001"),
        ({"shots": True}, "shots must be an integer from 1 to 1,000,000, got True"),
        ({"shots": 10.0}, "got 10.0"),
        ({"name": "a/b"}, "job name 'a/b' contains '/' at position 1; IonQ allows only letters"),
        ({"name": "naïve"}, "job name 'naïve' contains 'ï' at position 2"),
        ({"name": 3}, "job name must be a string, got int"),
        ({"metadata": {"n": 1}}, "metadata['n'] is a int; IonQ stores only string values"),
        ({"metadata": {2: "x"}}, "metadata key 2 is a int; keys must be strings"),
        ({"metadata": "x"}, "metadata must be a mapping of strings to strings, got str"),
        ({"metadata": {CLIENT_TOKEN_KEY: "x"}}, f"metadata key '{CLIENT_TOKEN_KEY}' is reserved"),
        (
            {"backend": "qpu.aria-1", "noise_model": "aria-1"},
            "noise models run only on the simulator, not 'qpu.aria-1'; use backend='simulator'",
        ),
        ({"noise_model": ""}, "noise_model must be a model name such as 'aria-1'"),
        ({"noise_seed": 3}, "noise_seed needs noise_model"),
        ({"noise_model": "aria-1", "noise_seed": 2**31}, "noise_seed must be a 32-bit signed"),
        ({"noise_model": "aria-1", "noise_seed": True}, "noise_seed must be a 32-bit signed"),
        (
            {"debiasing": True, "shots": 1000},
            "debiasing is not available on the 'simulator' backend",
        ),
        (
            {"backend": "qpu.forte-1", "debiasing": True, "shots": 499},
            "debiasing needs at least 500 shots, got 499; pass shots>=500 or debiasing=False",
        ),
        (
            {"backend": "qpu.forte-1", "debiasing": True},
            "debiasing needs at least 500 shots, got the default of 100",
        ),
        (
            {
                "backend": "qpu.forte-1",
                "shots": 100,
                "extra_settings": {"error_mitigation": {"debiasing": True}},
            },
            "debiasing needs at least 500 shots, got 100",
        ),
        (
            {
                "backend": "qpu.forte-1",
                "debiasing": False,
                "extra_settings": {"error_mitigation": {"debiasing": False}},
            },
            "debiasing is given both as debiasing= and in extra_settings",
        ),
        ({"debiasing": "yes"}, "debiasing must be True, False or None, got 'yes'"),
        ({"dry_run": 1}, "dry_run must be True, False or None, got 1"),
        ({"session_id": ""}, "session_id must be a non-empty string"),
        ({"extra_settings": [1]}, "extra_settings must be a mapping, got list"),
        ({"extra_settings": {"a": object()}}, "extra_settings must hold JSON values only"),
        ({"extra_settings": {"a": float("nan")}}, "extra_settings must hold JSON values only"),
        ({"extra_settings": {1: "a"}}, "extra_settings keys must be strings"),
        (
            {"extra_settings": {"error_mitigation": True}},
            "extra_settings['error_mitigation'] must be a mapping",
        ),
        ({"multi_circuit": "yes"}, "multi_circuit must be True, False or None"),
    ],
)
def test_bad_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build_jobs([Circuit(GHZ, 3)], **{**GOOD, **kwargs})
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("circuits", "message"),
    [
        ([], "circuits is empty; give at least one Circuit"),
        (Circuit(GHZ, 3), "circuits must be a list of Circuit objects (wrap one in [ ])"),
        ([Circuit(GHZ, 3), GHZ], "circuits[1] must be an ionq_direct.circuit.Circuit, got list"),
        (
            [Circuit(GHZ, 3, metadata={"k": "a"}), Circuit(GHZ, 3, metadata={"k": "b"})],
            "circuit 1 metadata['k'] = 'b' conflicts with 'a' from circuit 0",
        ),
        (
            [Circuit(GHZ, 3, metadata={CLIENT_TOKEN_KEY: "a"})],
            f"circuit 0 metadata key '{CLIENT_TOKEN_KEY}' is reserved",
        ),
    ],
)
def test_bad_circuits(circuits: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build_jobs(circuits, backend="simulator")
    assert message in str(info.value)


def test_circuit_metadata_conflicting_with_job_metadata() -> None:
    with pytest.raises(
        InvalidInputError, match=r"circuit 0 metadata\['k'\] = 'b' conflicts with 'a' from metadata"
    ):
        build_jobs([Circuit(GHZ, 3, metadata={"k": "b"})], backend="simulator", metadata={"k": "a"})


# ---------------------------------------------------------------------------------------------
# Splitting


def _assert_order(jobs: list[PreparedJob], circuits: list[Circuit]) -> None:
    """The parts tile the input in order, and each part's entries are its circuits."""
    assert jobs[0].circuits.start == 0
    assert jobs[-1].circuits.stop == len(circuits)
    for before, after in itertools.pairwise(jobs):
        assert before.circuits.stop == after.circuits.start
    decoded = [entry for job in jobs for entry in _decode(job)["input"]["circuits"]]
    assert decoded == [payload._entry_dict(c) for c in circuits]
    for job in jobs:
        body = _decode(job)
        assert body["name"] == "split"
        assert body["input"]["gateset"] == circuits[job.circuits.start].gateset
    assert len({job.client_token for job in jobs}) == len(jobs)


def test_split_at_circuit_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_CIRCUITS_PER_JOB", 3)
    circuits = [_tiny(i, name=f"c{i}") for i in range(7)]
    jobs = build_jobs(circuits, backend="simulator", name="split")
    assert [j.circuits for j in jobs] == [range(0, 3), range(3, 6), range(6, 7)]
    _assert_order(jobs, circuits)


def test_split_at_gate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_GATES_PER_JOB", 5)
    circuits = [_tiny(i, gates) for i, gates in enumerate([2, 3, 1, 5, 4, 1, 1])]
    jobs = build_jobs(circuits, backend="simulator", name="split")
    assert [j.circuits for j in jobs] == [
        range(0, 2),
        range(2, 3),
        range(3, 4),
        range(4, 6),
        range(6, 7),
    ]
    _assert_order(jobs, circuits)


def test_split_at_body_limit_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    circuits = [_tiny(i, 3, name=f"n{i}") for i in range(6)]
    [pair] = build_jobs(circuits[:2], backend="simulator", name="split", metadata={"m": "v"})
    monkeypatch.setattr(payload, "MAX_BODY_BYTES", len(pair.body))
    jobs = build_jobs(circuits, backend="simulator", name="split", metadata={"m": "v"})
    assert [j.circuits for j in jobs] == [range(0, 2), range(2, 4), range(4, 6)]
    assert all(len(j.body) == len(pair.body) for j in jobs)
    _assert_order(jobs, circuits)
    monkeypatch.setattr(payload, "MAX_BODY_BYTES", len(pair.body) - 1)
    jobs = build_jobs(circuits, backend="simulator", name="split", metadata={"m": "v"})
    assert [len(j.circuits) for j in jobs] == [1] * 6
    assert all(len(j.body) <= len(pair.body) - 1 for j in jobs)
    _assert_order(jobs, circuits)


def test_split_with_mixed_gatesets_keeps_each_parts_first_gateset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(payload, "MAX_CIRCUITS_PER_JOB", 2)
    native = Circuit([{"gate": "gpi", "target": 0, "phase": 0.5}], 1, gateset="native")
    circuits = [_tiny(0), native, native, _tiny(1)]
    jobs = build_jobs(circuits, backend="simulator", name="split")
    assert [_decode(j)["input"]["gateset"] for j in jobs] == ["qis", "native"]
    _assert_order(jobs, circuits)


def test_real_limits_split_5001_circuits() -> None:
    circuits = [_tiny(i) for i in range(5001)]
    jobs = build_jobs(circuits, backend="simulator", name="split")
    assert [j.circuits for j in jobs] == [range(0, 5000), range(5000, 5001)]
    assert [j.type for j in jobs] == ["ionq.multi-circuit.v1"] * 2
    _assert_order(jobs, circuits)


def test_real_gate_limit_splits_two_big_circuits() -> None:
    big = Circuit([{"gate": "x", "target": 0}] * 100_000, 1)
    jobs = build_jobs([big, big], backend="simulator")
    assert [j.circuits for j in jobs] == [range(0, 1), range(1, 2)]


def test_one_circuit_over_the_gate_limit_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_GATES_PER_JOB", 2)
    circuits = [_tiny(0, 1), _tiny(1, 3)]
    with pytest.raises(InvalidInputError, match="circuit 1 has 3 gates; a multi-circuit job may"):
        build_jobs(circuits, backend="simulator")
    # The gate limit is a multi-circuit limit: alone, the circuit goes as ionq.circuit.v1.
    jobs = build_jobs(circuits, backend="simulator", multi_circuit=False)
    assert [j.type for j in jobs] == ["ionq.circuit.v1"] * 2


@pytest.mark.parametrize("multi", [True, False])
def test_one_circuit_over_the_body_limit_is_an_error(
    monkeypatch: pytest.MonkeyPatch, multi: bool
) -> None:
    monkeypatch.setattr(payload, "MAX_BODY_BYTES", 400)
    circuits = [_tiny(0, 1), _tiny(1, 30)]
    with pytest.raises(InvalidInputError, match=r"circuit 1 makes a [\d,]+-byte request; IonQ"):
        build_jobs(circuits, backend="simulator", multi_circuit=multi)


def _without_tokens(jobs: list[PreparedJob]) -> list[bytes]:
    return [job.body.replace(job.client_token.encode(), b"TOKEN") for job in jobs]


@pytest.mark.parametrize("multi", [True, False])
def test_chunked_encoding_writes_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, multi: bool
) -> None:
    rotations = [{"gate": "rz", "target": q % 3, "rotation": 0.1 * q} for q in range(11)]
    circuits = [
        Circuit(rotations, 3, name="long"),
        _tiny(1, 2),
        Circuit(rotations[:3], 3),
        _tiny(2, 1, name="short"),
        Circuit(rotations, 3),
    ]
    whole = build_jobs(circuits, backend="simulator", multi_circuit=multi, metadata={"k": "v"})
    for chunk in (1, 2, 3, 5):
        monkeypatch.setattr(payload, "_CHUNK_ITEMS", chunk)
        pieces = build_jobs(circuits, backend="simulator", multi_circuit=multi, metadata={"k": "v"})
        assert _without_tokens(pieces) == _without_tokens(whole)
    for job in whole:  # exact bodies: the decoded form is what to_input / _entry_dict describe
        body = _decode(job)
        if multi:
            assert body["input"]["circuits"] == [payload._entry_dict(c) for c in circuits]
        else:
            assert body["input"] == circuits[job.circuits.start].to_input()


@pytest.mark.parametrize("multi", [True, False])
def test_a_value_json_cannot_hold_names_the_circuit(multi: bool) -> None:
    odd = Circuit([{"gate": "x", "target": 0, "note": {1, 2}}], 1)
    with pytest.raises(InvalidInputError, match="circuit 1 cannot be written as JSON"):
        build_jobs([_tiny(0), odd], backend="simulator", multi_circuit=multi)


def test_bodies_are_exact_size_copies() -> None:
    """orjson's buffers are larger than their contents; bodies must not keep that slack."""
    import tracemalloc

    big = Circuit([{"gate": "rx", "target": 0, "rotation": 0.25 * i} for i in range(20_000)], 1)
    for multi in (False, True):
        tracemalloc.start()
        try:
            [job] = build_jobs([big], backend="simulator", multi_circuit=multi)
            retained, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert retained < 1.3 * len(job.body)


# Per-part metadata ---------------------------------------------------------------------


def test_part_metadata_gives_each_job_its_own_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payload, "MAX_CIRCUITS_PER_JOB", 2)
    seen: list[JobPart] = []

    def own(part: JobPart) -> dict[str, str]:
        seen.append(part)
        return {"part": str(part.number), "first": str(part.circuits.start)}

    circuits = [_tiny(i, metadata={"c": "x"}) for i in range(5)]
    jobs = build_jobs(
        circuits, backend="simulator", name="split", metadata={"u": "1"}, part_metadata=own
    )
    assert [j.circuits for j in jobs] == [range(0, 2), range(2, 4), range(4, 5)]
    for number, job in enumerate(jobs):
        assert _decode(job)["metadata"] == {
            "u": "1",
            "part": str(number),
            "first": str(job.circuits.start),
            "c": "x",
            CLIENT_TOKEN_KEY: job.client_token,
        }
    # Once for the whole batch (to size the split), then once per job: each body built once.
    assert seen == [
        JobPart(0, range(5)),
        JobPart(0, range(0, 2)),
        JobPart(1, range(2, 4)),
        JobPart(2, range(4, 5)),
    ]
    _assert_order(jobs, circuits)


def test_part_metadata_of_one_job_and_of_single_circuit_jobs() -> None:
    def own(part: JobPart) -> dict[str, str]:
        return {"n": f"{part.number}:{part.circuits.start}-{part.circuits.stop}"}

    [one] = build_jobs([_tiny(0), _tiny(1)], backend="simulator", part_metadata=own)
    assert _decode(one)["metadata"]["n"] == "0:0-2"
    singles = build_jobs(
        [_tiny(0), _tiny(1)], backend="simulator", part_metadata=own, multi_circuit=False
    )
    assert [_decode(j)["metadata"]["n"] for j in singles] == ["0:0-1", "1:1-2"]


def test_a_part_whose_metadata_outgrows_the_batchs_is_split_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    circuits = [_tiny(i, 3) for i in range(6)]

    seen: list[JobPart] = []

    def own(part: JobPart) -> dict[str, str]:
        # Smaller for the whole batch than for a part (by more than a circuit's entry): the
        # first sizing puts three circuits in a part, and that part's body is too large.
        seen.append(part)
        return {"pad": "x" * (1 if len(part.circuits) == 6 else 200)}

    [pair] = build_jobs(
        circuits[:2], backend="simulator", name="split", metadata={"pad": "x" * 200}
    )
    monkeypatch.setattr(payload, "MAX_BODY_BYTES", len(pair.body))
    jobs = build_jobs(circuits, backend="simulator", name="split", part_metadata=own)
    assert all(len(j.body) <= len(pair.body) for j in jobs)
    assert [len(j.circuits) for j in jobs] == [2, 2, 2]
    assert seen[:2] == [JobPart(0, range(6)), JobPart(0, range(0, 3))] and len(seen) == 5
    _assert_order(jobs, circuits)


def test_part_metadata_conflicting_with_a_circuits_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match=r"circuit 0 metadata\['k'\] = 'a' conflicts"):
        build_jobs(
            [_tiny(0, metadata={"k": "a"}), _tiny(1)],
            backend="simulator",
            part_metadata=lambda part: {"k": "b"},
        )
