"""Turn HTTP responses into Python values or into the library's ``APIError`` classes.

IonQ error bodies come in a few shapes; all are read here:
``{"error": "<type>", "message": "...", "statusCode": n}`` (canonical),
``{"code": ..., "message": ...}`` and ``{"error": {"type": ..., "message": ...}}``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import orjson

from ionq_direct._retry import parse_retry_after
from ionq_direct.errors import APIError, RateLimitError, error_class_for_status
from ionq_direct.redaction import redact, redact_value


class HTTPResponse(Protocol):
    """What is read of an HTTP response: ``requests`` and ``httpx`` responses both fit."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


#: Longest slice of a non-JSON error body quoted in an exception message.
_TEXT_SNIPPET = 200


def _json_or_text(response: HTTPResponse) -> Any:
    """The body decoded as JSON, else its text (``None`` when empty)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _describe(body: Any) -> tuple[str | None, str | None]:
    """Pull ``(error type, human message)`` out of any of the known error body shapes."""
    if isinstance(body, str):
        return None, body.strip()[:_TEXT_SNIPPET] or None
    if not isinstance(body, dict):
        return None, None
    kind: str | None = None
    message = body.get("message")
    error = body.get("error")
    if isinstance(error, dict):
        kind = _as_text(error.get("type") or error.get("code"))
        message = message or error.get("message")
    elif error is not None:
        kind = _as_text(error)
    if kind is None and body.get("code") is not None:
        kind = _as_text(body.get("code"))
    return kind, _as_text(message)


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def error_from_response(
    response: HTTPResponse, secret: str, wall_clock: Callable[[], float] = time.time
) -> APIError:
    """The ``APIError`` subclass for a failed response, with the key scrubbed from it.

    ``wall_clock`` turns an HTTP-date ``Retry-After`` of a 429 into seconds.
    """
    status = response.status_code
    body = redact_value(_json_or_text(response), secret)
    request_id = _request_id(response, secret)
    kind, detail = _describe(body)
    parts = [f"HTTP {status}"]
    if kind:
        parts.append(kind)
    text = ": ".join(parts)
    if detail and detail != kind:
        text = f"{text}: {detail}"
    if request_id:
        text = f"{text} (request id {request_id})"
    message = redact(text, secret)
    cls = error_class_for_status(status)
    if issubclass(cls, RateLimitError):
        return cls(
            message,
            retry_after=parse_retry_after(
                response.headers.get("Retry-After"), wall_clock=wall_clock
            ),
            status_code=status,
            body=body,
            request_id=request_id,
        )
    return cls(message, status_code=status, body=body, request_id=request_id)


def decode_success(response: HTTPResponse, secret: str) -> Any:
    """The decoded body of a successful response, by content type.

    JSON (or an unlabelled body that parses as JSON) becomes Python values, ``text/*`` a
    ``str``, anything else ``bytes``; an empty body is ``None``.
    """
    content = response.content
    if not content:
        return None
    media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return _parse_json(response, secret)
    if media.startswith("text/"):
        return response.text
    if media:
        return content
    parsed = _loads(response)
    return content if parsed is _NOT_JSON else parsed


#: What :func:`_loads` returns for a body that is not JSON.
_NOT_JSON: Any = object()


def _loads(response: HTTPResponse) -> Any:
    """The body as JSON (orjson on UTF-8, else the standard parser), or ``_NOT_JSON``."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        pass
    try:
        return response.json()
    except ValueError:
        return _NOT_JSON


def _parse_json(response: HTTPResponse, secret: str) -> Any:
    parsed = _loads(response)
    if parsed is not _NOT_JSON:
        return parsed
    # Raised without a cause: the parser's exception would hold the whole body.
    raise APIError(
        f"HTTP {response.status_code}: the service sent a body labelled JSON that is not JSON",
        status_code=response.status_code,
        body=redact(response.text[:_TEXT_SNIPPET], secret),
        request_id=_request_id(response, secret),
    )


def _request_id(response: HTTPResponse, secret: str) -> str | None:
    """The ``x-request-id`` header with the key scrubbed, when the service sent one."""
    value = response.headers.get("x-request-id")
    return None if value is None else redact(value, secret)
