"""A short API key neither leaks nor turns every error message into noise."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests_mock

from ionq_direct.errors import IonQError
from ionq_direct.redaction import REDACTED
from ionq_direct_cli.messages import error_line

Runner = Callable[..., Any]


def _as_token(key: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_-]){re.escape(key)}(?![A-Za-z0-9_-])", text) is not None


def test_a_one_letter_key_leaves_an_unreachable_url_readable(cli_fake_time: Runner) -> None:
    ran = cli_fake_time("jobs", "--api-key", "x", "--url", "http://127.0.0.1:9/v0.4")
    assert ran.status == 3
    assert "Max retries exceeded" in ran.err and "Connection refused" in ran.err
    assert REDACTED not in ran.err
    assert not _as_token("x", ran.err)


def test_a_short_key_echoed_by_the_service_is_still_removed(cli_fake_time: Runner) -> None:
    with requests_mock.Mocker() as mock:
        mock.get(
            "https://api.example.com/v0.4/jobs",
            status_code=401,
            json={"error": "Unauthorized", "message": "key x is not valid for example.com"},
        )
        ran = cli_fake_time("jobs", "--api-key", "x", "--url", "https://api.example.com/v0.4")
    assert ran.status == 3
    assert f"key {REDACTED} is not valid for example.com" in ran.err
    assert not _as_token("x", ran.err)


def test_a_real_key_is_removed_wherever_it_occurs(cli_fake_time: Runner) -> None:
    key = "abcDEF123456ghiJKL789"
    with requests_mock.Mocker() as mock:
        mock.get(
            "https://api.example.com/v0.4/jobs",
            status_code=500,
            json={"message": f"boom near prefix{key}suffix"},
        )
        ran = cli_fake_time("jobs", "--api-key", key, "--url", "https://api.example.com/v0.4")
    assert ran.status == 3
    assert key not in ran.err and f"prefix{REDACTED}suffix" in ran.err


@pytest.mark.parametrize(
    ("text", "key", "shown"),
    [
        ("example.com", "x", "example.com"),
        ("Max retries for apiKey x", "x", "Max retries for apiKey <redacted>"),
        ("token=k; k", "k", "token=<redacted>; <redacted>"),
        ("no key here", "", "no key here"),
    ],
)
def test_error_lines_keep_words_and_drop_the_key_as_a_token(
    text: str, key: str, shown: str
) -> None:
    assert error_line(IonQError(text), key, None) == f"ionq-direct: error: {shown}"
