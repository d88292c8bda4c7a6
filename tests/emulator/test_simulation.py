"""The Aer-backed emulator simulation against the numpy reference, plus noise and failures."""

from __future__ import annotations

import math
import random
import threading
from typing import Any

import numpy as np
import pytest
from qiskit.quantum_info import Kraus, Statevector

from ionq_direct import simulate as reference
from ionq_direct.gates import GATE_NAMES, iter_parsed
from ionq_emulator import noise, simulation
from ionq_emulator.catalog import NOISE_MODELS
from ionq_emulator.simulation import SimulationFailure, simulate

Gate = dict[str, Any]

ONE_QUBIT = ["x", "not", "y", "z", "h", "s", "si", "t", "ti", "v", "vi", "rx", "ry", "rz"]
TWO_QUBIT = ["swap", "xx", "yy", "zz"]
ROTATIONS = {"rx", "ry", "rz", "xx", "yy", "zz"}


def _ghz(n: int) -> list[Gate]:
    return [{"gate": "h", "target": 0}] + [
        {"gate": "cnot", "control": i, "target": i + 1} for i in range(n - 1)
    ]


def _random_qis_gate(rng: random.Random, n: int, name: str | None = None) -> Gate:
    name = name or rng.choice([*ONE_QUBIT, *TWO_QUBIT, "cnot", "pauliexp"])
    if name == "pauliexp":
        width = rng.randint(1, min(3, n))
    elif name in TWO_QUBIT:
        width = 2
    else:
        width = 1
    need = 1 if name == "cnot" else 0
    ncontrols = rng.randint(need, min(3, n - width))
    qubits = rng.sample(range(n), width + ncontrols)
    targets, controls = qubits[:width], qubits[width:]
    gate: Gate = {"gate": name}
    if width == 1 and rng.random() < 0.5:
        gate["target"] = targets[0]
    else:
        gate["targets"] = targets
    if len(controls) == 1 and rng.random() < 0.5:
        gate["control"] = controls[0]
    elif controls:
        gate["controls"] = controls
    if name in ROTATIONS:
        gate["rotation"] = rng.uniform(-2 * math.pi, 2 * math.pi)
    if name == "pauliexp":
        terms = rng.randint(1, 3)
        gate["terms"] = ["".join(rng.choice("IXYZ") for _ in range(width)) for _ in range(terms)]
        gate["coefficients"] = [rng.uniform(-1.5, 1.5) for _ in range(terms)]
        gate["time"] = rng.uniform(0.1, 2.0)
    return gate


def _random_native_gate(rng: random.Random, n: int) -> Gate:
    name = rng.choice(["gpi", "gpi2", "ms", "zz"])
    if name in ("gpi", "gpi2"):
        return {"gate": name, "target": rng.randrange(n), "phase": rng.uniform(-1, 1)}
    a, b = rng.sample(range(n), 2)
    if name == "zz":
        return {"gate": "zz", "targets": [a, b], "angle": rng.uniform(-1, 1)}
    gate: Gate = {"gate": "ms", "targets": [a, b], "phases": [rng.uniform(-1, 1) for _ in "01"]}
    if rng.random() < 0.6:
        gate["angle"] = rng.uniform(0, 0.25)
    return gate


def _prep(n: int, rng: random.Random) -> list[Gate]:
    """Random single-qubit rotations so controls sit in superposition."""
    out: list[Gate] = []
    for q in range(n):
        out.append({"gate": "ry", "target": q, "rotation": rng.uniform(0, math.pi)})
        out.append({"gate": "rz", "target": q, "rotation": rng.uniform(0, 2 * math.pi)})
    return out


def _dense(result: dict[str, float], qubits: int) -> np.ndarray:
    out = np.zeros(2**qubits)
    for key, p in result.items():
        out[int(key)] = p
    return out


def _ideal(circuit: list[Gate], qubits: int, gateset: str = "qis") -> dict[str, float]:
    return simulate(
        circuit, qubits=qubits, gateset=gateset, shots=100, noise_model="ideal", seed=None
    ).probabilities


# ---------------------------------------------------------------------------------------------
# Exactness of the gate mapping


@pytest.mark.parametrize(
    ("name", "ncontrols"),
    # cnot takes at least one control; every other qis gate also runs uncontrolled.
    [(n, c) for n in sorted(GATE_NAMES["qis"]) for c in range(4) if not (n == "cnot" and c == 0)],
)
def test_each_qis_gate_is_exact_including_global_phase(name: str, ncontrols: int) -> None:
    rng = random.Random(f"{name}/{ncontrols}")
    n = 6
    for _ in range(3):
        gate = _random_qis_gate(rng, n, name)
        gate.pop("control", None)
        targets = gate.get("targets") or [gate["target"]]
        free = [q for q in range(n) if q not in targets]
        controls = rng.sample(free, ncontrols)
        gate.pop("controls", None)
        if controls:
            gate["controls"] = controls
        circuit = [*_prep(n, rng), gate]
        builder = simulation._Builder(n, None)
        for parsed in iter_parsed(circuit, gateset="qis", qubits=n, max_controls=None):
            builder.add(parsed, None)
        ours = Statevector(builder.qc).data
        assert np.allclose(ours, reference.statevector(circuit, qubits=n), atol=1e-10), gate


def test_the_qis_rule_table_names_exactly_the_gate_tables_qis_gates() -> None:
    assert set(simulation._QIS_RULES) == set(GATE_NAMES["qis"])


@pytest.mark.parametrize("name", sorted(GATE_NAMES["native"]))
def test_each_native_gate_is_exact(name: str) -> None:
    rng = random.Random(name)
    n = 4
    for _ in range(5):
        gate = _random_native_gate(rng, n)
        while gate["gate"] != name:
            gate = _random_native_gate(rng, n)
        prep = [{"gate": "gpi2", "target": q, "phase": rng.uniform(-1, 1)} for q in range(n)]
        circuit = [*prep, gate]
        builder = simulation._Builder(n, None)
        for parsed in iter_parsed(circuit, gateset="native", qubits=n):
            builder.add(parsed, None)
        ours = Statevector(builder.qc).data
        assert np.allclose(ours, reference.statevector(circuit, qubits=n, gateset="native"))


def test_random_qis_circuits_match_the_reference() -> None:
    rng = random.Random(2024)
    seen: set[str] = set()
    for i in range(120):
        n = rng.randint(3, 7)
        gates = [_random_qis_gate(rng, n) for _ in range(rng.randint(4, 14))]
        seen |= {g["gate"] for g in gates}
        circuit = [*_prep(n, rng), *gates] if i % 2 else gates
        qubits = n + rng.randint(0, 2)  # wider registers leave qubits unused
        ours = _dense(_ideal(circuit, qubits), qubits)
        expected = reference.probabilities(circuit, qubits=qubits)
        np.testing.assert_allclose(ours, expected, atol=1e-9)
    assert seen == set(GATE_NAMES["qis"])


def test_random_native_circuits_match_the_reference() -> None:
    rng = random.Random(7)
    for _ in range(60):
        n = rng.randint(2, 6)
        circuit = [_random_native_gate(rng, n) for _ in range(rng.randint(3, 15))]
        ours = _dense(_ideal(circuit, n, "native"), n)
        expected = reference.probabilities(circuit, qubits=n, gateset="native")
        np.testing.assert_allclose(ours, expected, atol=1e-9)


def test_sparse_qubits_are_mapped_back_onto_the_register() -> None:
    circuit = [
        {"gate": "h", "target": 4},
        {"gate": "cnot", "control": 4, "target": 1},
        {"gate": "x", "target": 6},
    ]
    assert _ideal(circuit, 8) == pytest.approx({str(64): 0.5, str(64 + 16 + 2): 0.5})


# ---------------------------------------------------------------------------------------------
# Ideal simulator semantics


def test_x_on_qubit_zero_is_the_least_significant_bit() -> None:
    assert _ideal([{"gate": "x", "target": 0}], 3) == {"1": 1.0}
    assert _ideal([{"gate": "x", "target": 1}], 2) == {"2": 1.0}


def test_ghz_three() -> None:
    result = simulate(_ghz(3), qubits=3, gateset="qis", shots=10, noise_model="ideal", seed=1)
    assert result.probabilities == pytest.approx({"0": 0.5, "7": 0.5})
    assert result.histogram is None
    assert result.shots is None


def test_keys_span_the_register() -> None:
    assert _ideal([{"gate": "x", "target": 2}], 29) == {"4": 1.0}
    assert _ideal(_ghz(2), 20) == pytest.approx({"0": 0.5, "3": 0.5})
    assert _ideal([{"gate": "x", "target": 28}], 29) == {str(2**28): 1.0}


def test_zeros_are_dropped() -> None:
    result = _ideal([{"gate": "h", "target": 0}, {"gate": "h", "target": 0}], 2)
    assert result == pytest.approx({"0": 1.0})
    assert list(result) == ["0"]


def test_empty_circuit_reads_zero() -> None:
    assert _ideal([], 5) == {"0": 1.0}
    noisy = simulate([], qubits=5, gateset="qis", shots=7, noise_model="aria-1", seed=3)
    assert noisy.histogram == {"0": 7}
    assert noisy.shots == ["0"] * 7


# ---------------------------------------------------------------------------------------------
# Noise


def _noisy(circuit: list[Gate], qubits: int, model: str, shots: int, seed: int | None) -> Any:
    return simulate(
        circuit, qubits=qubits, gateset="qis", shots=shots, noise_model=model, seed=seed
    )


def test_noisy_ghz_ten_shows_errors_and_adds_up() -> None:
    result = _noisy(_ghz(10), 10, "aria-1", 1000, 11)
    assert sum(result.histogram.values()) == 1000
    assert len(result.shots) == 1000
    assert set(result.histogram) - {"0", "1023"}
    assert {"0", "1023"} <= set(result.histogram)
    recount: dict[str, int] = {}
    for shot in result.shots:
        recount[shot] = recount.get(shot, 0) + 1
    assert recount == result.histogram
    assert result.probabilities == {k: n / 1000 for k, n in result.histogram.items()}
    assert all(0 <= int(k) < 1024 for k in result.histogram)


@pytest.mark.parametrize("width", [6, 15])  # 15 runs with Aer's shot branching
def test_same_seed_same_shots_other_seed_other_shots(width: int) -> None:
    first = _noisy(_ghz(width), width, "aria-2", 500, 42)
    again = _noisy(_ghz(width), width, "aria-2", 500, 42)
    other = _noisy(_ghz(width), width, "aria-2", 500, 43)
    assert first == again
    assert first.shots != other.shots
    # Neighbouring seeds are independent, not the same trajectories shifted by one shot (which
    # would change at most one shot's outcome between the two histograms).
    keys = set(first.histogram) | set(other.histogram)
    moved = sum(abs(first.histogram.get(k, 0) - other.histogram.get(k, 0)) for k in keys)
    assert moved > 2


@pytest.mark.parametrize("model", [m for m in NOISE_MODELS if m != "ideal"])
def test_every_noise_model_runs(model: str) -> None:
    result = _noisy(_ghz(4), 4, model, 200, 5)
    assert sum(result.histogram.values()) == 200


@pytest.mark.parametrize("rate", [0.0005, 0.0133, 0.04, 0.3])
@pytest.mark.parametrize("num_qubits", [1, 2, 3])
def test_aer_channel_has_ionq_pauli_weights(rate: float, num_qubits: int) -> None:
    documented = noise.pauli_weights(rate, num_qubits)
    # The documented Kraus weights: 1 - 3 r / 4 and r / 4 (one qubit), 1 - 15 r / 16 and r / 16.
    d2 = 4**num_qubits
    assert documented["I" * num_qubits] == pytest.approx(1 - (d2 - 1) * rate / d2)
    assert documented["X" * num_qubits] == pytest.approx(rate / d2)
    assert sum(documented.values()) == pytest.approx(1)
    kraus = Kraus(noise.depolarizing(rate, num_qubits)).data
    d = 2**num_qubits
    for label, weight in documented.items():
        # Pauli weight of a Pauli channel: sum_k |Tr(P K_k)|^2 / d^2 (label's first letter is
        # the left factor, as in numpy's kron).
        matrix = np.array([[1.0]])
        for letter in label:
            matrix = np.kron(matrix, _PAULIS[letter])
        got = sum(abs(np.trace(matrix.conj().T @ k)) ** 2 for k in kraus) / d**2
        assert got == pytest.approx(weight, abs=1e-12), label


_PAULIS = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1, -1]),
}


def test_noise_placement() -> None:
    aria = NOISE_MODELS["aria-1"]
    assert [q for _, q in noise.gate_noise(aria, [3])] == [[3]]
    assert [q for _, q in noise.gate_noise(aria, [3, 1])] == [[3, 1]]
    assert [q for _, q in noise.gate_noise(aria, [0, 2, 4, 1])] == [[0, 2], [2, 4], [4, 1]]
    assert noise.gate_noise(NOISE_MODELS["ideal"], [0, 1]) == []


def test_one_qubit_rate_statistics() -> None:
    # Each depolarizing step flips |0> (X or Y) with probability r1 / 2; after N steps the
    # qubit reads 1 with probability (1 - (1 - r1)^N) / 2.
    rate, steps, shots = NOISE_MODELS["aria-1"].one_qubit_rate, 200, 4000
    result = _noisy([{"gate": "z", "target": 0}] * steps, 1, "aria-1", shots, 9)
    expected = (1 - (1 - rate) ** steps) / 2
    sigma = math.sqrt(expected * (1 - expected) / shots)
    assert abs(result.probabilities.get("1", 0.0) - expected) < 5 * sigma


def test_two_qubit_rate_statistics() -> None:
    # A two-qubit channel flips its first qubit with probability 8 r2 / 16 = r2 / 2.
    rate, steps, shots = NOISE_MODELS["aria-1"].two_qubit_rate, 50, 4000
    circuit = [{"gate": "zz", "targets": [0, 1], "rotation": 0.0}] * steps
    result = _noisy(circuit, 2, "aria-1", shots, 10)
    ones = sum(n for k, n in result.histogram.items() if int(k) & 1) / shots
    expected = (1 - (1 - rate) ** steps) / 2
    sigma = math.sqrt(expected * (1 - expected) / shots)
    assert abs(ones - expected) < 5 * sigma


def test_concurrent_runs_agree_with_serial_runs() -> None:
    serial = [_noisy(_ghz(8), 8, "forte-1", 300, s) for s in range(4)]
    out: dict[int, Any] = {}

    def run(s: int) -> None:
        out[s] = _noisy(_ghz(8), 8, "forte-1", 300, s)

    threads = [threading.Thread(target=run, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [out[s] for s in range(4)] == serial


# ---------------------------------------------------------------------------------------------
# Failures


@pytest.mark.parametrize(
    ("model", "qubits"),
    [("ideal", 30), ("harmony", 12), ("harmony-2", 12), ("aria-1", 26), ("forte-1", 30)],
)
def test_too_wide_for_the_model(model: str, qubits: int) -> None:
    with pytest.raises(SimulationFailure) as info:
        _noisy([{"gate": "x", "target": 0}], qubits, model, 10, 1)
    assert info.value.code == "NotEnoughQubits"


def test_widest_allowed_circuits_run() -> None:
    result = _noisy([{"gate": "x", "target": 24}], 25, "aria-1", 10, 1)
    assert set(result.histogram) <= {str(2**24), "0"}
    assert _noisy([{"gate": "x", "target": 10}], 11, "harmony", 5, 1).histogram is not None


def test_unknown_noise_model() -> None:
    with pytest.raises(SimulationFailure) as info:
        _noisy(_ghz(2), 2, "tempo-9", 10, 1)
    assert info.value.code == "InvalidInput"


def test_bad_circuits() -> None:
    with pytest.raises(SimulationFailure) as info:
        _noisy([{"gate": "ms", "targets": [0, 1], "phases": [0, 0]}], 2, "ideal", 10, 1)
    assert info.value.code == "InvalidInput"
    eight = {"gate": "x", "target": 8, "controls": list(range(8))}
    with pytest.raises(SimulationFailure) as info:
        _noisy([eight], 9, "ideal", 10, 1)
    assert info.value.code == "TooManyControls"


def test_time_budget() -> None:
    rng = random.Random(3)
    circuit = [_random_qis_gate(rng, 20) for _ in range(400)]
    with pytest.raises(SimulationFailure) as info:
        simulate(
            circuit,
            qubits=20,
            gateset="qis",
            shots=10_000,
            noise_model="aria-1",
            seed=1,
            max_seconds=0.5,
        )
    assert info.value.code == "SimulationTimeout"
    fast = simulate(
        _ghz(3), qubits=3, gateset="qis", shots=1, noise_model="ideal", seed=1, max_seconds=30
    )
    assert fast.probabilities == pytest.approx({"0": 0.5, "7": 0.5})


def test_time_budget_is_checked_between_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulation, "_PREDICTED_RATE", 1e30)  # never refuse up front
    monkeypatch.setattr(simulation, "_BATCH_WORK", 1.0)  # one shot per batch
    with pytest.raises(SimulationFailure) as info:
        simulate(
            _ghz(5), qubits=5, gateset="qis", shots=100_000, noise_model="aria-1", seed=1,
            max_seconds=0.2,
        )  # fmt: skip
    assert info.value.code == "SimulationTimeout"


def test_aer_failure_is_a_simulation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def run(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    monkeypatch.setattr(simulation, "_simulator", lambda *args: Broken())
    with pytest.raises(SimulationFailure) as info:
        _noisy(_ghz(3), 3, "ideal", 10, 1)
    assert info.value.code == "SimulationError"
    assert "boom" in info.value.message
