"""``CirqJob`` (also named ``Job``, as in cirq-ionq): one IonQ job carrying Cirq circuits.

The job's metadata holds what its results need (the measurement layouts and the sampling
seed), so a job fetched later by id reads back the same records as the run that created it.
``results()`` answers as cirq-ionq's does (one ``SimulatorResult``/``QPUResult``, or a list for a
multi-circuit job); ``cirq_results()`` gives one ``cirq.Result`` per circuit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cirq
import numpy as np
from numpy.typing import NDArray

from cirq_ionq_direct.exceptions import IonQUnsuccessfulJobException, peer_errors
from cirq_ionq_direct.peer_results import QPUResult, SimulatorResult, from_job
from cirq_ionq_direct.results import Layout, read_metadata
from ionq_direct import Client, Job, artifacts, options
from ionq_direct.errors import InvalidInputError
from ionq_direct.qasm3 import CLASSICAL_REGISTER, QASM3_TYPE
from ionq_direct.records import is_simulator
from ionq_direct.results import derive_seed

__all__ = ["CirqJob", "check_result_options"]

#: Statuses after which a job has no results (cirq-ionq's accessors then raise).
_UNSUCCESSFUL = frozenset({"failed", "canceled", "deleted"})


def check_result_options(
    timeout: float | None,
    timeout_seconds: float | None,
    polling_seconds: float | None,
    extra_query_params: Mapping[str, Any] | None,
) -> float | None:
    """The timeout to wait for results, from ours or cirq-ionq's names (checked, no network).

    ``polling_seconds`` is checked and otherwise unused: polling here is adaptive.

    Raises:
        InvalidInputError: both ``timeout`` and ``timeout_seconds``, a bad number, or
            non-empty ``extra_query_params`` (the result requests carry only checked fields).
    """
    if timeout is not None and timeout_seconds is not None:
        raise InvalidInputError("pass timeout= or timeout_seconds= (the same thing), not both")
    options.check_timeout(polling_seconds, "polling_seconds")
    if extra_query_params:
        raise InvalidInputError(
            "extra_query_params is not supported: requests carry only the fields this "
            f"package checks (got {sorted(map(str, extra_query_params))}); pass sharpen= for "
            "the results query"
        )
    return options.check_timeout(
        timeout if timeout_seconds is None else timeout_seconds,
        "timeout" if timeout_seconds is None else "timeout_seconds",
    )


class CirqJob:
    """A handle on one IonQ job whose circuits came from Cirq.

    Args:
        job: the core job handle.
        layouts: each circuit's result layout, in job order.
        repetitions: records per circuit; defaults to the job's shots.
        seed: the job's sampling seed; defaults to the one in its metadata.
        offset: the input index of the job's first circuit (per-circuit seeds depend on it).
        params: the resolver each circuit was run with (default: empty resolvers).
        client: the client the job was submitted with (needed by :meth:`delete`).
    """

    def __init__(
        self,
        job: Job,
        layouts: Sequence[Layout],
        *,
        repetitions: int | None = None,
        seed: int | None = None,
        offset: int = 0,
        params: Sequence[cirq.ParamResolver] | None = None,
        client: Client | None = None,
    ) -> None:
        if params is not None and len(params) != len(layouts):
            raise InvalidInputError(f"got {len(params)} resolvers for {len(layouts)} circuits")
        self._job = job
        self._layouts = list(layouts)
        self._repetitions = repetitions
        self._seed = seed
        self._offset = offset
        self._params = list(params) if params is not None else None
        self._results: list[cirq.ResultDict] | None = None
        self._deleted = False
        self._client = client
        self._unreadable: InvalidInputError | None = None
        self._registers: tuple[artifacts.RegisterResults, NDArray[Any]] | None = None

    @classmethod
    def from_job(cls, job: Job, client: Client | None = None) -> CirqJob:
        """Wrap a job submitted by this package, reading its layouts and seed from metadata.

        Raises:
            InvalidInputError: the job carries no Cirq measurement layout (or it was too large
                to store).
        """
        layouts, offset, params = read_metadata(job.info.metadata, job.id)
        return cls(
            job, layouts, seed=job.recorded_seed, offset=offset, params=params, client=client
        )

    @classmethod
    def listed(cls, client: Client, record: Mapping[str, Any]) -> CirqJob:
        """A job from a ``GET /jobs`` listing; jobs from elsewhere have no Cirq results.

        Their ``job_id()``, ``status()``, ``target()`` and ``name()`` work; asking for their
        measurement layout or results raises the reason.
        """
        job = Job(client, str(record.get("id")), record)
        try:
            return cls.from_job(job, client)
        except InvalidInputError as exc:
            made = cls(job, [], client=client)
            made._unreadable = exc
            return made

    def __repr__(self) -> str:
        status = "deleted" if self._deleted else self._job.status
        return f"CirqJob(id={self.id!r}, status={status!r}, circuits={len(self)})"

    def __len__(self) -> int:
        return len(self._layouts)

    @property
    def id(self) -> str:
        """The IonQ job id."""
        return self._job.id

    @property
    def job(self) -> Job:
        """The core :class:`ionq_direct.Job` handle."""
        return self._job

    def job_id(self) -> str:
        """The IonQ job id (cirq-ionq's name for :attr:`id`)."""
        return self._job.id

    def status(self) -> str:
        """The job's current status, fetched unless it is already terminal."""
        if self._deleted:
            return "deleted"
        if not self._job.done:
            with peer_errors():
                self._job.refresh()
        return self._job.status

    def _successful(self) -> None:
        """Raise cirq-ionq's error when the job failed, was canceled or was deleted."""
        status = self.status()
        if status in _UNSUCCESSFUL:
            failure = self._job.info.failure
            raise IonQUnsuccessfulJobException(
                self.id,
                status,
                code=failure.code if failure else None,
                reason=failure.message if failure else None,
            )

    def _full_record(self) -> Mapping[str, Any]:
        self._successful()
        if not self._job.info.is_full:
            with peer_errors():
                self._job.refresh()
        return self._job.record

    def target(self) -> str:
        """The backend the job runs on, e.g. ``"simulator"`` or ``"qpu.aria-1"``.

        Raises:
            IonQUnsuccessfulJobException: the job failed, was canceled or was deleted.
        """
        self._full_record()
        return str(self._job.backend)

    def name(self) -> str | None:
        """The job's name (``None`` when it has none).

        Raises:
            IonQUnsuccessfulJobException: the job failed, was canceled or was deleted.
        """
        name = self._full_record().get("name")
        return None if name is None else str(name)

    def num_qubits(self, circuit_index: int | None = None) -> int:
        """The width of circuit ``circuit_index`` (default: the widest of the job).

        Raises:
            IonQUnsuccessfulJobException: the job failed, was canceled or was deleted.
        """
        self._successful()
        if circuit_index is None:
            if not self._layouts and self._job.info.qubits is not None:
                return self._job.info.qubits
            return max(self._layout(i).width for i in range(max(1, len(self._layouts))))
        return self._layout(circuit_index).width

    def repetitions(self) -> int:
        """Repetitions (shots) per circuit.

        Raises:
            IonQUnsuccessfulJobException: the job failed, was canceled or was deleted.
        """
        self._successful()
        return self._shots()

    def measurement_dict(self, circuit_index: int = 0) -> dict[str, list[int]]:
        """Circuit ``circuit_index``'s measurement keys and the qubit indices each reads."""
        return self._layout(circuit_index).measurement_dict

    def _layout(self, circuit_index: int) -> Layout:
        if self._unreadable is not None:
            raise InvalidInputError(str(self._unreadable))
        if not isinstance(circuit_index, int) or not 0 <= circuit_index < len(self._layouts):
            raise InvalidInputError(
                f"circuit_index must be an int in 0..{len(self._layouts) - 1}, "
                f"got {circuit_index!r}"
            )
        return self._layouts[circuit_index]

    def wait(self, timeout: float | None = None) -> CirqJob:
        """Wait until the job is completed, failed or canceled; returns ``self``.

        Raises:
            JobTimeoutError: the job was still running after ``timeout`` seconds.
        """
        self._job.wait(timeout)
        return self

    def cancel(self) -> CirqJob:
        """Ask the service to cancel the job; returns ``self``."""
        with peer_errors():
            self._job.cancel()
        return self

    def delete(self) -> CirqJob:
        """Delete the job from the service for good; its status reads ``"deleted"`` after."""
        if self._client is None:
            raise InvalidInputError(
                "this CirqJob was made without its client; fetch it with Service.get_job(id) "
                "to delete it"
            )
        with peer_errors():
            self._client.delete_job(self.id)
        self._deleted = True
        self._results = None
        self._registers = None
        return self

    def results(
        self,
        timeout: float | None = None,
        *,
        timeout_seconds: float | None = None,
        polling_seconds: float | None = None,
        sharpen: bool | None = None,
        extra_query_params: Mapping[str, Any] | None = None,
    ) -> SimulatorResult | QPUResult | list[SimulatorResult | QPUResult]:
        """The results as cirq-ionq gives them, waiting for the job first.

        A one-circuit job gives one :class:`SimulatorResult` (simulator) or :class:`QPUResult`
        (QPU); a multi-circuit job a list of them, in input order. Their ``to_cirq_result()``
        gives the records of :meth:`cirq_results`.

        Args:
            timeout: seconds to wait at most (``None``: as long as it takes).
            timeout_seconds: cirq-ionq's name for ``timeout``.
            polling_seconds: accepted for cirq-ionq code; polling here is adaptive.
            sharpen: ask IonQ for sharpened (plurality-vote) debiased results.
            extra_query_params: accepted only empty (see :func:`check_result_options`).

        Raises:
            JobTimeoutError: the job was still running after the timeout.
            IonQUnsuccessfulJobException: the job failed or was canceled.
        """
        wait = check_result_options(timeout, timeout_seconds, polling_seconds, extra_query_params)
        options.check_flag(sharpen, "sharpen")
        with peer_errors():
            self._ready(wait)
            simulator = is_simulator(str(self._job.backend))
            if self._dynamic:
                if sharpen:
                    raise InvalidInputError(
                        f"job {self.id} is an OpenQASM 3 job, whose register results have no "
                        "sharpened form; leave sharpen unset or False"
                    )
                return self._dynamic_peer_result(simulator)
            distributions = self._distributions(wait, sharpen)
        params = self._params or [cirq.ParamResolver({})] * len(self._layouts)
        made = [
            from_job(
                distribution,
                layout,
                self._shots(),
                simulator=simulator,
                exact=self._job.is_exact,
                seed=None if self._seed is None else derive_seed(self._seed, self._offset + i),
                params=resolver,
            )
            for i, (layout, distribution, resolver) in enumerate(
                zip(self._layouts, distributions, params, strict=True)
            )
        ]
        return made if self._job.is_multi_circuit else made[0]

    def _ready(self, timeout: float | None) -> None:
        """Wait for the job, refusing a deleted job or one with no readable layouts."""
        if self._deleted:
            raise IonQUnsuccessfulJobException(self.id, "deleted")
        if self._unreadable is not None:
            raise InvalidInputError(str(self._unreadable))
        self._job.wait(timeout)

    @property
    def _dynamic(self) -> bool:
        """Whether the job is an ``ionq.qasm3.v1`` job (one dynamic circuit)."""
        return self._job.info.type == QASM3_TYPE

    def _distributions(self, timeout: float | None, sharpen: bool | None = None) -> list[Any]:
        """Every circuit's ``(outcomes, probabilities)``, waiting for the job first."""
        self._ready(timeout)
        if self._job.is_multi_circuit:
            distributions = self._job.aggregated_distributions(sharpen)
        else:
            distributions = [self._job.distribution(sharpen)]
        if len(distributions) != len(self._layouts):
            raise InvalidInputError(
                f"job {self.id} has {len(distributions)} results for {len(self._layouts)} circuits"
            )
        return distributions

    def cirq_results(self, timeout: float | None = None) -> list[cirq.ResultDict]:
        """One ``cirq.ResultDict`` per circuit, in input order, waiting for the job first.

        Raises:
            JobTimeoutError: the job was still running after ``timeout`` seconds.
            JobFailedError: the job failed or was canceled.
        """
        if self._results is None:
            self._ready(timeout)
            if self._dynamic:
                self._results = [self._dynamic_result()]
                return list(self._results)
            distributions = self._distributions(timeout)
            repetitions = self._shots()
            exact = self._job.is_exact
            params = self._params or [cirq.ParamResolver({})] * len(self._layouts)
            self._results = [
                layout.to_result(
                    distribution,
                    repetitions,
                    exact=exact,
                    seed=None if self._seed is None else derive_seed(self._seed, self._offset + i),
                    params=resolver,
                )
                for i, (layout, distribution, resolver) in enumerate(
                    zip(self._layouts, distributions, params, strict=True)
                )
            ]
        return list(self._results)

    def _dynamic_result(self) -> cirq.ResultDict:
        """The records of an ``ionq.qasm3.v1`` job (one dynamic circuit), read once."""
        if self._results is None:
            [layout] = self._layouts
            params = self._params[0] if self._params else None
            self._results = [layout.records_of(self._dynamic_values()[1], params=params)]
        return self._results[0]

    def _dynamic_values(self) -> tuple[artifacts.RegisterResults, NDArray[Any]]:
        """The job's register artifacts and each shot's program bits (downloaded once)."""
        if self._registers is None:
            found = artifacts.fetch(self._job)
            seed = None if self._seed is None else derive_seed(self._seed, self._offset)
            values = found.outcomes(
                CLASSICAL_REGISTER, self._shots(), exact=self._job.is_exact, seed=seed
            )
            self._registers = (found, values)
        return self._registers

    def _dynamic_peer_result(self, simulator: bool) -> SimulatorResult | QPUResult:
        """A dynamic circuit's result in cirq-ionq's shape, over its classical bits.

        An ideal simulator's exact probabilities stay exact; otherwise the distribution is
        the tally of the per-shot values the records were read from. Either way its
        ``to_cirq_result()`` gives the records of :meth:`cirq_results`.
        """
        records = self._dynamic_result()
        found, values = self._dynamic_values()
        [layout] = self._layouts
        exact = self._job.is_exact and found.shots is None and found.histogram is None
        table = (found.probabilities or {}).get(CLASSICAL_REGISTER) if exact else None
        if table is not None:
            keys = sorted(table)
            outcomes = np.array(keys, dtype=np.int64)
            weights = np.array([table[k] for k in keys], dtype=np.float64)
        else:
            exact = False
            outcomes, tally = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
            weights = tally / max(1, int(tally.sum()))
        return from_job(
            (outcomes, weights),
            layout,
            len(values) or self._shots(),
            simulator=simulator,
            exact=exact,
            seed=None if self._seed is None else derive_seed(self._seed, self._offset),
            params=self._params[0] if self._params else None,
            records=records,
        )

    def _shots(self) -> int:
        if self._repetitions is not None:
            return self._repetitions
        shots = self._job.info.shots
        if shots is None:
            raise InvalidInputError(f"job {self.id} does not record its shots")
        return shots
