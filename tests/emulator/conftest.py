"""Shared fixtures: one embedded emulator for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_support import Api

from ionq_emulator import Emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with Emulator(workers=2) as emu:
        yield emu


@pytest.fixture(scope="session")
def api(emulator: Emulator) -> Api:
    return Api(emulator)
