"""docs/cli.md runs as written: every ``console`` block, in one bash session, output checked.

Each ``$ command`` line runs in order in one bash process (so ``export`` and variables carry from
block to block), from a scratch directory holding the repository's ``examples/``. The lines
after a command, up to the next ``$``, are its expected stdout: ``...`` inside a line matches any
text on that line, a line that is only ``...`` matches any number of lines. The page starts its
own emulator with ``ionq-direct serve ... &``; the test gives it a free port in place of 8765
and waits for it to listen before the next command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from emulator_support import free_port

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.DOTALL | re.MULTILINE)
_MARK = "@@ionq-direct-docs-command@@"
_DOC_PORT = "8765"


@dataclass
class Step:
    command: str
    expected: list[str]


def _steps(text: str) -> list[Step]:
    steps: list[Step] = []
    for block in _BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:], []))
            else:
                assert steps, f"output before any command in docs/cli.md: {line!r}"
                steps[-1].expected.append(line)
    return steps


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(piece) for piece in line.rstrip().split("...")]
            parts.append("[^\n]*?".join(pieces) + r"\n")
    return re.compile("".join(parts))


def _script(steps: list[Step], port: str) -> str:
    lines = ["trap 'kill $(jobs -p) 2>/dev/null' EXIT", "exec 2>>stderr.log"]
    for index, step in enumerate(steps):
        lines.append(f"echo {_MARK}{index}")
        lines.append(step.command)
        if step.command.rstrip().endswith("&"):
            lines.append(
                f"for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null "
                "&& break; sleep 0.1; done"
            )
    lines.append(f"echo {_MARK}end")
    return "\n".join(lines).replace(_DOC_PORT, port) + "\n"


def test_every_command_on_the_page_runs_and_prints_what_the_page_says(tmp_path: Path) -> None:
    steps = _steps(PAGE.read_text(encoding="utf-8"))
    assert len(steps) >= 20
    named = {word for s in steps for word in re.findall(r"ionq-direct (\w+)", s.command)}
    port = str(free_port())
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name in ("IONQ_API_KEY", "IONQ_API_URL", "COLUMNS", "FORCE_COLOR"):
        env.pop(name, None)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    done = subprocess.run(
        ["bash", "-c", _script(steps, port)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    stderr = (tmp_path / "stderr.log").read_text(encoding="utf-8", errors="replace")
    chunks = re.split(rf"^{_MARK}(\d+|end)\n", done.stdout, flags=re.MULTILINE)
    outputs = dict(zip(chunks[1::2], chunks[2::2], strict=True))
    assert "end" in outputs, f"the page's commands stopped early\n{done.stdout}\n{stderr}"
    for index, step in enumerate(steps):
        actual = "".join(line.rstrip() + "\n" for line in outputs[str(index)].splitlines())
        expected = "\n".join(step.expected).replace(_DOC_PORT, port)
        assert _pattern(step.expected).fullmatch(actual.replace(port, _DOC_PORT)), (
            f"$ {step.command}\n--- expected\n{expected}\n--- got\n{actual}\n--- stderr\n{stderr}"
        )
    assert {"submit", "results", "jobs", "job", "cost", "cancel", "estimate"} <= named
    assert {"backends", "characterizations", "whoami", "sessions", "serve", "demo"} <= named
