"""The files in examples/ run as the README and docs/cli.md write them; piped output is clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ionq_direct_cli.demo import GUIDE_JOB
from ionq_emulator import Emulator

Runner = Callable[..., Any]
ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_ghz_example_is_the_guides_job() -> None:
    assert json.loads((ROOT / "examples" / "ghz-job.json").read_text()) == GUIDE_JOB
    circuit = json.loads((ROOT / "examples" / "ghz-circuit.json").read_text())
    assert circuit == GUIDE_JOB["input"]


def _commands(text: str) -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for line in text.splitlines()
        if line.lstrip().startswith("ionq-direct submit")
    ]


def test_the_readmes_submit_lines_run_as_written(
    service_env: Emulator, cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    commands = _commands(README)
    assert commands, "the README shows no submit command"
    for command in commands:
        argv = command.split()[1:]
        assert (ROOT / argv[1]).exists(), command
        ran = cli(*argv)
        assert ran.status == 0, (command, ran.err)
        assert "counts (1024 shots)" in ran.out


@pytest.mark.parametrize("name", ["ghz-job.json", "multi-circuit-job.json"])
def test_every_example_job_completes(service_env: Emulator, cli: Runner, name: str) -> None:
    ran = cli("submit", str(ROOT / "examples" / name), "--wait", "--json")
    assert ran.status == 0, ran.err
    doc = ran.json()
    assert doc["status"] == "completed" and doc["circuits"]
    for entry in doc["circuits"]:
        assert sum(entry["counts"].values()) == doc["shots"]


def test_piped_stdout_holds_only_results(emulator: Emulator) -> None:
    env = dict(os.environ, IONQ_API_KEY=emulator.api_key, IONQ_API_URL=emulator.url)
    command = [sys.executable, "-m", "ionq_direct_cli", "submit", "examples/ghz-job.json"]
    human = subprocess.run(
        [*command, "--wait"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert human.returncode == 0, human.stderr
    assert "elapsed" not in human.stdout and "\r" not in human.stdout
    assert "\x1b[" not in human.stdout  # no colour codes into a pipe
    assert ": completed" in human.stderr
    lines = human.stdout.splitlines()
    assert lines[0].startswith("submitted job ") and lines[1].startswith("probabilities")

    scripted = subprocess.run(
        [*command, "--wait", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert scripted.returncode == 0
    assert json.loads(scripted.stdout)["status"] == "completed"  # one document, nothing else
    assert scripted.stderr == ""
