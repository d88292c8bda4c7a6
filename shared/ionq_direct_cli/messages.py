"""The one line an error becomes on stderr: the key removed sensibly, and a hint where one helps."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ionq_direct.errors import IonQError, NotFoundError
from ionq_direct.redaction import REDACTED, redact

__all__ = ["error_line", "url_hint"]

#: A version segment such as ``/v0.4`` in a base URL's path.
_VERSION_PATH = re.compile(r"/v\d+(\.\d+)*(/|$)")
#: The version path of the API this command line speaks.
_API_PATH = "/v0.4"


def clean(text: str, key: str) -> str:
    """``text`` without ``key``, by the rule of :func:`ionq_direct.redaction.redact`.

    The core removes a key wherever it occurs, which turns every message into noise for a short
    key (``e<redacted>ample.com``). The original text is fully determined by the scrubbed one,
    so it is restored here and redacted again by the token-aware rule: a short key as a whole
    token is still removed, a letter inside a word is left alone. Once the core applies the
    same rule, the restore step changes nothing.
    """
    if not key:
        return text
    return redact(text.replace(REDACTED, key), key)


def url_hint(exc: IonQError, base_url: str | None) -> str:
    """A hint for a 404 from a base URL without a version path, else ``""``."""
    if not isinstance(exc, NotFoundError) or not base_url:
        return ""
    parts = urlsplit(base_url.strip())
    if _VERSION_PATH.search(parts.path):
        return ""
    suggested = base_url.strip().rstrip("/") + _API_PATH
    return f" (the URL {base_url!r} has no version path: did you mean {suggested!r}?)"


def error_line(exc: IonQError, key: str, base_url: str | None) -> str:
    """``ionq-direct: error: ...`` for ``exc``, with no trace of ``key``."""
    return clean(f"ionq-direct: error: {exc}{url_hint(exc, base_url)}", key)
