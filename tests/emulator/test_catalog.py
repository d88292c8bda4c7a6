"""The emulator's backend catalog: shapes, stable ids and fidelities that match the noise."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from ionq_emulator import catalog

QPUS = ["qpu.aria-1", "qpu.aria-2", "qpu.forte-1", "qpu.forte-enterprise-1"]


def test_backends_widths_and_two_qubit_gates() -> None:
    found = {b.name: (b.qubits, b.native_two_qubit_gate) for b in catalog.BACKENDS.values()}
    assert found == {
        "simulator": (29, None),
        "qpu.aria-1": (25, "ms"),
        "qpu.aria-2": (25, "ms"),
        "qpu.forte-1": (36, "zz"),
        "qpu.forte-enterprise-1": (36, "zz"),
    }


def test_every_backend_is_emulated_by_a_known_noise_model() -> None:
    for info in catalog.BACKENDS.values():
        assert info.noise_model in catalog.NOISE_MODELS
    assert catalog.BACKENDS["simulator"].noise_model == "ideal"


def test_noise_model_limits() -> None:
    limits = {name: m.max_qubits for name, m in catalog.NOISE_MODELS.items()}
    assert limits == {
        "ideal": 29,
        "harmony": 11,
        "harmony-1": 11,
        "harmony-2": 11,
        "aria-1": 25,
        "aria-2": 25,
        "forte-1": 29,
        "forte-enterprise-1": 29,
    }
    aria = catalog.NOISE_MODELS["aria-1"]
    assert (aria.one_qubit_rate, aria.two_qubit_rate) == (0.0005, 0.0133)


@pytest.mark.parametrize("name", list(catalog.BACKENDS))
def test_backend_record_has_the_required_fields(name: str) -> None:
    record = catalog.backend_record(name)
    for key in ("backend", "status", "qubits", "average_queue_time", "last_updated"):
        assert key in record
    assert record["backend"] == name
    assert "cnot" in record["supported_gates"]
    assert {"gpi", "gpi2"} <= set(record["supported_native_gates"])
    json.dumps(record)  # JSON-serialisable


def test_simulator_has_no_characterization() -> None:
    assert "characterization_id" not in catalog.backend_record("simulator")
    assert catalog.characterizations("simulator") == []


def test_native_gates_follow_the_hardware() -> None:
    assert catalog.backend_record("qpu.aria-1")["supported_native_gates"] == ["gpi", "gpi2", "ms"]
    assert catalog.backend_record("qpu.forte-1")["supported_native_gates"] == ["gpi", "gpi2", "zz"]
    assert set(catalog.backend_record("simulator")["supported_native_gates"]) == {
        "gpi",
        "gpi2",
        "ms",
        "zz",
    }


@pytest.mark.parametrize("name", QPUS)
def test_characterizations_are_newest_first_and_current_one_is_advertised(name: str) -> None:
    items = catalog.characterizations(name)
    assert len(items) >= 2
    dates = [item["date"] for item in items]
    assert dates == sorted(dates, reverse=True)
    assert catalog.backend_record(name)["characterization_id"] == items[0]["id"]
    assert catalog.backend_record(name)["last_updated"] == items[0]["date"]
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        uuid.UUID(item["id"])
        assert item["backend"] == name
        assert item["qubits"] == catalog.BACKENDS[name].qubits
        assert set(item["timing"]) == {"t1", "t2", "1q", "2q", "readout", "reset"}
        assert 0 < item["timing"]["1q"] < item["timing"]["2q"] < 1
        assert "median" in item["fidelity"]["spam"]
        assert catalog.find_characterization(name, item["id"]) == item


def test_connectivity_is_all_to_all() -> None:
    item = catalog.characterizations("qpu.aria-1")[0]
    pairs = {tuple(sorted(p)) for p in item["connectivity"]}
    assert len(pairs) == 25 * 24 // 2
    assert all(a != b and 0 <= a < 25 and 0 <= b < 25 for a, b in pairs)


def test_ids_are_stable_across_calls_and_backends() -> None:
    first = catalog.characterizations("qpu.forte-1")
    assert first == catalog.characterizations("qpu.forte-1")
    other = {c["id"] for c in catalog.characterizations("qpu.forte-enterprise-1")}
    assert not other & {c["id"] for c in first}


@pytest.mark.parametrize("name", QPUS)
def test_fidelities_match_the_noise_rates(name: str) -> None:
    model = catalog.NOISE_MODELS[catalog.BACKENDS[name].noise_model]
    fidelity = catalog.characterizations(name)[0]["fidelity"]
    # The identity Kraus weight of IonQ's channels: 1 - 3 r1 / 4 and 1 - 15 r2 / 16.
    assert fidelity["1q"]["median"] == pytest.approx(1 - 3 * model.one_qubit_rate / 4)
    assert fidelity["2q"]["median"] == pytest.approx(1 - 15 * model.two_qubit_rate / 16)
    assert 0.99 < fidelity["1q"]["median"] < 1
    assert 0.9 < fidelity["2q"]["median"] < fidelity["1q"]["median"]


def test_unknown_backend_raises_key_error() -> None:
    with pytest.raises(KeyError):
        catalog.backend_record("qpu.nope")
    with pytest.raises(KeyError):
        catalog.characterizations("qpu.nope")


def test_catalog_does_not_read_the_reference_tree() -> None:
    source = Path(catalog.__file__).read_text()
    assert "/work/shared" not in source
