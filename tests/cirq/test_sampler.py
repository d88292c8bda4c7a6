"""The Cirq sampler end to end against the embedded emulator (real HTTP, no mocks)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import cirq
import numpy as np
import pandas as pd
import pytest
import sympy

from cirq_ionq_direct import Sampler, Service
from cirq_ionq_direct.gatesets import AriaNativeGateset, ForteNativeGateset
from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError
from ionq_direct.metadata import SEED_METADATA_KEY

Q = cirq.LineQubit.range(3)
GHZ = cirq.Circuit(
    cirq.H(Q[0]), cirq.CNOT(Q[0], Q[1]), cirq.CNOT(Q[1], Q[2]), cirq.measure(*Q, key="m")
)
THETA = sympy.Symbol("theta")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Emulator() as emu, Client(emu.api_key, emu.url) as connected:
        yield connected


@pytest.fixture
def sampler(client: Client) -> Sampler:
    return Sampler(client, seed=11)


def _job_ids(client: Client) -> set[str]:
    return {str(job["id"]) for job in client.list_jobs()}


def _new_parent_jobs(client: Client, before: set[str]) -> list[dict[str, object]]:
    new = [str(job["id"]) for job in client.list_jobs() if job["id"] not in before]
    records = [client.get_job(job_id) for job_id in new]
    return [record for record in records if not record["parent_job_id"]]


def test_ghz_records(sampler: Sampler) -> None:
    result = sampler.run(GHZ, repetitions=1000)
    rows = result.measurements["m"]
    assert rows.shape == (1000, 3)
    assert {tuple(row) for row in rows.tolist()} == {(0, 0, 0), (1, 1, 1)}
    histogram = result.histogram(key="m")
    assert sum(histogram.values()) == 1000 and 400 < histogram[0] < 600


def test_bit_order_and_invert_mask_match_cirq_simulator(sampler: Sampler) -> None:
    q = cirq.LineQubit.range(4)
    circuit = cirq.Circuit(
        cirq.X(q[0]),
        cirq.H(q[3]),
        cirq.measure(q[2], q[0], key="a"),
        cirq.measure(q[3], q[1], key="b", invert_mask=(False, True)),
        cirq.measure(q[0], key="c", invert_mask=(True,)),
    )
    ours = sampler.run(circuit, repetitions=400)
    theirs = cirq.Simulator(seed=1).run(circuit, repetitions=400)
    for key in ("a", "b", "c"):
        assert set(ours.histogram(key=key)) == set(theirs.histogram(key=key)), key
    assert set(ours.histogram(key="a")) == {0b01}
    assert set(ours.histogram(key="b")) == {0b01, 0b11}
    assert set(ours.histogram(key="c")) == {0}


def test_sweep_is_one_multi_circuit_job_with_results_in_order(client: Client) -> None:
    before = _job_ids(client)
    circuit = cirq.Circuit(cirq.rx(THETA)(Q[0]), cirq.measure(Q[0], key="z"))
    thetas = [0.0, 0.7, 1.6, 2.4, math.pi]
    results = Sampler(client, seed=5).run_sweep(
        circuit, cirq.Points("theta", thetas), repetitions=4000
    )
    [job] = _new_parent_jobs(client, before)
    assert job["type"] == "ionq.multi-circuit.v1" and len(job["child_job_ids"]) == 5
    assert job["metadata"][SEED_METADATA_KEY]
    for theta, result in zip(thetas, results, strict=True):
        assert result.params.value_of(THETA) == theta
        expected = math.sin(theta / 2) ** 2
        # 4000 records: the standard error is at most 0.008; 5 sigma keeps the test stable.
        assert abs(result.measurements["z"].mean() - expected) < 0.04


def test_same_seed_reproduces_records_and_sweep_points_differ(client: Client) -> None:
    circuit = cirq.Circuit(cirq.H(Q[0]), cirq.H(Q[1]), cirq.measure(Q[0], Q[1], key="m"))
    sweep = cirq.Points("unused", [0.0, 1.0])
    first = Sampler(client, seed=3).run_sweep(circuit, sweep, repetitions=50)
    again = Sampler(client, seed=3).run_sweep(circuit, sweep, repetitions=50)
    other = Sampler(client, seed=4).run_sweep(circuit, sweep, repetitions=50)
    assert [r.records["m"].tolist() for r in first] == [r.records["m"].tolist() for r in again]
    assert first[0].records["m"].tolist() != other[0].records["m"].tolist()
    assert first[0].records["m"].tolist() != first[1].records["m"].tolist()


def test_batch_of_three_circuits_is_one_job(client: Client) -> None:
    before = _job_ids(client)
    circuits = [
        GHZ,
        cirq.Circuit(cirq.X(Q[1]), cirq.measure(Q[1], Q[0], key="r")),
        cirq.Circuit(cirq.rx(THETA)(Q[2]), cirq.measure(Q[2], key="t")),
    ]
    sweeps = [None, None, cirq.Points("theta", [0.0, math.pi])]
    results = Sampler(client, seed=2).run_batch(circuits, sweeps, repetitions=100)
    [job] = _new_parent_jobs(client, before)
    assert len(job["child_job_ids"]) == 4
    assert [len(r) for r in results] == [1, 1, 2]
    assert set(results[0][0].histogram(key="m")) <= {0, 7}
    assert set(results[1][0].histogram(key="r")) == {0b10}
    assert set(results[2][0].histogram(key="t")) == {0}
    assert set(results[2][1].histogram(key="t")) == {1}


def test_batch_with_mixed_repetitions_keeps_each_count(client: Client) -> None:
    results = Sampler(client, seed=2).run_batch([GHZ, GHZ, GHZ], repetitions=[10, 20, 10])
    assert [r[0].measurements["m"].shape[0] for r in results] == [10, 20, 10]


def test_sample_returns_a_dataframe(sampler: Sampler) -> None:
    circuit = cirq.Circuit(cirq.rx(THETA)(Q[0]), cirq.measure(Q[0], key="z"))
    frame = sampler.sample(circuit, repetitions=5, params=cirq.Points("theta", [0.0, math.pi]))
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["theta", "z"] and len(frame) == 10
    assert frame["z"].tolist() == [0] * 5 + [1] * 5


@pytest.mark.parametrize(
    ("target", "noise_model"), [("simulator", "aria-1"), ("qpu.forte-1", None)]
)
def test_noisy_and_qpu_runs_return_every_repetition(
    client: Client, target: str, noise_model: str | None
) -> None:
    sampler = Sampler(client, target, seed=9, noise_model=noise_model)
    results = sampler.run_sweep(GHZ, cirq.Points("unused", [0, 1]), repetitions=333)
    for result in results:
        assert result.measurements["m"].shape == (333, 3)
        assert sum(result.histogram(key="m").values()) == 333
        histogram = result.histogram(key="m")
        assert histogram[0] + histogram[7] > 250  # mostly GHZ outcomes despite noise


@pytest.mark.parametrize(
    ("gateset", "target"),
    [(AriaNativeGateset(), "qpu.aria-1"), (ForteNativeGateset(), "simulator")],
    ids=["aria", "forte"],
)
def test_native_compiled_circuits_run(client: Client, gateset: cirq.Gateset, target: str) -> None:
    circuit = cirq.Circuit(cirq.H(Q[0]), cirq.CNOT(Q[0], Q[1]), cirq.X(Q[2]))
    compiled = cirq.optimize_for_target_gateset(circuit, gateset=gateset)
    compiled += cirq.measure(Q[2], Q[1], Q[0], key="m")
    result = Sampler(client, target, seed=1).run(compiled, repetitions=2000)
    histogram = result.histogram(key="m")
    # q2 is always 1 (the MSB); q1 == q0.
    assert set(histogram) <= {0b100, 0b111} or target != "simulator"
    assert histogram[0b100] + histogram[0b111] > 1900
    assert abs(histogram[0b100] - 1000) < 150


BAD = {
    "unsupported gate": (
        cirq.Circuit(cirq.MatrixGate(np.eye(8)).on(*Q[:3]), cirq.measure(Q[0])),
        {},
        10,
    ),
    # Mid-circuit measurement runs (as an OpenQASM 3 job); feed-forward on its result does not.
    "classically controlled operation": (
        cirq.Circuit(
            cirq.measure(Q[0], key="a"),
            cirq.X(Q[1]).with_classical_controls("a"),
            cirq.measure(Q[1], key="b"),
        ),
        {},
        10,
    ),
    "unresolved symbol": (cirq.Circuit(cirq.rx(THETA)(Q[0]), cirq.measure(Q[0])), {}, 10),
    "no measurements": (cirq.Circuit(cirq.X(Q[0])), {}, 10),
    "zero repetitions": (GHZ, {}, 0),
    "too many repetitions": (GHZ, {}, 1_000_001),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_raises_before_any_job(client: Client, case: str) -> None:
    circuit, params, repetitions = BAD[case]
    before = _job_ids(client)
    with pytest.raises(ValueError):
        Sampler(client).run(circuit, params, repetitions)
    # A bad point late in a batch stops the whole batch before anything is sent.
    with pytest.raises(InvalidInputError):
        Sampler(client).run_batch([GHZ, circuit], repetitions=[10, repetitions])
    assert _job_ids(client) == before


@pytest.mark.parametrize("timeout", [-1, -0.5, math.nan, "10", True])
def test_bad_timeout_raises_before_any_job(client: Client, timeout: object) -> None:
    before = _job_ids(client)
    service = Service(client=client)
    with pytest.raises(InvalidInputError, match="timeout"):
        Sampler(client, timeout=timeout).run(GHZ, repetitions=10)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="timeout"):
        service.sampler(timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="timeout"):
        service.run(GHZ, repetitions=10, timeout=timeout)
    assert _job_ids(client) == before


def test_zero_and_infinite_timeouts_are_accepted(client: Client) -> None:
    assert Sampler(client, timeout=math.inf).run(GHZ, repetitions=5).repetitions == 5
    Sampler(client, timeout=0)  # checked, not rejected: a finished job still returns


def test_bad_sweep_point_names_its_parameters(client: Client) -> None:
    circuit = cirq.Circuit(cirq.rx(THETA)(Q[0]), cirq.measure(Q[0]))
    with pytest.raises(InvalidInputError, match="unresolved"):
        Sampler(client).run_sweep(circuit, cirq.Points("phi", [1.0]), repetitions=5)


def test_seed_reaches_job_metadata_and_service_reads_the_job_back(client: Client) -> None:
    service = Service(client=client)
    job = service.create_job(GHZ, repetitions=64, seed=123)
    original = job.results()[0]
    fetched = service.get_job(job.id)
    assert fetched.job.record["metadata"][SEED_METADATA_KEY]
    assert fetched.results()[0].records["m"].tolist() == original.records["m"].tolist()
    assert np.asarray(original.measurements["m"]).shape == (64, 3)


def test_batch_over_the_gate_limit_splits_and_keeps_order(client: Client) -> None:
    # 80,000 + 80,001 gates exceed the 150,000-gate job limit: two jobs, each with its layout.
    flips = [cirq.Moment([cirq.X(Q[0])])]
    circuits = [
        cirq.Circuit(flips * count + [cirq.Moment([cirq.measure(Q[0], key="z")])])
        for count in (80_000, 80_001)
    ]
    before = _job_ids(client)
    results = Sampler(client, seed=1).run_batch(circuits, repetitions=20)
    jobs = _new_parent_jobs(client, before)
    assert len(jobs) == 2
    assert [r[0].measurements["z"].tolist() for r in results] == [[[0]] * 20, [[1]] * 20]
    fetched = [Service(client=client).get_job(str(job["id"])).results() for job in jobs]
    assert sorted(len(f) for f in fetched) == [1, 1]


def test_async_entry_points(sampler: Sampler) -> None:
    import duet

    result = duet.run(sampler.run_async, GHZ, repetitions=10)
    assert result.measurements["m"].shape == (10, 3)
    [[batch]] = duet.run(sampler.run_batch_async, [GHZ], None, 5)
    assert batch.repetitions == 5


def test_numpy_integer_repetitions_work_like_cirq_simulator(sampler: Sampler) -> None:
    # cirq.Simulator accepts numpy integers (e.g. from np.arange); cirq.Sampler.run_batch's
    # normalization only knows Python ints and failed with "has no len()".
    expected = cirq.Simulator().run(GHZ, repetitions=np.int64(7)).measurements["m"].shape
    assert sampler.run(GHZ, repetitions=np.int64(7)).measurements["m"].shape == expected
    [[point]] = sampler.run_batch([GHZ], None, np.int32(3))
    assert point.repetitions == 3
    assert len(sampler.sample(GHZ, repetitions=np.int64(2))) == 2


@pytest.mark.parametrize("target", ["sim", "Simulator", " simulator", "QPU", "qpu.", "aria-1"])
def test_malformed_target_names_fail_before_any_job(client: Client, target: str) -> None:
    before = _job_ids(client)
    with pytest.raises(InvalidInputError, match="target"):
        Sampler(client, target).run(GHZ, repetitions=5)
    with pytest.raises(InvalidInputError, match="target"):
        Service(client=client, default_target=target)
    assert _job_ids(client) == before


def test_bare_qpu_target_is_the_first_qpu_the_service_lists(client: Client) -> None:
    # cirq-ionq's "qpu": the v0.4 API has no such backend, so it names the first listed QPU.
    first = next(b["backend"] for b in client.list_backends() if b["backend"].startswith("qpu."))
    sampler = Sampler(client, "qpu", seed=1)
    assert sampler.target == "qpu"
    assert sampler.run(GHZ, repetitions=5).repetitions == 5
    assert sampler.target == first
    [job] = sampler.create_jobs([GHZ], repetitions=5)
    assert job.target() == first


def test_circuit_wider_than_the_simulator_fails_before_any_job(client: Client) -> None:
    wide = cirq.LineQubit.range(30)
    circuit = cirq.Circuit(cirq.measure(*wide, key="m"))
    before = _job_ids(client)
    with pytest.raises(InvalidInputError, match="30 qubits"):
        Sampler(client).run_batch([GHZ, circuit], repetitions=5)
    assert _job_ids(client) == before
    narrow = cirq.Circuit(cirq.X(wide[28]), cirq.measure(*wide[:29], key="m"))
    assert Sampler(client).run(narrow, repetitions=2).measurements["m"][:, 28].tolist() == [1, 1]
