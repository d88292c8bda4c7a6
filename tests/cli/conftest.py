"""Fixtures of the command line tests: one emulator per module, and an in-process runner."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from core_support import FakeTime

from ionq_direct.policy import Policy
from ionq_direct_cli.cli import main
from ionq_emulator import Emulator


@dataclass
class Ran:
    """One run of ``ionq-direct``: its exit status, stdout and stderr."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Ran]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(qpu_delay=0.2) as emu:
        yield emu


@pytest.fixture
def service_env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("IONQ_API_KEY", emulator.api_key)
    monkeypatch.setenv("IONQ_API_URL", emulator.url)
    return emulator


def _runner(policy: Policy | None) -> Runner:
    def run(*argv: str, stdin: str | None = None) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        source = io.StringIO(stdin) if stdin is not None else None
        status = main(list(argv), out=out, err=err, stdin=source, policy=policy)
        return Ran(status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def cli() -> Runner:
    """``cli("submit", "x.json", stdin="...")`` runs the command line in this process."""
    return _runner(None)


@pytest.fixture
def cli_fake_time(fake_time: FakeTime) -> Runner:
    """:func:`cli` whose client waits on a fake clock: retries take no time (no job waits)."""
    return _runner(fake_time.policy)
