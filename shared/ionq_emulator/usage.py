"""``GET /organizations/{organization_id}/usage``: QPU costs by group and date, from the store.

The report follows the OpenAPI's ``Usages`` shape. What it counts, as the emulator defines it:

* jobs on a QPU backend that completed (the only ones charged) in ``[start_date, end_date)``,
  dated by their completion day (UTC); dry runs and multi-circuit children are not counted
  (a multi-circuit job counts once, as its parent, with the parent's cost);
* ``amount`` is the job's cost from the pricing module, in ``pricing.UNIT``; ``time_us`` is its
  emulated QPU time (the predicted execution duration the pricing module gives);
* ``modality`` buckets the days: ``daily`` by day, ``weekly`` in seven-day steps from
  ``start_date``, ``monthly`` by calendar month (the first bucket starts at ``start_date``);
  ``usage_data`` lists the buckets that have jobs, most recent first;
* ``group_by`` names each bucket's ``group_usages`` (the top five by amount): ``job`` (id and
  name), ``project`` (the emulator's one project) or ``user`` (the submitting key).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from ionq_emulator import pricing
from ionq_emulator.catalog import is_qpu
from ionq_emulator.errors import bad_request, not_found
from ionq_emulator.records import parse_iso
from ionq_emulator.service import ORGANIZATION_ID, PROJECT_ID, EmulatorService
from ionq_emulator.store import JobFilter, JobRow

GroupBy = Literal["job", "project", "user"]
Modality = Literal["daily", "weekly", "monthly"]
#: Groups listed per bucket, as the OpenAPI states ("the top 5 usage groups").
TOP_GROUPS = 5
PROJECT_NAME = "Emulator project"
_PAGE = 1000


@dataclass(frozen=True)
class Charge:
    """One counted job: when it completed, what it cost and which group it belongs to."""

    day: date
    amount: float
    time_us: float
    group_id: str
    group_name: str


def _completed_jobs(service: EmulatorService) -> Iterator[JobRow]:
    after: str | None = None
    while True:
        page = service.store.list_jobs(JobFilter(status="completed"), limit=_PAGE, after=after)
        if page is None:
            return
        rows, after = page
        yield from rows
        if after is None:
            return


def _group(service: EmulatorService, row: JobRow, group_by: GroupBy) -> tuple[str, str]:
    if group_by == "job":
        return row.id, row.record.get("name") or row.id
    if group_by == "project":
        return PROJECT_ID, PROJECT_NAME
    user = row.record["submitter_id"]
    names = {who.user_id: who.key_name for who in service.identities}
    return user, names.get(user, user)


def charges(service: EmulatorService, start: date, end: date, group_by: GroupBy) -> list[Charge]:
    """The counted jobs that completed on a day in ``[start, end)``."""
    found = []
    for row in _completed_jobs(service):
        if row.parent_id is not None or row.record["dry_run"] or not is_qpu(row.backend):
            continue
        if row.completed_at is None:
            continue
        day = parse_iso(row.completed_at).date()
        if not start <= day < end:
            continue
        group_id, group_name = _group(service, row, group_by)
        time_us = float(row.record["predicted_execution_duration_ms"]) * 1000.0
        found.append(Charge(day, float(row.record["cost"]), time_us, group_id, group_name))
    return found


def bucket_start(day: date, start: date, modality: Modality) -> date:
    """The first day of the bucket ``day`` falls in."""
    if modality == "daily":
        return day
    if modality == "weekly":
        return start + timedelta(days=7 * ((day - start).days // 7))
    return max(start, day.replace(day=1))


def _amounts(amount: float) -> list[dict[str, Any]]:
    return [{"amount": round(amount, 2), "unit": pricing.UNIT}]


def _figures(items: list[Charge]) -> dict[str, Any]:
    amount = sum(c.amount for c in items)
    return {
        "amount": round(amount, 2),
        "amount_unit": pricing.UNIT,
        "amounts": _amounts(amount),
        "job_count": len(items),
        "time_us": sum(c.time_us for c in items),
    }


def _bucket(first: date, items: list[Charge]) -> dict[str, Any]:
    groups: dict[tuple[str, str], list[Charge]] = defaultdict(list)
    for item in items:
        groups[(item.group_id, item.group_name)].append(item)
    usages = [
        {"group_id": gid, "group_name": name, **_figures(members)}
        for (gid, name), members in groups.items()
    ]
    usages.sort(key=lambda g: (-g["amount"], -g["job_count"], g["group_id"]))
    return {"from": first.isoformat(), **_figures(items), "group_usages": usages[:TOP_GROUPS]}


def usage_report(
    service: EmulatorService,
    organization_id: str,
    *,
    start_date: date,
    end_date: date,
    group_by: GroupBy,
    modality: Modality,
) -> dict[str, Any]:
    """The ``Usages`` answer for the emulator's organization.

    Raises:
        ApiError: 404 for another organization, 400 when ``end_date`` is not after
            ``start_date``.
    """
    if organization_id != ORGANIZATION_ID:
        raise not_found()
    if end_date <= start_date:
        raise bad_request(
            "end_date", '"end_date" must be after "start_date" (it is exclusive).', source="query"
        )
    items = charges(service, start_date, end_date, group_by)
    buckets: dict[date, list[Charge]] = defaultdict(list)
    for item in items:
        buckets[bucket_start(item.day, start_date, modality)].append(item)
    total = _figures(items)
    return {
        "organization": ORGANIZATION_ID,
        "start_date": start_date.isoformat(),
        "end_date": end_date.isoformat(),
        "usage_from": f"{start_date.isoformat()}T00:00:00Z",
        "usage_to": f"{end_date.isoformat()}T00:00:00Z",
        "group_type": group_by,
        "modality": modality,
        "usage_unit": pricing.UNIT,
        "amount_total": total["amount"],
        "amount_totals": total["amounts"],
        "job_count": total["job_count"],
        "time_us_total": total["time_us"],
        "usage_data": [_bucket(first, buckets[first]) for first in sorted(buckets, reverse=True)],
    }
