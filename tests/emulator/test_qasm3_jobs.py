"""ionq.qasm3.v1 jobs on the emulator: preflight of IonQ's subset, results and artifacts."""

from __future__ import annotations

from typing import Any

import pytest
from emulator_support import Api
from qiskit import qasm3, transpile
from qiskit_aer import AerSimulator

from ionq_direct import artifacts

HEADER = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n'
MID_CIRCUIT = HEADER + (
    "qubit[2] q;\nbit[1] mid;\nbit[2] out;\n"
    "h q[0];\nmid[0] = measure q[0];\nreset q[0];\nry(1.1) q[0];\ncx q[0], q[1];\n"
    "out[0] = measure q[0];\nout[1] = measure q[1];\n"
)


def job(program: str, **extra: Any) -> dict[str, Any]:
    return {"type": "ionq.qasm3.v1", "backend": "simulator", "input": {"data": program}, **extra}


def artifact(api: Api, record: dict[str, Any], fmt: str) -> Any:
    descriptor = record["results"][fmt]
    return api.get(f"/jobs/{record['id']}/artifacts/{descriptor['id']}").json()


def aer_frequencies(program: str, shots: int = 20000) -> dict[str, float]:
    sim = AerSimulator(seed_simulator=3)
    counts = sim.run(transpile(qasm3.loads(program), sim), shots=shots).result().get_counts()
    return {key: n / shots for key, n in counts.items()}


def test_noisy_job_answers_with_v2_artifacts_and_legacy_urls(api: Api) -> None:
    record = api.run(job(MID_CIRCUIT, shots=400, noise={"model": "aria-1", "seed": 4}))
    assert record["status"] == "completed" and record["type"] == "ionq.qasm3.v1"
    results = record["results"]
    for kind in ("probabilities", "histogram", "shots"):
        assert results[kind]["url"] == f"/v0.4/jobs/{record['id']}/results/{kind}"
    shots = artifacts.parse_shots(artifact(api, record, artifacts.SHOTS_V2))
    assert shots.kept == 400 and set(shots.registers) == {"mid", "out", "output_all"}
    # output_all is every declared bit in declaration order: mid, then out
    whole = shots.values("output_all")
    assert whole.tolist() == (shots.values("mid") | shots.values("out") << 1).tolist()
    histogram = artifacts.parse_histogram(artifact(api, record, artifacts.HISTOGRAM_V2))
    assert sum(histogram["out"].values()) == 400
    legacy = api.get(f"/jobs/{record['id']}/results/shots").json()
    assert legacy == [str(v) for v in whole.tolist()]  # v1 keys: output_all, bit 0 = LSB


def test_ideal_job_gives_exact_probabilities_only(api: Api) -> None:
    record = api.run(job(MID_CIRCUIT, shots=100))
    results = record["results"]
    assert artifacts.SHOTS_V2 not in results and "shots" not in results
    exact = artifacts.parse_probabilities(artifact(api, record, artifacts.PROBABILITIES_V2))
    whole = exact["output_all"]
    assert sum(whole.values()) == pytest.approx(1.0)
    reference = aer_frequencies(MID_CIRCUIT)
    for key, frequency in reference.items():
        out, mid = key.split(" ")
        value = int(mid, 2) | int(out, 2) << 1
        assert whole.get(value, 0.0) == pytest.approx(frequency, abs=0.015)


def test_same_seed_same_shots(api: Api) -> None:
    body = job(MID_CIRCUIT, shots=50, noise={"model": "forte-1", "seed": 8})
    first, second = api.run(body), api.run(body)
    assert artifact(api, first, artifacts.SHOTS_V2) == artifact(api, second, artifacts.SHOTS_V2)


REFUSED = {
    "if": ("bit[1] c; qubit[1] q; c[0] = measure q[0]; if (c[0]) { x q[0]; }", "if/else branch"),
    "for": ("qubit[1] q; for int i in [0:2] { x q[0]; }", "for loop"),
    "while": ("bit[1] c; qubit[1] q; while (c[0] == 0) { c[0] = measure q[0]; }", "while loop"),
    "switch": (
        "qubit[1] q; int i = 1; switch (i) { case 1 { x q[0]; } default { } }",
        "classical variable of type int",
    ),
    "def": ("qubit[1] q; def f(qubit a) { x a; } f(q[0]);", "def subroutine"),
    "extern": ("extern f(int) -> int; qubit[1] q;", "extern declaration"),
    "delay": ("qubit[1] q; delay[100ns] q[0];", "delay"),
    "box": ("qubit[1] q; box { x q[0]; }", "box"),
    "float": ("float[64] theta = 0.5; qubit[1] q; rx(theta) q[0];", "type float"),
    "assignment": ("bit[1] c; qubit[1] q; c[0] = 1;", "classical assignment"),
    "include": ('include "mygates.inc"; qubit[1] q;', "only stdgates.inc"),
    "pow": ("qubit[1] q; pow(2) @ x q[0];", "pow() gate modifier"),
    "syntax": ("qubit[1] q; h q[0]", "could not be parsed"),
    "unknown gate": ("qubit[1] q; hadamard q[0];", "invalid"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_constructs_outside_ionqs_subset_fail_in_preflight(api: Api, case: str) -> None:
    body, reason = REFUSED[case]
    record = api.run(job(HEADER + body, shots=10))
    assert record["status"] == "failed"
    assert record["failure"]["code"] == "PreflightError"
    assert reason in record["failure"]["message"]
    assert record["results"] is None


def test_loops_and_branches_name_the_rule_that_refuses_them(api: Api) -> None:
    body, _ = REFUSED["if"]
    message = api.run(job(HEADER + body))["failure"]["message"]
    assert "not supported on any target, including the simulator" in message


def test_too_wide_a_program_fails_with_not_enough_qubits(api: Api) -> None:
    program = HEADER + "qubit[26] q; bit[1] c; c[0] = measure q[25];"
    record = api.run(job(program, noise={"model": "aria-1"}))
    assert record["failure"]["code"] == "NotEnoughQubits"


def test_native_gates_in_turns_match_the_json_native_gateset(api: Api) -> None:
    gates = [
        {"gate": "gpi2", "target": 0, "phase": 0.1},
        {"gate": "ms", "targets": [0, 1], "phases": [0.2, 0.7], "angle": 0.2},
        {"gate": "gpi", "target": 1, "phase": 0.3},
        {"gate": "zz", "targets": [1, 0], "angle": 0.15},
        {"gate": "gpi2", "target": 1, "phase": -0.4},
    ]
    program = HEADER + (
        "qubit[2] q; bit[2] c;\ngpi2(0.1) q[0];\nms(0.2, 0.7, 0.2) q[0], q[1];\n"
        "gpi(0.3) q[1];\nzz(0.15) q[1], q[0];\ngpi2(-0.4) q[1];\nc = measure q;\n"
    )
    record = api.run(job(program))
    assert record["status"] == "completed", record["failure"]
    exact = artifacts.parse_probabilities(artifact(api, record, artifacts.PROBABILITIES_V2))
    native = api.run(
        {
            "type": "ionq.circuit.v1",
            "backend": "simulator",
            "input": {"gateset": "native", "qubits": 2, "circuit": gates},
        }
    )
    expected = api.get(f"/jobs/{native['id']}/results/probabilities").json()
    for value in range(4):
        assert exact["c"].get(value, 0.0) == pytest.approx(expected.get(str(value), 0.0), abs=1e-9)


def test_native_gates_in_turns_run(api: Api) -> None:
    program = HEADER + (
        "qubit[2] q; bit[2] c;\ngpi2(0.25) q[0];\nms(0, 0, 0.25) q[0], q[1];\n"
        "c[0] = measure q[0];\ngpi(0) q[1];\nzz(0.125) q[0], q[1];\nc[1] = measure q[1];\n"
    )
    record = api.run(job(program))
    assert record["status"] == "completed", record["failure"]
    exact = artifacts.parse_probabilities(artifact(api, record, artifacts.PROBABILITIES_V2))
    assert sum(exact["c"].values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (job(""), "input.data"),
        ({"type": "ionq.qasm3.v1", "backend": "simulator", "input": {"data": 3}}, "input.data"),
        (job(MID_CIRCUIT) | {"input": {"data": MID_CIRCUIT, "gateset": "qis"}}, "input.gateset"),
        (job(MID_CIRCUIT) | {"input": {"data": MID_CIRCUIT, "qubits": 0}}, "input.qubits"),
        (job(MID_CIRCUIT, settings={"compilation": {"service_version": 4}}),
         "settings.compilation.service_version"),
    ],
)  # fmt: skip
def test_malformed_bodies_are_400s_naming_the_key(api: Api, body: dict[str, Any], key: str) -> None:
    answer = api.post("/jobs", json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["validation"]["keys"] == [key]


def test_qiskit_ionq_shaped_body_is_accepted(api: Api) -> None:
    body = job(MID_CIRCUIT, shots=20, noise={"model": "aria-1"})
    body["input"]["qubits"] = 2
    body["settings"] = {"compilation": {"service_version": "v0.4"}}
    record = api.run(body)
    assert record["status"] == "completed"
    assert record["settings"]["compilation"] == {"service_version": "v0.4"}


def test_dry_run_completes_without_results_or_compiled_circuit(api: Api) -> None:
    record = api.run(job(MID_CIRCUIT, shots=100, backend="qpu.aria-1", dry_run=True))
    assert record["status"] == "completed" and record["dry_run"] is True
    assert not record.get("results")
    assert record.get("output", {}) == {}  # the compiler here takes JSON circuits only
