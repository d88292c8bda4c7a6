"""cirq-ionq's exception names, as subclasses of this library's own errors.

Code written for cirq-ionq catches ``IonQException`` (with ``status_code``),
``IonQNotFoundException``, ``IonQUnsuccessfulJobException`` and
``IonQSerializerMixedGatesetsException``. Each class here is also the matching
:mod:`ionq_direct.errors` class, so ``except NotFoundError`` or ``except JobFailedError`` keeps
working when an adapter raises the cirq-ionq name. :func:`peer_error` converts any core error
and :func:`peer_errors` does it for a block. :class:`MissingAPIKeyError` is what ``Service()``
raises without a key: an ``EnvironmentError`` (``OSError``), as in cirq-ionq, and this library's
``InvalidInputError``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ionq_direct.errors import InvalidInputError, IonQError, JobFailedError, NotFoundError

__all__ = [
    "IonQException",
    "MissingAPIKeyError",
    "IonQNotFoundException",
    "IonQSerializerMixedGatesetsException",
    "IonQUnsuccessfulJobException",
    "peer_error",
    "peer_errors",
]


class IonQException(IonQError):
    """An error talking to IonQ; ``status_code`` is the HTTP status when there was one.

    Args:
        message: what went wrong.
        status_code: the HTTP status, or ``None`` when the error was not an HTTP answer.
        body: the decoded error body, when there was one.
        request_id: the service's request id, when it sent one.
    """

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        *,
        body: Any = None,
        request_id: str | None = None,
    ) -> None:
        # Not super(): the core classes mixed in below have their own required arguments, and
        # this sets every attribute they define.
        Exception.__init__(
            self, message if status_code is None else f"{message} (HTTP {status_code})"
        )
        self.message = message
        self.status_code = status_code
        self.body = body
        self.request_id = request_id


# The core declares ``status_code: int`` and ``JobFailedError.message: str | None``; the peer names
# widen or narrow them, which mypy reports as a base-class conflict. The values are consistent.
class IonQNotFoundException(IonQException, NotFoundError):  # type: ignore[misc]
    """404: no such job (or it was deleted), backend or result."""

    def __init__(self, message: str, *, body: Any = None, request_id: str | None = None) -> None:
        super().__init__(message, 404, body=body, request_id=request_id)


class IonQUnsuccessfulJobException(IonQException, JobFailedError):  # type: ignore[misc]
    """The job failed, was canceled or was deleted, so it has no results.

    Args:
        job_id: the IonQ job id.
        status: the job's status (``"failed"``, ``"canceled"`` or ``"deleted"``).
        code: IonQ's failure code, when it gave one.
        reason: IonQ's failure message, when it gave one.
    """

    def __init__(
        self, job_id: str, status: str, *, code: str | None = None, reason: str | None = None
    ) -> None:
        text = f"job {job_id} was {status}" + (f": {code}" if code else "")
        text += f": {reason}" if reason else ""
        super().__init__(text)
        self.job_id = job_id
        self.status = status
        self.code = code
        self.reason = reason


class IonQSerializerMixedGatesetsException(IonQException, InvalidInputError):
    """A batch mixes circuits in the ``qis`` and ``native`` gatesets, which one job cannot."""


_DUALS: dict[type[IonQError], type[IonQException]] = {}


def _dual(kind: type[IonQError]) -> type[IonQException]:
    """``IonQException`` that is also ``kind`` (e.g. ``AuthenticationError``), made once."""
    if kind not in _DUALS:
        attributes = {"__module__": __name__, "__doc__": kind.__doc__}
        _DUALS[kind] = type("IonQ" + kind.__name__, (IonQException, kind), attributes)
    return _DUALS[kind]


def peer_error(exc: IonQError) -> IonQException:
    """The cirq-ionq-named error for a core error, keeping its class, attributes and message.

    A 404 becomes :class:`IonQNotFoundException`; a failed or canceled job,
    :class:`IonQUnsuccessfulJobException`; any other error, an :class:`IonQException` that is
    also an instance of the original class. Raise it ``from exc``.
    """
    if isinstance(exc, IonQException):
        return exc
    if isinstance(exc, NotFoundError):
        out: IonQException = IonQNotFoundException(
            exc.message, body=exc.body, request_id=exc.request_id
        )
    elif isinstance(exc, JobFailedError):
        status = "canceled" if exc.code == "Canceled" else "failed"
        out = IonQUnsuccessfulJobException(exc.job_id, status, code=exc.code, reason=exc.message)
    else:
        attributes = dict(vars(exc))
        message = str(attributes.pop("message", None) or exc)
        status_code = attributes.pop("status_code", None)
        out = _dual(type(exc))(message, status_code if isinstance(status_code, int) else None)
        for key, value in attributes.items():
            setattr(out, key, value)
    return out


@contextlib.contextmanager
def peer_errors() -> Iterator[None]:
    """Re-raise the core's errors in the block as cirq-ionq's (bad input stays as it is)."""
    try:
        yield
    except InvalidInputError:
        raise
    except IonQError as exc:
        raise peer_error(exc) from exc


class MissingAPIKeyError(InvalidInputError, OSError):
    """No API key was given and none is set in the environment."""
