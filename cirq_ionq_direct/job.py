"""``CirqJob``: one IonQ job carrying Cirq circuits, with results as ``cirq.Result`` objects.

The job's metadata holds what its results need (the measurement layouts and the sampling
seed), so a job fetched later by id reads back the same records as the run that created it.
"""

from __future__ import annotations

from collections.abc import Sequence

import cirq

from cirq_ionq_direct.results import Layout, read_metadata
from ionq_direct import Job, artifacts
from ionq_direct.errors import InvalidInputError
from ionq_direct.qasm3 import CLASSICAL_REGISTER, QASM3_TYPE
from ionq_direct.results import derive_seed

__all__ = ["CirqJob"]


class CirqJob:
    """A handle on one IonQ job whose circuits came from Cirq.

    Args:
        job: the core job handle.
        layouts: each circuit's result layout, in job order.
        repetitions: records per circuit; defaults to the job's shots.
        seed: the job's sampling seed; defaults to the one in its metadata.
        offset: the input index of the job's first circuit (per-circuit seeds depend on it).
        params: the resolver each circuit was run with (default: empty resolvers).
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

    @classmethod
    def from_job(cls, job: Job) -> CirqJob:
        """Wrap a job submitted by this package, reading its layouts and seed from metadata.

        Raises:
            InvalidInputError: the job carries no Cirq measurement layout (or it was too large
                to store).
        """
        layouts, offset, params = read_metadata(job.info.metadata, job.id)
        return cls(job, layouts, seed=job.recorded_seed, offset=offset, params=params)

    def __repr__(self) -> str:
        return f"CirqJob(id={self.id!r}, status={self._job.status!r}, circuits={len(self)})"

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

    def status(self) -> str:
        """The job's current status, fetched unless it is already terminal."""
        if not self._job.done:
            self._job.refresh()
        return self._job.status

    def wait(self, timeout: float | None = None) -> CirqJob:
        """Wait until the job is completed, failed or canceled; returns ``self``.

        Raises:
            JobTimeoutError: the job was still running after ``timeout`` seconds.
        """
        self._job.wait(timeout)
        return self

    def cancel(self) -> CirqJob:
        """Ask the service to cancel the job; returns ``self``."""
        self._job.cancel()
        return self

    def results(self, timeout: float | None = None) -> list[cirq.ResultDict]:
        """One ``cirq.ResultDict`` per circuit, in input order, waiting for the job first.

        Raises:
            JobTimeoutError: the job was still running after ``timeout`` seconds.
            JobFailedError: the job failed or was canceled.
        """
        if self._results is None:
            self._job.wait(timeout)
            if self._job.info.type == QASM3_TYPE:
                self._results = [self._dynamic_result()]
                return list(self._results)
            if self._job.is_multi_circuit:
                distributions = self._job.aggregated_distributions()
            else:
                distributions = [self._job.distribution()]
            if len(distributions) != len(self._layouts):
                raise InvalidInputError(
                    f"job {self.id} has {len(distributions)} results for "
                    f"{len(self._layouts)} circuits"
                )
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
        """The records of an ``ionq.qasm3.v1`` job (one dynamic circuit)."""
        [layout] = self._layouts
        seed = None if self._seed is None else derive_seed(self._seed, self._offset)
        found = artifacts.fetch(self._job)
        values = found.outcomes(
            CLASSICAL_REGISTER, self._shots(), exact=self._job.is_exact, seed=seed
        )
        params = self._params[0] if self._params else None
        return layout.records_of(values, params=params)

    def _shots(self) -> int:
        if self._repetitions is not None:
            return self._repetitions
        shots = self._job.info.shots
        if shots is None:
            raise InvalidInputError(f"job {self.id} does not record its shots")
        return shots
