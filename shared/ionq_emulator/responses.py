"""JSON answers written by orjson, returned by the routes themselves.

A route that returns a plain dict has FastAPI validate it against its annotation and encode
it; returning :class:`JSONAnswer` skips both (the content is the emulator's own, already in
JSON types) and encodes in one C call. The JSON is the same: compact, UTF-8, shortest float
forms, as FastAPI wrote it before.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class JSONAnswer(JSONResponse):
    """An ``application/json`` answer encoded by orjson."""

    def render(self, content: Any) -> bytes:
        """Encode ``content`` (dict keys that are not strings become strings, as in JSON)."""
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
