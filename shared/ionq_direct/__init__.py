"""ionq_direct: the framework-neutral core of ionq-direct.

It speaks IonQ's v0.4 REST API (``Client``, ``Job``), owns the IonQ gate vocabulary and JSON
circuit format, and decodes results. The local emulator of the service is the ``ionq_emulator``
package (``ionq_direct.emulator`` re-exports it); the command line is ``ionq_direct_cli``.
"""

from __future__ import annotations

from ionq_direct.async_client import AsyncClient
from ionq_direct.async_jobs import AsyncJob
from ionq_direct.client import Client
from ionq_direct.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InvalidInputError,
    IonQError,
    JobFailedError,
    JobNotDoneError,
    JobTimeoutError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from ionq_direct.jobs import Job

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncJob",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "InvalidInputError",
    "IonQError",
    "Job",
    "JobFailedError",
    "JobNotDoneError",
    "JobTimeoutError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "__version__",
]
