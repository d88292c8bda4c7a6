"""Account commands: ``whoami``, ``sessions`` (``list``, ``create``, ``end``) and ``usage``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ionq_direct.client import USAGE_GROUPS, USAGE_MODALITIES
from ionq_direct_cli.context import Context
from ionq_direct_cli.display import key_value_table, list_table, show
from ionq_direct_cli.exit_codes import DONE
from ionq_direct_cli.registry import arg, command


@command("whoami", "show the API key's id, name and project")
def whoami(ctx: Context) -> int:
    """``GET /whoami`` as a field table (``--json``: the answer)."""
    answer = ctx.client.whoami()
    ctx.emit(answer, lambda console: show(console, key_value_table(answer.items())))
    return DONE


def _session_rows(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [
        ("id", record.get("id")),
        ("backend", record.get("backend")),
        ("status", record.get("status")),
        ("active", record.get("active")),
        ("created", record.get("created_at")),
        ("ended", record.get("ended_at")),
        ("settings", record.get("settings") or None),
    ]


@command(
    "sessions list",
    "list sessions (the default for a bare `sessions`)",
    arg("--active", action="store_true", default=None, help="only active sessions"),
    default=True,
)
def sessions_list(ctx: Context) -> int:
    """``GET /sessions`` as a table (``--json``: the session records)."""
    found = ctx.client.list_sessions(active=ctx.args.active)
    headers = ("id", "backend", "status", "created", "ended")
    rows = [
        (s.get("id"), s.get("backend"), s.get("status"), s.get("created_at"), s.get("ended_at"))
        for s in found
    ]
    ctx.emit(found, lambda console: show(console, list_table(headers, rows)))
    return DONE


@command(
    "sessions create",
    'open a session on a backend; submit into it with "session_id" in the job file',
    arg("backend", help="e.g. qpu.aria-1"),
    arg("--job-count-limit", type=int, help="most jobs the session accepts"),
    arg("--duration-limit-min", type=int, help="minutes the session stays open"),
    arg("--cost-limit", type=float, help="most the session may cost, in the service's unit"),
)
def sessions_create(ctx: Context) -> int:
    """``POST /sessions`` (``--json``: the new session)."""
    settings: dict[str, Any] = {}
    if ctx.args.job_count_limit is not None:
        settings["job_count_limit"] = ctx.args.job_count_limit
    if ctx.args.duration_limit_min is not None:
        settings["duration_limit_min"] = ctx.args.duration_limit_min
    if ctx.args.cost_limit is not None:
        settings["cost_limit"] = {"unit": "usd", "value": ctx.args.cost_limit}
    record = ctx.client.create_session(ctx.args.backend, settings or None)
    ctx.emit(record, lambda console: show(console, key_value_table(_session_rows(record))))
    return DONE


@command("sessions end", "end a session", arg("session_id", help="the session's id"))
def sessions_end(ctx: Context) -> int:
    """``POST /sessions/{id}/end`` (``--json``: the ended session)."""
    record = ctx.client.end_session(ctx.args.session_id)
    ctx.emit(record, lambda console: show(console, key_value_table(_session_rows(record))))
    return DONE


@command(
    "usage",
    "show an organization's costs by group and date",
    arg("organization_id", help="the organization's id (see `ionq-direct sessions list --json`)"),
    arg("--start", required=True, help="first day, YYYY-MM-DD (inclusive)"),
    arg("--end", required=True, help="last day, YYYY-MM-DD (exclusive)"),
    arg("--group-by", choices=USAGE_GROUPS, default="project", help="group costs by this"),
    arg("--modality", choices=USAGE_MODALITIES, default="daily", help="the length of a bucket"),
)
def usage(ctx: Context) -> int:
    """``GET /organizations/{id}/usage`` as a table (``--json``: the report)."""
    report = ctx.client.get_usage(
        ctx.args.organization_id,
        start_date=ctx.args.start,
        end_date=ctx.args.end,
        group_by=ctx.args.group_by,
        modality=ctx.args.modality,
    )
    rows = [
        (key, report.get(key))
        for key in ("organization_id", "start_date", "end_date", "group_type", "modality")
    ]
    rows += [("job count", report.get("job_count")), ("total", report.get("amount_total"))]
    ctx.emit(report, lambda console: show(console, key_value_table(rows)))
    return DONE
