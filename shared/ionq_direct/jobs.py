"""``Job``: a handle on one IonQ job — its status, waiting, and its results as Python values.

Result methods never wait on their own: asked too early they raise :class:`JobNotDoneError`
(pass ``wait=True`` to wait instead). A failed or canceled job raises ``JobFailedError``.
Probabilities are fetched once and cached on the handle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ionq_direct import _polling, results
from ionq_direct.errors import InvalidInputError, IonQError, JobFailedError, JobNotDoneError
from ionq_direct.metadata import SEED_METADATA_KEY
from ionq_direct.records import TERMINAL_STATUSES

if TYPE_CHECKING:
    from ionq_direct.client import Client

#: Job type of a parent job that holds several circuits.
_MULTI_CIRCUIT = "ionq.multi-circuit.v1"
#: Prefix of the artifact format holding per-shot outcomes as decimal strings.
_SHOTS_ARTIFACT = "ionq.result.shots.json.v1"


class Job:
    """A handle on one job: status, waiting, results, cancel, cost and children.

    Args:
        client: the :class:`~ionq_direct.client.Client` the job belongs to.
        job_id: the job's id.
        record: the last known job record (a creation response is enough).
    """

    def __init__(
        self, client: Client, job_id: str, record: Mapping[str, Any] | None = None
    ) -> None:
        self._client = client
        self._id = job_id
        self._record: dict[str, Any] = dict(record) if record is not None else {"id": job_id}
        self._distributions: dict[bool | None, tuple[NDArray[Any], NDArray[np.float64]]] = {}

    def __repr__(self) -> str:
        return f"Job(id={self._id!r}, status={self.status!r})"

    @property
    def id(self) -> str:
        """The job's id."""
        return self._id

    @property
    def record(self) -> dict[str, Any]:
        """The raw job record from the last fetch (or the creation response)."""
        return self._record

    @property
    def status(self) -> str:
        """The last known status (``submitted``, ``ready``, ``started``, ``completed``, ...).

        Never touches the network; call :meth:`refresh` or :meth:`wait` to update it.
        """
        value = self._record.get("status")
        return value if isinstance(value, str) and value else "unknown"

    @property
    def done(self) -> bool:
        """Whether the last known status is terminal (completed, failed or canceled)."""
        return self.status in TERMINAL_STATUSES

    @property
    def backend(self) -> str | None:
        """The job's backend, when the record names it."""
        value = self._record.get("backend")
        return value if isinstance(value, str) else None

    def refresh(self) -> Job:
        """Fetch the job record again; returns ``self``."""
        self._record = self._client.get_job(self._id)
        return self

    def wait(
        self, timeout: float | None = None, callback: Callable[[Job], None] | None = None
    ) -> Job:
        """Poll adaptively until the job is completed, failed or canceled; returns ``self``.

        Args:
            timeout: seconds to wait at most; ``None`` waits as long as it takes.
            callback: called with this job after every status check.

        Raises:
            JobTimeoutError: the job was still running when the timeout expired.
        """

        def poll() -> Mapping[str, Any]:
            return self.refresh()._record

        def on_poll() -> None:
            if callback is not None:
                callback(self)

        _polling.wait_for(poll, self._record, timeout=timeout, on_poll=on_poll)
        return self

    def cancel(self) -> Job:
        """Ask the service to cancel the job; returns ``self`` with the answered status."""
        answer = self._client.cancel_job(self._id)
        if isinstance(answer.get("status"), str):
            self._record["status"] = answer["status"]
        return self

    def cost(self) -> dict[str, Any]:
        """The job's estimated and actual cost (``GET /jobs/{id}/cost``)."""
        return self._client.get_job_cost(self._id)

    # Results --------------------------------------------------------------------------

    def distribution(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> tuple[NDArray[Any], NDArray[np.float64]]:
        """The outcome distribution as arrays ``(outcomes ascending, probabilities)``.

        This is the fast form of :meth:`probabilities` (no per-outcome Python objects); bit ``q``
        of an outcome is qubit ``q``. The arrays are fetched once, cached and read-only.

        Args:
            sharpen: ask for sharpened (plurality-vote) debiasing aggregation.
            wait: wait for the job instead of raising when it is not finished.

        Raises:
            JobNotDoneError: the job is still running and ``wait`` is false.
            JobFailedError: the job failed or was canceled.
            InvalidInputError: this is a multi-circuit parent; use ``children()`` or
                ``aggregated_probabilities()``.
        """
        self._require_results(wait)
        if self.is_multi_circuit:
            raise InvalidInputError(
                f"job {self._id} is a multi-circuit job: use job.aggregated_probabilities() "
                "for every circuit's distribution, or job.children() for per-circuit jobs"
            )
        if sharpen not in self._distributions:
            raw = self._client.get_probabilities(self._id, sharpen=sharpen)
            outcomes, probs = results.decode(raw)
            outcomes.setflags(write=False)  # shared with every caller: keep the cache intact
            probs.setflags(write=False)
            self._distributions[sharpen] = (outcomes, probs)
        return self._distributions[sharpen]

    def probabilities(self, sharpen: bool | None = None, *, wait: bool = False) -> dict[int, float]:
        """The outcome distribution ``{outcome: probability}``; bit ``q`` is qubit ``q``.

        Takes the same arguments and raises the same errors as :meth:`distribution`.
        """
        outcomes, probs = self.distribution(sharpen, wait=wait)
        return dict(zip(outcomes.tolist(), probs.tolist(), strict=True))

    def counts(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> dict[int, int]:
        """Integer counts per outcome that sum to ``shots``.

        The ideal simulator's exact distribution is sampled with a seeded generator; QPU and
        noisy-simulator frequencies are rounded by largest remainder.

        Args:
            shots: total count; defaults to the job's shots.
            seed: sampling seed; defaults to the seed recorded in the job's metadata.
            wait: wait for the job instead of raising when it is not finished.
        """
        outcomes, probs = self.distribution(wait=wait)
        outcomes, values = results.counts(
            outcomes,
            probs,
            self._shots(shots),
            exact=self.is_exact,
            seed=seed if seed is not None else self.recorded_seed,
        )
        pairs = zip(outcomes.tolist(), values.tolist(), strict=True)
        return {int(k): int(v) for k, v in pairs if v}

    def memory(
        self, shots: int | None = None, seed: int | None = None, *, wait: bool = False
    ) -> list[int]:
        """One outcome per shot.

        Uses the per-shot results the service recorded when the job advertises them (then
        ``shots`` and ``seed`` are ignored); otherwise synthesizes them consistently with
        :meth:`counts`.
        """
        self._require_results(wait)
        recorded = self._recorded_shots()
        if recorded is not None:
            return [int(str(v)) for v in recorded]
        outcomes, probs = self.distribution()
        per_shot = results.memory(
            outcomes,
            probs,
            self._shots(shots),
            exact=self.is_exact,
            seed=seed if seed is not None else self.recorded_seed,
        )
        return [int(v) for v in per_shot.tolist()]

    def children(self) -> list[Job]:
        """The child jobs of a multi-circuit job, in circuit (``child_job_ids``) order."""
        ids = self._child_ids()
        if not ids:
            return []
        listed = {
            str(item.get("id")): item for item in self._client.list_jobs(parent_job_id=self._id)
        }
        return [
            Job(self._client, cid, listed[cid] if cid in listed else self._client.get_job(cid))
            for cid in ids
        ]

    def aggregated_distributions(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[tuple[NDArray[Any], NDArray[np.float64]]]:
        """Every circuit's distribution of a multi-circuit job as arrays, in circuit order.

        The fast form of :meth:`aggregated_probabilities`: ``(outcomes ascending,
        probabilities)`` per circuit.
        """
        self._require_results(wait)
        ids = self._child_ids()
        aggregate = self._client.get_aggregated_probabilities(self._id, sharpen=sharpen)
        missing = [cid for cid in ids if cid not in aggregate]
        if missing:
            raise IonQError(f"aggregated results of job {self._id} lack child jobs {missing}")
        return [results.decode(aggregate[cid]) for cid in ids]

    def aggregated_probabilities(
        self, sharpen: bool | None = None, *, wait: bool = False
    ) -> list[dict[int, float]]:
        """Every circuit's distribution ``{outcome: probability}`` of a multi-circuit job."""
        return [
            dict(zip(outcomes.tolist(), probs.tolist(), strict=True))
            for outcomes, probs in self.aggregated_distributions(sharpen, wait=wait)
        ]

    # Helpers --------------------------------------------------------------------------

    def _require_results(self, wait: bool) -> None:
        # A creation answer ({"id", "status", "session_id"}) can already be terminal when a
        # submission was reconciled; results need the full record (backend, shots, seed).
        if not self.done or "backend" not in self._record:
            self.refresh()
        if not self.done:
            if not wait:
                raise JobNotDoneError(
                    f"job {self._id} is {self.status!r}, not finished: call job.wait() first "
                    "(or pass wait=True)"
                )
            self.wait()
        if self.status in ("failed", "canceled"):
            failure = self._record.get("failure")
            failure = failure if isinstance(failure, Mapping) else {}
            code = failure.get("code")
            message = failure.get("message") or failure.get("error")
            if self.status == "canceled" and not (code or message):
                code, message = "Canceled", "the job was canceled before it finished"
            raise JobFailedError(
                self._id, str(code) if code else None, str(message) if message else None
            )

    @property
    def is_multi_circuit(self) -> bool:
        """Whether this is a multi-circuit parent (results per child, in circuit order)."""
        return self._record.get("type") == _MULTI_CIRCUIT or bool(self._record.get("child_job_ids"))

    @property
    def is_exact(self) -> bool:
        """Whether results are an ideal simulator's exact distribution.

        Exact distributions are sampled (seeded) into counts and memory; QPU and noisy-simulator
        results are frequencies, rounded by largest remainder.
        """
        if self.backend != "simulator":
            return False
        noise = self._record.get("noise")
        model = noise.get("model") if isinstance(noise, Mapping) else None
        return model in (None, "ideal")

    @property
    def recorded_seed(self) -> int | None:
        """The sampling seed stored in the job's metadata when it was submitted, if any."""
        metadata = self._record.get("metadata")
        value = metadata.get(SEED_METADATA_KEY) if isinstance(metadata, Mapping) else None
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"job {self._id} metadata {SEED_METADATA_KEY!r} is {value!r}, not an integer"
            ) from exc

    def _child_ids(self) -> list[str]:
        if "child_job_ids" not in self._record:
            self.refresh()
        return [str(cid) for cid in self._record.get("child_job_ids") or []]

    def _shots(self, shots: int | None) -> int:
        value = shots if shots is not None else self._record.get("shots")
        if value is None:
            raise InvalidInputError(
                f"job {self._id} does not record its shots (ideal simulator jobs may omit "
                "them): pass shots=..."
            )
        return int(value)

    def _recorded_shots(self) -> list[Any] | None:
        advertised = self._record.get("results")
        if not isinstance(advertised, Mapping):
            return None
        if "shots" in advertised:
            return self._client.get_shots(self._id)
        descriptor = advertised.get(_SHOTS_ARTIFACT)
        if isinstance(descriptor, Mapping) and isinstance(descriptor.get("id"), str):
            artifact = self._client.download_artifact(self._id, descriptor["id"])
            if isinstance(artifact, list):
                return artifact
        return None
