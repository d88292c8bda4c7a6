"""Fixtures for the peers' documented examples, run against the embedded emulator.

The user's code in these tests is written as qiskit-ionq's and cirq-ionq's documentation writes
it, with only the import changed. Where that code gives no URL (it expects IonQ's cloud), the
harness points the environment at the emulator the way each peer reads it: ``IONQ_API_URL``
(qiskit-ionq, and ours) and ``IONQ_REMOTE_HOST`` (cirq-ionq). Keys come from the user's code.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ionq_direct.emulator import Emulator

#: Every credential or URL variable either peer, or this package, reads.
PEER_ENV = (
    "QISKIT_IONQ_API_TOKEN",
    "IONQ_API_KEY",
    "IONQ_API_TOKEN",
    "QISKIT_IONQ_API_URL",
    "IONQ_API_URL",
    "CIRQ_IONQ_API_KEY",
    "CIRQ_IONQ_REMOTE_HOST",
    "IONQ_REMOTE_HOST",
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def queued_emulator() -> Iterator[Emulator]:
    """An emulator whose QPU jobs stay queued long enough to be canceled."""
    with Emulator(qpu_delay=30) as emu:
        yield emu


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No credential or URL variable from the machine running the tests."""
    for name in PEER_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def deployment(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> Emulator:
    """The environment points both peers' URL variables at the emulator; no key is set."""
    clean_env.setenv("IONQ_API_URL", emulator.url)
    clean_env.setenv("IONQ_REMOTE_HOST", emulator.url)
    return emulator
