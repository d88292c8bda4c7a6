"""Build Qiskit ``Result`` objects from IonQ outcomes, and carry circuit layouts through jobs.

A :class:`CircuitLayout` is what formatting needs from a circuit: its name, registers and
measurement map. Layouts travel in the IonQ job's metadata (the core metadata codec, see
:func:`encode_layouts`) so a job retrieved by id formats its results exactly as the job that
submitted it.

Counts and memory always come from the same per-shot outcomes, so they agree: the tally of
``data.memory`` is ``data.counts``. Memory is Qiskit's hex over all classical bits, which
``BackendSamplerV2`` requires. ``data.probabilities`` holds the distribution IonQ returned,
keyed like the counts; :meth:`IonQResult.get_probabilities` formats it as ``get_counts`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from qiskit.circuit import QuantumCircuit
from qiskit.result import Result
from qiskit.result.models import ExperimentResult, ExperimentResultData
from qiskit.result.postprocess import format_counts

from ionq_direct import artifacts, results
from ionq_direct.circuit import Circuit
from ionq_direct.jobs import Job
from ionq_direct.metadata import decode_value, encode_value, keys_left
from ionq_direct.qasm3 import CLASSICAL_REGISTER, DynamicCircuit

__all__ = [
    "LAYOUT_METADATA_KEY",
    "CircuitLayout",
    "IonQResult",
    "build_result",
    "decode_gateset",
    "decode_layouts",
    "dynamic_experiment",
    "encode_layouts",
    "experiment_result",
    "omitted_layouts",
    "shots_to_clbits",
]

#: Metadata key (and prefix of continuation keys) holding the encoded layouts and gateset.
LAYOUT_METADATA_KEY = "ionq_direct_qiskit"


@dataclass(frozen=True)
class CircuitLayout:
    """What result formatting needs to know about one submitted circuit.

    Attributes:
        name: the circuit's name (``Result.get_counts(name)`` finds it by this).
        num_qubits: the circuit's width.
        qregs: quantum registers as ``(name, size)`` pairs, in order.
        cregs: classical registers as ``(name, size)`` pairs, in order.
        measurement_map: classical bit ``i`` reads qubit ``measurement_map[i]`` (``-1``: never
            written, reads 0).
    """

    name: str
    num_qubits: int
    qregs: tuple[tuple[str, int], ...]
    cregs: tuple[tuple[str, int], ...]
    measurement_map: tuple[int, ...]

    @classmethod
    def of(cls, circuit: QuantumCircuit, translated: Circuit) -> CircuitLayout:
        """The layout of ``circuit`` as translated into ``translated``."""
        return cls(
            name=circuit.name,
            num_qubits=circuit.num_qubits,
            qregs=tuple((reg.name, reg.size) for reg in circuit.qregs),
            cregs=tuple(translated.registers),
            measurement_map=tuple(translated.measurement_map),
        )

    @classmethod
    def of_dynamic(cls, circuit: QuantumCircuit, translated: DynamicCircuit) -> CircuitLayout:
        """The layout of a dynamic circuit: its results are classical bits already.

        The OpenQASM 3 program writes classical bit ``i`` to ``c[i]``, so the measurement map is
        the identity over the classical bits.
        """
        return cls(
            name=circuit.name,
            num_qubits=circuit.num_qubits,
            qregs=tuple((reg.name, reg.size) for reg in circuit.qregs),
            cregs=tuple(translated.registers),
            measurement_map=tuple(range(translated.clbits)),
        )

    @classmethod
    def measure_all(cls, name: str, num_qubits: int) -> CircuitLayout:
        """A fallback layout for a job without one: every qubit read into register ``c``."""
        return cls(
            name, num_qubits, (("q", num_qubits),), (("c", num_qubits),), tuple(range(num_qubits))
        )

    @property
    def memory_slots(self) -> int:
        """The number of classical bits."""
        return len(self.measurement_map)

    def header(self) -> dict[str, Any]:
        """The ``ExperimentResult`` header Qiskit's backends emit (a plain dict in Qiskit 2)."""
        return {
            "name": self.name,
            "n_qubits": self.num_qubits,
            "qreg_sizes": [[name, size] for name, size in self.qregs],
            "creg_sizes": [[name, size] for name, size in self.cregs],
            "qubit_labels": [[name, i] for name, size in self.qregs for i in range(size)],
            "clbit_labels": [[name, i] for name, size in self.cregs for i in range(size)],
            "memory_slots": self.memory_slots,
            "metadata": {},
        }

    def _compact(self) -> list[Any]:
        return [
            self.name,
            self.num_qubits,
            [list(r) for r in self.qregs],
            [list(r) for r in self.cregs],
            list(self.measurement_map),
        ]

    @classmethod
    def _from_compact(cls, item: Sequence[Any]) -> CircuitLayout:
        name, qubits, qregs, cregs, mapping = item
        return cls(
            str(name),
            int(qubits),
            tuple((str(n), int(s)) for n, s in qregs),
            tuple((str(n), int(s)) for n, s in cregs),
            tuple(int(q) for q in mapping),
        )


def encode_layouts(
    layouts: Sequence[CircuitLayout],
    gateset: str | None = None,
    *,
    max_keys: int = keys_left(1),
) -> dict[str, str]:
    """Layouts (and the backend's gateset) as job metadata, with the core metadata codec.

    The encoding is split over keys (``ionq_direct_qiskit``, ``ionq_direct_qiskit1``, ...) if
    it is long. When even the split encoding would need more than ``max_keys`` keys, the
    gateset and the number of circuits are stored instead, saying the layouts were left out:
    the submitting ``IonQJob`` still formats its results from the layouts it holds, and a
    retrieved copy raises a clear error instead of guessing.

    Args:
        layouts: one layout per circuit of the job, in order.
        gateset: the backend's gateset, so a retrieved job rebuilds the same backend.
        max_keys: metadata keys the layouts may use (default: all but the seed's and the
            client token's of IonQ's documented ten).
    """
    compact = [layout._compact() for layout in layouts]
    payload: Any = compact if gateset is None else {"gateset": gateset, "layouts": compact}
    summary: dict[str, Any] = {"omitted": len(layouts)}
    if gateset is not None:
        summary["gateset"] = gateset
    return encode_value(LAYOUT_METADATA_KEY, payload, max_keys=max_keys, fallback=summary)


def decode_layouts(metadata: Mapping[str, Any] | None) -> list[CircuitLayout] | None:
    """The layouts :func:`encode_layouts` stored; ``None`` if absent, unreadable or left out."""
    payload = decode_value(metadata, LAYOUT_METADATA_KEY)
    # Jobs run before the gateset was stored hold the bare list of layouts.
    items = payload.get("layouts") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return None
    try:
        return [CircuitLayout._from_compact(item) for item in items]
    except (ValueError, TypeError):
        return None


def omitted_layouts(metadata: Mapping[str, Any] | None) -> int | None:
    """How many circuits' layouts :func:`encode_layouts` left out as too large, else ``None``."""
    payload = decode_value(metadata, LAYOUT_METADATA_KEY)
    count = payload.get("omitted") if isinstance(payload, dict) else None
    return count if isinstance(count, int) else None


def decode_gateset(metadata: Mapping[str, Any] | None) -> str | None:
    """The gateset :func:`encode_layouts` stored, or ``None`` (older jobs, other clients)."""
    payload = decode_value(metadata, LAYOUT_METADATA_KEY)
    gateset = payload.get("gateset") if isinstance(payload, dict) else None
    return gateset if isinstance(gateset, str) else None


def shots_to_clbits(per_shot: ArrayLike, measurement_map: Sequence[int]) -> NDArray[Any]:
    """Map per-shot qubit outcomes to classical-bit values (clbit ``i`` is bit ``i``)."""
    shots = np.asarray(per_shot)
    if shots.size == 0:
        return np.zeros(0, dtype=np.int64)
    unique, inverse = np.unique(shots, return_inverse=True)
    bits = results.qubit_bits(unique, measurement_map)
    width = bits.shape[1]
    if width < 63:
        weights = np.left_shift(np.int64(1), np.arange(width, dtype=np.int64))
        mapped: NDArray[Any] = bits.astype(np.int64) @ weights
    else:
        mapped = np.empty(unique.size, dtype=object)
        mapped[:] = [sum(1 << i for i, b in enumerate(row) if b) for row in bits.tolist()]
    out: NDArray[Any] = mapped[inverse.reshape(-1)]
    return out


def _clbit_shots(
    per_shot: ArrayLike, measurement_map: Sequence[int]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """The distinct classical-bit values the shots read, ascending, and each shot's index.

    Only the distinct qubit outcomes are mapped (a shot list repeats a few), so counts and
    memory both come from one sort of the shots.
    """
    shots = np.asarray(per_shot)
    if shots.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp)
    unique, inverse = np.unique(shots, return_inverse=True)
    values, back = np.unique(shots_to_clbits(unique, measurement_map), return_inverse=True)
    return values, back[inverse.reshape(-1)]


def _hex_distribution(
    distribution: tuple[ArrayLike, ArrayLike], mapping: Sequence[int]
) -> dict[str, float]:
    outcomes, probs = results.marginalize(distribution[0], distribution[1], mapping)
    return {hex(int(k)): float(p) for k, p in zip(outcomes.tolist(), probs.tolist(), strict=True)}


def experiment_result(
    layout: CircuitLayout,
    shots: int,
    *,
    per_shot: ArrayLike | None = None,
    distribution: tuple[ArrayLike, ArrayLike] | None = None,
    memory: bool = True,
    seed: int | None = None,
) -> ExperimentResult:
    """One circuit's ``ExperimentResult``: hex counts, hex memory and probabilities.

    Args:
        layout: the circuit's layout.
        shots: the number of shots.
        per_shot: per-shot outcomes over qubits (qubit ``q`` is bit ``q``); counts are their
            tally.
        distribution: ``(outcomes, probabilities)`` IonQ returned; without ``per_shot`` the
            counts are these frequencies rounded by largest remainder (memory cannot be made
            from them). When given, ``data.probabilities`` holds it keyed by classical bits.
        memory: include ``data.memory``.
        seed: the sampling seed, recorded on the result.
    """
    mapping = layout.measurement_map
    if per_shot is not None:
        values, index = _clbit_shots(per_shot, mapping)
        rendered = [hex(v) for v in values.tolist()]
        tally = np.bincount(index, minlength=len(rendered)).tolist()
        counts = dict(zip(rendered, tally, strict=True))
        hex_memory = np.array(rendered, dtype=object)[index].tolist() if memory else None
    elif distribution is not None:
        outcomes, probs = results.marginalize(distribution[0], distribution[1], mapping)
        kept, tally = results.counts(outcomes, probs, shots, exact=False)
        counts = {hex(int(k)): int(c) for k, c in zip(kept.tolist(), tally.tolist(), strict=True)}
        hex_memory = None
    else:
        raise ValueError("give per_shot or distribution")
    extra = (
        {} if distribution is None else {"probabilities": _hex_distribution(distribution, mapping)}
    )
    data = ExperimentResultData(counts=counts, memory=hex_memory, **extra)
    return ExperimentResult(
        shots, True, data, status="DONE", seed=seed, seed_simulator=seed, header=layout.header()
    )


def dynamic_experiment(
    job: Job,
    layout: CircuitLayout,
    *,
    register_results: artifacts.RegisterResults | None,
    memory: bool = True,
    seed: int | None = None,
) -> ExperimentResult:
    """The ``ExperimentResult`` of an ``ionq.qasm3.v1`` job from its register artifacts.

    The program holds every classical bit in register ``c`` (``output_all`` is read for
    programs written elsewhere), so each shot's value is the circuit's classical bits and
    :func:`experiment_result` formats it with the identity measurement map. Recorded shots are
    used as they are (those tagged with leakage are left out, so counts sum to the shots kept);
    the ideal simulator's probabilities are sampled with ``seed``. ``data.probabilities`` is
    the register's probabilities artifact, else its histogram's (or the shots') frequencies.

    Args:
        job: the completed IonQ job.
        layout: the circuit's layout (:meth:`CircuitLayout.of_dynamic`).
        register_results: the job's artifacts (:func:`ionq_direct.artifacts.fetch`);
            ``None`` for a circuit without classical bits.
        memory: include ``data.memory``.
        seed: the sampling seed.
    """
    shots = job.info.shots or 0
    distribution = None
    if register_results is None or layout.memory_slots == 0:
        values: NDArray[Any] = np.zeros(shots, dtype=np.int64)
    else:
        names = register_results.names
        register = CLASSICAL_REGISTER if CLASSICAL_REGISTER in names else artifacts.OUTPUT_ALL
        values = register_results.outcomes(register, shots, exact=job.is_exact, seed=seed)
        distribution = _register_distribution(register_results, register)
    return experiment_result(
        layout,
        len(values),
        per_shot=values,
        distribution=distribution,
        memory=memory,
        seed=seed,
    )


def _register_distribution(
    found: artifacts.RegisterResults, register: str
) -> tuple[NDArray[Any], NDArray[np.float64]] | None:
    """``register``'s ``(values, probabilities)`` (see ``RegisterResults.distribution``)."""
    table = found.distribution(register)
    if not table:
        return None
    keys = sorted(table)
    kind: type = np.int64 if max(keys) < 2**62 else object
    return np.array(keys, dtype=kind), np.array([table[k] for k in keys], dtype=np.float64)


class IonQResult(Result):  # type: ignore[misc]
    """A Qiskit ``Result`` that also gives each circuit's probabilities (qiskit-ionq's name)."""

    def get_probabilities(
        self, experiment: Any = None
    ) -> dict[str, float] | list[dict[str, float]]:
        """The distribution IonQ returned for a circuit, keyed as ``get_counts`` keys counts.

        The ideal simulator's is exact; a QPU's or noisy simulator's is the measured frequencies.

        Args:
            experiment: a circuit, its name or index; ``None`` gives the only circuit's (or a
                list, one per circuit, when there are several).

        Raises:
            QiskitError: no such circuit, or the result has no probabilities.
        """
        from qiskit.exceptions import QiskitError

        if experiment is None:
            indices: list[Any] = list(range(len(self.results)))
        else:
            indices = [experiment]
        out = []
        for key in indices:
            found = self._get_experiment(key)
            probabilities = getattr(found.data, "probabilities", None)
            if probabilities is None:
                raise QiskitError(f'no probabilities for experiment "{key!r}"')
            out.append(format_counts(dict(probabilities), found.header))
        return out[0] if len(out) == 1 else out


def build_result(
    experiments: Sequence[ExperimentResult],
    *,
    backend_name: str,
    backend_version: str,
    job_id: str,
    date: str | None = None,
) -> IonQResult:
    """A successful ``Result`` holding ``experiments`` in order."""
    return IonQResult(
        backend_name=backend_name,
        backend_version=backend_version,
        job_id=job_id,
        success=True,
        results=list(experiments),
        date=date,
        status="COMPLETED",
    )
