"""cirq-ionq's names on this package: argument checks, keys never echoed, result objects.

The documented calls themselves run in tests/compat/test_cirq_ionq_examples.py; this file checks
the edges: bad input fails before any network call with a clear message, an API key never shows
up in an error, and the result objects mean what both cirq-ionq and this package say.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

import cirq
import numpy as np
import pytest

import cirq_ionq_direct as ionq
from cirq_ionq_direct.connection import resolve
from cirq_ionq_direct.run_options import sampler_options
from ionq_direct import Client
from ionq_direct.emulator import Emulator
from ionq_direct.errors import InvalidInputError

SECRET = "sk-test-" + "7" * 24
Q = cirq.LineQubit.range(3)
FLIP = cirq.Circuit(cirq.X(Q[1]), cirq.measure(Q[0], Q[1], key="b"))


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture
def service(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> ionq.Service:
    for name in ("CIRQ_IONQ_REMOTE_HOST", "IONQ_REMOTE_HOST", "CIRQ_IONQ_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return ionq.Service(remote_host=emulator.url, api_key=emulator.api_key)


def _job_count(client: Client) -> int:
    return len(list(client.list_jobs()))


@pytest.mark.parametrize(
    "args",
    [
        (SECRET, "not a url"),
        (SECRET, None),
        ("ftp://example.com", SECRET),
        ("https://example.com/some/deep/path", SECRET),
        (SECRET, "https://user:pw@example.com"),
    ],
)
def test_a_key_in_any_argument_is_never_echoed(
    args: tuple[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    with pytest.raises(InvalidInputError) as info:
        ionq.Service(*args)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    with pytest.raises(InvalidInputError) as info:
        ionq.Service(base_url=SECRET, api_key="k")
    assert SECRET not in str(info.value)


def test_connection_reads_both_orders_and_cirq_ionq_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CIRQ_IONQ_REMOTE_HOST", "IONQ_REMOTE_HOST", "IONQ_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert resolve("https://h.example", "k", None).base_url == "https://h.example/v0.4"
    assert resolve("https://h.example/v0.3", "k", None).base_url == "https://h.example/v0.4"
    old_order = resolve("k", "http://127.0.0.1:9/prefix/v0.4", None)
    assert (old_order.base_url, old_order.api_key) == ("http://127.0.0.1:9/prefix/v0.4", "k")
    assert SECRET not in repr(resolve("https://h.example", SECRET, None))
    monkeypatch.setenv("IONQ_API_URL", "http://127.0.0.1:9/v0.4")
    monkeypatch.setenv("IONQ_REMOTE_HOST", "https://peer.example")
    assert resolve(None, "k", None).base_url == "https://peer.example/v0.4"
    with pytest.raises(InvalidInputError, match="not both"):
        resolve("https://a.example", "k", "https://b.example/v0.4")


def test_service_arguments_are_checked_before_any_request(emulator: Emulator) -> None:
    key, url = emulator.api_key, emulator.url
    with pytest.raises(InvalidInputError, match=r"v0\.4"):
        ionq.Service(url, key, api_version="v0.3")
    with pytest.raises(InvalidInputError, match="max_retry_seconds"):
        ionq.Service(url, key, max_retry_seconds=-1)
    with pytest.raises(InvalidInputError, match="verbose"):
        ionq.Service(url, key, verbose="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="job_settings"):
        ionq.Service(url, key, job_settings=[1])  # type: ignore[arg-type]
    assert ionq.Service(url, key, max_retry_seconds=0).client is not None


def test_job_settings_are_copied_and_merged(service: ionq.Service, emulator: Emulator) -> None:
    settings = {"compilation": {"opt": 1}}
    other = ionq.Service(emulator.url, emulator.api_key, job_settings=settings)
    settings["compilation"]["opt"] = 5  # the caller's dict changes later: no effect
    job = other.create_job(FLIP, 600, target="qpu.aria-1", error_mitigation={"debias": True})
    record = other.client.get_job(job.job_id())
    assert record["settings"]["compilation"] == {"opt": 1}
    assert record["settings"]["error_mitigation"]["debiasing"] is True
    assert other.job_settings == {"compilation": {"opt": 1}}


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"error_mitigation": {"debias": True, "debiasing": False}}, "once"),
        ({"error_mitigation": {"debiasing": "yes"}}, "debiasing"),
        ({"noise": {"model": "aria-1", "sed": 1}}, "'model' and 'seed'"),
        ({"noise": {"seed": 1}}, "needs a 'model'"),
        ({"noise": {"model": "aria-1"}, "noise_model": "aria-2"}, "once"),
        ({"compilation": {"opt": 0}, "extra_settings": {"compilation": {}}}, "once"),
        ({"extra_query_params": {"x": 1}}, "extra_query_params"),
        ({"compilation": [1]}, "compilation must be a dict"),
    ],
)
def test_cirq_ionq_options_are_checked(options: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        sampler_options(**options)  # type: ignore[arg-type]


def test_issue_10_inputs_fail_clearly_before_any_job(service: ionq.Service) -> None:
    before = _job_count(service.client)
    with pytest.raises(InvalidInputError, match="seed"):
        ionq.Sampler(service, "simulator", seed=-1)
    with pytest.raises(InvalidInputError, match="repetitions must be an integer"):
        service.sampler().run(FLIP, repetitions="10")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="no circuits"):
        service.create_job([])
    with pytest.raises(InvalidInputError, match="dry_run"):
        service.run(FLIP, 10, dry_run=True)
    with pytest.raises(InvalidInputError, match="timeout_seconds"):
        ionq.Sampler(service, "simulator", timeout_seconds=-1)
    assert _job_count(service.client) == before


def test_sampler_takes_a_service_and_its_defaults(emulator: Emulator) -> None:
    service = ionq.Service(emulator.url, emulator.api_key, default_target="qpu.aria-1")
    sampler = ionq.Sampler(service=service, seed=np.random.RandomState(3))
    assert sampler.target == "qpu.aria-1"
    assert ionq.Sampler(service, "simulator", 30, 1).run(FLIP, repetitions=4).repetitions == 4


def test_result_objects_read_both_ways(service: ionq.Service) -> None:
    circuit = cirq.Circuit(
        cirq.X(Q[0]), cirq.measure(Q[0], Q[1], key="b", invert_mask=(False, True))
    )
    job = service.create_job(circuit, 10, target="simulator", seed=4)
    result = job.results()
    assert isinstance(result, ionq.SimulatorResult)
    assert result.probabilities() == {0b10: 1.0}  # qubits, raw
    assert result.probabilities(key="b") == {0b11: 1.0}  # the key's bits, invert_mask applied
    assert result.histogram(key="b") == collections.Counter({0b11: 10})
    # This package's earlier shape still reads: a one-element list of cirq results.
    assert result[0] is result and len(result) == 1 and list(result) == [result]
    assert result.to_cirq_result() == job.cirq_results()[0]
    assert service.get_job(job.job_id()).results() == result
    with pytest.raises(IndexError):
        result[1]


def test_qpu_counts_always_sum_to_the_repetitions() -> None:
    third = ionq.QPUResult({0: 1, 1: 1, 2: 1}, 2, {"m": [0, 1]})
    assert third.repetitions() == 3 and sum(third.counts().values()) == 3
    assert third.counts(key="m") == collections.Counter({0: 1, 1: 1, 2: 1})
    assert third.ordered_results() == [0, 1, 2]
    records = third.to_cirq_result().measurements["m"]
    assert sorted(int(a) * 2 + int(b) for a, b in records) == [0, 1, 2]
    sim = ionq.SimulatorResult({0b01: 0.25, 0b10: 0.75}, 2, {"hi": [0], "lo": [1]}, 400)
    assert sim.probabilities(key="hi") == {0: 0.25, 1: 0.75}
    assert sim.to_cirq_result(seed=1) == sim.to_cirq_result(seed=1)
    assert sim.to_cirq_result(override_repetitions=7).repetitions == 7


def test_listed_jobs_from_elsewhere_still_answer(service: ionq.Service) -> None:
    from cirq_ionq_direct import to_ionq
    from ionq_direct.payload import build_jobs

    [prepared] = build_jobs([to_ionq(FLIP)], backend="simulator", shots=10, name="raw")
    raw = service.client.submit(prepared.body, client_token=prepared.client_token)
    listed = {job.job_id(): job for job in service.list_jobs(limit=50)}
    job = listed[raw.id]
    assert job.name() == "raw" and job.target() == "simulator"
    with pytest.raises(InvalidInputError, match="cirq_layout"):
        job.results()


def test_device_checks_every_qubit_and_the_gates() -> None:
    device = ionq.IonQAPIDevice(2)
    device.validate_operation((cirq.ISWAP**0.5)(Q[0], Q[1]))  # lowered exactly
    with pytest.raises(ValueError, match="outside"):
        device.validate_operation(cirq.CNOT(Q[0], Q[2]))
    with pytest.raises(ValueError, match="cannot run"):
        device.validate_operation(cirq.depolarize(0.1).on(Q[0]))


def test_serializer_matches_the_payload_and_refuses_mixed_gatesets() -> None:
    program = ionq.Serializer().serialize_many_circuits([FLIP, FLIP])
    assert program.input["gateset"] == "qis" and len(program.input["circuits"]) == 2
    native = cirq.Circuit(ionq.GPIGate(phi=0)(Q[0]), cirq.measure(Q[0], key="m"))
    with pytest.raises(ionq.IonQSerializerMixedGatesetsException):
        ionq.Serializer().serialize_many_circuits([FLIP, native])


def test_missing_key_is_an_environment_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IONQ_API_KEY", "CIRQ_IONQ_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(EnvironmentError, match="IONQ_API_KEY"):
        ionq.Service("https://api.ionq.co")
    with pytest.raises(InvalidInputError):
        ionq.Service("https://api.ionq.co")
