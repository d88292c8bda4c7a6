"""The JSON Schemas ``GET /schemas/formats/{format}`` serves, shipped as package data.

One file per format id under ``schemas/``: the result artifacts the emulator writes (v1
probabilities, histogram, shots and the multi-circuit aggregate), their register-nested v2
forms, and the native-gate circuit format ``ionq.native.v1``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from ionq_emulator.errors import not_found

_SUFFIX = ".json"


@functools.cache
def _documents() -> dict[str, dict[str, Any]]:
    """Format id -> schema document, read once from the package's ``schemas`` folder."""
    folder = resources.files("ionq_emulator") / "schemas"
    found: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(_SUFFIX):
            document = json.loads(entry.read_text(encoding="utf-8"))
            found[document["$id"]] = document
    return found


def format_ids() -> list[str]:
    """Every format id with a schema, sorted."""
    return sorted(_documents())


def format_schema(format_id: str) -> dict[str, Any]:
    """The schema of ``format_id`` (a copy), or an IonQ-shaped 404 for an unknown format."""
    document = _documents().get(format_id)
    if document is None:
        raise not_found(f"Unknown format {format_id!r}.")
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied
