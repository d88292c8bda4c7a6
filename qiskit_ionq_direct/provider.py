"""``IonQProvider``: the entry point that hands out IonQ backends and retrieves jobs.

Backends are named as IonQ names them (``"simulator"``, ``"qpu.aria-1"``, ...); the
qiskit-ionq spellings ``"ionq_simulator"`` and ``"ionq_qpu.aria-1"`` are accepted too.
Making a provider or a backend sends no request: the backend list, or a backend's record, is
fetched when first needed.

The constructor takes qiskit-ionq's arguments in its order (``token``, ``url``,
``custom_headers``) and reads its environment variables in its order of precedence; this
package's names ``api_key=`` and ``base_url=`` work too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ionq_direct.client import Client
from ionq_direct.credentials import first_set
from ionq_direct.errors import InvalidInputError
from ionq_direct.records import JobRecord
from qiskit_ionq_direct.backend import IonQBackend
from qiskit_ionq_direct.job import IonQJob
from qiskit_ionq_direct.result import decode_gateset
from qiskit_ionq_direct.target import GATESETS

__all__ = ["KEY_ENV", "URL_ENV", "BackendService", "IonQProvider", "backend_name"]

_ALIAS_PREFIX = "ionq_"
#: Where the API key comes from when none is given, first set wins (qiskit-ionq's order).
KEY_ENV = ("QISKIT_IONQ_API_TOKEN", "IONQ_API_KEY", "IONQ_API_TOKEN")
#: Where the API root comes from when none is given (then IonQ's cloud).
URL_ENV = ("QISKIT_IONQ_API_URL", "IONQ_API_URL")


def backend_name(name: str) -> str:
    """IonQ's name for a backend, given IonQ's or qiskit-ionq's spelling."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(
            f"backend name must be a non-empty string such as 'simulator', got {name!r}"
        )
    name = name.strip()
    return name[len(_ALIAS_PREFIX) :] if name.startswith(_ALIAS_PREFIX) else name


def _attribute_name(name: str) -> str:
    """``"qpu.aria-1"`` as an attribute: ``"qpu_aria_1"``."""
    return name.replace(".", "_").replace("-", "_")


class BackendService:
    """``provider.backends``: call it to list backends, or read one as an attribute.

    ``provider.backends()`` lists what ``GET /backends`` reports, optionally only the backend
    called ``name``, those ``filters`` accepts, and those whose record field or attribute equals
    each keyword's value. ``provider.backends.ionq_simulator`` or
    ``provider.backends.ionq_qpu_aria_1`` (with or without ``ionq_``) is one backend.
    """

    def __init__(self, provider: IonQProvider) -> None:
        self._provider = provider

    def __repr__(self) -> str:
        return f"<BackendService of {self._provider!r}>"

    def __call__(
        self,
        name: str | None = None,
        filters: Callable[[IonQBackend], bool] | None = None,
        *,
        gateset: str = "qis",
        **criteria: Any,
    ) -> list[IonQBackend]:
        """The backends IonQ lists that match every condition given.

        Args:
            name: IonQ's or qiskit-ionq's name of one backend.
            filters: a callable; only backends it returns true for are kept.
            gateset: the gateset of the backends made (``"qis"`` or ``"native"``).
            **criteria: record fields or backend attributes and the values they must equal,
                e.g. ``status="available"`` or ``num_qubits=25``.
        """
        if filters is not None and not callable(filters):
            raise InvalidInputError(f"filters must be a callable, got {filters!r}")
        wanted = None if name is None else backend_name(name)
        client = self._provider.client
        found = []
        for info in client.list_backends():
            ionq_name = info.get("backend")
            if isinstance(ionq_name, str) and (wanted is None or ionq_name == wanted):
                backend = IonQBackend(
                    client, ionq_name, gateset=gateset, provider=self._provider, info=info
                )
                if all(_matches(backend, key, value) for key, value in criteria.items()):
                    found.append(backend)
        return [b for b in found if filters(b)] if filters is not None else found

    def __getattr__(self, attribute: str) -> IonQBackend:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        short = (
            attribute[len(_ALIAS_PREFIX) :] if attribute.startswith(_ALIAS_PREFIX) else attribute
        )
        if short == "simulator":
            return self._provider.get_backend("simulator")
        for backend in self():
            if _attribute_name(backend.name) == short:
                return backend
        raise AttributeError(
            f"IonQ lists no backend {attribute!r}; provider.backends() lists those it has"
        )

    def __dir__(self) -> list[str]:
        names = [_ALIAS_PREFIX + _attribute_name(b.name) for b in self()]
        return sorted({*names, *super().__dir__()})


def _matches(backend: IonQBackend, key: str, value: Any) -> bool:
    info = backend.info
    if key in info:
        return bool(info[key] == value)
    return bool(getattr(backend, key, None) == value)


class IonQProvider:
    """Access to IonQ backends through the v0.4 REST API.

    Args:
        token: the API key (qiskit-ionq's name; ``api_key=`` works too). Defaults to the first
            of ``QISKIT_IONQ_API_TOKEN``, ``IONQ_API_KEY``, ``IONQ_API_TOKEN`` that is set.
        url: the API root (``base_url=`` works too). Defaults to ``QISKIT_IONQ_API_URL``, then
            ``IONQ_API_URL``, else IonQ's cloud.
        custom_headers: extra HTTP headers sent with every request (they may not set
            ``Authorization``).
        api_key: this package's name for ``token``.
        base_url: this package's name for ``url``.
        client: an existing :class:`ionq_direct.Client` to share (then no key, URL or headers).
    """

    #: The provider's name, as qiskit-ionq names it.
    name = "ionq_provider"

    def __init__(
        self,
        token: str | None = None,
        url: str | None = None,
        custom_headers: Mapping[str, str] | None = None,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        client: Client | None = None,
    ) -> None:
        if token is not None and api_key is not None:
            raise InvalidInputError("give the API key once, as token= or api_key=")
        if url is not None and base_url is not None:
            raise InvalidInputError("give the API root once, as url= or base_url=")
        key = token if token is not None else api_key
        root = url if url is not None else base_url
        if client is not None:
            if key is not None or root is not None or custom_headers is not None:
                raise InvalidInputError("give either client= or a key/URL/custom_headers, not both")
            self._client = client
        else:
            if key is None:
                key = first_set(KEY_ENV)
                if key is None:
                    raise InvalidInputError(
                        "no IonQ API key: pass token=... (or api_key=...), or set one of "
                        f"{', '.join(KEY_ENV)}"
                    )
            self._client = Client(key, root or first_set(URL_ENV), headers=custom_headers)
        self._backends = BackendService(self)

    def __repr__(self) -> str:
        return f"IonQProvider(base_url={self._client.base_url!r})"

    @property
    def client(self) -> Client:
        """The REST client backends and jobs share."""
        return self._client

    @property
    def backends(self) -> BackendService:
        """The backends: ``provider.backends(...)`` lists them, ``provider.backends.X`` is one."""
        return self._backends

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
