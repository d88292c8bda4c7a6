"""Job metadata: the keys ionq-direct reserves, and the one codec for values it stores there.

Reserved keys ride in each job's ``metadata`` so that a job fetched later, by any client, can be
read the same way it was submitted. :func:`check_reserved` is the one check that a caller's
metadata leaves them alone.

Larger values (the adapters' result layouts) go through :func:`encode_value`: compact JSON,
zlib-compressed, base64, split over ``key``, ``key1``, ``key2``, ... so that every value stays
within IonQ's documented limits (v0.3 documentation: 10 keys per job, values up to 40,000
characters; v0.4 states none). A value that would need more keys than the job has left is never
dropped silently: the caller's ``fallback`` (a small summary saying what was left out) is stored
in its place, and the submitting process still reads results from what it holds locally.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from typing import Any

from ionq_direct.errors import InvalidInputError

__all__ = [
    "CLIENT_TOKEN_KEY",
    "MAX_METADATA_KEYS",
    "MAX_METADATA_VALUE",
    "RESERVED_KEYS",
    "SEED_METADATA_KEY",
    "check_reserved",
    "decode_value",
    "encode_value",
    "is_reserved",
    "keys_left",
]

#: Metadata key carrying the client token that makes job submission exactly-once.
CLIENT_TOKEN_KEY = "ionq_direct_token"
#: Metadata key recording the sampling seed, so a retrieved job reproduces the same counts.
SEED_METADATA_KEY = "ionq_direct_seed"

#: Keys per job's metadata that IonQ documents (v0.3; v0.4 states no limit).
MAX_METADATA_KEYS = 10
#: Characters per metadata value that IonQ documents (v0.3; v0.4 states no limit).
MAX_METADATA_VALUE = 40_000

#: The keys every job of this package may carry besides the caller's, with what they hold.
RESERVED_KEYS: Mapping[str, str] = {
    CLIENT_TOKEN_KEY: "the client token",
    SEED_METADATA_KEY: "the sampling seed",
}


def is_reserved(key: str, reserved: Mapping[str, str] = RESERVED_KEYS) -> bool:
    """Whether ``key`` is one of ``reserved`` or a continuation of one (``name`` + digits)."""
    if key in reserved:
        return True
    stem = key.rstrip("0123456789")
    return stem != key and stem in reserved


def check_reserved(
    metadata: Mapping[str, Any], what: str = "metadata", reserved: Mapping[str, str] = RESERVED_KEYS
) -> None:
    """Refuse a caller's ``metadata`` that uses a key this package writes itself.

    Args:
        metadata: the caller's metadata.
        what: how messages name it (``"metadata"``, ``"circuit 3 metadata"``).
        reserved: reserved key to what it holds; continuation keys (``name1``, ...) count too.

    Raises:
        InvalidInputError: naming the first reserved key found.
    """
    for key in metadata:
        if isinstance(key, str) and is_reserved(key, reserved):
            stem = key if key in reserved else key.rstrip("0123456789")
            raise InvalidInputError(
                f"{what} key {key!r} is reserved for {reserved[stem]}; rename it"
            )


def keys_left(beside: int) -> int:
    """How many keys a stored value may use when ``beside`` other keys, and the token, are set.

    At least one: IonQ's v0.4 schema sets no limit, so a job already at the documented count
    still stores its value in one key rather than none.
    """
    return max(1, MAX_METADATA_KEYS - beside - 1)


def _chunks(value: object) -> list[str]:
    raw = json.dumps(value, separators=(",", ":")).encode("utf-8")
    text = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    return [text[i : i + MAX_METADATA_VALUE] for i in range(0, len(text), MAX_METADATA_VALUE)]


def encode_value(key: str, value: object, *, max_keys: int, fallback: object) -> dict[str, str]:
    """``value`` as metadata entries ``key``, ``key1``, ... (at most ``max_keys`` of them).

    Args:
        key: the first key; continuation keys append 1, 2, ...
        value: any JSON value.
        max_keys: how many keys the value may use (see :func:`keys_left`).
        fallback: a small JSON value stored instead when ``value`` does not fit, saying what
            was left out, so a reader can tell "not stored" from "not there".

    Raises:
        InvalidInputError: not even ``fallback`` fits.
    """
    chunks = _chunks(value)
    if len(chunks) > max_keys:
        chunks = _chunks(fallback)
        if len(chunks) > max_keys:
            raise InvalidInputError(
                f"metadata {key!r} does not fit in {max_keys} key(s) even as a summary"
            )
    return {(key if i == 0 else f"{key}{i}"): chunk for i, chunk in enumerate(chunks)}


def decode_value(metadata: Mapping[str, Any] | None, key: str) -> Any:
    """The JSON value :func:`encode_value` stored at ``key``; ``None`` if absent or unreadable."""
    if not metadata or not isinstance(metadata.get(key), str):
        return None
    parts = [metadata[key]]
    index = 1
    while isinstance(metadata.get(f"{key}{index}"), str):
        parts.append(metadata[f"{key}{index}"])
        index += 1
    try:
        raw = zlib.decompress(base64.b64decode("".join(parts), validate=True))
        return json.loads(raw)
    except (ValueError, TypeError, zlib.error, binascii.Error):
        return None
