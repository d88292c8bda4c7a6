"""``ionq-direct submit program.qasm`` and ``results`` of OpenQASM 3 jobs: counts per register.

The program's registers are deterministic (``mid`` reads 1, ``out`` reads ``10``: bit 0 is 0,
bit 1 is 1), so the tables and the ``--json`` document can be checked outcome by outcome.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ionq_direct import Client
from ionq_emulator import Emulator

#: The ``cli`` fixture (tests/cli/conftest.py): runs ionq-direct in this process.
Runner = Callable[..., Any]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
RESULT_FIELDS = {"id", "status", "backend", "shots", "failure", "circuits", "registers"}
REGISTER_FIELDS = {"name", "bits", "probabilities", "counts"}

PROGRAM = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[1] mid;
bit[2] out;
x q[0];
mid[0] = measure q[0];
reset q[0];
x q[1];
out[0] = measure q[0];
out[1] = measure q[1];
"""


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "reuse.qasm"
    path.write_text(PROGRAM, encoding="utf-8")
    return path


def _job_count(emulator: Emulator) -> int:
    return len(list(Client(api_key=emulator.api_key, base_url=emulator.url).list_jobs()))


def _rows(block: str) -> list[list[str]]:
    """The ``outcome value`` pairs of a histogram's rows (its header left out)."""
    rows = [line.split()[:2] for line in block.splitlines() if line.strip()]
    return [row for row in rows if row[0] != "outcome"]


def test_submit_a_program_prints_counts_per_register(
    service_env: Emulator, cli: Runner, program: Path
) -> None:
    ran = cli("submit", str(program), "--shots", "40", "--noise-model", "forte-1", "--wait")
    assert ran.status == 0, ran.err
    job_id = ran.out.splitlines()[0].removeprefix("submitted job ")
    blocks = ran.out.split("register ")[1:]
    assert [block.split(":")[0] for block in blocks] == ["mid", "out", "output_all"]
    for block, width, dominant in zip(blocks, (1, 2, 3), ("1", "10", "101"), strict=True):
        assert "counts (40 shots):" in block
        counts = dict(_rows(block.split("counts (40 shots):")[1]))
        assert all(len(outcome) == width for outcome in counts)
        assert int(counts[dominant]) >= 30  # forte-1 flips a few of 40 at most
        assert sum(int(n) for n in counts.values()) == 40
    assert "bitstrings read out[1] ... out[0]" in blocks[1]
    again = cli("results", job_id)
    assert again.status == 0 and again.out == ran.out.split("\n", 1)[1]  # the same counts


def test_the_json_document_holds_each_registers_counts(
    service_env: Emulator, cli: Runner, program: Path
) -> None:
    ran = cli(
        "submit", str(program), "--shots", "50", "--noise-model", "aria-1", "--wait", "--json"
    )
    assert ran.status == 0, ran.err
    doc = ran.json()
    assert set(doc) == RESULT_FIELDS and doc["circuits"] == []
    assert doc["status"] == "completed" and doc["shots"] == 50
    registers = {entry["name"]: entry for entry in doc["registers"]}
    assert list(registers) == ["mid", "out", "output_all"]
    assert {name: entry["bits"] for name, entry in registers.items()} == {
        "mid": 1,
        "out": 2,
        "output_all": 3,
    }
    for entry in registers.values():
        assert set(entry) == REGISTER_FIELDS
        assert sum(entry["counts"].values()) == 50
        assert sum(entry["probabilities"].values()) == pytest.approx(1.0)
    # Keys are decimal register values, bit 0 least significant: out = 0b10.
    assert max(registers["out"]["counts"], key=registers["out"]["counts"].get) == "2"
    assert max(registers["output_all"]["counts"], key=registers["output_all"]["counts"].get) == "5"
    assert cli("results", doc["id"], "--json").json() == doc


def test_ideal_simulator_counts_are_sampled_from_its_probabilities(
    service_env: Emulator, cli: Runner, program: Path
) -> None:
    doc = cli("submit", str(program), "--shots", "25", "--wait", "--json").json()
    registers = {entry["name"]: entry for entry in doc["registers"]}
    assert registers["mid"] == {
        "name": "mid",
        "bits": 1,
        "probabilities": {"1": 1.0},
        "counts": {"1": 25},
    }
    assert registers["out"]["counts"] == {"2": 25}
    assert cli("results", doc["id"], "--shots", "10", "--json").json()["registers"][1][
        "counts"
    ] == {"2": 10}
    human = cli("results", doc["id"], "--shots", "10")
    assert ["10", "10"] in _rows(human.out.split("register out")[1].split("counts (10 shots):")[1])


def test_a_program_on_standard_input(service_env: Emulator, cli: Runner) -> None:
    ran = cli("submit", "-", "--shots", "20", "--wait", "--json", stdin=PROGRAM)
    assert ran.status == 0, ran.err
    assert [entry["name"] for entry in ran.json()["registers"]] == ["mid", "out", "output_all"]
    record = cli("job", ran.json()["id"], "--json").json()
    assert record["type"] == "ionq.qasm3.v1"


def test_the_example_program_runs(service_env: Emulator, cli: Runner) -> None:
    doc = cli("submit", str(EXAMPLES / "ghz-dynamic.qasm"), "--wait", "--json").json()
    assert doc["status"] == "completed"
    registers = {entry["name"]: entry for entry in doc["registers"]}
    assert registers["parity"]["probabilities"] == {"0": 1.0}  # a GHZ state has even parities
    assert registers["ghz"]["probabilities"] == {"0": pytest.approx(0.5), "7": pytest.approx(0.5)}


def test_a_program_outside_the_subset_reports_its_preflight_failure(
    service_env: Emulator, cli: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "branch.qasm"
    path.write_text(PROGRAM.replace("reset q[0];", "if (mid[0]) { x q[0]; }"), encoding="utf-8")
    ran = cli("submit", str(path), "--wait")
    assert ran.status == 1
    assert "failed: PreflightError: an if/else branch" in ran.out
    doc = cli("results", ran.out.split()[2], "--json").json()
    assert doc["status"] == "failed" and doc["registers"] == []
    assert doc["failure"]["code"] == "PreflightError"


def test_an_implausible_program_is_refused_before_sending(
    service_env: Emulator, cli: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "old.qasm"
    path.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n', encoding="utf-8")
    before = _job_count(service_env)
    ran = cli("submit", str(path))
    assert ran.status == 2 and ran.out == ""
    assert "does not start with 'OPENQASM 3.0;'" in ran.err
    assert _job_count(service_env) == before


def test_noise_model_applies_to_a_json_job_file_too(service_env: Emulator, cli: Runner) -> None:
    ran = cli("submit", str(EXAMPLES / "ghz-job.json"), "--noise-model", "aria-1", "--json")
    assert ran.status == 0, ran.err
    record = cli("job", ran.json()["id"], "--json").json()
    assert record["noise"]["model"] == "aria-1"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_plot_draws_one_panel_per_register(
    service_env: Emulator, cli: Runner, program: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    single, registers = tmp_path / "one.png", tmp_path / "registers.png"
    assert (
        cli("submit", str(EXAMPLES / "ghz-job.json"), "--wait", "--plot", str(single)).status == 0
    )
    ran = cli("submit", str(program), "--wait", "--plot", str(registers))
    assert ran.status == 0 and f"plot written to {registers}" in ran.err
    scripted = cli("results", ran.out.split()[2], "--plot", str(registers), "--json")
    assert json.loads(scripted.out)["registers"]  # stdout: only the JSON
    one_width, one_height = _png_size(single)
    width, height = _png_size(registers)
    assert width == one_width and height > 2 * one_height  # three panels
