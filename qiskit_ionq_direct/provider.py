"""``IonQProvider``: the entry point that hands out IonQ backends and retrieves jobs.

Backends are named as IonQ names them (``"simulator"``, ``"qpu.aria-1"``, ...); the
qiskit-ionq spellings ``"ionq_simulator"`` and ``"ionq_qpu.aria-1"`` are accepted too.
Making a provider or a backend sends no request: the backend list, or a backend's record, is
fetched when first needed.
"""

from __future__ import annotations

from typing import Any

from ionq_direct.client import Client
from ionq_direct.errors import InvalidInputError
from ionq_direct.records import JobRecord
from qiskit_ionq_direct.backend import IonQBackend
from qiskit_ionq_direct.job import IonQJob
from qiskit_ionq_direct.result import decode_gateset
from qiskit_ionq_direct.target import GATESETS

__all__ = ["IonQProvider", "backend_name"]

_ALIAS_PREFIX = "ionq_"


def backend_name(name: str) -> str:
    """IonQ's name for a backend, given IonQ's or qiskit-ionq's spelling."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(
            f"backend name must be a non-empty string such as 'simulator', got {name!r}"
        )
    name = name.strip()
    return name[len(_ALIAS_PREFIX) :] if name.startswith(_ALIAS_PREFIX) else name


class IonQProvider:
    """Access to IonQ backends through the v0.4 REST API.

    Args:
        api_key: the API key; defaults to ``IONQ_API_KEY``.
        base_url: the API root; defaults to ``IONQ_API_URL``, else IonQ's cloud.
        client: an existing :class:`ionq_direct.Client` to share (then ``api_key`` and
            ``base_url`` must be omitted).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        client: Client | None = None,
    ) -> None:
        if client is not None and (api_key is not None or base_url is not None):
            raise InvalidInputError("give either client= or api_key/base_url, not both")
        self._client = client if client is not None else Client(api_key, base_url)

    def __repr__(self) -> str:
        return f"IonQProvider(base_url={self._client.base_url!r})"

    @property
    def client(self) -> Client:
        """The REST client backends and jobs share."""
        return self._client

    def backends(self, name: str | None = None, *, gateset: str = "qis") -> list[IonQBackend]:
        """The backends IonQ lists (``GET /backends``), optionally only the one called ``name``."""
        wanted = None if name is None else backend_name(name)
        found = []
        for info in self._client.list_backends():
            ionq_name = info.get("backend")
            if isinstance(ionq_name, str) and (wanted is None or ionq_name == wanted):
                found.append(
                    IonQBackend(self._client, ionq_name, gateset=gateset, provider=self, info=info)
                )
        return found

    def get_backend(
        self, name: str = "simulator", *, gateset: str = "qis", **options: Any
    ) -> IonQBackend:
        """One backend by name, in the ``"qis"`` or ``"native"`` gateset.

        Args:
            name: ``"simulator"``, ``"qpu.aria-1"``, ... (or ``"ionq_simulator"`` style).
            gateset: ``"qis"`` for standard gates, ``"native"`` for GPI/GPI2/MS/ZZ.
            **options: default run options for this backend, e.g. ``shots=2000`` or
                ``noise_model="aria-1"``.
        """
        return IonQBackend(
            self._client, backend_name(name), gateset=gateset, provider=self, **options
        )

    def retrieve_job(self, job_id: str) -> IonQJob:
        """A job by id, with its results formatted as when it was submitted.

        Args:
            job_id: the id ``job.job_id()`` gave (comma-separated ids for a split batch).
        """
        first = job_id.split(",")[0].strip() if isinstance(job_id, str) else ""
        if not first:
            raise InvalidInputError(f"job_id must name a job, got {job_id!r}")
        record = JobRecord.parse(self._client.get_job(first))
        # The gateset ``run`` stored with the layouts; older jobs ran in "qis".
        gateset = decode_gateset(record.metadata)
        backend = self.get_backend(
            record.backend or "simulator",
            gateset=gateset if gateset in GATESETS else "qis",
        )
        return backend.retrieve_job(job_id)
