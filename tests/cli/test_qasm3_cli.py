"""``ionq-direct submit program.qasm`` and ``results`` of OpenQASM 3 jobs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from ionq_direct_cli.cli import main
from ionq_emulator import Emulator

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


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture
def service_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("IONQ_API_KEY", emulator.api_key)
    monkeypatch.setenv("IONQ_API_URL", emulator.url)
    return emulator


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_submit_a_program_and_print_counts_per_register(
    service_env: Emulator, tmp_path: Path
) -> None:
    program = tmp_path / "reuse.qasm"
    program.write_text(PROGRAM, encoding="utf-8")
    status, text = run(
        "submit", str(program), "--shots", "40", "--noise-model", "forte-1", "--wait"
    )
    assert status == 0, text
    job_id = text.splitlines()[0].removeprefix("submitted job ")
    for register, line in (("mid", "1"), ("out", "10"), ("output_all", "101")):
        block = text.split(f"register {register} (40 shots):")[1]
        assert f"  {line:>7}  " in block.splitlines()[2]  # the dominant outcome is listed
    status, again = run("results", job_id)
    assert status == 0 and "register out (40 shots):" in again


def test_ideal_simulator_program_counts_are_sampled(service_env: Emulator, tmp_path: Path) -> None:
    program = tmp_path / "reuse.qasm"
    program.write_text(PROGRAM, encoding="utf-8")
    status, text = run("submit", str(program), "--shots", "25", "--wait")
    assert status == 0, text
    assert "register out (25 shots):" in text
    assert "       10        25  " in text


def test_a_program_outside_the_subset_reports_its_preflight_failure(
    service_env: Emulator, tmp_path: Path
) -> None:
    program = tmp_path / "branch.qasm"
    program.write_text(PROGRAM.replace("reset q[0];", "if (mid[0]) { x q[0]; }"), encoding="utf-8")
    status, text = run("submit", str(program), "--wait")
    assert status == 1
    assert "failed: PreflightError: an if/else branch" in text


def test_an_implausible_program_is_refused_before_sending(
    service_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "old.qasm"
    program.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n', encoding="utf-8")
    status, text = run("submit", str(program))
    assert status == 1 and text == ""
    assert "does not start with 'OPENQASM 3.0;'" in capsys.readouterr().err
