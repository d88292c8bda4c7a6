"""``IonQBackend``: a Qiskit ``BackendV2`` for one IonQ backend and gateset.

``run`` translates every circuit first (bad input raises before any network call), sends them
as one multi-circuit job when there are several (split at the API limits), records the sampling
seed and the circuits' layouts in the job metadata, and returns an :class:`IonQJob`.

Options may also be given under qiskit-ionq's names and as Qiskit's standard ones
(:mod:`qiskit_ionq_direct.run_options` renames them onto this backend's own); inside a
``with Session(backend): ...`` block every ``run`` joins the session.
"""

from __future__ import annotations

import functools
import secrets
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.providers import BackendV2, Options
from qiskit.transpiler import Target

from ionq_direct.circuit import Circuit, check_metadata
from ionq_direct.client import Client
from ionq_direct.errors import InvalidInputError
from ionq_direct.limits import MAX_CIRCUITS_PER_JOB, NOISE_MODEL_QUBITS
from ionq_direct.metadata import RESERVED_KEYS, SEED_METADATA_KEY, check_reserved, keys_left
from ionq_direct.options import check_noise, check_seed, check_shots, check_timeout
from ionq_direct.payload import JobPart, PreparedJob, build_jobs, build_qasm3_jobs
from ionq_direct.qasm3 import DynamicCircuit
from ionq_direct.records import is_simulator
from qiskit_ionq_direct.calibration import Characterization
from qiskit_ionq_direct.idle import without_idle_qubits
from qiskit_ionq_direct.job import IonQJob
from qiskit_ionq_direct.result import LAYOUT_METADATA_KEY, CircuitLayout, encode_layouts
from qiskit_ionq_direct.run_options import normalize
from qiskit_ionq_direct.session import active_session
from qiskit_ionq_direct.target import GATESETS, NATIVE_TWO_QUBIT_GATES, build_target
from qiskit_ionq_direct.translate import is_dynamic, to_dynamic, to_ionq
from qiskit_ionq_direct.transpiler import TRANSLATION_PLUGIN, add_equivalences, native_pass_manager

if TYPE_CHECKING:
    from qiskit_ionq_direct.provider import IonQProvider

__all__ = ["IonQBackend"]

_INT32_MAX = 2**31 - 1
#: Metadata keys a run writes itself; the ``metadata`` option may not use them.
_RESERVED = {**RESERVED_KEYS, LAYOUT_METADATA_KEY: "the circuits' result layouts"}


@functools.cache
def _plugin_registered() -> bool:
    """Whether the translation plugin's entry point is installed (it is, once pip-installed)."""
    from qiskit.transpiler.preset_passmanagers.plugin import list_stage_plugins

    return TRANSLATION_PLUGIN in list_stage_plugins("translation")


def _native_pair(name: str, info: Mapping[str, Any]) -> tuple[str, ...]:
    """The native two-qubit gates the backend record lists (a guess by family without it)."""
    listed = info.get("supported_native_gates")
    if isinstance(listed, list):
        found = tuple(g for g in NATIVE_TWO_QUBIT_GATES if g in listed)
        if found:
            return found
    return ("zz",) if "forte" in name or "tempo" in name else ("ms",)


class IonQBackend(BackendV2):  # type: ignore[misc]
    """An IonQ backend (``"simulator"``, ``"qpu.aria-1"``, ...) in one gateset.

    The backend record (qubit count, native gates) is fetched once, when the target is first
    needed; the provider passes it in when it already has it. A QPU's target also carries its
    latest characterization (fetched with the record); a backend whose default ``noise_model``
    simulates fewer qubits than the simulator has reports that narrower width.

    Args:
        client: the REST client.
        name: IonQ's backend name.
        gateset: ``"qis"`` (standard gates) or ``"native"`` (GPI, GPI2, MS or ZZ).
        provider: the provider that made this backend.
        info: the backend's record from ``GET /backends``, if already known.
        **options: run options overriding the defaults (see :meth:`_default_options`); the
            names :mod:`~qiskit_ionq_direct.run_options` lists are accepted too.
    """

    def __init__(
        self,
        client: Client,
        name: str,
        *,
        gateset: str = "qis",
        provider: IonQProvider | None = None,
        info: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        if gateset not in GATESETS:
            raise InvalidInputError(f"gateset must be 'qis' or 'native', got {gateset!r}")
        options = normalize(options)
        _check_options(options)
        super().__init__(
            provider=provider,
            name=name,
            description=f"IonQ {name} ({gateset} gateset) via the v0.4 REST API",
            backend_version="v0.4",
        )
        self._client = client
        self._gateset = gateset
        self._info: dict[str, Any] | None = dict(info) if info is not None else None
        self._target: Target | None = None
        self._characterization: Characterization | None = None
        if options:
            self.set_options(**options)
        add_equivalences()

    def __repr__(self) -> str:
        return f"<IonQBackend {self.name!r} gateset={self._gateset!r}>"

    @classmethod
    def _default_options(cls) -> Options:
        return Options(
            shots=1024,
            memory=True,
            seed_simulator=None,
            noise_model=None,
            noise_seed=None,
            debiasing=None,
            job_name=None,
            metadata=None,
            dry_run=False,
            session_id=None,
            extra_settings=None,
            timeout=None,
        )

    def set_options(self, **fields: Any) -> None:
        """Change default run options; a bad value raises ``InvalidInputError`` now, not at run.

        qiskit-ionq's option names are accepted too. An unknown option raises
        ``AttributeError``, as Qiskit's backends do.
        """
        fields = normalize(fields)
        _check_values(fields)
        super().set_options(**fields)
        if "noise_model" in fields:  # the width the backend simulates may change
            self._target = None

    @property
    def client(self) -> Client:
        """The REST client this backend submits through."""
        return self._client

    def gateset(self) -> str:
        """``"qis"`` or ``"native"`` (a method, as in qiskit-ionq)."""
        return self._gateset

    @property
    def info(self) -> dict[str, Any]:
        """The backend's record from the API (fetched once)."""
        if self._info is None:
            self._info = self._client.get_backend(self.name)
        return self._info

    @property
    def target(self) -> Target:
        """The backend's ``Target``, as wide as the backend runs circuits.

        Global instructions on the simulator; on a QPU with a characterization, every qubit and
        pair with the characterized errors and durations (see :func:`build_target`).
        """
        if self._target is None:
            cal = None if is_simulator(self.name) else self.calibration()
            self._target = build_target(
                self._width(),
                self._gateset,
                native_two_qubit=_native_pair(self.name, self.info),
                characterization=cal,
            )
        return self._target

    def _width(self) -> int:
        """The qubits the backend record reports, or fewer if the default noise model says so."""
        qubits = self.info.get("qubits")
        if not isinstance(qubits, int) or qubits < 1:
            raise InvalidInputError(f"backend {self.name!r} does not report its qubits")
        model = self.options.noise_model
        return min(qubits, NOISE_MODEL_QUBITS.get(model, qubits)) if model else qubits

    @property
    def basis_gates(self) -> list[str]:
        """The names of the operations the target lists (gates, ``measure``, ``delay``)."""
        return list(self.target.operation_names)

    def status(self) -> bool:
        """Whether the backend takes jobs now: the simulator always; a QPU if ``available``.

        A QPU's status is read from its record now (``GET /backends/{name}``). Returns a bool,
        as qiskit-ionq's ``status()`` does.
        """
        if is_simulator(self.name):
            return True
        return self._client.get_backend(self.name).get("status") == "available"

    def calibration(self) -> Characterization | None:
        """The QPU's latest characterization, fetched once; ``None`` for the simulator.

        ``None`` too when the backend record names no characterization.
        """
        if is_simulator(self.name) or not self.info.get("characterization_id"):
            return None
        if self._characterization is None:
            latest = next(iter(self._client.list_characterizations(self.name, limit=1)), None)
            if latest is None:
                return None
            self._characterization = Characterization(latest)
        return self._characterization

    def with_name(self, name: str, **kwargs: Any) -> IonQBackend:
        """The backend called ``name`` through the same client and provider, in this gateset.

        Args:
            name: IonQ's or qiskit-ionq's name (``"qpu.aria-1"``, ``"ionq_qpu.aria-1"``).
            **kwargs: ``gateset=`` and run options of the new backend.
        """
        from qiskit_ionq_direct.provider import backend_name

        gateset = kwargs.pop("gateset", self._gateset)
        return IonQBackend(
            self._client, backend_name(name), gateset=gateset, provider=self.provider, **kwargs
        )

    def get_translation_stage_plugin(self) -> str | None:
        """The translation stage ``transpile`` uses: IonQ's compacting one on native backends.

        ``"ionq_direct"`` (see :class:`~qiskit_ionq_direct.transpiler.IonQTranslationPlugin`)
        for the native gateset, when its entry point is installed; ``None`` (Qiskit's default)
        otherwise.
        """
        if self._gateset == "native" and _plugin_registered():
            return TRANSLATION_PLUGIN
        return None

    @property
    def max_circuits(self) -> int:
        """Circuits per IonQ job; larger batches still run, split into several jobs."""
        return MAX_CIRCUITS_PER_JOB

    def retrieve_job(self, job_id: str) -> IonQJob:
        """A job previously run on IonQ, by its id (comma-separated ids for a split batch)."""
        return IonQJob(self, [self._client.job(i) for i in _job_ids(job_id)])

    def retrieve_jobs(self, job_ids: Sequence[str]) -> list[IonQJob]:
        """Several jobs by id, in order (see :meth:`retrieve_job`)."""
        return [self.retrieve_job(job_id) for job_id in _id_list(job_ids)]

    def cancel_job(self, job_id: str) -> dict[str, Any]:
        """Ask IonQ to cancel a job by id; returns the service's answer.

        A split batch's comma-separated id cancels every part in one request.
        """
        ids = _job_ids(job_id)
        if len(ids) == 1:
            return self._client.cancel_job(ids[0])
        return self._client.cancel_jobs(ids)

    def cancel_jobs(self, job_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Cancel several jobs by id; one answer per id, in order."""
        return [self.cancel_job(job_id) for job_id in _id_list(job_ids)]

    def run(self, run_input: QuantumCircuit | Sequence[QuantumCircuit], **options: Any) -> IonQJob:
        """Run circuits on IonQ; returns at once with a job.

        Args:
            run_input: a circuit or a list of circuits.
            **options: overrides of the backend's options (``shots``, ``seed_simulator``,
                ``noise_model``, ...), also under qiskit-ionq's names (``sampler_seed``,
                ``job_settings``, ``error_mitigation``, ...). Inside ``with Session(...)`` the
                job joins that session unless ``session_id`` is given.

        Raises:
            InvalidInputError: an unknown option, a bad value, or a circuit IonQ cannot run
                (unsupported gate, too wide, mid-circuit measurement, ...); nothing is sent.
        """
        options = normalize(options)
        _check_options(options)
        opts = {**self.options.__dict__, **options}
        if "session_id" not in options and opts["session_id"] is None:
            session = active_session(self)
            if session is not None:
                opts["session_id"] = session.session_id
        if isinstance(run_input, QuantumCircuit):
            circuits = [run_input]
        elif isinstance(run_input, Sequence):
            circuits = list(run_input)
        else:
            circuits = []
        if not circuits or not all(isinstance(c, QuantumCircuit) for c in circuits):
            raise InvalidInputError(
                "run() takes a QuantumCircuit or a non-empty list of them, got "
                f"{type(run_input).__name__}"
            )
        dynamic = [is_dynamic(qc) for qc in circuits]
        if any(dynamic):
            return self._run_dynamic(circuits, dynamic, opts)
        translated = [self._translate(qc, index) for index, qc in enumerate(circuits)]
        layouts = [CircuitLayout.of(qc, ic) for qc, ic in zip(circuits, translated, strict=True)]
        _warn_unmeasured(layouts)
        prepared = self._prepare(translated, layouts, opts)
        jobs = [self._client.submit(job) for job, _ in prepared]
        return IonQJob(
            self,
            jobs,
            [lay for _, lay in prepared],
            memory=bool(opts["memory"]),
            timeout=opts["timeout"],
            dry_run=bool(opts["dry_run"]),
        )

    # Dynamic circuits -----------------------------------------------------------------

    def _run_dynamic(
        self, circuits: list[QuantumCircuit], dynamic: list[bool], opts: Mapping[str, Any]
    ) -> IonQJob:
        """Run a batch with dynamic circuits: each as its own ``ionq.qasm3.v1`` job.

        IonQ's multi-circuit jobs carry JSON circuits only, so the batch goes out in order as
        runs of static circuits (``build_jobs``, as without dynamic ones) and one OpenQASM 3
        job per dynamic circuit. Every circuit is translated before anything is sent.
        """
        prepared: list[tuple[PreparedJob, list[CircuitLayout]]] = []
        plan: list[tuple[bool, list[Circuit | DynamicCircuit], list[CircuitLayout]]] = []
        for index, (qc, is_dyn) in enumerate(zip(circuits, dynamic, strict=True)):
            if is_dyn:
                dyn = self._translate_dynamic(qc, index)
                plan.append((True, [dyn], [CircuitLayout.of_dynamic(qc, dyn)]))
                continue
            static = self._translate(qc, index)
            layout = CircuitLayout.of(qc, static)
            if plan and not plan[-1][0]:
                plan[-1][1].append(static)
                plan[-1][2].append(layout)
            else:
                plan.append((False, [static], [layout]))
        _warn_unmeasured([layout for _, _, group_layouts in plan for layout in group_layouts])
        for number, (is_dyn, group, layouts) in enumerate(plan):
            if is_dyn:
                assert isinstance(group[0], DynamicCircuit)
                prepared.append(
                    (self._prepare_dynamic(group[0], layouts[0], opts, number), layouts)
                )
            else:
                statics = [c for c in group if isinstance(c, Circuit)]
                seed = opts["seed_simulator"]
                # Each run of static circuits samples with its own seed, as split parts do.
                shifted = {**opts, "seed_simulator": None if seed is None else seed + number}
                prepared.extend(self._prepare(statics, layouts, shifted))
        jobs = [self._client.submit(job) for job, _ in prepared]
        return IonQJob(
            self,
            jobs,
            [lay for _, lay in prepared],
            memory=bool(opts["memory"]),
            timeout=opts["timeout"],
            dry_run=bool(opts["dry_run"]),
        )

    def _translate_dynamic(self, circuit: QuantumCircuit, index: int) -> DynamicCircuit:
        circuit = without_idle_qubits(circuit)  # transpile made it as wide as the device
        if self._gateset == "native":
            self._check_width(circuit, index)
            return to_dynamic(self._lower_to_native(circuit), gateset="native")
        # As in _translate: a circuit IonQ cannot run is refused before the width needs the
        # backend's record.
        translated = to_dynamic(circuit, gateset=self._gateset)
        self._check_width(circuit, index)
        return translated

    def _prepare_dynamic(
        self, circuit: DynamicCircuit, layout: CircuitLayout, opts: Mapping[str, Any], number: int
    ) -> PreparedJob:
        """The ``ionq.qasm3.v1`` body of one dynamic circuit, with its layout and seed."""
        user = {} if opts["metadata"] is None else check_metadata(opts["metadata"])
        check_reserved(user, "metadata", _RESERVED)
        seed = opts["seed_simulator"]
        seed = secrets.randbits(62) if seed is None else (int(seed) + number) % 2**62
        noise_model = opts["noise_model"]
        noise_seed = opts["noise_seed"]
        if noise_seed is None and noise_model not in (None, "ideal"):
            noise_seed = seed % _INT32_MAX
        own = {
            SEED_METADATA_KEY: str(seed),
            **encode_layouts([layout], self._gateset, max_keys=keys_left(len(user) + 1)),
        }
        [job] = build_qasm3_jobs(
            [circuit],
            backend=self.name,
            shots=opts["shots"],
            name=opts["job_name"],
            metadata=user,
            noise_model=noise_model,
            noise_seed=noise_seed,
            debiasing=opts["debiasing"],
            dry_run=opts["dry_run"] or None,
            session_id=opts["session_id"],
            extra_settings=opts["extra_settings"],
            part_metadata=lambda part: own,
        )
        return job

    # Helpers --------------------------------------------------------------------------

    def _translate(self, circuit: QuantumCircuit, index: int) -> Circuit:
        circuit = without_idle_qubits(circuit)  # transpile made it as wide as the device
        if self._gateset == "native":
            self._check_width(circuit, index)
            return to_ionq(self._lower_to_native(circuit), gateset="native")
        # A circuit IonQ cannot run is refused before the width needs the backend's record.
        translated = to_ionq(circuit, gateset=self._gateset)
        self._check_width(circuit, index)
        return translated

    def _check_width(self, circuit: QuantumCircuit, index: int) -> None:
        width = self.num_qubits
        if circuit.num_qubits > width:
            raise InvalidInputError(
                f"circuit {index} ({circuit.name!r}) has {circuit.num_qubits} qubits but "
                f"{self.name} has {width}; use a smaller circuit or a larger backend"
            )

    def _lower_to_native(self, circuit: QuantumCircuit) -> QuantumCircuit:
        """Translate standard gates to compact natives (exactly), as primitives send ``h``/``sdg``.

        A circuit already all native is sent as it is.
        """
        allowed = set(self.target.operation_names) | {"barrier", "measure", "delay"}
        if set(circuit.count_ops()) <= allowed:
            return circuit
        lowered: QuantumCircuit = native_pass_manager(self.target).run(circuit)
        return lowered

    def _prepare(
        self, circuits: list[Circuit], layouts: list[CircuitLayout], opts: Mapping[str, Any]
    ) -> list[tuple[PreparedJob, list[CircuitLayout]]]:
        """The job bodies, each with the layouts (and seed) of the circuits it carries."""
        user = {} if opts["metadata"] is None else check_metadata(opts["metadata"])
        check_reserved(user, "metadata", _RESERVED)
        seed = opts["seed_simulator"]
        seed = secrets.randbits(62) if seed is None else int(seed)
        noise_model = opts["noise_model"]
        noise_seed = opts["noise_seed"]
        if noise_seed is None and noise_model not in (None, "ideal"):
            noise_seed = seed % _INT32_MAX
        max_keys = keys_left(len(user) + 1)  # beside the caller's keys and the seed

        def part_metadata(part: JobPart) -> dict[str, str]:
            # Split parts sample with consecutive seeds; a single job with the seed itself.
            part_seed = seed if part.number == 0 else (seed + part.number) % 2**62
            carried = layouts[part.circuits.start : part.circuits.stop]
            return {
                SEED_METADATA_KEY: str(part_seed),
                **encode_layouts(carried, self._gateset, max_keys=max_keys),
            }

        jobs = build_jobs(
            circuits,
            backend=self.name,
            shots=opts["shots"],
            name=opts["job_name"],
            metadata=user,
            noise_model=noise_model,
            noise_seed=noise_seed,
            debiasing=opts["debiasing"],
            dry_run=opts["dry_run"] or None,
            session_id=opts["session_id"],
            extra_settings=opts["extra_settings"],
            part_metadata=part_metadata,
        )
        return [(job, layouts[job.circuits.start : job.circuits.stop]) for job in jobs]


def _job_ids(job_id: object) -> list[str]:
    """The IonQ job ids in a Qiskit job id (comma-separated for a split batch)."""
    ids = [p.strip() for p in job_id.split(",") if p.strip()] if isinstance(job_id, str) else []
    if not ids:
        raise InvalidInputError(f"job_id must name a job, got {job_id!r}")
    return ids


def _id_list(job_ids: object) -> list[str]:
    if isinstance(job_ids, str) or not isinstance(job_ids, Sequence):
        raise InvalidInputError(f"job_ids must be a list of job ids, got {job_ids!r}")
    return list(job_ids)


def _warn_unmeasured(layouts: Sequence[CircuitLayout]) -> None:
    """Warn, as qiskit-ionq does, about circuits whose results would hold no bits."""
    for index, layout in enumerate(layouts):
        if not any(q >= 0 for q in layout.measurement_map):
            warnings.warn(
                f"circuit {index} ({layout.name!r}) is not measuring any qubits: its counts will "
                "be empty; add measurements (qc.measure_all())",
                UserWarning,
                stacklevel=3,
            )


def _check_options(options: Mapping[str, Any]) -> None:
    known = IonQBackend._default_options().__dict__
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise InvalidInputError(
            f"unknown run option(s) {', '.join(map(repr, unknown))}; IonQ backends accept "
            f"{', '.join(sorted(known))} (and qiskit-ionq's names for them)"
        )
    _check_values(options)


def _check_values(options: Mapping[str, Any]) -> None:
    """Check the values whose meaning is the backend's own (the payload checks the rest)."""
    if options.get("shots") is not None:
        check_shots(options["shots"])
    if options.get("seed_simulator") is not None:
        check_seed(options["seed_simulator"], "seed_simulator")
    check_timeout(options.get("timeout"))
    memory = options.get("memory", False)
    if not isinstance(memory, bool | np.bool_):
        raise InvalidInputError(f"memory must be True or False, got {memory!r}")
    if options.get("noise_model") is not None:
        check_noise("simulator", options["noise_model"])
