"""Keep the API key out of everything the library shows: messages, error bodies, logs, reprs."""

from __future__ import annotations

from typing import Any

#: What an occurrence of the key is replaced with.
REDACTED = "<redacted>"


def scrub_text(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` replaced by ``REDACTED``."""
    if secret and secret in text:
        return text.replace(secret, REDACTED)
    return text


def scrub(value: Any, secret: str) -> Any:
    """A copy of a decoded JSON value (or text) with the secret removed from every string in it."""
    if not secret:
        return value
    if isinstance(value, str):
        return scrub_text(value, secret)
    if isinstance(value, dict):
        return {scrub_text(str(k), secret): scrub(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secret) for v in value]
    return value
