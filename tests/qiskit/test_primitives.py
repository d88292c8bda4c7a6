"""Qiskit's BackendSamplerV2 and BackendEstimatorV2 on IonQ backends (real emulator)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.primitives import BackendEstimatorV2, BackendSamplerV2
from qiskit.quantum_info import SparsePauliOp

from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider


@pytest.fixture(scope="module")
def provider() -> Iterator[IonQProvider]:
    with Emulator() as emu:
        yield IonQProvider(emu.api_key, emu.url)


def test_sampler_reads_real_bitstrings_per_register(provider: IonQProvider) -> None:
    backend = provider.get_backend()
    q = QuantumRegister(3, "q")
    alpha, beta = ClassicalRegister(2, "alpha"), ClassicalRegister(1, "beta")
    qc = QuantumCircuit(q, alpha, beta)
    qc.x(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure(0, alpha[0])
    qc.measure(1, alpha[1])
    qc.measure(2, beta[0])
    pub = BackendSamplerV2(backend=backend).run([transpile(qc, backend)], shots=400).result()[0]
    alpha_counts = pub.data.alpha.get_counts()
    assert set(alpha_counts) == {"00", "11"}  # not all zeros (qiskit-ionq's bug)
    assert 120 < alpha_counts["11"] < 280
    assert pub.data.beta.get_counts() == {"1": 400}
    # Cross-register correlation survives: every shot of beta is 1 whatever alpha is.
    joined = pub.join_data().get_counts()
    assert set(joined) == {"100", "111"}


def test_sampler_on_noisy_simulator_and_qpu(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2)
    qc.x(1)
    qc.measure_all()
    for backend, options in (
        (provider.get_backend(noise_model="aria-1"), {}),
        (provider.get_backend("qpu.aria-1"), {}),
    ):
        sampler = BackendSamplerV2(backend=backend, options={"run_options": options})
        counts = sampler.run([qc], shots=300).result()[0].data.meas.get_counts()
        assert sum(counts.values()) == 300
        assert counts.get("10", 0) > 270  # the binary-memory bug would report '00'


def test_sampler_seed_reproduces(provider: IonQProvider) -> None:
    qc = QuantumCircuit(2)
    qc.h([0, 1])
    qc.measure_all()
    backend = provider.get_backend()
    runs = [
        BackendSamplerV2(backend=backend, options={"seed_simulator": 9})
        .run([qc], shots=100)
        .result()[0]
        .data.meas.get_counts()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("gateset", ["qis", "native"])
def test_estimator_bell_state(provider: IonQProvider, gateset: str) -> None:
    backend = provider.get_backend(gateset=gateset)
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    compiled = transpile(bell, backend)
    observables = [SparsePauliOp(p).apply_layout(compiled.layout) for p in ("ZZ", "XX", "ZI")]
    estimator = BackendEstimatorV2(
        backend=backend, options={"default_precision": 1 / np.sqrt(4000)}
    )
    evs = estimator.run([(compiled, observables)]).result()[0].data.evs
    assert np.isclose(evs[0], 1.0, atol=1e-9)
    assert np.isclose(evs[1], 1.0, atol=1e-9)
    assert abs(evs[2]) < 5 / np.sqrt(4000)
