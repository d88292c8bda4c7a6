"""The token-aware redaction rule: a key never shows, words that merely contain a short key do."""

from __future__ import annotations

import pytest

from ionq_direct.redaction import ANYWHERE_FROM, REDACTED, redact, redact_value


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("GET https://example.com failed", "x", "GET https://example.com failed"),
        ("apiKey x rejected", "x", f"apiKey {REDACTED} rejected"),
        ("key=x&y=1", "x", f"key={REDACTED}&y=1"),
        ("x-ray and max_x stay", "x", "x-ray and max_x stay"),
        ("x", "x", REDACTED),
        ("glued:secret1234567890!", "secret1234567890", f"glued:{REDACTED}!"),
        ("inside wordsecret1234567890word", "secret1234567890", f"inside word{REDACTED}word"),
        ("nothing", "", "nothing"),
    ],
)
def test_redact(text: str, key: str, expected: str) -> None:
    assert redact(text, key) == expected


def test_keys_from_the_threshold_up_are_removed_anywhere() -> None:
    key = "k" * ANYWHERE_FROM
    assert redact(f"a{key}b", key) == f"a{REDACTED}b"
    assert redact(f"a{key[:-1]}b", key[:-1]) == f"a{key[:-1]}b"


def test_redact_value_walks_json() -> None:
    body = {"message": "bad key k", "k": ["k", "okay", {"nested": "k!"}], "n": 1}
    assert redact_value(body, "k") == {
        "message": f"bad key {REDACTED}",
        REDACTED: [REDACTED, "okay", {"nested": f"{REDACTED}!"}],
        "n": 1,
    }
    assert redact_value(body, "") is body
