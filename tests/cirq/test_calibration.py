"""Calibration over real emulator characterizations and hand-made v0.4 and pre-v0.4 records."""

from __future__ import annotations

import datetime

import cirq
import pytest

from cirq_ionq_direct.calibration import Calibration
from ionq_direct import Client, InvalidInputError
from ionq_direct.emulator import Emulator

V04 = {
    "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "date": "2025-06-16T00:00:00Z",
    "backend": "qpu.aria-1",
    "qubits": 25,
    "connectivity": [[0, 1], [0, 2], [10, 9]],
    "fidelity": {"spam": {"median": 0.9962, "stderr": None}, "1q": {"median": 0.9996}},
    "timing": {"readout": 0.0003, "reset": 2e-05, "1q": 0.000135, "2q": 0.0006, "t1": 10, "t2": 1},
}


def test_reads_a_v04_record() -> None:
    cal = Calibration(V04)
    assert cal.num_qubits() == 25
    assert cal.target() == "qpu.aria-1"
    assert cal.fidelities()["spam"]["median"] == 0.9962
    assert cal.timings() == {
        "readout": 0.0003,
        "reset": 2e-05,
        "1q": 0.000135,
        "2q": 0.0006,
        "t1": 10.0,
        "t2": 1.0,
    }
    q = cirq.LineQubit.range(11)
    assert cal.connectivity() == {
        (q[0], q[1]),
        (q[1], q[0]),
        (q[0], q[2]),
        (q[2], q[0]),
        (q[10], q[9]),
        (q[9], q[10]),
    }


def test_calibration_time_is_aware_and_converts() -> None:
    cal = Calibration(V04)
    utc = cal.calibration_time(datetime.timezone.utc)
    assert utc == datetime.datetime(2025, 6, 16, tzinfo=datetime.timezone.utc)
    plus_two = cal.calibration_time(datetime.timezone(datetime.timedelta(hours=2)))
    assert plus_two == utc and plus_two.hour == 2
    assert cal.calibration_time().tzinfo is not None


def test_reads_a_pre_v04_record() -> None:
    old = {
        "target": "qpu",
        "qubits": 11,
        "date": "2020-06-01T12:00:00.123Z",
        "fidelity": {"1q": {"mean": 0.99717}, "2q": {"mean": 0.9696}},
        "timing": {"1q": 1.1e-05, "2q": 0.00021},
        "connectivity": [["0", "1"]],
    }
    cal = Calibration(old)
    assert cal.target() == "qpu"
    assert cal.fidelities()["2q"] == {"mean": 0.9696}
    assert cal.calibration_time(datetime.timezone.utc).microsecond == 123000
    assert (cirq.LineQubit(1), cirq.LineQubit(0)) in cal.connectivity()


def test_results_are_copies() -> None:
    cal = Calibration(V04)
    cal.fidelities()["spam"]["median"] = 0.0
    cal.record["qubits"] = 1
    assert cal.fidelities()["spam"]["median"] == 0.9962 and cal.num_qubits() == 25


def test_bad_input_is_named() -> None:
    with pytest.raises(InvalidInputError, match="characterization dict"):
        Calibration([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="'timing'"):
        Calibration({"qubits": 2}).timings()
    with pytest.raises(InvalidInputError, match="not ISO"):
        Calibration({"date": "yesterday"}).calibration_time()
    with pytest.raises(InvalidInputError, match="names no backend"):
        Calibration({}).target()


def test_emulator_characterizations() -> None:
    with Emulator() as emu, Client(emu.api_key, emu.url) as client:
        for backend in ("qpu.aria-1", "qpu.forte-1"):
            record = next(iter(client.list_characterizations(backend, limit=1)))
            cal = Calibration(record)
            assert cal.target() == backend
            n = cal.num_qubits()
            assert n == client.get_backend(backend)["qubits"]
            # The emulated QPUs are all-to-all: every ordered pair of distinct qubits.
            assert len(cal.connectivity()) == n * (n - 1)
            timings = cal.timings()
            assert timings["2q"] > timings["1q"] > 0
            fid = cal.fidelities()
            assert 0.5 < fid["2q"]["median"] < fid["1q"]["median"] <= 1
            assert cal.calibration_time(datetime.timezone.utc).year >= 2025
