"""Third-party Qiskit tools that drive any ``BackendV2``, run on our backend and the emulator.

qiskit-experiments, ``plot_gate_map`` and ``AerSimulator.from_backend`` take a backend and
expect Qiskit's conventions of it: the standard run options (``meas_level`` ...), a coupling map,
a Target whose instructions carry errors and durations, and a width the backend can really run.
qiskit-experiments runs through qiskit-ibm-runtime's local ``SamplerV2``, which sends
``meas_level=2``; on the aria-1 noise model it lays circuits out within the model's 25 qubits.
"""

from __future__ import annotations

import shutil

import pytest
from qiskit import QuantumCircuit
from qiskit.providers import BackendV2
from qiskit.quantum_info import Statevector, state_fidelity

from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import IonQProvider


@pytest.fixture
def provider(clean_env: pytest.MonkeyPatch, emulator: Emulator) -> IonQProvider:
    return IonQProvider(emulator.api_key, emulator.url)


@pytest.fixture(params=["ideal", "aria-1"])
def backend(request: pytest.FixtureRequest, provider: IonQProvider) -> BackendV2:
    """The ideal simulator, and the simulator with the aria-1 noise model."""
    if request.param == "ideal":
        return provider.get_backend("ionq_simulator")
    return provider.get_backend("ionq_simulator", noise_model=request.param)


def one_x() -> QuantumCircuit:
    qc = QuantumCircuit(1, 1)
    qc.x(0)
    qc.measure(0, 0)
    return qc


# Qiskit's standard run options -----------------------------------------------------------


def test_meas_level_classified_accepted(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_simulator")
    counts = backend.run(one_x(), shots=10, meas_level=2).result().get_counts()
    assert counts == {"1": 10}


def test_meas_level_kerneled_refused_clearly(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_simulator")
    with pytest.raises(ValueError, match="meas_level"):
        backend.run(one_x(), shots=10, meas_level=1)


def test_meas_return_with_classified_accepted(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_simulator")
    counts = backend.run(one_x(), shots=10, meas_level=2, meas_return="single").result()
    assert counts.get_counts() == {"1": 10}


def test_init_qubits_true_accepted(provider: IonQProvider) -> None:
    backend = provider.get_backend("ionq_simulator")
    assert backend.run(one_x(), shots=10, init_qubits=True).result().get_counts() == {"1": 10}


def test_job_error_carries_a_message(provider: IonQProvider) -> None:
    # A job the service fails (too wide for the noise model) must say why. (A backend made
    # with noise_model="aria-1" refuses the circuit before sending; per run it is the service.)
    qc = QuantumCircuit(28, 1)
    qc.x(27)
    qc.measure(27, 0)
    job = provider.get_backend("ionq_simulator").run(qc, shots=10, noise_model="aria-1")
    with pytest.raises(Exception) as info:
        job.result()
    assert str(info.value).strip()


# Backend shape: width, coupling map, characterization ------------------------------------


def test_noise_model_backend_width(provider: IonQProvider) -> None:
    assert provider.get_backend("ionq_simulator", noise_model="aria-1").num_qubits == 25


def test_plot_gate_map(provider: IonQProvider) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from qiskit.exceptions import MissingOptionalLibraryError
    from qiskit.visualization import plot_gate_map

    backend = provider.get_backend("ionq_qpu.aria-1")
    if shutil.which("dot") is None:
        # Qiskit draws every non-IBM device through Graphviz: without it the call must get past
        # the backend (its coupling map) and stop only at Qiskit's own Graphviz requirement.
        with pytest.raises(MissingOptionalLibraryError, match="Graphviz"):
            plot_gate_map(backend)
        assert len(backend.coupling_map.get_edges()) == 25 * 24
    else:
        assert plot_gate_map(backend) is not None


@pytest.mark.slow  # Aer builds one noise channel per gate and pair: about 10 s for Aria
def test_aer_from_backend_is_noisy(provider: IonQProvider) -> None:
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    simulator = AerSimulator.from_backend(provider.get_backend("ionq_qpu.aria-1"))
    qc = QuantumCircuit(2, 2)
    for _ in range(40):
        qc.cx(0, 1)
        qc.barrier()  # keeps transpile from cancelling the pairs
    qc.measure([0, 1], [0, 1])
    counts = simulator.run(transpile(qc, simulator), shots=2000, seed_simulator=1).result()
    # 40 CNOTs at aria-1's two-qubit error flip a visible share of the shots.
    assert counts.get_counts().get("00", 0) < 1900


def test_target_carries_characterization(provider: IonQProvider) -> None:
    target = provider.get_backend("ionq_qpu.aria-1").target
    two_qubit = next(name for name in ("cx", "rzz", "ms", "zz") if name in target)
    props = target[two_qubit][(0, 1)]
    assert props is not None and props.error is not None and 0 < props.error < 0.1
    assert props.duration is not None and props.duration > 0


# qiskit-experiments ----------------------------------------------------------------------


def _run(experiment, backend: BackendV2):  # type: ignore[no-untyped-def]
    data = experiment.run(backend, shots=400, seed_simulator=1).block_for_results(timeout=300)
    assert data.status().name == "DONE", data.errors()
    return data


@pytest.mark.slow
def test_standard_rb(backend: BackendV2) -> None:
    library = pytest.importorskip("qiskit_experiments.library")
    data = _run(library.StandardRB([0], lengths=[1, 50, 200], num_samples=3, seed=1), backend)
    epc = data.analysis_results("EPC", dataframe=True).iloc[0].value.nominal_value
    assert 0 <= epc < 0.01


@pytest.mark.slow
def test_state_tomography(backend: BackendV2) -> None:
    library = pytest.importorskip("qiskit_experiments.library")
    prep = QuantumCircuit(1)
    prep.h(0)
    data = _run(library.StateTomography(prep), backend)
    state = data.analysis_results("state", dataframe=True).iloc[0].value
    assert state_fidelity(state, Statevector(prep)) > 0.95


@pytest.mark.slow
def test_local_readout_error(backend: BackendV2) -> None:
    library = pytest.importorskip("qiskit_experiments.library")
    data = _run(library.LocalReadoutError([0]), backend)
    mitigator = data.analysis_results("Local Readout Mitigator", dataframe=True).iloc[0].value
    matrix = mitigator.assignment_matrix(0)
    assert matrix[0, 0] > 0.95 and matrix[1, 1] > 0.95


@pytest.mark.slow
def test_t1(backend: BackendV2) -> None:
    library = pytest.importorskip("qiskit_experiments.library")
    data = _run(library.T1([0], delays=[1e-6, 1e-5, 1e-4]), backend)
    # IonQ's simulators do not relax idle qubits (a delay is dropped, as on qiskit-ionq), so no
    # T1 can be fitted there; what the experiment can show is that the excited state survives
    # every delay, to within the noise model's readout and gate errors.
    records = data.data()
    assert len(records) == 3
    for record in records:
        shots = sum(record["counts"].values())
        assert record["counts"].get("1", 0) / shots > 0.95
