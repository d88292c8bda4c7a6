"""Run options under qiskit-ionq's and Qiskit's names: renamed onto ours, checked once, early."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.result.models import MeasLevel, MeasReturnType

from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import ErrorMitigation, IonQBackend, IonQProvider
from qiskit_ionq_direct.run_options import normalize

#: Nothing listens here: a request would raise APIConnectionError, not InvalidInputError.
DEAD = "http://127.0.0.1:9/v0.4"


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


def offline(name: str = "simulator", **options: Any) -> IonQBackend:
    """A backend that has fetched nothing and can fetch nothing."""
    return IonQProvider(client=Client("key", DEAD, max_retries=0)).get_backend(name, **options)


def one_x() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.x(0)
    qc.measure(0, 0)
    return qc


def test_aliases_are_renamed_onto_the_backends_options() -> None:
    assert normalize(
        {
            "sampler_seed": 5,
            "job_settings": {"compilation": {"opt": 1}},
            "extra_metadata": {"a": "b"},
            "name": "n",
            "error_mitigation": ErrorMitigation.NO_DEBIASING,
            "meas_level": MeasLevel.CLASSIFIED,
            "meas_return": MeasReturnType.SINGLE,
            "init_qubits": True,
            "rep_delay": None,
        }
    ) == {
        "seed_simulator": 5,
        "extra_settings": {"compilation": {"opt": 1}},
        "metadata": {"a": "b"},
        "job_name": "n",
        "debiasing": False,
    }


def test_extra_query_params_set_their_fields_and_error_mitigation_its_settings() -> None:
    assert normalize(
        {
            "extra_query_params": {"noise": {"model": "aria-1", "seed": 3}, "dry_run": True},
            "error_mitigation": {"debiasing": True, "symmetry_verification": True},
            "job_settings": {"compilation": {"opt": 0}},
        }
    ) == {
        "noise_model": "aria-1",
        "noise_seed": 3,
        "dry_run": True,
        "debiasing": True,
        "extra_settings": {
            "compilation": {"opt": 0},
            "error_mitigation": {"symmetry_verification": True},
        },
    }


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"sampler_seed": 1, "seed_simulator": 2}, "given as"),
        ({"name": "a", "extra_query_params": {"name": "b"}}, "give it once"),
        ({"extra_query_params": {"input": {}}}, "cannot set 'input'"),
        ({"extra_query_params": ["name"]}, "mapping of job fields"),
        ({"extra_query_params": {"noise": "aria-1"}}, "'model'"),
        ({"error_mitigation": "debiasing"}, "ErrorMitigation.DEBIASING"),
        ({"meas_level": 1}, "classified results only"),
        ({"meas_level": MeasLevel.KERNELED}, "meas_level"),
        ({"meas_level": 2, "meas_return": "every"}, "'single' or 'avg'"),
        ({"meas_level": 0, "meas_return": "avg"}, "meas_level"),
        ({"init_qubits": False}, "prepares every qubit"),
        ({"rep_delay": 1e-4}, "delay between shots"),
    ],
)
def test_bad_values_are_refused_before_any_request(options: dict[str, Any], match: str) -> None:
    backend = offline()
    with pytest.raises(InvalidInputError, match=match):
        backend.run(one_x(), **options)
    with pytest.raises(InvalidInputError, match=match):
        backend.set_options(**options)


def test_a_set_alias_is_the_backends_own_option(provider: IonQProvider) -> None:
    backend = provider.get_backend(sampler_seed=9)
    backend.set_options(extra_metadata={"k": "v"}, name="aliased")
    assert backend.options.seed_simulator == 9 and backend.options.job_name == "aliased"
    assert backend.name == "simulator"
    job = backend.run(one_x(), shots=10)
    record = backend.client.get_job(job.job_id())
    assert record["name"] == "aliased" and record["metadata"]["k"] == "v"
    assert job.result().get_counts() == {"1": 10}


def test_unknown_noise_model_is_refused_before_any_request() -> None:
    with pytest.raises(InvalidInputError, match="unknown noise_model 'aria-9'"):
        offline().run(one_x(), noise_model="aria-9")
    with pytest.raises(InvalidInputError, match="unknown noise_model"):
        offline(noise_model="perfect")


def test_run_of_nothing_is_a_clear_error_before_any_request() -> None:
    for bad in (None, [], [None], 5, "qc"):
        with pytest.raises(InvalidInputError, match="takes a QuantumCircuit"):
            offline().run(bad)  # type: ignore[arg-type]


def test_a_bad_circuit_is_refused_before_the_backend_record_is_fetched() -> None:
    # Mid-circuit measurement runs (as an OpenQASM 3 job); feed-forward on it runs nowhere.
    qc = QuantumCircuit(2, 2)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    qc.measure(1, 1)
    with pytest.raises(InvalidInputError, match="no classical branches or loops"):
        offline("qpu.aria-1").run(qc)
    unsupported = QuantumCircuit(1, 2)
    unsupported.measure(0, 0)
    unsupported.initialize([0, 1], 0)  # a dynamic circuit with an instruction IonQ has not
    unsupported.measure(0, 1)
    with pytest.raises(InvalidInputError, match="initialize"):
        offline("qpu.aria-1").run(unsupported)


def test_unmeasured_circuits_warn(provider: IonQProvider) -> None:
    qc = QuantumCircuit(1)
    qc.h(0)
    with pytest.warns(UserWarning, match="not measuring any qubits"):
        provider.get_backend().run(qc, shots=10)


def test_noise_model_backend_reports_the_models_width(provider: IonQProvider) -> None:
    backend = provider.get_backend(noise_model="harmony")
    assert backend.num_qubits == 11
    backend.set_options(noise_model="aria-2")
    assert backend.num_qubits == 25
    backend.set_options(noise_model=None)
    assert backend.num_qubits == 29
    wide = QuantumCircuit(26, 1)
    wide.x(25)
    wide.measure(25, 0)
    with pytest.raises(InvalidInputError, match="has 25"):
        provider.get_backend(noise_model="aria-1").run(wide)
