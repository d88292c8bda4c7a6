"""Backend commands: ``backends`` and ``characterizations BACKEND``."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from ionq_direct_cli.context import Context
from ionq_direct_cli.display import list_table, show
from ionq_direct_cli.exit_codes import DONE
from ionq_direct_cli.registry import arg, command


@command("backends", "list backends with their status, size and queue time")
def backends(ctx: Context) -> int:
    """``GET /backends`` as a table (``--json``: the backend records)."""
    found = ctx.client.list_backends()
    rows = [
        (b.get("backend"), b.get("status"), b.get("qubits"), b.get("average_queue_time"))
        for b in found
    ]
    headers = ("backend", "status", "qubits", "average queue")
    ctx.emit(
        found,
        lambda console: show(console, list_table(headers, rows, right=("qubits", "average queue"))),
    )
    return DONE


def _median(fidelity: Any, kind: str) -> Any:
    entry = fidelity.get(kind) if isinstance(fidelity, Mapping) else None
    return entry.get("median") if isinstance(entry, Mapping) else None


@command(
    "characterizations",
    "list a QPU's characterizations (fidelities and timings), newest first",
    arg("backend", help="e.g. qpu.aria-1"),
    arg("--start", help="earliest date, YYYY-MM-DD"),
    arg("--end", help="latest date, YYYY-MM-DD"),
    arg("--limit", type=int, default=10, help="list at most this many (default 10)"),
)
def characterizations(ctx: Context) -> int:
    """``GET /backends/{backend}/characterizations`` (``--json``: the records)."""
    found = ctx.client.list_characterizations(
        ctx.args.backend, start=ctx.args.start, end=ctx.args.end
    )
    records = list(itertools.islice(found, max(ctx.args.limit, 0)))
    rows = []
    for c in records:
        fidelity = c.get("fidelity")
        timing = c.get("timing")
        timing = timing if isinstance(timing, Mapping) else {}
        rows.append(
            (
                c.get("date"),
                c.get("qubits"),
                _median(fidelity, "1q"),
                _median(fidelity, "2q"),
                _median(fidelity, "spam"),
                timing.get("t1"),
                timing.get("t2"),
                c.get("id"),
            )
        )
    headers = ("date", "qubits", "1q fidelity", "2q fidelity", "spam", "t1 (s)", "t2 (s)", "id")
    numbers = headers[1:7]
    ctx.emit(records, lambda console: show(console, list_table(headers, rows, right=numbers)))
    return DONE
