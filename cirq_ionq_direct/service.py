"""``Service``: the Cirq entry point to IonQ — samplers, one-call runs and job handles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cirq

from cirq_ionq_direct.job import CirqJob
from cirq_ionq_direct.sampler import Sampler, check_target
from ionq_direct import Client
from ionq_direct.client import Timeout
from ionq_direct.errors import InvalidInputError

__all__ = ["Service"]


class Service:
    """A connection to IonQ (or the local emulator) for Cirq users.

    Args:
        api_key: the API key; defaults to ``IONQ_API_KEY``.
        base_url: the API root; defaults to ``IONQ_API_URL``, else IonQ's cloud.
        default_target: the backend used when a call names none, e.g. ``"qpu.forte-1"``.
        client: an existing :class:`ionq_direct.Client` to use instead of making one.
        http_timeout: seconds per HTTP request, or ``(connect, read)``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        default_target: str = "simulator",
        client: Client | None = None,
        http_timeout: Timeout | None = None,
    ) -> None:
        check_target(default_target)
        if client is not None and (api_key is not None or base_url is not None):
            raise InvalidInputError("pass either client= or api_key/base_url, not both")
        self._client = client or Client(api_key, base_url, timeout=http_timeout)
        self._default_target = default_target

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

    def sampler(
        self,
        target: str | None = None,
        *,
        seed: int | None = None,
        noise_model: str | None = None,
        noise_seed: int | None = None,
        timeout: float | None = None,
        **options: Any,
    ) -> Sampler:
        """A ``cirq.Sampler`` for ``target`` (default: the service's default target).

        Args:
            target: the backend.
            seed: seeds the sampling of records (reproducible runs).
            noise_model: a simulator noise model such as ``"aria-1"``.
            noise_seed: the noise model's seed.
            timeout: seconds to wait for results at most.
            **options: further :class:`Sampler` options (``name``, ``metadata``,
                ``debiasing``, ``extra_settings``, ``session_id``).
        """
        return Sampler(
            self._client,
            target or self._default_target,
            seed=seed,
            noise_model=noise_model,
            noise_seed=noise_seed,
            timeout=timeout,
            **options,
        )

    def run(
        self,
        circuit: cirq.AbstractCircuit,
        repetitions: int,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        seed: int | None = None,
        **options: Any,
    ) -> cirq.Result:
        """Run one circuit and wait for its result.

        Args:
            circuit: the circuit; measurements must be terminal.
            repetitions: number of records, 1..1,000,000.
            target: the backend (default: the service's default target).
            param_resolver: values for the circuit's symbols.
            seed: seeds the sampling of records.
            **options: further :meth:`sampler` options (``noise_model``, ``timeout``, ...).
        """
        sampler = self.sampler(target, seed=seed, **options)
        return sampler.run(circuit, param_resolver, repetitions)

    def run_batch(
        self,
        circuits: Sequence[cirq.AbstractCircuit],
        repetitions: int,
        target: str | None = None,
        param_resolvers: Sequence[cirq.ParamResolverOrSimilarType] | None = None,
        seed: int | None = None,
        **options: Any,
    ) -> list[cirq.Result]:
        """Run several circuits as one multi-circuit job; one result per circuit, in order.

        Args:
            circuits: the circuits.
            repetitions: records per circuit.
            target: the backend (default: the service's default target).
            param_resolvers: one ``cirq.ParamResolver`` or dict per circuit (default: none);
                for sweeps use ``sampler().run_batch(circuits, params_list=...)``.
            seed: seeds the sampling of records.
            **options: further :meth:`sampler` options.

        Raises:
            InvalidInputError: a ``param_resolvers`` entry is a sweep or not a resolver.
        """
        sweeps = (
            None
            if param_resolvers is None
            else [_one_resolver(r, index) for index, r in enumerate(param_resolvers)]
        )
        sampler = self.sampler(target, seed=seed, **options)
        return [results[0] for results in sampler.run_batch(circuits, sweeps, repetitions)]

    def create_job(
        self,
        circuits: cirq.AbstractCircuit | Sequence[cirq.AbstractCircuit],
        repetitions: int = 100,
        target: str | None = None,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        seed: int | None = None,
        **options: Any,
    ) -> CirqJob:
        """Submit one circuit (or a list, as one multi-circuit job) without waiting.

        Raises:
            InvalidInputError: bad input, or a list too large for one job (use a sampler).
        """
        programs = [circuits] if isinstance(circuits, cirq.AbstractCircuit) else list(circuits)
        resolver = cirq.ParamResolver(param_resolver)
        sampler = self.sampler(target, seed=seed, **options)
        [job] = sampler.create_jobs(programs, [resolver] * len(programs), repetitions, max_jobs=1)
        return job

    def get_job(self, job_id: str) -> CirqJob:
        """Fetch a job submitted through this package; ``results()`` gives its Cirq results."""
        return CirqJob.from_job(self._client.job(job_id))

    def list_backends(self) -> list[dict[str, Any]]:
        """Every backend with its status and qubit count."""
        return self._client.list_backends()

    def get_current_calibration(self, target: str | None = None) -> Mapping[str, Any] | None:
        """The newest characterization of a QPU (``None`` when there is none).

        Args:
            target: a QPU such as ``"qpu.forte-1"`` (default: the default target).
        """
        backend = target or self._default_target
        return next(iter(self._client.list_characterizations(backend, limit=1)), None)


def _one_resolver(resolver: object, index: int) -> cirq.ParamResolver:
    """One circuit's resolver for :meth:`Service.run_batch`; a sweep is refused clearly."""
    if resolver is None or isinstance(resolver, cirq.ParamResolver | Mapping):
        return cirq.ParamResolver(resolver)
    sweep = isinstance(resolver, cirq.Sweep) or (
        isinstance(resolver, Sequence) and not isinstance(resolver, str)
    )
    kind = "a sweep" if sweep else f"a {type(resolver).__name__}"
    raise InvalidInputError(
        f"param_resolvers[{index}] is {kind}; Service.run_batch takes one cirq.ParamResolver or "
        "dict per circuit (one result each). For sweeps use "
        "service.sampler().run_batch(circuits, params_list=[...]), which returns the results "
        "per circuit, per sweep point"
    )
