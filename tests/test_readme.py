"""The README's first lines are the newcomer's two commands; prove the first one runs.

CI runs the second (``.ci/run`` executes README line 3), so this test runs the first: the part
after ``&&`` of line 2, with the console script this checkout installs.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from importlib.metadata import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()


def _command(line: str) -> tuple[str, str]:
    code = line.split("#", 1)[0].strip()
    install, _, run = code.partition("&&")
    return install.strip(), run.strip()


def test_first_lines_are_the_two_commands() -> None:
    assert README[0].startswith("```")
    extras = metadata("ionq-direct").get_all("Provides-Extra") or []
    for line in README[1:3]:
        install, run = _command(line)
        assert install.startswith("pip install ")
        spec = shlex.split(install)[-1]
        assert spec.startswith(".[") or spec.startswith("-e")
        wanted = spec[spec.index("[") + 1 : spec.index("]")].split(",")
        assert set(wanted) <= set(extras), wanted
        assert run
    assert _command(README[2])[1].startswith("python -m pytest")


def test_first_command_runs_the_demo() -> None:
    _, run = _command(README[1])
    argv = shlex.split(run)
    # The console script lives beside the interpreter running the tests.
    script = Path(sys.executable).parent / argv[0]
    assert script.exists(), f"{argv[0]} is not installed next to {sys.executable}"
    result = subprocess.run(
        [str(script), *argv[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "the guide's GHZ job, as raw JSON" in result.stdout
    assert "000    0.5000" in result.stdout
    assert "111    0.5000" in result.stdout
