"""Constants and helpers for the REST-layer tests (requests-mock based)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ionq_direct import Client
from ionq_direct.circuit import Circuit
from ionq_direct.gates import validate_circuit
from ionq_direct.policy import Policy

#: A recognisable fake key: tests assert it never leaks into errors, reprs or logs.
API_KEY = "ionq-test-key-SECRET-9f8e7d6c5b4a"
#: A base URL no test really reaches (requests-mock answers instead).
BASE = "https://api.test.invalid/v0.4"


def make_client(**kwargs: Any) -> Client:
    """A client on the fake base URL with the fake key."""
    return Client(API_KEY, BASE, **kwargs)


def query(request: Any) -> dict[str, list[str]]:
    """The query string of a recorded request, case preserved, names to all their values."""
    return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


def path(request: Any) -> str:
    """The path of a recorded request, as sent."""
    return urlsplit(request.url).path


def assert_same_as_validated(circuit: Circuit) -> None:
    """A translator's trusted Circuit equals what full validation of its gates would build."""
    counts = validate_circuit(circuit.gates, gateset=circuit.gateset, qubits=circuit.qubits)
    assert (counts.one_qubit, counts.two_qubit) == (
        circuit.one_qubit_gates,
        circuit.two_qubit_gates,
    )
    validated = Circuit(
        circuit.gates,
        circuit.qubits,
        gateset=circuit.gateset,
        measurement_map=circuit.measurement_map,
        registers=circuit.registers,
        name=circuit.name,
        metadata=circuit.metadata,
    )
    for attribute in Circuit.__slots__:
        assert getattr(validated, attribute) == getattr(circuit, attribute), attribute
    assert type(circuit.measurement_map) is tuple and type(circuit.registers) is tuple


class FakeTime:
    """A monotonic clock that moves only when the code under test sleeps, and its policy.

    ``policy`` is a :class:`~ionq_direct.policy.Policy` on this clock with the jitter pinned
    to its midpoint (no spread), for ``Client(..., policy=fake.policy)``.
    """

    def __init__(self, **numbers: object) -> None:
        self.now = 1000.0
        self.wall = 1_800_000_000.0
        self.sleeps: list[float] = []
        self.policy = Policy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            clock=self.clock,
            wall_clock=self.wall_clock,
            jitter=lambda: 0.5,
            **numbers,  # type: ignore[arg-type]
        )

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
        self.wall += seconds

    async def async_sleep(self, seconds: float) -> None:
        """The same fake pause for the asyncio client; other tasks get to run meanwhile."""
        self.sleep(seconds)
        await asyncio.sleep(0)

    def clock(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass without a sleep (time spent in a request)."""
        self.now += seconds
        self.wall += seconds
