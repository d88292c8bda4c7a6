"""Human output, drawn with rich: tables with headers, record tables, histograms, job results.

Everything here takes plain data (the same data ``--json`` prints) and a rich console. On a
terminal rich draws as usual; elsewhere (a pipe, a file) lines are written without trailing
padding and without colour, so the text is easy to grep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

__all__ = [
    "histogram",
    "key_value_table",
    "list_table",
    "render_results",
    "show",
    "text_value",
]

#: Length of the longest histogram bar, in characters.
_BAR_WIDTH = 40


def show(console: Console, renderable: RenderableType | str) -> None:
    """Print ``renderable``; off a terminal, without the padding rich adds at line ends."""
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    console.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def text_value(value: Any) -> str:
    """A table cell for a JSON value: ``""`` for null, compact JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _table(headers: Sequence[str], *, right: Iterable[str] = ()) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold"
    )
    aligned = set(right)
    for header in headers:
        table.add_column(header, justify="right" if header in aligned else "left", no_wrap=True)
    return table


def list_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, right: Iterable[str] = ()
) -> Table:
    """A table with a header row; ``right`` names the columns aligned right (numbers)."""
    table = _table(headers, right=right)
    for row in rows:
        table.add_row(*(text_value(v) for v in row))
    return table


def key_value_table(rows: Iterable[tuple[str, Any]]) -> Table:
    """A two-column ``field | value`` table of one record; empty values are left out."""
    table = _table(("field", "value"))
    for name, value in rows:
        shown = text_value(value)
        if shown:
            table.add_row(name, shown)
    return table


def _bar_character(console: Console) -> str:
    encoding = (console.encoding or "").lower().replace("-", "")
    return "\u2588" if encoding.startswith("utf") else "#"


def histogram(
    console: Console, values: Mapping[int, float] | Mapping[int, int], width: int, *, label: str
) -> None:
    """Print ``{outcome: value}`` as a table of bars, outcomes as ``width``-bit numerals.

    The numeral reads most significant bit first: for IonQ keys (qubit 0 least significant)
    qubit 0 is the rightmost bit; for Cirq's big-endian keys the first qubit is the leftmost.
    """
    from rich.table import Table

    if not values:
        show(console, "  (empty)")
        return
    top = max(values.values())
    shown = {k: (f"{v:.4f}" if isinstance(v, float) else str(v)) for k, v in values.items()}
    cell = max(len(s) for s in shown.values())
    bar = _bar_character(console)
    table = Table(box=None, padding=(0, 2), show_edge=False, pad_edge=True, header_style="bold")
    table.add_column("outcome", justify="right", no_wrap=True)
    table.add_column(label, no_wrap=True)
    for outcome in sorted(values):
        value = values[outcome]
        length = max(1, round(_BAR_WIDTH * value / top)) if value > 0 and top > 0 else 0
        table.add_row(format(outcome, f"0{width}b"), f"{shown[outcome]:>{cell}}  {bar * length}")
    show(console, table)


def _failure_text(doc: Mapping[str, Any]) -> str:
    failure = doc.get("failure") or {}
    parts = [str(failure[k]) for k in ("code", "message") if failure.get(k)]
    return ": ".join(parts)


def render_results(console: Console, doc: Mapping[str, Any]) -> None:
    """Print a result document (see :mod:`ionq_direct_cli.outcomes`) as histograms.

    An OpenQASM 3 job's document prints one block per classical register.
    """
    if doc["status"] != "completed":
        detail = _failure_text(doc)
        show(console, f"job {doc['id']} {doc['status']}" + (f": {detail}" if detail else ""))
        return
    for register in doc.get("registers") or ():
        _render_register(console, register)
    circuits = doc["circuits"]
    for entry in circuits:
        if len(circuits) > 1:
            show(console, f"circuit {entry['index'] + 1} of {len(circuits)} (job {entry['id']})")
        width = int(entry["qubits"])
        show(console, "probabilities (bitstrings read qubit n-1 ... qubit 0):")
        probabilities = {int(k): float(p) for k, p in entry["probabilities"].items()}
        histogram(console, probabilities, width, label="probability")
        counts = entry["counts"]
        if counts is None:
            show(console, "counts: the job records no shots; pass --shots N")
            continue
        show(console, f"counts ({sum(counts.values())} shots):")
        histogram(console, {int(k): int(n) for k, n in counts.items()}, width, label="count")


def _render_register(console: Console, entry: Mapping[str, Any]) -> None:
    """One classical register of an OpenQASM 3 job: its probabilities and counts."""
    name, bits = entry["name"], max(int(entry["bits"]), 1)
    order = f"{name}[0]" if bits == 1 else f"{name}[{bits - 1}] ... {name}[0]"
    show(console, f"register {name}: probabilities (bitstrings read {order}):")
    probabilities = {int(k): float(p) for k, p in entry["probabilities"].items()}
    histogram(console, probabilities, bits, label="probability")
    counts = entry["counts"]
    if counts is None:
        show(console, "counts: the job records no shots; pass --shots N")
        return
    show(console, f"counts ({sum(counts.values())} shots):")
    histogram(console, {int(k): int(n) for k, n in counts.items()}, bits, label="count")
