"""Characterizations: the record read defensively, and the QPU Target that carries it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from qiskit import QuantumCircuit, transpile

from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import Characterization, IonQProvider
from qiskit_ionq_direct.idle import without_idle_qubits
from qiskit_ionq_direct.target import CHARACTERIZED_TWO_QUBIT_GATES, build_target

RECORD = {
    "id": "c1",
    "date": "2025-06-16T00:00:00Z",
    "backend": "qpu.aria-1",
    "qubits": 3,
    "connectivity": [[0, 1], [1, 2]],
    "fidelity": {"spam": {"median": 0.99}, "1q": {"median": 0.999}, "2q": {"median": 0.98}},
    "timing": {"t1": 100.0, "t2": 1.0, "1q": 1e-4, "2q": 6e-4, "readout": 3e-4, "reset": 2e-5},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


def test_record_fields() -> None:
    cal = Characterization(RECORD)
    assert (cal.id, cal.backend, cal.qubits, cal.status) == ("c1", "qpu.aria-1", 3, "available")
    assert cal.date == datetime(2025, 6, 16, tzinfo=timezone.utc)
    assert cal.connectivity == [(0, 1), (1, 2)]
    assert cal.median_spam_fidelity == 0.99
    assert cal.error("2q") == pytest.approx(0.02) and cal.duration("readout") == 3e-4


def test_odd_records_read_as_missing() -> None:
    cal = Characterization({"date": "yesterday", "fidelity": {"1q": {"median": 7}}, "timing": []})
    assert cal.date is None and cal.qubits == 0 and cal.connectivity == []
    assert cal.error("1q") is None and cal.duration("2q") is None and cal.timing == {}


def test_characterized_target_lists_pairs_with_errors_and_durations() -> None:
    target = build_target(3, "qis", characterization=Characterization(RECORD))
    assert set(target["cx"]) == {(0, 1), (1, 0), (1, 2), (2, 1)}  # the listed pairs only
    props = target["rzz"][(2, 1)]
    assert props.error == pytest.approx(0.02) and props.duration == 6e-4
    assert target["h"][(0,)].error == pytest.approx(0.001)
    assert target["measure"][(1,)].error == pytest.approx(0.01)
    assert "ccx" not in target and "cswap" not in target
    two_qubit = {n for n in target.operation_names if target.operation_from_name(n).num_qubits == 2}
    assert two_qubit <= CHARACTERIZED_TWO_QUBIT_GATES
    native = build_target(
        3, "native", native_two_qubit="zz", characterization=Characterization(RECORD)
    )
    assert set(native.operation_names) == {"gpi", "gpi2", "zz", "measure", "reset", "delay"}
    assert native["reset"][(2,)].duration == 2e-5  # the characterized reset time


def test_qpu_target_from_the_latest_characterization(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.aria-1")
    cal = backend.calibration()
    assert cal is not None and cal.backend == "qpu.aria-1"
    assert backend.target["cx"][(3, 17)].error == pytest.approx(cal.error("2q"))
    assert len(backend.coupling_map.get_edges()) == 25 * 24
    simulator = provider.get_backend("simulator")
    assert simulator.calibration() is None and simulator.coupling_map is None


def test_device_wide_transpiles_run_on_the_qubits_they_use(provider: IonQProvider) -> None:
    backend = provider.get_backend("qpu.forte-1")  # 36 qubits; its emulation simulates 29
    qc = QuantumCircuit(3, 3)
    qc.x(0)
    qc.cx(0, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    wide = transpile(qc, backend, seed_transpiler=4)
    assert wide.num_qubits == 36
    assert without_idle_qubits(wide).num_qubits == 3
    assert without_idle_qubits(qc) is qc  # not transpiled: sent as wide as written
    counts = backend.run(wide, shots=200).result().get_counts()
    assert sum(counts.values()) == 200 and counts.get("101", 0) > 180
