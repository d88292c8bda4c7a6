"""Keep the API key out of everything the library shows: messages, error bodies, logs, reprs.

The one rule, used by the REST layer and the command line alike, removes the key without
turning ordinary words that contain a short key to noise.

A realistic key (IonQ's are 32 characters and more) is removed wherever it occurs. A key shorter
than :data:`ANYWHERE_FROM` characters is removed only where it stands as a whole token, so a
test key such as ``x`` no longer turns ``example.com`` into ``e<redacted>ample.com``; the key
as a token (``apiKey x``, ``key=x``) is still never shown.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ANYWHERE_FROM", "REDACTED", "TOKEN_CHARACTERS", "redact", "redact_value"]

#: What an occurrence of the key is replaced with.
REDACTED = "<redacted>"
#: Keys at least this long are removed wherever they occur; shorter ones only as whole tokens.
ANYWHERE_FROM = 8
#: Characters that make up one token with a key beside them (the alphabet of URL-safe keys).
TOKEN_CHARACTERS = "A-Za-z0-9_-"


def redact(text: str, secret: str) -> str:
    """``text`` with ``secret`` replaced by :data:`REDACTED` (see the module for the rule)."""
    if not secret or secret not in text:
        return text
    if len(secret) >= ANYWHERE_FROM:
        return text.replace(secret, REDACTED)
    token = rf"(?<![{TOKEN_CHARACTERS}]){re.escape(secret)}(?![{TOKEN_CHARACTERS}])"
    return re.sub(token, REDACTED, text)


def redact_value(value: Any, secret: str) -> Any:
    """A copy of a decoded JSON value with :func:`redact` applied to every string in it."""
    if not secret:
        return value
    if isinstance(value, str):
        return redact(value, secret)
    if isinstance(value, dict):
        return {redact(str(k), secret): redact_value(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, secret) for v in value]
    return value
