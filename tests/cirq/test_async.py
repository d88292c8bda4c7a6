"""Cirq's async entry points on the asyncio client: gathered runs overlap and give run's records."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import cirq
import pytest
import sympy

from cirq_ionq_direct import Sampler
from ionq_direct import Client, JobTimeoutError
from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError

pytestmark = pytest.mark.timeout(120)

Q = cirq.LineQubit.range(3)
GHZ = cirq.Circuit(
    cirq.H(Q[0]), cirq.CNOT(Q[0], Q[1]), cirq.CNOT(Q[1], Q[2]), cirq.measure(*Q, key="m")
)
THETA = sympy.Symbol("theta")
ROTATED = cirq.Circuit(cirq.rx(THETA).on(Q[0]), cirq.measure(Q[0], key="z"))


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(qpu_delay=0.3, workers=3) as emu:
        yield emu


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Client]:
    with Client(emulator.api_key, emulator.url) as connected:
        yield connected


def test_gathered_run_async_gives_the_records_of_run(client: Client) -> None:
    async def gathered() -> list[cirq.Result]:
        sampler = Sampler(client, seed=5)
        return list(await asyncio.gather(*(sampler.run_async(GHZ, repetitions=200) for _ in "abc")))

    results = asyncio.run(gathered())
    sync = Sampler(client, seed=5)
    expected = [sync.run(GHZ, repetitions=200) for _ in "abc"]
    # Each call draws its seed in call order, so the gathered runs reproduce the serial ones
    # whatever order their jobs finish in.
    assert [r.measurements["m"].tolist() for r in results] == [
        e.measurements["m"].tolist() for e in expected
    ]
    for result in results:
        assert {tuple(row) for row in result.measurements["m"].tolist()} <= {(0, 0, 0), (1, 1, 1)}


def test_gathered_qpu_runs_overlap(client: Client) -> None:
    # Each QPU job spends a while queued, then running: every one of the three was submitted
    # before any of them finished, as the service's own timestamps show.
    before = {job["id"] for job in client.list_jobs()}

    async def gathered() -> None:
        sampler = Sampler(client, target="qpu.aria-1", seed=1)
        await asyncio.gather(*(sampler.run_async(GHZ, repetitions=50) for _ in range(3)))

    asyncio.run(gathered())
    new = [client.get_job(job["id"]) for job in client.list_jobs() if job["id"] not in before]
    assert len(new) == 3
    last_submitted = max(job["submitted_at"] for job in new)
    first_completed = min(job["completed_at"] for job in new)
    assert last_submitted < first_completed


def test_sweep_and_batch_async_match_their_sync_forms(client: Client) -> None:
    sweep = cirq.Points(THETA, [0.0, 3.141592653589793])

    async def both() -> tuple[list[cirq.Result], list[list[cirq.Result]]]:
        sampler = Sampler(client, seed=9)
        swept = await sampler.run_sweep_async(ROTATED, sweep, repetitions=20)
        batch = await sampler.run_batch_async([GHZ, ROTATED], [None, sweep], repetitions=10)
        return list(swept), [list(b) for b in batch]

    swept, batch = asyncio.run(both())
    sync = Sampler(client, seed=9)
    expected_sweep = sync.run_sweep(ROTATED, sweep, repetitions=20)
    expected_batch = sync.run_batch([GHZ, ROTATED], [None, sweep], repetitions=10)
    assert [r.measurements["z"].tolist() for r in swept] == [[[0]] * 20, [[1]] * 20]
    assert [r.params for r in swept] == [r.params for r in expected_sweep]
    assert [len(b) for b in batch] == [1, 2]
    for got, want in zip(batch, expected_batch, strict=True):
        for g, w in zip(got, want, strict=True):
            assert {k: v.tolist() for k, v in g.measurements.items()} == {
                k: v.tolist() for k, v in w.measurements.items()
            }


def test_bad_input_raises_before_any_job(client: Client) -> None:
    before = {job["id"] for job in client.list_jobs()}
    unmeasured = cirq.Circuit(cirq.H(Q[0]))

    async def bad() -> None:
        await Sampler(client).run_async(unmeasured)

    with pytest.raises(InvalidInputError, match="no measurements"):
        asyncio.run(bad())
    assert {job["id"] for job in client.list_jobs()} == before


def test_run_async_keeps_the_samplers_timeout(emulator: Emulator) -> None:
    with Emulator(qpu_delay=30.0) as slow, Client(slow.api_key, slow.url) as client:

        async def late() -> None:
            await Sampler(client, target="qpu.aria-1", timeout=0.5).run_async(GHZ)

        with pytest.raises(JobTimeoutError):
            asyncio.run(late())
