"""The core OpenQASM 3 writer, dynamic circuits and ionq.qasm3.v1 job bodies.

Exactness of the writer is checked against the gate table through the reference simulator:
every IonQ gate, written as OpenQASM 3 and read back by Qiskit's importer, gives the same state
as ``ionq_direct.simulate`` on random input states (global phase included for qis gates, which
may be controlled; up to a global phase for native gates, which never are).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from qiskit import qasm3
from qiskit.quantum_info import Statevector

from ionq_direct.errors import GateError, InvalidInputError
from ionq_direct.payload import QASM3_SERVICE_VERSION, build_qasm3_jobs
from ionq_direct.qasm3 import DynamicCircuit, Measure, Reset, check_program, write_program
from ionq_direct.simulate import statevector

RNG = np.random.default_rng(2024)


def _prep(qubits: int) -> list[dict[str, object]]:
    """Random one-qubit rotations and a CNOT chain: a generic entangled input state."""
    gates: list[dict[str, object]] = []
    for q in range(qubits):
        for axis in ("rx", "ry", "rz"):
            gates.append({"gate": axis, "target": q, "rotation": float(RNG.uniform(-3, 3))})
    for q in range(qubits - 1):
        gates.append({"gate": "cnot", "control": q, "target": q + 1})
    return gates


def _qiskit_state(program: str) -> np.ndarray:
    circuit = qasm3.loads(program)
    return np.asarray(Statevector(circuit).data)


QIS_CASES = [
    {"gate": "x", "target": 1},
    {"gate": "y", "target": 0},
    {"gate": "z", "target": 2},
    {"gate": "h", "target": 1},
    {"gate": "s", "target": 0},
    {"gate": "si", "target": 0},
    {"gate": "t", "target": 2},
    {"gate": "ti", "target": 2},
    {"gate": "v", "target": 1},
    {"gate": "vi", "target": 1},
    {"gate": "rx", "target": 0, "rotation": 0.7},
    {"gate": "ry", "target": 1, "rotation": -1.3},
    {"gate": "rz", "target": 2, "rotation": 2.1},
    {"gate": "cnot", "control": 0, "target": 2},
    {"gate": "cnot", "controls": [0, 1], "target": 2},
    {"gate": "y", "control": 2, "target": 0},
    {"gate": "z", "control": 1, "target": 0},
    {"gate": "h", "control": 0, "target": 1},
    {"gate": "s", "control": 0, "target": 1},
    {"gate": "v", "controls": [0, 2], "target": 1},
    {"gate": "rx", "control": 1, "target": 2, "rotation": 0.4},
    {"gate": "ry", "controls": [0, 1], "target": 2, "rotation": 1.9},
    {"gate": "rz", "control": 2, "target": 0, "rotation": -0.8},
    {"gate": "swap", "targets": [0, 2]},
    {"gate": "swap", "control": 1, "targets": [0, 2]},
    {"gate": "xx", "targets": [0, 1], "rotation": 0.9},
    {"gate": "yy", "targets": [2, 0], "rotation": -0.6},
    {"gate": "zz", "targets": [1, 2], "rotation": 1.4},
    {"gate": "zz", "control": 0, "targets": [1, 2], "rotation": 1.4},
    {"gate": "xx", "control": 2, "targets": [0, 1], "rotation": 0.3},
    {
        "gate": "pauliexp",
        "targets": [0, 1, 2],
        "terms": ["XYZ", "ZIZ", "III"],
        "coefficients": [0.3, -0.7, 0.2],
        "time": 0.9,
    },
    {
        "gate": "pauliexp",
        "control": 2,
        "targets": [0, 1],
        "terms": ["YX", "II"],
        "coefficients": [0.5, 0.4],
        "time": 1.1,
    },
]
NATIVE_CASES = [
    {"gate": "gpi", "target": 1, "phase": 0.13},
    {"gate": "gpi2", "target": 0, "phase": -0.41},
    {"gate": "ms", "targets": [0, 2], "phases": [0.1, 0.35], "angle": 0.25},
    {"gate": "ms", "targets": [2, 1], "phases": [-0.2, 0.05], "angle": 0.11},
    {"gate": "zz", "targets": [0, 1], "angle": 0.3},
]


@pytest.mark.parametrize("gate", QIS_CASES, ids=lambda g: json.dumps(g, sort_keys=True))
def test_qis_gates_are_written_exactly(gate: dict[str, object]) -> None:
    prep = _prep(3)
    program = DynamicCircuit([*prep, gate], 3, 0).to_qasm3()
    expected = statevector([*prep, gate], qubits=3)
    np.testing.assert_allclose(_qiskit_state(program), expected, atol=1e-9)


@pytest.mark.parametrize("gate", NATIVE_CASES, ids=lambda g: json.dumps(g, sort_keys=True))
def test_native_gates_are_written_exactly_up_to_global_phase(gate: dict[str, object]) -> None:
    prep = [{"gate": "gpi2", "target": q, "phase": float(RNG.uniform(-1, 1))} for q in range(3)] + [
        {"gate": "ms", "targets": [0, 1], "phases": [0.2, 0.4]}
    ]
    program = DynamicCircuit([*prep, gate], 3, 0, gateset="native").to_qasm3()
    expected = statevector([*prep, gate], qubits=3, gateset="native")
    got = _qiskit_state(program)
    overlap = abs(np.vdot(expected, got))
    assert overlap == pytest.approx(1.0, abs=1e-9)


def test_measure_and_reset_are_written_in_order() -> None:
    circuit = DynamicCircuit(
        [{"gate": "h", "target": 0}, Measure(0, 1), Reset(0), Measure(0, 0)], 2, 2
    )
    program = write_program(circuit)
    body = program.splitlines()
    assert body[:4] == ["OPENQASM 3.0;", 'include "stdgates.inc";', "qubit[2] q;", "bit[2] c;"]
    assert body[4:] == ["h q[0];", "c[1] = measure q[0];", "reset q[0];", "c[0] = measure q[0];"]
    loaded = qasm3.loads(program)
    assert [inst.name for inst in loaded.data] == ["h", "measure", "reset", "measure"]


def test_dynamic_circuit_validates_every_step() -> None:
    with pytest.raises(GateError, match=r"step\[1\]"):
        DynamicCircuit([Measure(0, 0), {"gate": "hadamard", "target": 0}], 1, 1)
    with pytest.raises(InvalidInputError, match=r"step\[0\] \(measure\) classical bit 3"):
        DynamicCircuit([Measure(0, 3)], 1, 2)
    with pytest.raises(InvalidInputError, match=r"step\[0\] \(reset\) qubit 2"):
        DynamicCircuit([Reset(2)], 2, 0)
    with pytest.raises(InvalidInputError, match="registers cover 1"):
        DynamicCircuit([Measure(0, 0)], 1, 2, registers=[("a", 1)])
    with pytest.raises(InvalidInputError, match="circuit name"):
        DynamicCircuit([], 1, 0, name="bad/name")


@pytest.mark.parametrize(
    ("program", "message"),
    [
        (3, "must be a string"),
        ("   ", "empty"),
        ("OPENQASM 2.0; qreg q[1];", "OPENQASM 3.0"),
        ("qubit q; h q;", "OPENQASM 3.0"),
        ("// header\nOPENQASM 3; bit c;", "declares no qubits"),
    ],
)
def test_implausible_programs_are_refused(program: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_program(program)


def test_plausible_programs_pass_unchanged() -> None:
    text = '/* a comment */ OPENQASM 3.0;\ninclude "stdgates.inc";\nqreg q[1];'
    assert check_program(text) is text


def _body(job: object) -> dict[str, object]:
    return json.loads(job.body)  # type: ignore[attr-defined]


def test_job_body_carries_the_program_and_pins_the_service_version() -> None:
    circuit = DynamicCircuit([{"gate": "h", "target": 0}, Measure(0, 0)], 1, 1)
    [job] = build_qasm3_jobs(
        [circuit], backend="simulator", shots=300, noise_model="aria-1", name="dyn"
    )
    body = _body(job)
    assert job.type == body["type"] == "ionq.qasm3.v1"
    assert body["input"] == {"data": circuit.to_qasm3()}
    assert body["settings"] == {"compilation": {"service_version": QASM3_SERVICE_VERSION}}
    assert body["shots"] == 300 and body["noise"] == {"model": "aria-1"}
    assert body["metadata"]["ionq_direct_token"] == job.client_token  # type: ignore[index]


def test_caller_settings_are_kept_beside_the_pinned_version() -> None:
    program = 'OPENQASM 3.0; include "stdgates.inc"; qubit[1] q; bit[1] c; c[0] = measure q[0];'
    [job] = build_qasm3_jobs(
        [program],
        backend="qpu.forte-1",
        shots=1000,
        debiasing=True,
        extra_settings={"compilation": {"opt": 1, "service_version": "v0.5"}},
    )
    settings = _body(job)["settings"]
    assert settings == {
        "compilation": {"opt": 1, "service_version": "v0.5"},
        "error_mitigation": {"debiasing": True},
    }


def test_each_program_is_its_own_job_in_order() -> None:
    programs = [f"OPENQASM 3.0; qubit[{n}] q; bit[1] c; c[0] = measure q[0];" for n in (1, 2, 3)]
    jobs = build_qasm3_jobs(programs, backend="simulator")
    assert [_body(j)["input"] for j in jobs] == [{"data": p} for p in programs]
    assert [j.circuits for j in jobs] == [range(0, 1), range(1, 2), range(2, 3)]
    assert len({j.client_token for j in jobs}) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"programs": ["OPENQASM 3; qubit q;"] * 2, "multi_circuit": True}, "cannot share a job"),
        ({"programs": "OPENQASM 3; qubit q;"}, "list of OpenQASM 3 programs"),
        ({"programs": []}, "empty"),
        ({"programs": ["OPENQASM 2.0; qreg q[1];"]}, "program 0"),
        ({"programs": ["OPENQASM 3; qubit q;"], "shots": 0}, "shots"),
        ({"programs": ["OPENQASM 3; qubit q;"], "backend": "qpu.aria-1", "noise_model": "aria-1"},
         "noise models run only on the simulator"),
        ({"programs": ["OPENQASM 3; qubit q;"], "extra_settings": {"compilation": 3}},
         "must be a mapping"),
        ({"programs": ["OPENQASM 3; qubit q;"],
          "extra_settings": {"compilation": {"service_version": 4}}}, "service_version"),
    ],
)  # fmt: skip
def test_bad_jobs_are_refused_before_sending(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"backend": "simulator", **kwargs}
    with pytest.raises(InvalidInputError, match=message):
        build_qasm3_jobs(**arguments)  # type: ignore[arg-type]


def test_circuit_metadata_merges_and_conflicts_are_named() -> None:
    circuit = DynamicCircuit([Measure(0, 0)], 1, 1, metadata={"tag": "a"})
    [job] = build_qasm3_jobs([circuit], backend="simulator", metadata={"user": "x"})
    metadata = _body(job)["metadata"]
    assert metadata["tag"] == "a" and metadata["user"] == "x"  # type: ignore[index]
    with pytest.raises(InvalidInputError, match="conflicts"):
        build_qasm3_jobs([circuit], backend="simulator", metadata={"tag": "b"})


def test_program_angles_keep_full_precision() -> None:
    angle = math.pi / 7
    program = DynamicCircuit([{"gate": "rz", "target": 0, "rotation": angle}], 1, 0).to_qasm3()
    assert f"rz({angle!r})" in program
