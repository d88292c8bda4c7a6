"""The exit status of every command, in one place (docs/cli.md lists the same table).

====  ==================================================================================
0     done: the command did what it was asked; a job it read completed (or is still running)
1     a job it read or waited for failed or was canceled
2     usage: bad arguments, an unreadable or invalid file, no API key, a missing extra, or a
      request the service refused as invalid (HTTP 400, 413)
3     service or network: no connection, a timeout, any other HTTP error (401, 403, 404,
      429, 5xx), a wait that ran out (``--timeout``), a busy port for ``serve``
130   interrupted (Ctrl-C)
====  ==================================================================================
"""

from __future__ import annotations

from ionq_direct.errors import (
    BadRequestError,
    InvalidInputError,
    IonQError,
    JobFailedError,
    PayloadTooLargeError,
)

__all__ = [
    "DONE",
    "INTERRUPTED",
    "JOB_FAILED",
    "SERVICE",
    "USAGE",
    "CommandError",
    "for_error",
    "for_status",
]

DONE = 0
JOB_FAILED = 1
USAGE = 2
SERVICE = 3
INTERRUPTED = 130

#: Job statuses that end a command that reads the job with :data:`JOB_FAILED`.
_FAILED_STATUSES = frozenset({"failed", "canceled"})


class CommandError(IonQError):
    """A failure the command line itself detects, carrying the exit status it ends with."""

    def __init__(self, message: str, exit_code: int = USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def for_error(exc: IonQError) -> int:
    """The exit status for an error that ended a command."""
    if isinstance(exc, CommandError):
        return exc.exit_code
    if isinstance(exc, JobFailedError):
        return JOB_FAILED
    if isinstance(exc, (InvalidInputError, BadRequestError, PayloadTooLargeError)):
        return USAGE
    return SERVICE


def for_status(status: str) -> int:
    """The exit status of a command that read a job in ``status``."""
    return JOB_FAILED if status in _FAILED_STATUSES else DONE
