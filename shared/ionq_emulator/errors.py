"""IonQ-shaped error bodies and the exception the emulator raises to produce them.

Every error the emulator sends has IonQ's shape ``{"error", "message", "statusCode"}``; a 400
adds ``"validation": {"keys": [...], "source": ...}`` naming the offending fields.
"""

from __future__ import annotations

from typing import Any

#: The short ``error`` text IonQ sends for each status.
ERROR_NAMES: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized Error",
    403: "Forbidden Error",
    404: "Not Found Error",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

UNAUTHORIZED_MESSAGE = (
    "Invalid key provided. See https://docs.ionq.com/#authentication for details, "
    "or email support@ionq.co for help."
)
NOT_FOUND_MESSAGE = (
    "Resource not found. See https://docs.ionq.com/ for details, or email support@ionq.co for help."
)
RESULTS_NOT_FOUND_MESSAGE = "Job not found or not yet completed."
TOO_LARGE_MESSAGE = "Request Entity Too Large. The request body may not exceed 10MB"
RATE_LIMIT_MESSAGE = (
    "Too Many Requests. To get a higher rate limit, please reach out to support@ionq.co"
)
UNAVAILABLE_MESSAGE = "Service Unavailable, this is indicative of service outage"
SERVER_ERROR_MESSAGE = (
    "Internal service outage. Visit https://status.ionq.co/ to track this incident."
)


def error_body(
    status: int,
    message: str,
    *,
    keys: list[str] | None = None,
    source: str = "body",
) -> dict[str, Any]:
    """Build IonQ's error body for ``status``; ``keys`` adds the 400 ``validation`` block."""
    body: dict[str, Any] = {
        "error": ERROR_NAMES.get(status, "Error"),
        "message": message,
        "statusCode": status,
    }
    if status == 400:
        body["validation"] = {"keys": list(keys or []), "source": source}
    return body


class ApiError(Exception):
    """An error answer: raised anywhere in a request, rendered by the app as IonQ's body.

    Attributes:
        status: the HTTP status.
        message: the human-readable message.
        keys: for a 400, the offending request keys.
        source: for a 400, where they were (``body``, ``query`` or ``params``).
        headers: extra response headers.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        keys: list[str] | None = None,
        source: str = "body",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.keys = keys or []
        self.source = source
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body IonQ would send."""
        return error_body(self.status, self.message, keys=self.keys, source=self.source)


def bad_request(key: str, message: str | None = None, *, source: str = "body") -> ApiError:
    """A 400 naming ``key``; the default message follows IonQ's ``"key" was invalid.``."""
    return ApiError(400, message or f'"{key}" was invalid.', keys=[key], source=source)


def not_found(message: str = NOT_FOUND_MESSAGE) -> ApiError:
    """A 404 with IonQ's body."""
    return ApiError(404, message)
