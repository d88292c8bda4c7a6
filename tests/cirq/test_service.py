"""The Cirq Service against the embedded emulator: runs, jobs, retrieval, backends."""

from __future__ import annotations

import math
from collections.abc import Iterator

import cirq
import pytest
import sympy

from cirq_ionq_direct import CirqJob, Sampler, Service
from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError
from ionq_direct.payload import build_jobs

Q = cirq.LineQubit.range(2)
BELL = cirq.Circuit(cirq.H(Q[0]), cirq.CNOT(*Q), cirq.measure(*Q, key="bell"))


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    with Emulator() as emu:
        connected = Service(emu.api_key, emu.url)
        yield connected
        connected.client.close()


def test_run_returns_a_cirq_result(service: Service) -> None:
    result = service.run(BELL, repetitions=200, seed=1)
    assert isinstance(result, cirq.Result)
    assert result.measurements["bell"].shape == (200, 2)
    assert set(result.histogram(key="bell")) == {0b00, 0b11}
    assert result == service.run(BELL, repetitions=200, seed=1)


def test_run_resolves_parameters(service: Service) -> None:
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(cirq.rx(theta)(Q[0]), cirq.measure(Q[0], key="z"))
    result = service.run(circuit, 20, param_resolver={"theta": math.pi}, seed=2)
    assert result.measurements["z"].tolist() == [[1]] * 20
    assert result.params.value_of(theta) == math.pi


def test_run_batch_and_target_options(service: Service) -> None:
    flip = cirq.Circuit(cirq.X(Q[1]), cirq.measure(Q[1], key="f"))
    results = service.run_batch([BELL, flip], 30, target="qpu.forte-1", seed=3)
    assert [r.repetitions for r in results] == [30, 30]
    assert results[1].histogram(key="f")[1] >= 25


def test_create_job_then_get_job_reproduces_records(service: Service) -> None:
    flip = cirq.Circuit(cirq.X(Q[0]), cirq.measure(Q[1], Q[0], key="f"))
    job = service.create_job([BELL, flip], repetitions=40, seed=5)
    assert isinstance(job, CirqJob) and len(job) == 2
    assert job.status() in {"submitted", "ready", "started", "completed"}
    first = job.results(timeout=30)
    assert job.status() == "completed"
    assert set(first[1].histogram(key="f")) == {0b01}
    again = service.get_job(job.id).results()
    assert again == first
    assert again[0].records["bell"].tolist() == first[0].records["bell"].tolist()


def test_get_job_of_a_non_cirq_job_explains(service: Service) -> None:
    from cirq_ionq_direct import to_ionq

    [prepared] = build_jobs([to_ionq(BELL)], backend="simulator", shots=10)
    job = service.client.submit(prepared.body, client_token=prepared.client_token)
    with pytest.raises(InvalidInputError, match="cirq_layout"):
        service.get_job(job.id)


def test_sampler_uses_the_default_target(service: Service) -> None:
    sampler = service.sampler(seed=1)
    assert isinstance(sampler, Sampler) and sampler.target == "simulator"
    other = Service(client=service.client, default_target="qpu.aria-1")
    assert other.sampler().target == "qpu.aria-1"
    assert other.run(BELL, 50, seed=1).repetitions == 50


def test_backends_and_calibration(service: Service) -> None:
    names = {backend["backend"] for backend in service.list_backends()}
    assert {"simulator", "qpu.aria-1", "qpu.forte-1"} <= names
    calibration = service.get_current_calibration("qpu.forte-1")
    assert calibration is not None and calibration["backend"] == "qpu.forte-1"


def test_constructor_refuses_conflicting_arguments(service: Service) -> None:
    with pytest.raises(InvalidInputError):
        Service("key", client=service.client)
    with pytest.raises(InvalidInputError):
        Service(client=service.client, default_target="")
    with pytest.raises(InvalidInputError, match="reserved"):
        service.sampler(metadata={"ionq_direct_seed": "1"})


def test_get_job_keeps_each_sweep_points_parameters(service: Service) -> None:
    # A job read back by id must equal the run that created it, params included, so the
    # points of a sweep can still be told apart.
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(cirq.rx(theta)(Q[0]), cirq.measure(Q[0], key="z"))
    sweep = cirq.Points("theta", [0.0, math.pi / 2, math.pi])
    [job] = service.sampler(seed=3).create_jobs([circuit], [sweep], repetitions=50)
    first = job.results()
    again = service.get_job(job.id).results()
    assert [r.params for r in again] == [r.params for r in first] == list(sweep)
    assert again == first
    symbolic = cirq.ParamResolver({theta: 1, "phi": sympy.Float(0.5)})
    single = service.create_job(circuit, repetitions=5, param_resolver=symbolic, seed=1)
    assert service.get_job(single.id).results() == single.results()


@pytest.mark.parametrize(
    "resolver",
    [cirq.Points("theta", [0.0, 1.0]), [{"theta": 0.0}], cirq.Linspace("theta", 0, 1, 2)],
)
def test_run_batch_refuses_a_sweep_per_circuit_clearly(service: Service, resolver: object) -> None:
    circuit = cirq.Circuit(cirq.rx(sympy.Symbol("theta"))(Q[0]), cirq.measure(Q[0], key="z"))
    with pytest.raises(InvalidInputError, match=r"param_resolvers\[1\].*params_list"):
        service.run_batch([BELL, circuit], 10, param_resolvers=[None, resolver])  # type: ignore[list-item]


def test_run_batch_takes_resolvers_and_dicts(service: Service) -> None:
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(cirq.rx(theta)(Q[0]), cirq.measure(Q[0], key="z"))
    results = service.run_batch(
        [circuit, circuit],
        10,
        param_resolvers=[{"theta": math.pi}, cirq.ParamResolver({"theta": 0})],
        seed=4,
    )
    assert results[0].measurements["z"].tolist() == [[1]] * 10
    assert results[1].measurements["z"].tolist() == [[0]] * 10


def test_long_layouts_and_parameters_are_kept_over_several_keys(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ionq_direct.metadata

    # Values of at most 50 characters: a sweep's parameter values need several keys (they
    # were left out above one value's length before).
    monkeypatch.setattr(ionq_direct.metadata, "MAX_METADATA_VALUE", 50)
    theta = sympy.Symbol("theta")
    circuit = cirq.Circuit(cirq.rx(theta)(Q[0]), cirq.measure(Q[0], key="z"))
    sweep = cirq.Linspace("theta", 0, math.pi, 7)
    [job] = service.sampler(seed=5).create_jobs([circuit], [sweep], repetitions=20)
    metadata = service.client.get_job(job.id)["metadata"]
    assert "cirq_params1" in metadata and all(len(v) <= 50 for v in metadata.values())
    again = service.get_job(job.id).results()
    assert [r.params for r in again] == list(sweep) and again == job.results()
