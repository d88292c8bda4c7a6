"""``Service``: the Cirq entry point to IonQ — samplers, one-call runs, jobs and calibrations.

Its arguments and methods are cirq-ionq's (``Service(remote_host, api_key, default_target,
api_version, max_retry_seconds, job_settings, verbose)``, ``run``, ``create_job``,
``create_batch_job``, ``get_job``, ``list_jobs``, ``list_calibrations``,
``get_current_calibration``), beside this package's own (``base_url=``, ``client=``,
``sampler()``, ``run_batch(param_resolvers=)``). Every run goes through one
:class:`~cirq_ionq_direct.Sampler`; cirq-ionq's option dicts are mapped by
:mod:`cirq_ionq_direct.run_options`.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import cirq

from cirq_ionq_direct import connection
from cirq_ionq_direct.calibration import Calibration
from cirq_ionq_direct.exceptions import peer_errors
from cirq_ionq_direct.job import CirqJob
from cirq_ionq_direct.run_options import check_job_settings, sampler_options
from cirq_ionq_direct.sampler import ANY_QPU, Sampler, check_target, resolve_target
from ionq_direct import Client
from ionq_direct import options as checks
from ionq_direct.client import Timeout
from ionq_direct.errors import InvalidInputError

__all__ = ["Service"]

_LOGGER = logging.getLogger("ionq_direct")


def _verbose(flag: object) -> bool:
    """``verbose=True`` shows the requests and retries on stderr (cirq-ionq prints them)."""
    on = bool(checks.check_flag(flag, "verbose"))
    if on and not any(getattr(h, "_cirq_verbose", False) for h in _LOGGER.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._cirq_verbose = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("ionq_direct: %(message)s"))
        _LOGGER.addHandler(handler)
        _LOGGER.setLevel(logging.DEBUG)
    return on


def _retries(max_retry_seconds: object) -> int | None:
    """Retries for ``max_retry_seconds``: ``0`` turns them off; else the core's bounded policy."""
    if max_retry_seconds is None:
        return None
    seconds = checks.check_timeout(max_retry_seconds, "max_retry_seconds")
    return 0 if seconds == 0 else None


def _date(value: object, name: str) -> str | None:
    """A ``YYYY-MM-DD`` date (v0.4 characterization queries) from a date, datetime or string."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    raise InvalidInputError(f"{name} must be a datetime, a date or 'YYYY-MM-DD', got {value!r}")


def _count(value: object, name: str) -> int:
    """``value`` as a positive int (the core's count check)."""
    return checks.check_shots(value, name)


class Service:
    """A connection to IonQ (or the local emulator) for Cirq users, as cirq-ionq's ``Service``.

    Args:
        remote_host: ``scheme://host[:port]`` (``/v0.4`` is appended, as cirq-ionq does);
            defaults to ``CIRQ_IONQ_REMOTE_HOST``, ``IONQ_REMOTE_HOST``, then this package's
            ``IONQ_API_URL`` (a full API root), else IonQ's cloud.
        api_key: the API key; defaults to ``CIRQ_IONQ_API_KEY``, then ``IONQ_API_KEY``.
        default_target: the backend used when a call names none: ``"simulator"`` (default),
            ``"qpu.<system>"``, or ``"qpu"`` for the first QPU the service lists.
        api_version: only ``"v0.4"``.
        max_retry_seconds: ``0`` turns HTTP retries off; other values keep the core's bounded
            policy (3 retries, backoff capped at 8 s, ``Retry-After`` honoured up to 120 s).
        job_settings: ``settings`` sent with every job (copied; never changed by later calls).
        verbose: log every request and retry to stderr.
        base_url: a full API root such as ``http://127.0.0.1:8765/v0.4`` (instead of
            ``remote_host``).
        client: an existing :class:`ionq_direct.Client` to use instead of making one.
        http_timeout: seconds per HTTP request, or ``(connect, read)``.

    ``Service(api_key, base_url)`` (this package's earlier positional order) still works: a
    key never looks like a URL, so the order is told apart; no error repeats a value given.

    Raises:
        MissingAPIKeyError: no key given or set (an ``EnvironmentError``, as in cirq-ionq).
        InvalidInputError: a bad argument, before any network call.
    """

    def __init__(
        self,
        remote_host: str | None = None,
        api_key: str | None = None,
        default_target: str | None = None,
        api_version: str = connection.API_VERSION,
        max_retry_seconds: float | None = None,
        job_settings: Mapping[str, Any] | None = None,
        verbose: bool = False,
        *,
        base_url: str | None = None,
        client: Client | None = None,
        http_timeout: Timeout | None = None,
    ) -> None:
        if api_version != connection.API_VERSION:
            raise InvalidInputError(
                f"api_version must be {connection.API_VERSION!r} (the only version IonQ serves "
                f"and this package speaks), got {api_version!r}"
            )
        self._default_target = check_target(
            "simulator" if default_target is None else default_target
        )
        self._job_settings = check_job_settings(job_settings)
        retries = _retries(max_retry_seconds)
        self._verbose = _verbose(verbose)
        if client is not None:
            if remote_host is not None or api_key is not None or base_url is not None:
                raise InvalidInputError("pass either client= or remote_host/api_key, not both")
            self._client = client
            return
        where = connection.resolve(remote_host, api_key, base_url)
        extra: dict[str, Any] = {} if retries is None else {"max_retries": retries}
        with peer_errors():
            self._client = Client(where.api_key, where.base_url, timeout=http_timeout, **extra)

    def __repr__(self) -> str:
        return f"cirq_ionq_direct.Service(base_url={self._client.base_url!r})"

    @property
    def client(self) -> Client:
        """The underlying :class:`ionq_direct.Client`."""
        return self._client

    @property
    def default_target(self) -> str:
        """The backend used when a call names none."""
        return self._default_target

    @property
    def job_settings(self) -> dict[str, Any] | None:
        """A copy of the ``settings`` sent with every job."""
        return check_job_settings(self._job_settings)

    # Running ---------------------------------------------------------------------------

    def sampler(
        self,
        target: str | None = None,
        *,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        timeout_seconds: float | None = None,
        **options: Any,
    ) -> Sampler:
        """A ``cirq.Sampler`` for ``target`` (default: the service's default target).

        Args:
            target: the backend.
            seed: seeds the sampling of records (reproducible runs).
            timeout_seconds: seconds to wait for results at most (also ``timeout=``).
            **options: further :class:`Sampler` options (``noise_model``, ``noise_seed``,
                ``name``, ``metadata``, ``debiasing``, ``extra_settings``, ``session_id``,
                ``dry_run``) and cirq-ionq's ``error_mitigation``, ``noise``, ``compilation``.
        """
        mapped = sampler_options(job_settings=self._job_settings, **options)
        return Sampler(self, target, timeout_seconds, seed, **mapped)

    def run(
        self,
        circuit: cirq.AbstractCircuit,
        repetitions: int,
        name: str | None = None,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        *,
        sharpen: bool | None = None,
        dry_run: bool | None = None,
        **options: Any,
    ) -> cirq.Result:
        """Run one circuit and wait for its result (cirq-ionq's arguments and ours).

        Args:
            circuit: the circuit; measurements must be terminal.
            repetitions: number of records, 1..1,000,000.
            name: the job name.
            target: the backend (default: the service's default target).
            param_resolver: values for the circuit's symbols.
            seed: seeds the sampling of records.
            sharpen: ask for sharpened (plurality-vote) debiased results.
            dry_run: refused: a dry run has no results (use :meth:`create_job`).
            **options: further :meth:`sampler` options (``error_mitigation``, ``noise``,
                ``compilation``, ``metadata``, ``noise_model``, ``timeout``, ...).
        """
        if checks.check_flag(dry_run, "dry_run"):
            raise InvalidInputError(
                "dry_run=True compiles without running, so there is no result to return; use "
                "service.create_job(..., dry_run=True) to submit a dry run"
            )
        if sharpen is None:
            return self.sampler(target, seed=seed, name=name, **options).run(
                circuit, param_resolver, repetitions
            )
        timeout = options.pop("timeout", None)
        job = self.create_job(
            circuit, repetitions, name, target, param_resolver, seed=seed, **options
        )
        result = job.results(timeout, sharpen=sharpen)
        assert not isinstance(result, list), "one circuit gives one result"
        return result.to_cirq_result()

    def run_batch(
        self,
        circuits: Sequence[cirq.AbstractCircuit],
        repetitions: int,
        name: str | None = None,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        *,
        param_resolvers: Sequence[cirq.ParamResolverOrSimilarType] | None = None,
        **options: Any,
    ) -> list[cirq.Result]:
        """Run several circuits as one multi-circuit job; one result per circuit, in order.

        Args:
            circuits: the circuits.
            repetitions: records per circuit.
            name: the job name.
            target: the backend (default: the service's default target).
            param_resolver: one resolver for every circuit (cirq-ionq's argument).
            seed: seeds the sampling of records.
            param_resolvers: one ``cirq.ParamResolver`` or dict per circuit (this package's
                argument); for sweeps use ``sampler().run_batch(circuits, params_list=...)``.
            **options: further :meth:`sampler` options.

        Raises:
            InvalidInputError: both resolver arguments, or a ``param_resolvers`` entry that is
                a sweep or not a resolver.
        """
        if param_resolver is not None and param_resolvers is not None:
            raise InvalidInputError(
                "pass param_resolver= (one for all circuits) or param_resolvers= (one per "
                "circuit), not both"
            )
        if param_resolvers is not None:
            sweeps: list[cirq.ParamResolver] | None = [
                _one_resolver(r, index) for index, r in enumerate(param_resolvers)
            ]
        elif param_resolver is not None:
            sweeps = [_one_resolver(param_resolver, None)] * len(circuits)
        else:
            sweeps = None
        sampler = self.sampler(target, seed=seed, name=name, **options)
        return [results[0] for results in sampler.run_batch(circuits, sweeps, repetitions)]

    def create_job(
        self,
        circuit: cirq.AbstractCircuit | Sequence[cirq.AbstractCircuit],
        repetitions: int = 100,
        name: str | None = None,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        *,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        **options: Any,
    ) -> CirqJob:
        """Submit one circuit (or a list, as one multi-circuit job) without waiting.

        Args:
            circuit: the circuit, or a list of circuits.
            repetitions: records per circuit.
            name: the job name.
            target: the backend (default: the service's default target).
            param_resolver: values for the symbols (the same for every circuit).
            seed: seeds the sampling of records.
            **options: further :meth:`sampler` options (``error_mitigation``, ``noise``,
                ``compilation``, ``metadata``, ``dry_run``, ...).

        Raises:
            InvalidInputError: bad input, an empty list, or a list too large for one job (use
                a sampler).
        """
        if isinstance(circuit, cirq.AbstractCircuit):
            programs = [circuit]
        elif isinstance(circuit, Iterable) and not isinstance(circuit, (str, bytes)):
            programs = list(circuit)
        else:
            raise InvalidInputError(
                f"circuit must be a cirq circuit or a list of them, got {type(circuit).__name__}"
            )
        if not programs:
            raise InvalidInputError("no circuits to run: pass a circuit or a non-empty list")
        resolver = _one_resolver(param_resolver, None)
        sampler = self.sampler(target, seed=seed, name=name, **options)
        [job] = sampler.create_jobs(programs, [resolver] * len(programs), repetitions, max_jobs=1)
        return job

    def create_batch_job(
        self,
        circuits: Sequence[cirq.AbstractCircuit],
        repetitions: int = 100,
        name: str | None = None,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        *,
        seed: cirq.RANDOM_STATE_OR_SEED_LIKE = None,
        **options: Any,
    ) -> CirqJob:
        """Submit several circuits as one multi-circuit job without waiting.

        Takes the arguments of :meth:`create_job`; ``job.results()`` is then a list, one per
        circuit, in order.
        """
        if isinstance(circuits, cirq.AbstractCircuit):
            raise InvalidInputError("create_batch_job takes a list of circuits (wrap one in [ ])")
        return self.create_job(
            circuits, repetitions, name, target, param_resolver, seed=seed, **options
        )

    # Jobs ------------------------------------------------------------------------------

    def get_job(self, job_id: str) -> CirqJob:
        """Fetch a job submitted through this package; ``results()`` gives its results.

        Raises:
            IonQNotFoundException: no such job (or it was deleted).
        """
        with peer_errors():
            return CirqJob.from_job(self._client.job(job_id), self._client)

    def list_jobs(
        self, status: str | None = None, limit: int = 100, batch_size: int = 1000
    ) -> list[CirqJob]:
        """The newest jobs (at most ``limit``), optionally only those in ``status``.

        Jobs not submitted through this package are listed too; their ``job_id()``,
        ``status()``, ``target()`` and ``name()`` work, their results need ``ionq_direct``.

        Args:
            status: only jobs in this status (``"completed"``, ``"canceled"``, ...).
            limit: how many jobs at most.
            batch_size: jobs per page requested from the service.
        """
        limit = _count(limit, "limit")
        page = _count(batch_size, "batch_size")
        with peer_errors():
            listed = itertools.islice(
                self._client.list_jobs(status=status, limit=min(page, limit)), limit
            )
            return [CirqJob.listed(self._client, record) for record in listed]

    def list_backends(self) -> list[dict[str, Any]]:
        """Every backend with its status and qubit count."""
        with peer_errors():
            return self._client.list_backends()

    # Calibrations ----------------------------------------------------------------------

    def _qpu(self, target: str | None) -> str:
        """The QPU whose characterizations to read: ``target``, the default, or the first."""
        backend = check_target(target if target is not None else self._default_target)
        if backend == "simulator":
            if target is not None:
                raise InvalidInputError(
                    "the simulator has no calibrations; name a QPU such as 'qpu.aria-1'"
                )
            backend = ANY_QPU
        return resolve_target(self._client, backend)

    def get_current_calibration(self, target: str | None = None) -> Calibration | None:
        """The newest characterization of a QPU (``None`` when there is none).

        Args:
            target: a QPU such as ``"qpu.forte-1"``; default: the default target when it is a
                QPU, else the first QPU the service lists (cirq-ionq takes no target).
        """
        backend = self._qpu(target)
        with peer_errors():
            record = next(iter(self._client.list_characterizations(backend, limit=1)), None)
        return None if record is None else Calibration(record)

    def list_calibrations(
        self,
        start: datetime.date | str | None = None,
        end: datetime.date | str | None = None,
        limit: int = 100,
        batch_size: int = 10,
        target: str | None = None,
    ) -> list[Calibration]:
        """A QPU's characterizations, newest first, between ``start`` and ``end`` (dates).

        Args:
            start: the earliest date (a ``datetime``, ``date`` or ``"YYYY-MM-DD"``).
            end: the latest date.
            limit: how many at most.
            batch_size: characterizations per page (the API serves at most 10).
            target: the QPU (default as in :meth:`get_current_calibration`).
        """
        limit = _count(limit, "limit")
        page = min(10, _count(batch_size, "batch_size"))
        backend = self._qpu(target)
        first, last = _date(start, "start"), _date(end, "end")
        with peer_errors():
            records = self._client.list_characterizations(
                backend, start=first, end=last, limit=page
            )
            return [Calibration(record) for record in itertools.islice(records, limit)]


def _one_resolver(resolver: object, index: int | None) -> cirq.ParamResolver:
    """One circuit's resolver; a sweep is refused clearly."""
    if resolver is None or isinstance(resolver, cirq.ParamResolver | Mapping):
        return cirq.ParamResolver(resolver)
    sweep = isinstance(resolver, cirq.Sweep) or (
        isinstance(resolver, Sequence) and not isinstance(resolver, str)
    )
    kind = "a sweep" if sweep else f"a {type(resolver).__name__}"
    where = "param_resolver" if index is None else f"param_resolvers[{index}]"
    raise InvalidInputError(
        f"{where} is {kind}; it takes one cirq.ParamResolver or dict (one result per "
        "circuit). For sweeps use service.sampler().run_batch(circuits, params_list=[...]), "
        "which returns the results per circuit, per sweep point"
    )
