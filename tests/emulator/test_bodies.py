"""Request-body models: the 400 each faulty body gets, first fault first, as always."""

from __future__ import annotations

from typing import Any

import pytest

from ionq_emulator.bodies import (
    IDS_MESSAGES,
    SESSION_MESSAGES,
    CreateSessionRequest,
    JobsBulkOperationRequest,
    parse,
)
from ionq_emulator.errors import ApiError

POSITIVE = "must be a positive integer (at most 2147483647)."
CAP = '"settings.cost_limit" must be {"unit": str, "value": number}.'


def _cap(cost_limit: Any) -> dict[str, Any]:
    return {"backend": "simulator", "settings": {"cost_limit": cost_limit}}


def _session_error(body: Any) -> tuple[list[str], str]:
    with pytest.raises(ApiError) as caught:
        parse(CreateSessionRequest, body, SESSION_MESSAGES, root_key="body")
    assert caught.value.status == 400 and caught.value.source == "body"
    return caught.value.keys, caught.value.message


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ([], "body", "The request body must be a JSON object."),
        ({}, "backend", '"backend" must name a known backend.'),
        ({"backend": "qpu.nowhere"}, "backend", '"backend" must name a known backend.'),
        ({"backend": 3}, "backend", '"backend" must name a known backend.'),
        # Unknown keys come first, in body order, even after a bad backend.
        ({"backend": 3, "zz": 1, "aa": 2}, "zz", '"zz" is not allowed.'),
        ({"backend": "simulator", "settings": 5}, "settings", '"settings" must be an object.'),
        (
            {"backend": "simulator", "settings": {"job_count_limit": 0, "q": 1}},
            "settings.q",
            '"settings.q" is not allowed.',
        ),
        (
            {"backend": "simulator", "settings": {"duration_limit_min": 0, "job_count_limit": 0}},
            "settings.job_count_limit",
            f'"settings.job_count_limit" {POSITIVE}',
        ),
        (
            {"backend": "simulator", "settings": {"job_count_limit": True}},
            "settings.job_count_limit",
            f'"settings.job_count_limit" {POSITIVE}',
        ),
        (
            {"backend": "simulator", "settings": {"duration_limit_min": None}},
            "settings.duration_limit_min",
            f'"settings.duration_limit_min" {POSITIVE}',
        ),
        (
            {"backend": "simulator", "settings": {"duration_limit_min": 2.0}},
            "settings.duration_limit_min",
            f'"settings.duration_limit_min" {POSITIVE}',
        ),
        ({"backend": "simulator", "settings": {"cost_limit": None}}, "settings.cost_limit", CAP),
        (
            {"backend": "simulator", "settings": {"cost_limit": {"unit": "usd", "value": True}}},
            "settings.cost_limit",
            CAP,
        ),
        (
            {
                "backend": "simulator",
                "settings": {"cost_limit": {"unit": "usd", "value": 1, "x": 1}},
            },
            "settings.cost_limit",
            CAP,
        ),
        (
            {"backend": "simulator", "settings": {"cost_limit": {"value": 1}}},
            "settings.cost_limit",
            CAP,
        ),
    ],
)
def test_each_faulty_session_body_gets_its_400(body: Any, key: str, message: str) -> None:
    assert _session_error(body) == ([key], message)


@pytest.mark.parametrize(
    "settings",
    [
        None,
        {},
        {"job_count_limit": 2**31 - 1, "duration_limit_min": 2**31 - 1},  # int32, as in the spec
        {"cost_limit": {"unit": "usd", "value": 5}},
        {"cost_limit": {"value": 2.5, "unit": "usd"}},
    ],
)
def test_good_session_bodies_pass(settings: dict[str, Any] | None) -> None:
    parsed = parse(
        CreateSessionRequest,
        {"backend": "qpu.aria-1", "settings": settings},
        SESSION_MESSAGES,
        root_key="body",
    )
    assert parsed.backend == "qpu.aria-1"


@pytest.mark.parametrize("body", [[], {}, {"ids": "a"}, {"ids": ["a", 1]}, {"ids": None}])
def test_bad_id_lists_name_ids(body: Any) -> None:
    with pytest.raises(ApiError) as caught:
        parse(JobsBulkOperationRequest, body, IDS_MESSAGES, root_key="ids")
    assert caught.value.body() == {
        "error": "Bad Request",
        "message": '"ids" must be a list of job ids.',
        "statusCode": 400,
        "validation": {"keys": ["ids"], "source": "body"},
    }


def test_an_id_list_may_carry_other_keys() -> None:
    body = {"ids": ["a", "b"], "note": 1}
    assert parse(JobsBulkOperationRequest, body, IDS_MESSAGES, root_key="ids").ids == ["a", "b"]
