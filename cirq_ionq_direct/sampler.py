"""``Sampler``: a ``cirq.Sampler`` that runs whole sweeps and batches as one IonQ job.

Every resolved circuit of a sweep or batch is translated first, so bad input (an unsupported
gate, a non-terminal measurement, an unresolved symbol, no measurements, bad repetitions) raises
before any network call. The circuits then go out as one ``ionq.multi-circuit.v1`` job (split
only at the API limits, and by repetitions when a batch mixes them), and the results come back in
input order as ``cirq.ResultDict`` objects.

Records are drawn from IonQ's distributions with the core :func:`ionq_direct.results.memory`:
seeded sampling for the ideal simulator, largest-remainder counts shuffled with the seed for QPU
and noisy-simulator frequencies, so every repetition is accounted for. The seed is stored in each
job's metadata; a sampler built with the same seed reproduces the same records.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import cirq
import numpy as np

from cirq_ionq_direct._async import asyncio_running, run_parts
from cirq_ionq_direct.exceptions import peer_errors
from cirq_ionq_direct.job import CirqJob
from cirq_ionq_direct.peer_results import seed_of
from cirq_ionq_direct.results import (
    LAYOUT_METADATA_KEY,
    PARAMS_METADATA_KEY,
    Layout,
    layouts_metadata,
)
from cirq_ionq_direct.sweeps import SweepTemplate
from cirq_ionq_direct.translate import INVERTED_BITS_KEY, is_dynamic, to_dynamic, to_ionq
from ionq_direct import Client, Job, options
from ionq_direct.circuit import Circuit
from ionq_direct.errors import InvalidInputError
from ionq_direct.jobs import wait_all
from ionq_direct.limits import MAX_SIMULATOR_QUBITS
from ionq_direct.metadata import RESERVED_KEYS, SEED_METADATA_KEY, check_reserved, keys_left
from ionq_direct.payload import JobPart, PreparedJob, build_jobs, build_qasm3_jobs
from ionq_direct.qasm3 import DynamicCircuit
from ionq_direct.records import is_simulator

__all__ = ["Sampler", "check_repetitions", "check_target", "check_timeout", "resolve_target"]

#: Metadata keys a run writes itself; the ``metadata`` option may not use them.
_RESERVED = {
    **RESERVED_KEYS,
    LAYOUT_METADATA_KEY: "the circuits' measurement layouts",
    PARAMS_METADATA_KEY: "the circuits' parameter values",
}
#: IonQ backend names: ``simulator`` or ``qpu.<system>`` (lower case), e.g. ``qpu.aria-1``;
#: bare ``qpu`` is cirq-ionq's name for "an IonQ QPU" (see :func:`resolve_target`).
_TARGET = re.compile(r"(simulator|qpu)(\.[a-z0-9][a-z0-9._-]*)?")
#: cirq-ionq's target for "an IonQ QPU"; the v0.4 API names no such backend.
ANY_QPU = "qpu"


class _ServiceLike(Protocol):
    """What a :class:`Sampler` reads from a ``cirq_ionq_direct.Service``."""

    @property
    def client(self) -> Client: ...

    @property
    def default_target(self) -> str: ...

    @property
    def job_settings(self) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True)
class _Part:
    """One prepared job: its body and which flat circuits it carries."""

    prepared: PreparedJob
    positions: list[int]
    layouts: list[Layout]
    repetitions: int
    seed: int
    offset: int


def check_repetitions(repetitions: object) -> int:
    """``repetitions`` as an int in 1..1,000,000 (the core's shots check).

    Raises:
        InvalidInputError: not an integer, or out of range.
    """
    return options.check_shots(repetitions, "repetitions")


def check_target(target: object) -> str:
    """``target`` if it is shaped like an IonQ backend name (checked before any network call).

    ``"qpu"`` (cirq-ionq's name for an IonQ QPU) is accepted; :func:`resolve_target` names it.

    Raises:
        InvalidInputError: not ``"simulator"``, ``"qpu"`` or ``"qpu.<system>"``.
    """
    if isinstance(target, str) and _TARGET.fullmatch(target):
        return target
    hint = ""
    cleaned = target.strip().lower() if isinstance(target, str) else ""
    if cleaned and _TARGET.fullmatch(cleaned):
        hint = f" (did you mean {cleaned!r}?)"
    elif cleaned and _TARGET.fullmatch("qpu." + cleaned):
        hint = f" (did you mean 'qpu.{cleaned}'?)"
    raise InvalidInputError(
        f"target must be 'simulator' or a QPU such as 'qpu.aria-1' or 'qpu.forte-1', "
        f"got {target!r}{hint}"
    )


def resolve_target(client: Client, target: str) -> str:
    """The backend to send jobs to: ``target``, or for ``"qpu"`` the first QPU listed.

    IonQ's v0.4 API names no backend ``qpu`` (its backends are ``simulator`` and
    ``qpu.<system>``); cirq-ionq code uses it for "an IonQ QPU". It becomes the first QPU that
    ``GET /backends`` lists as available (else the first QPU listed), so jobs and
    ``job.target()`` name a real backend.

    Raises:
        InvalidInputError: ``"qpu"`` but the service lists no QPU.
    """
    if target != ANY_QPU:
        return target
    with peer_errors():
        listed = [
            b
            for b in client.list_backends()
            if isinstance(b.get("backend"), str) and b["backend"].startswith("qpu.")
        ]
    available = [b for b in listed if b.get("status") == "available"] or listed
    if not available:
        raise InvalidInputError(
            "target 'qpu' means the first QPU the service lists, but it lists none; name a "
            "backend such as 'qpu.aria-1'"
        )
    return str(available[0]["backend"])


def check_timeout(timeout: object) -> float | None:
    """``timeout`` as seconds to wait, ``None`` (or infinity) for as long as it takes.

    Checked when a sampler is made (with the core's timeout check), so a bad value raises
    before any job is sent.

    Raises:
        InvalidInputError: not a number, negative, or NaN.
    """
    return options.check_timeout(timeout)


class Sampler(cirq.Sampler):
    """Run Cirq circuits, sweeps and batches on an IonQ backend.

    Args:
        service: a :class:`cirq_ionq_direct.Service` (cirq-ionq's first argument; its
            default target and ``job_settings`` apply) or an :class:`ionq_direct.Client`.
        target: the backend, e.g. ``"simulator"`` or ``"qpu.forte-1"`` (default: the
            service's default target, else ``"simulator"``); ``"qpu"`` is the first QPU
            listed (:func:`resolve_target`).
        timeout_seconds: cirq-ionq's name for ``timeout``.
        seed: seeds the sampling of records; the same seed reproduces the same records. A
            non-negative int, or a ``numpy`` random state or generator to draw one from.
        noise_model: a simulator noise model such as ``"aria-1"``.
        noise_seed: the noise model's seed.
        timeout: seconds to wait for results at most (``None``: as long as it takes); a
            negative or NaN value raises ``InvalidInputError`` here, before any job is sent.
        name: the job name.
        metadata: extra string metadata stored with every job.
        debiasing: turn IonQ's debiasing on or off (QPU only).
        extra_settings: further job ``settings``, e.g. ``{"compilation": {"opt": 1}}``.
        session_id: attach the jobs to an open session.
        dry_run: compile only, do not run (the jobs then have no results).
    """

    def __init__(
        self,
        service: Client | _ServiceLike,
        target: str | None = None,
        timeout_seconds: float | None = None,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        *,
        noise_model: str | None = None,
        noise_seed: int | None = None,
        timeout: float | None = None,
        name: str | None = None,
        metadata: Mapping[str, str] | None = None,
        debiasing: bool | None = None,
        extra_settings: Mapping[str, Any] | None = None,
        session_id: str | None = None,
        dry_run: bool | None = None,
    ) -> None:
        if metadata is not None:
            check_reserved(metadata, "metadata", _RESERVED)
        if isinstance(service, Client):
            client, default_target, job_settings = service, "simulator", None
        else:
            client, default_target = service.client, service.default_target
            job_settings = service.job_settings
        if extra_settings is None:
            extra_settings = job_settings
        target = check_target(default_target if target is None else target)
        if timeout is not None and timeout_seconds is not None:
            raise InvalidInputError("pass timeout= or timeout_seconds= (the same thing), not both")
        self._client = client
        self._target = target
        self._rng = np.random.default_rng(seed_of(seed))
        self._timeout = (
            check_timeout(timeout)
            if timeout_seconds is None
            else options.check_timeout(timeout_seconds, "timeout_seconds")
        )
        self._options: dict[str, Any] = {
            "backend": target,
            "name": name,
            "noise_model": noise_model,
            "noise_seed": noise_seed,
            "debiasing": debiasing,
            "extra_settings": extra_settings,
            "session_id": session_id,
            "dry_run": dry_run,
        }
        self._metadata = dict(metadata or {})

    def __repr__(self) -> str:
        return f"cirq_ionq_direct.Sampler(target={self._target!r})"

    @property
    def target(self) -> str:
        """The backend jobs are sent to."""
        return self._target

    # cirq.Sampler ---------------------------------------------------------------------

    def run_sweep(
        self, program: cirq.AbstractCircuit, params: cirq.Sweepable, repetitions: int = 1
    ) -> Sequence[cirq.Result]:
        """Run every point of a sweep as one job; one result per point, in sweep order."""
        return self.run_batch([program], [params], repetitions)[0]

    def run_batch(
        self,
        programs: Sequence[cirq.AbstractCircuit],
        params_list: Sequence[cirq.Sweepable] | None = None,
        repetitions: int | Sequence[int] = 1,
    ) -> Sequence[Sequence[cirq.Result]]:
        """Run circuits with their sweeps as one job; results per circuit, per sweep point."""
        parts, resolvers, shape = self._plan(programs, params_list, repetitions)
        flat = self._collect(self._send(parts, resolvers), len(resolvers))
        return _nest(flat, shape)

    async def run_sweep_async(
        self, program: cirq.AbstractCircuit, params: cirq.Sweepable, repetitions: int = 1
    ) -> Sequence[cirq.Result]:
        """:meth:`run_sweep` on the event loop: awaits the job without blocking it.

        ``asyncio.gather`` over several calls (or over ``run_async``) runs their jobs at once.
        """
        return (await self.run_batch_async([program], [params], repetitions))[0]

    async def run_batch_async(
        self,
        programs: Sequence[cirq.AbstractCircuit],
        params_list: Sequence[cirq.Sweepable] | None = None,
        repetitions: int | Sequence[int] = 1,
    ) -> Sequence[Sequence[cirq.Result]]:
        """:meth:`run_batch` on the event loop (one job for the whole batch, same results).

        Submission, polling and result downloads are awaited through an
        :class:`ionq_direct.AsyncClient` made from this sampler's client, so gathered calls
        overlap; the records are those :meth:`run_batch` gives for the same seed. Awaited
        outside an asyncio event loop (``duet.run``, as some Cirq code does) or without the
        ``async`` extra (httpx), it runs :meth:`run_batch` instead, which blocks.
        """
        if not asyncio_running():
            return self.run_batch(programs, params_list, repetitions)
        parts, resolvers, shape = self._plan(programs, params_list, repetitions)
        jobs = await run_parts(self._client, [part.prepared for part in parts], self._timeout)
        sent = [
            (self._wrap(part, job, resolvers), part.positions)
            for part, job in zip(parts, jobs, strict=True)
        ]
        return _nest(self._collect(sent, len(resolvers)), shape)

    # Non-blocking ---------------------------------------------------------------------

    def create_jobs(
        self,
        programs: Sequence[cirq.AbstractCircuit],
        params_list: Sequence[cirq.Sweepable] | None = None,
        repetitions: int | Sequence[int] = 1,
        *,
        max_jobs: int | None = None,
    ) -> list[CirqJob]:
        """Submit a batch without waiting; the jobs' results flatten the batch's sweeps.

        Args:
            programs: the circuits.
            params_list: a sweep per circuit (default: no parameters).
            repetitions: repetitions for all circuits, or one per circuit.
            max_jobs: refuse (before sending) a batch that needs more jobs than this.
        """
        parts, resolvers, _shape = self._plan(programs, params_list, repetitions)
        if max_jobs is not None and len(parts) > max_jobs:
            raise InvalidInputError(
                f"the batch needs {len(parts)} jobs (API limits, mixed repetitions, or dynamic "
                f"circuits, which run one job each), more than {max_jobs}; use "
                "Sampler.run_batch, which handles several"
            )
        return [job for job, _positions in self._send(parts, resolvers)]

    # Internals ------------------------------------------------------------------------

    def _plan(
        self,
        programs: Sequence[cirq.AbstractCircuit],
        params_list: Sequence[cirq.Sweepable] | None,
        repetitions: int | Sequence[int],
    ) -> tuple[list[_Part], list[cirq.ParamResolver], list[int]]:
        """Translate everything and build every job body; no network calls."""
        if isinstance(programs, cirq.AbstractCircuit):
            raise InvalidInputError("programs must be a list of circuits (wrap one in [ ])")
        if isinstance(repetitions, (str, bytes)):
            check_repetitions(repetitions)  # a string is not a list of counts: refuse it
        if not isinstance(repetitions, Sequence):
            # cirq's normalization knows only Python ints; numpy integers are common too.
            repetitions = [repetitions] * len(programs)
        sweeps, counts = self._normalize_batch_args(programs, params_list, repetitions)
        max_qubits = MAX_SIMULATOR_QUBITS if is_simulator(self._target) else None
        circuits: list[Circuit | DynamicCircuit] = []
        layouts: list[Layout] = []
        resolvers: list[cirq.ParamResolver] = []
        reps: list[int] = []
        shape: list[int] = []
        for index, (program, sweep, count) in enumerate(zip(programs, sweeps, counts, strict=True)):
            checked = check_repetitions(count)
            points = list(cirq.to_resolvers(sweep))
            shape.append(len(points))
            for circuit, layout in _translate_points(
                program, points, index if len(programs) > 1 else None, max_qubits
            ):
                layouts.append(layout)
                circuits.append(circuit)
                reps.append(checked)
            resolvers.extend(points)
        if circuits and self._options["backend"] == ANY_QPU:
            self._target = self._options["backend"] = resolve_target(self._client, ANY_QPU)
        groups: dict[int, list[int]] = {}
        for position, count in enumerate(reps):
            groups.setdefault(count, []).append(position)
        parts: list[_Part] = []
        for count, positions in groups.items():
            seed = int(self._rng.integers(0, 2**63 - 1))
            parts.extend(
                self._prepare(
                    [circuits[p] for p in positions],
                    [layouts[p] for p in positions],
                    [resolvers[p] for p in positions],
                    positions,
                    count,
                    seed,
                )
            )
        return parts, resolvers, shape

    def _prepare(
        self,
        circuits: list[Circuit | DynamicCircuit],
        layouts: list[Layout],
        params: list[cirq.ParamResolver],
        positions: list[int],
        repetitions: int,
        seed: int,
    ) -> list[_Part]:
        """Job bodies for ``circuits``, each carrying its own circuits' layouts and values."""
        max_keys = keys_left(len(self._metadata) + 1)  # beside the caller's keys and the seed

        def part_metadata(part: JobPart) -> dict[str, str]:
            first, last = part.circuits.start, part.circuits.stop
            return {
                SEED_METADATA_KEY: str(seed),
                **layouts_metadata(
                    layouts[first:last], first, params[first:last], max_keys=max_keys
                ),
            }

        if any(isinstance(c, DynamicCircuit) for c in circuits):
            return self._prepare_dynamic(circuits, layouts, params, positions, repetitions, seed)
        statics = [c for c in circuits if isinstance(c, Circuit)]
        jobs = build_jobs(
            statics,
            shots=repetitions,
            metadata=self._metadata,
            part_metadata=part_metadata,
            **self._options,
        )
        return [
            _Part(
                job,
                positions[job.circuits.start : job.circuits.stop],
                layouts[job.circuits.start : job.circuits.stop],
                repetitions,
                seed,
                job.circuits.start,
            )
            for job in jobs
        ]

    def _prepare_dynamic(
        self,
        circuits: list[Circuit | DynamicCircuit],
        layouts: list[Layout],
        params: list[cirq.ParamResolver],
        positions: list[int],
        repetitions: int,
        seed: int,
    ) -> list[_Part]:
        """Job bodies for a group with dynamic circuits: one ``ionq.qasm3.v1`` job each.

        IonQ's multi-circuit jobs carry JSON circuits only, so runs of static circuits go out
        as before and every dynamic circuit as its own job, in order.
        """
        parts: list[_Part] = []
        start = 0
        while start < len(circuits):
            stop = start + 1
            if not isinstance(circuits[start], DynamicCircuit):
                while stop < len(circuits) and not isinstance(circuits[stop], DynamicCircuit):
                    stop += 1
                for part in self._prepare(
                    circuits[start:stop],
                    layouts[start:stop],
                    params[start:stop],
                    positions[start:stop],
                    repetitions,
                    seed,
                ):
                    # Seeds derive from the circuit's index in the group, as in one job.
                    parts.append(
                        _Part(
                            part.prepared,
                            part.positions,
                            part.layouts,
                            repetitions,
                            seed,
                            part.offset + start,
                        )
                    )
                start = stop
                continue
            dynamic = circuits[start]
            assert isinstance(dynamic, DynamicCircuit)
            own = {
                SEED_METADATA_KEY: str(seed),
                **layouts_metadata(
                    layouts[start:stop],
                    start,
                    params[start:stop],
                    max_keys=keys_left(len(self._metadata) + 1),
                ),
            }
            [job] = build_qasm3_jobs(
                [dynamic],
                shots=repetitions,
                metadata=self._metadata,
                part_metadata=functools.partial(_fixed_metadata, own),
                **self._options,
            )
            parts.append(
                _Part(job, positions[start:stop], layouts[start:stop], repetitions, seed, start)
            )
            start = stop
        return parts

    def _send(
        self, parts: list[_Part], resolvers: list[cirq.ParamResolver]
    ) -> list[tuple[CirqJob, list[int]]]:
        sent = []
        for part in parts:
            with peer_errors():
                job = self._client.submit(part.prepared)
            sent.append((self._wrap(part, job, resolvers), part.positions))
        return sent

    def _wrap(self, part: _Part, job: Job, resolvers: list[cirq.ParamResolver]) -> CirqJob:
        return CirqJob(
            job,
            part.layouts,
            repetitions=part.repetitions,
            seed=part.seed,
            offset=part.offset,
            params=[resolvers[p] for p in part.positions],
            client=self._client,
        )

    def _collect(self, sent: list[tuple[CirqJob, list[int]]], count: int) -> list[cirq.ResultDict]:
        # One core deadline for every job of the run, status requests included.
        wait_all([job.job for job, _ in sent], self._timeout)
        flat: list[cirq.ResultDict | None] = [None] * count
        for job, positions in sent:
            for position, result in zip(positions, job.cirq_results(), strict=True):
                flat[position] = result
        done = [result for result in flat if result is not None]
        assert len(done) == count, "every circuit is carried by exactly one job"
        return done


def _nest(flat: Sequence[cirq.Result], shape: list[int]) -> list[list[cirq.Result]]:
    """Flat results cut into one list per program, ``shape`` giving each one's length."""
    nested: list[list[cirq.Result]] = []
    start = 0
    for size in shape:
        nested.append(list(flat[start : start + size]))
        start += size
    return nested


def _translate_points(
    program: cirq.AbstractCircuit,
    points: list[cirq.ParamResolver],
    index: int | None,
    max_qubits: int | None = None,
) -> list[tuple[Circuit | DynamicCircuit, Layout]]:
    """Translate a circuit at every point of its sweep, in order.

    A static circuit swept over several points is walked once (:class:`SweepTemplate`); each
    point gets the circuit, and any error, that translating it alone gives.
    """
    template = None
    if len(points) > 1 and not is_dynamic(program):
        template = SweepTemplate.of(program)
    if template is None:
        return [_translate(program, resolver, index, max_qubits) for resolver in points]
    done: list[tuple[Circuit | DynamicCircuit, Layout]] = []
    for resolver in points:
        circuit = template.bind(resolver)
        if circuit is None:
            done.append(_translate(program, resolver, index, max_qubits))
        else:
            done.append(_checked(circuit, functools.partial(_where, index, resolver), max_qubits))
    return done


def _where(index: int | None, resolver: cirq.ParamResolver) -> str:
    """The prefix naming a program of a batch and its point in errors."""
    where = "" if index is None else f"program {index}: "
    if resolver.param_dict:
        where += f"with parameters {dict(resolver.param_dict)}: "
    return where


def _translate(
    program: cirq.AbstractCircuit,
    resolver: cirq.ParamResolver,
    index: int | None,
    max_qubits: int | None = None,
) -> tuple[Circuit | DynamicCircuit, Layout]:
    """Translate one resolved circuit; its results layout is checked and kept aside."""
    where = _where(index, resolver)
    if is_dynamic(program):
        return _translate_dynamic(program, resolver, where, max_qubits)
    try:
        circuit = to_ionq(program, param_resolver=resolver)
    except InvalidInputError as exc:
        if not where:
            raise
        raise InvalidInputError(where + str(exc)) from exc
    return _checked(circuit, lambda: where, max_qubits)


def _checked(
    circuit: Circuit, where: Callable[[], str], max_qubits: int | None
) -> tuple[Circuit, Layout]:
    """A translated circuit that can be sampled, and its layout (kept out of its metadata).

    ``where()`` gives the prefix naming the circuit in an error (only built for one).
    """
    if not circuit.registers:
        raise InvalidInputError(
            f"{where()}the circuit has no measurements to sample; add cirq.measure(...) on the "
            "qubits to read"
        )
    if max_qubits is not None and circuit.qubits > max_qubits:
        raise InvalidInputError(
            f"{where()}the circuit needs {circuit.qubits} qubits but the simulator runs at most "
            f"{max_qubits}; use fewer qubits or a QPU target"
        )
    layout = Layout.of(circuit)
    if INVERTED_BITS_KEY in circuit.metadata:
        # The layout keeps the inverted bits; as job metadata they would clash across circuits.
        circuit.metadata = {k: v for k, v in circuit.metadata.items() if k != INVERTED_BITS_KEY}
    return circuit, layout


def _translate_dynamic(
    program: cirq.AbstractCircuit,
    resolver: cirq.ParamResolver,
    where: str,
    max_qubits: int | None,
) -> tuple[DynamicCircuit, Layout]:
    """Translate a circuit with mid-circuit measurements or resets (an OpenQASM 3 job)."""
    try:
        circuit, keys = to_dynamic(program, param_resolver=resolver)
    except InvalidInputError as exc:
        if not where:
            raise
        raise InvalidInputError(where + str(exc)) from exc
    if not circuit.clbits:
        raise InvalidInputError(
            f"{where}the circuit has no measurements to sample; add cirq.measure(...) on the "
            "qubits to read"
        )
    if max_qubits is not None and circuit.qubits > max_qubits:
        raise InvalidInputError(
            f"{where}the circuit needs {circuit.qubits} qubits but the simulator runs at most "
            f"{max_qubits}; use fewer qubits or a QPU target"
        )
    layout = Layout(
        keys.registers, keys.measurement_map, keys.inverted, circuit.qubits, keys.repeats
    )
    return circuit, layout


def _fixed_metadata(entries: dict[str, str], part: JobPart) -> dict[str, str]:
    """The same metadata for every part (a dynamic circuit's job has one)."""
    del part
    return entries
