"""Dynamic circuits from Cirq: mid-circuit measurement, reset and reuse as ionq.qasm3.v1 jobs.

Every circuit of the corpus runs through the sampler on the emulator and is compared with
``cirq.Simulator`` running the original circuit locally: the joint outcome of every key and
every measurement of it, within shot noise (``dynamic_support``: 5 standard deviations of the
two samples' difference; runs are seeded).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator

import cirq
import numpy as np
import pytest
from dynamic_support import assert_same_distribution

from cirq_ionq_direct import QPUResult, Sampler, Service, SimulatorResult
from cirq_ionq_direct.gates import GPI2Gate, GPIGate, MSGate
from cirq_ionq_direct.translate import is_dynamic, to_dynamic
from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError

SHOTS = 2000
REFERENCE_SHOTS = 3000  # cirq.Simulator runs dynamic circuits shot by shot
Q = cirq.LineQubit.range(4)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Emulator() as emu:
        yield Client(emu.api_key, emu.url)


def joint(result: cirq.Result) -> dict[tuple[int, ...], int]:
    """Each shot's bits of every key and every measurement of it, as one tuple."""
    keys = sorted(result.records)
    rows = np.concatenate(
        [result.records[k].reshape(result.records[k].shape[0], -1) for k in keys], axis=1
    )
    counts: dict[tuple[int, ...], int] = {}
    for row in rows.tolist():
        counts[tuple(row)] = counts.get(tuple(row), 0) + 1
    return counts


def reference(circuit: cirq.Circuit) -> dict[tuple[int, ...], int]:
    return joint(cirq.Simulator(seed=7).run(circuit, repetitions=REFERENCE_SHOTS))


def reset_and_reuse() -> cirq.Circuit:
    return cirq.Circuit(
        cirq.H(Q[0]),
        cirq.measure(Q[0], key="first"),
        cirq.reset(Q[0]),
        cirq.ry(1.1)(Q[0]),
        cirq.CNOT(Q[0], Q[1]),
        cirq.measure(Q[0], Q[1], key="after"),
    )


def parity_check_with_ancilla() -> cirq.Circuit:
    data, ancilla = Q[:2], Q[2]
    ops: list[cirq.Operation] = [cirq.H(data[0]), cirq.ry(0.8)(data[1])]
    for _ in range(2):
        ops += [
            cirq.CNOT(data[0], ancilla),
            cirq.CNOT(data[1], ancilla),
            cirq.measure(ancilla, key="syndrome"),  # the same key twice: two records
            cirq.reset(ancilla),
            cirq.rx(0.6)(data[1]),
        ]
    ops.append(cirq.measure(*data, key="data"))
    return cirq.Circuit(ops)


def measured_twice() -> cirq.Circuit:
    return cirq.Circuit(
        cirq.ry(1.1)(Q[0]),
        cirq.measure(Q[0], key="m"),
        cirq.ry(0.7)(Q[0]),
        cirq.measure(Q[0], key="m"),
    )


def measure_then_rotate() -> cirq.Circuit:
    return cirq.Circuit(
        cirq.H(Q[0]),
        cirq.CNOT(Q[0], Q[1]),
        cirq.measure(Q[0], key="a"),
        cirq.rx(0.9)(Q[0]),
        cirq.rz(0.4)(Q[0]),
        cirq.H(Q[0]),
        cirq.measure(Q[0], Q[1], key="b", invert_mask=(True,)),
    )


def several_keys() -> cirq.Circuit:
    return cirq.Circuit(
        cirq.H(Q[0]),
        cirq.CNOT(Q[0], Q[1]),
        cirq.measure(Q[1], key="x"),
        cirq.X(Q[1]),
        cirq.CCX(Q[0], Q[1], Q[2]),
        cirq.measure(Q[0], Q[1], key="y"),
        cirq.reset(Q[0]),
        cirq.SWAP(Q[0], Q[2]),
        cirq.XXPowGate(exponent=0.3).on(Q[1], Q[2]),
        cirq.measure(Q[2], Q[0], key="z"),
    )


CORPUS: dict[str, Callable[[], cirq.Circuit]] = {
    "reset and reuse": reset_and_reuse,
    "parity check with an ancilla": parity_check_with_ancilla,
    "a qubit measured twice": measured_twice,
    "measure then rotate": measure_then_rotate,
    "several keys": several_keys,
}


def random_dynamic(seed: int, qubits: int = 3, depth: int = 14) -> cirq.Circuit:
    """Random gates with measurements (fresh or repeated keys) and resets in the middle."""
    rng = np.random.default_rng(seed)
    ops: list[cirq.Operation] = []
    for step in range(depth):
        kind = rng.choice(["1q", "rot", "2q", "measure", "reset"], p=[0.25, 0.25, 0.25, 0.15, 0.1])
        q = Q[int(rng.integers(qubits))]
        if kind == "1q":
            ops.append([cirq.H, cirq.X, cirq.S, cirq.T][int(rng.integers(4))](q))
        elif kind == "rot":
            gate = [cirq.rx, cirq.ry, cirq.rz][int(rng.integers(3))]
            ops.append(gate(float(rng.uniform(-math.pi, math.pi)))(q))
        elif kind == "2q":
            a, b = (Q[int(i)] for i in rng.choice(qubits, size=2, replace=False))
            ops.append([cirq.CNOT, cirq.CZ, cirq.SWAP][int(rng.integers(3))](a, b))
        elif kind == "measure":
            ops.append(cirq.measure(q, key=f"m{q.x}"))  # keys repeat per qubit
        else:
            ops.append(cirq.reset(q))
        del step
    ops.append(cirq.measure(*Q[:qubits], key="final"))
    return cirq.Circuit(ops)


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_matches_cirq_simulator(client: Client, case: str) -> None:
    circuit = CORPUS[case]()
    assert is_dynamic(circuit)
    result = Sampler(client, seed=3).run(circuit, repetitions=SHOTS)
    expected = cirq.Simulator(seed=1).run(circuit, repetitions=3)
    for key, records in expected.records.items():  # same keys, instances and sizes
        assert result.records[key].shape[1:] == records.shape[1:]
        assert result.records[key].shape[0] == SHOTS
    assert_same_distribution(joint(result), reference(circuit), case)


def test_repeated_key_fills_records_in_measurement_order(client: Client) -> None:
    circuit = cirq.Circuit(
        cirq.measure(Q[0], key="m"),
        cirq.X(Q[0]),
        cirq.measure(Q[0], key="m"),
        cirq.X(Q[0]),
        cirq.measure(Q[0], key="m"),
    )
    result = Sampler(client).run(circuit, repetitions=20)
    assert result.records["m"].shape == (20, 3, 1)
    assert (result.records["m"][:, :, 0] == [0, 1, 0]).all()


def test_noisy_target_runs_dynamic_circuits(client: Client) -> None:
    circuit = measured_twice()
    result = Sampler(client, seed=5, noise_model="forte-1").run(circuit, repetitions=SHOTS)
    # two one-qubit gates at forte-1's rate barely move the distribution
    assert_same_distribution(joint(result), reference(circuit), "forte-1")


@pytest.mark.parametrize("seed", range(2))
def test_random_dynamic_circuits_match_cirq_simulator(client: Client, seed: int) -> None:
    circuit = random_dynamic(seed)
    result = Sampler(client, seed=seed).run(circuit, repetitions=SHOTS)
    assert_same_distribution(joint(result), reference(circuit), f"random circuit {seed}")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2, 12))
def test_more_random_dynamic_circuits_match_cirq_simulator(client: Client, seed: int) -> None:
    circuit = random_dynamic(seed, qubits=4, depth=24)
    result = Sampler(client, seed=seed).run(circuit, repetitions=SHOTS)
    assert_same_distribution(joint(result), reference(circuit), f"random circuit {seed}")


def test_native_gates_in_a_dynamic_circuit(client: Client) -> None:
    circuit = cirq.Circuit(
        GPI2Gate(0.1).on(Q[0]),
        MSGate(0.2, 0.7).on(Q[0], Q[1]),
        cirq.measure(Q[0], key="mid"),
        GPIGate(0.3).on(Q[0]),
        GPI2Gate(0.6).on(Q[1]),
        cirq.measure(Q[0], Q[1], key="end"),
    )
    dynamic, _keys = to_dynamic(circuit)
    assert dynamic.gateset == "native"
    result = Sampler(client, seed=2).run(circuit, repetitions=SHOTS)
    assert_same_distribution(joint(result), reference(circuit), "native gates")


def test_a_sweep_of_dynamic_circuits(client: Client) -> None:
    import sympy

    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(
        cirq.ry(theta)(Q[0]),
        cirq.measure(Q[0], key="m"),
        cirq.reset(Q[0]),
        cirq.measure(Q[0], key="z"),
    )
    results = Sampler(client, seed=1).run_sweep(
        circuit, cirq.Points("theta", [0.0, math.pi]), repetitions=30
    )
    assert [r.params["theta"] for r in results] == [0.0, math.pi]
    assert results[0].histogram(key="m") == {0: 30}
    assert results[1].histogram(key="m") == {1: 30}
    assert all(r.histogram(key="z") == {0: 30} for r in results)


def test_job_fetched_by_id_reads_the_same_records(client: Client) -> None:
    service = Service(client=client)
    sampler = service.sampler(seed=4, noise_model="aria-1")
    [job] = sampler.create_jobs([parity_check_with_ancilla()], repetitions=200)
    first = job.results()[0]
    again = service.get_job(job.id).results()[0]
    assert first == again
    records = job.cirq_results()[0]
    assert first.to_cirq_result() == again.to_cirq_result() == records
    assert service.get_job(job.id).cirq_results() == [records]
    assert records.records["syndrome"].shape == (200, 2, 1)  # measured twice: two instances


def flip_reset_flip() -> cirq.Circuit:
    """Deterministic: ``m`` reads 1 then 0 (reset between), then ``n`` reads 0."""
    return cirq.Circuit(
        cirq.Moment(cirq.X(Q[0])),
        cirq.Moment(cirq.measure(Q[0], key="m")),
        cirq.Moment(cirq.reset(Q[0])),
        cirq.Moment(cirq.measure(Q[0], key="m")),
        cirq.Moment(cirq.measure(Q[1], key="n")),
    )


def test_simulator_results_in_cirq_ionqs_shape_are_over_the_classical_bits(
    client: Client,
) -> None:
    job = Service(client=client).create_job(flip_reset_flip(), repetitions=30, target="simulator")
    result = job.results()
    assert isinstance(result, SimulatorResult)
    # Big-endian over every program bit, in measurement order: m=1, m=0, n=0.
    assert result.probabilities() == {0b100: 1.0}
    assert result.probabilities("m") == {0b10: 1.0}  # both measurements of the key
    assert result.probabilities("n") == {0: 1.0}
    assert result.repetitions() == 30 and result.num_qubits() == 2
    records = result.to_cirq_result()
    assert records == job.cirq_results()[0]
    assert records.records["m"].tolist() == [[[1], [0]]] * 30
    assert records.records["n"].tolist() == [[[0]]] * 30
    drawn = result.to_cirq_result(seed=3, override_repetitions=7)
    assert drawn.records["m"].shape == (7, 2, 1) and drawn.records["n"].shape == (7, 1, 1)
    assert drawn.records["m"].tolist() == [[[1], [0]]] * 7


def test_qpu_results_in_cirq_ionqs_shape_count_every_kept_shot(client: Client) -> None:
    service = Service(client=client)
    job = service.create_job(flip_reset_flip(), repetitions=200, target="qpu.aria-1", seed=6)
    result = job.results()
    assert isinstance(result, QPUResult)
    counts = result.counts("m")
    assert sum(counts.values()) == 200 == sum(result.counts().values())
    assert max(counts, key=counts.__getitem__) == 0b10
    # The default records are the recorded shots themselves, as cirq_results() reads them.
    assert result.to_cirq_result() == job.cirq_results()[0]
    with pytest.raises(InvalidInputError, match="no sharpened form"):
        job.results(sharpen=True)
    assert job.results(sharpen=False) == result


def test_async_sampling_of_a_dynamic_circuit_gives_the_records_of_run(client: Client) -> None:
    sampler = Sampler(client, seed=9)
    expected = Sampler(client, seed=9).run(parity_check_with_ancilla(), repetitions=100)

    async def gathered() -> cirq.Result:
        return await sampler.run_async(parity_check_with_ancilla(), repetitions=100)

    assert asyncio.run(gathered()) == expected


def test_classically_controlled_operations_are_refused_before_sending(client: Client) -> None:
    circuit = cirq.Circuit(
        cirq.H(Q[0]),
        cirq.measure(Q[0], key="a"),
        cirq.X(Q[1]).with_classical_controls("a"),
        cirq.measure(Q[1], key="b"),
    )
    before = len(list(client.list_jobs()))
    with pytest.raises(InvalidInputError, match=r"no classical branches or loops .* any target"):
        Sampler(client).run(circuit, repetitions=10)
    assert len(list(client.list_jobs())) == before


def test_key_measured_with_different_sizes_is_refused() -> None:
    circuit = cirq.Circuit(cirq.measure(Q[0], key="m"), cirq.X(Q[0]), cirq.measure(*Q[:2], key="m"))
    with pytest.raises(InvalidInputError, match="same number of qubits"):
        to_dynamic(circuit)
