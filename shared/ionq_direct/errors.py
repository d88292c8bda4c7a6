"""Every exception the core raises, in one place.

``IonQError`` is the root. HTTP failures are ``APIError`` subclasses chosen by status code;
transport failures are ``APIConnectionError`` / ``APITimeoutError``; a job that ran and failed
raises ``JobFailedError`` with IonQ's failure code. Messages never contain the API key.

    IonQError
    ├── InvalidInputError (also ValueError)   refused locally, before any network call
    │   └── GateError                          a malformed gate; .key names the JSON path
    ├── APIError                               the service answered with an error status
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── PayloadTooLargeError     413
    │   ├── RateLimitError           429 (.retry_after)
    │   └── ServerError              5xx
    ├── APIConnectionError                     no answer: refused, reset, DNS
    │   └── APITimeoutError                    a timeout or deadline expired
    ├── JobFailedError                         the job ended failed or canceled (.code)
    ├── JobTimeoutError (also TimeoutError)    waiting for a job ran out of time
    └── JobNotDoneError (also RuntimeError)    results asked for before the job finished

    TransportFailure    the __cause__ of an APIConnectionError: what failed, without the
                        request (whose headers hold the key); never raised on its own

The adapters subclass these with their framework's own error types (Qiskit ``JobError``).
"""

from __future__ import annotations

from typing import Any


class IonQError(Exception):
    """Base class of every error this library raises on purpose."""


class InvalidInputError(IonQError, ValueError):
    """Input was rejected locally, before any network call (bad gate, shots, name, ...)."""


class GateError(InvalidInputError):
    """A gate dict is malformed; ``key`` is the JSON path of the offending field.

    ``code`` is ``"InvalidInput"`` for malformed input (an HTTP 400 on the cloud) or the cloud's
    job failure code (such as ``"TooManyControls"``) for input the cloud accepts but cannot run.
    """

    def __init__(self, message: str, *, key: str, code: str = "InvalidInput") -> None:
        super().__init__(message)
        self.key = key
        self.code = code


class APIError(IonQError):
    """The service answered with an error status.

    Attributes:
        status_code: the HTTP status.
        body: the decoded JSON error body, or the raw text when it was not JSON.
        request_id: the ``x-request-id`` response header, when the service sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.request_id = request_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class BadRequestError(APIError):
    """400: the service rejected the request; ``validation_keys`` names the offending fields."""

    @property
    def validation_keys(self) -> list[str]:
        """The payload keys the service named as invalid (may be empty)."""
        if isinstance(self.body, dict):
            validation = self.body.get("validation") or {}
            keys = validation.get("keys") if isinstance(validation, dict) else None
            if isinstance(keys, list):
                return [str(k) for k in keys]
        return []


class AuthenticationError(APIError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIError):
    """403: the key may not touch this resource."""


class NotFoundError(APIError):
    """404: no such job, backend, session or result (yet)."""


class PayloadTooLargeError(APIError):
    """413: the request body is over the service's 10 MB limit."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: the service failed; usually worth retrying later."""


class APIConnectionError(IonQError):
    """The request could not be sent or no answer came back (DNS, refused, reset)."""


class APITimeoutError(APIConnectionError):
    """The service did not answer within the configured timeout."""


class TransportFailure(Exception):
    """The cause attached to an ``APIConnectionError``: what failed, without the request.

    ``requests`` exceptions hold the prepared request, whose headers hold the API key; this
    stands in for them as ``__cause__`` so no error reachable from ours carries the key.

    Attributes:
        kind: the name of the ``requests`` exception.
        never_sent: whether the failure proves the request never reached the server.
    """

    def __init__(self, kind: str, detail: str, *, never_sent: bool) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.never_sent = never_sent


class JobFailedError(IonQError):
    """A job ended ``failed`` (or ``canceled``); carries IonQ's failure ``code`` and ``message``."""

    def __init__(self, job_id: str, code: str | None, message: str | None) -> None:
        self.job_id = job_id
        self.code = code
        self.message = message
        super().__init__(f"job {job_id} failed: {code or 'UnknownError'}: {message or ''}".rstrip())


class JobTimeoutError(IonQError, TimeoutError):
    """``Job.wait`` gave up before the job reached a terminal status."""


class JobNotDoneError(IonQError, RuntimeError):
    """Results were asked for before the job finished; call ``wait()`` first."""


_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """The ``APIError`` subclass for an HTTP status code."""
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    if status_code >= 500:
        return ServerError
    return APIError
