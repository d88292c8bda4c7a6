"""The one line an error becomes on stderr: the key removed sensibly, and a hint where one helps."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ionq_direct.errors import IonQError, NotFoundError
from ionq_direct.redaction import redact

__all__ = ["error_line", "url_hint"]

#: A version segment such as ``/v0.4`` in a base URL's path.
_VERSION_PATH = re.compile(r"/v\d+(\.\d+)*(/|$)")
#: The version path of the API this command line speaks.
_API_PATH = "/v0.4"


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
    return redact(f"ionq-direct: error: {exc}{url_hint(exc, base_url)}", key)
