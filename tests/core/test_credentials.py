"""Resolving the key and URL from an ordered list of environment variables; custom headers."""

from __future__ import annotations

import pytest
import requests_mock
from core_support import API_KEY, BASE

from ionq_direct import Client, InvalidInputError
from ionq_direct.credentials import first_set


def test_first_set_variable_wins_in_the_given_order() -> None:
    env = {"B": "second", "A": "first", "C": "third"}
    assert first_set(["A", "B", "C"], env) == "first"
    assert first_set(["C", "B"], env) == "third"


def test_blank_and_missing_variables_are_skipped() -> None:
    assert first_set(["A", "B", "C"], {"A": "  ", "C": " value \n"}) == "value"
    assert first_set(["A", "B"], {}) is None


def test_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IONQ_DIRECT_TEST_A", raising=False)
    monkeypatch.setenv("IONQ_DIRECT_TEST_B", "from-env")
    assert first_set(["IONQ_DIRECT_TEST_A", "IONQ_DIRECT_TEST_B"]) == "from-env"


def test_custom_headers_ride_on_every_request() -> None:
    client = Client(API_KEY, BASE, headers={"X-Team": "qa"})
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/whoami", json={"key_id": "k"})
        client.whoami()
        sent = m.last_request.headers
    assert sent["X-Team"] == "qa"
    assert sent["Authorization"] == f"apiKey {API_KEY}"


@pytest.mark.parametrize("name", ["Authorization", " authorization"])
def test_headers_cannot_replace_the_key(name: str) -> None:
    with pytest.raises(InvalidInputError, match="Authorization") as info:
        Client(API_KEY, BASE, headers={name: "apiKey other"})
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize("headers", [["X-A"], {"X-A": 1}, {2: "x"}])
def test_malformed_headers_are_refused(headers: object) -> None:
    with pytest.raises(InvalidInputError, match="header"):
        Client(API_KEY, BASE, headers=headers)  # type: ignore[arg-type]
