"""Cursor and page-number iteration stop exactly when they should."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import requests_mock
from core_support import BASE, make_client, query

from ionq_direct._pagination import iterate_cursor, iterate_pages


def pages_from(answers: list[dict[str, Any]]) -> tuple[list[str | None], Any]:
    asked: list[str | None] = []

    def fetch(cursor: str | None) -> dict[str, Any]:
        asked.append(cursor)
        return answers[len(asked) - 1]

    return asked, fetch


@pytest.mark.parametrize("last_cursor", [None, ""])
def test_cursor_stops_on_null_or_empty_next(last_cursor: str | None) -> None:
    asked, fetch = pages_from(
        [{"jobs": [{"id": 1}], "next": "c1"}, {"jobs": [{"id": 2}], "next": last_cursor}]
    )
    assert [j["id"] for j in iterate_cursor(fetch, "jobs")] == [1, 2]
    assert asked == [None, "c1"]


def test_cursor_stops_when_next_is_missing() -> None:
    asked, fetch = pages_from([{"jobs": [{"id": 1}]}])
    assert list(iterate_cursor(fetch, "jobs")) == [{"id": 1}]
    assert asked == [None]


@pytest.mark.parametrize("empty", [[], None])
def test_cursor_stops_on_an_empty_page(empty: Any) -> None:
    asked, fetch = pages_from([{"jobs": [{"id": 1}], "next": "c1"}, {"jobs": empty, "next": "c2"}])
    assert list(iterate_cursor(fetch, "jobs")) == [{"id": 1}]
    assert asked == [None, "c1"]


def test_cursor_stops_on_a_repeated_cursor() -> None:
    asked, fetch = pages_from(
        [
            {"jobs": [{"id": 1}], "next": "c1"},
            {"jobs": [{"id": 2}], "next": "c2"},
            {"jobs": [{"id": 3}], "next": "c1"},
            {"jobs": [{"id": 4}], "next": None},
        ]
    )
    assert [j["id"] for j in iterate_cursor(fetch, "jobs")] == [1, 2, 3]
    assert asked == [None, "c1", "c2"]


def test_cursor_fetches_only_what_is_consumed() -> None:
    asked, fetch = pages_from([{"jobs": [{"id": n} for n in range(3)], "next": "c1"}])
    assert len(list(itertools.islice(iterate_cursor(fetch, "jobs"), 2))) == 2
    assert asked == [None]


def test_list_jobs_stops_on_a_repeated_cursor_over_http() -> None:
    with requests_mock.Mocker() as m:
        m.get(f"{BASE}/jobs", json={"jobs": [{"id": "same"}], "next": "stuck"})
        jobs = list(make_client().list_jobs(limit=1))
        assert jobs == [{"id": "same"}, {"id": "same"}]
        assert [query(r).get("next") for r in m.request_history] == [None, ["stuck"]]


@pytest.mark.parametrize(
    "last", [{"pages": 0}, {"pages": None}, {}, {"pages": 3, "characterizations": []}]
)
def test_pages_stop_when_none_remain_or_the_page_is_empty(last: dict[str, Any]) -> None:
    asked: list[int] = []
    answers = [
        {"characterizations": [{"id": "a"}], "pages": 2},
        {"characterizations": [{"id": "b"}], **last},
    ]

    def fetch(page: int) -> dict[str, Any]:
        asked.append(page)
        return answers[page - 1]

    found = [c["id"] for c in iterate_pages(fetch, "characterizations")]
    assert found == (["a"] if last.get("characterizations") == [] else ["a", "b"])
    assert asked == [1, 2]


def test_pages_tolerate_a_null_item_list() -> None:
    assert list(iterate_pages(lambda page: {"characterizations": None, "pages": 5}, "x")) == []
