"""Job metadata: reserved keys checked once, and one codec that never drops a value silently."""

from __future__ import annotations

import random

import pytest

from ionq_direct import InvalidInputError
from ionq_direct import metadata as md
from ionq_direct.metadata import (
    CLIENT_TOKEN_KEY,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE,
    RESERVED_KEYS,
    SEED_METADATA_KEY,
    check_reserved,
    decode_value,
    encode_value,
    is_reserved,
    keys_left,
)


def test_reserved_keys_and_their_continuations() -> None:
    assert is_reserved(CLIENT_TOKEN_KEY) and is_reserved(SEED_METADATA_KEY)
    assert is_reserved(SEED_METADATA_KEY + "2")
    assert not is_reserved("seed") and not is_reserved(SEED_METADATA_KEY + "x")
    layouts = {**RESERVED_KEYS, "layout": "the layouts"}
    assert is_reserved("layout12", layouts) and not is_reserved("layouts", layouts)


def test_check_reserved_names_the_key_and_its_purpose() -> None:
    check_reserved({"fizz": "buzz"})
    with pytest.raises(InvalidInputError) as info:
        check_reserved({"a": "1", CLIENT_TOKEN_KEY: "x"})
    assert str(info.value) == (
        f"metadata key {CLIENT_TOKEN_KEY!r} is reserved for the client token; rename it"
    )
    with pytest.raises(InvalidInputError, match="circuit 2 metadata key 'layout1' is reserved"):
        check_reserved({"layout1": "x"}, "circuit 2 metadata", {"layout": "the layouts"})


def test_keys_left_counts_the_token_and_never_reaches_zero() -> None:
    assert keys_left(0) == MAX_METADATA_KEYS - 1
    assert keys_left(1) == MAX_METADATA_KEYS - 2
    assert keys_left(MAX_METADATA_KEYS + 5) == 1


def test_values_round_trip() -> None:
    value = {"layouts": [[1, 2, 3], "name"], "gateset": "native"}
    entries = encode_value("k", value, max_keys=3, fallback={"omitted": 1})
    assert list(entries) == ["k"] and all(isinstance(v, str) for v in entries.values())
    assert decode_value({"other": "1", **entries}, "k") == value
    assert decode_value({}, "k") is None and decode_value(None, "k") is None
    assert decode_value({"k": "not base64 zlib"}, "k") is None
    assert decode_value({"k": 3}, "k") is None


def _noise(size: int) -> str:
    rng = random.Random(0)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size))


def test_long_values_continue_in_numbered_keys_within_the_value_limit() -> None:
    value = _noise(100_000)  # barely compressible: about 100,000 base64 characters
    entries = encode_value("k", value, max_keys=5, fallback=None)
    assert list(entries) == ["k", "k1", "k2"]
    assert all(len(text) <= MAX_METADATA_VALUE for text in entries.values())
    assert decode_value(entries, "k") == value
    # A missing continuation makes the value unreadable, not wrong.
    assert decode_value({"k": entries["k"], "k2": entries["k2"]}, "k") is None


def test_a_value_that_cannot_fit_is_replaced_by_its_fallback() -> None:
    value = _noise(100_000)
    entries = encode_value("k", value, max_keys=2, fallback={"omitted": 7})
    assert list(entries) == ["k"] and decode_value(entries, "k") == {"omitted": 7}


def test_a_fallback_that_cannot_fit_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(md, "MAX_METADATA_VALUE", 4)
    with pytest.raises(InvalidInputError, match="does not fit in 1 key"):
        encode_value("k", _noise(1000), max_keys=1, fallback={"omitted": 1})
