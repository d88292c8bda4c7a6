"""ionq_direct: the framework-neutral core of ionq-direct.

It speaks IonQ's v0.4 REST API (``Client``, ``Job``), owns the IonQ gate vocabulary and JSON
circuit format, decodes results, and ships a local emulator of the service
(``ionq_direct.emulator``).
"""

from __future__ import annotations

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
