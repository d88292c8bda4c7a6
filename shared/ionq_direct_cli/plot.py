"""``results ID --plot FILE.png``: a bar chart of a job's counts (or probabilities), via matplotlib.

matplotlib is the optional ``plot`` extra; without it the command fails before fetching anything,
with a message naming the extra. One subplot per circuit, bars labelled with bitstrings (qubit 0
rightmost, as in the tables); an OpenQASM 3 job's, one per classical register.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ionq_direct_cli.exit_codes import USAGE, CommandError

__all__ = ["require_matplotlib", "write_plot"]

#: Most bars drawn per circuit; the rest (the least likely outcomes) are left out and said so.
MAX_BARS = 64


def require_matplotlib() -> None:
    """Fail with a message naming the ``plot`` extra when matplotlib is missing.

    Raises:
        CommandError: matplotlib cannot be imported.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CommandError(
            "--plot needs matplotlib: pip install 'ionq-direct[plot]'", USAGE
        ) from None


def _bars(entry: Mapping[str, Any]) -> tuple[list[str], list[float], str]:
    counts = entry.get("counts")
    values: Mapping[str, float] = counts if counts else entry["probabilities"]
    label = "count" if counts else "probability"
    top = sorted(values.items(), key=lambda kv: -float(kv[1]))[:MAX_BARS]
    top.sort(key=lambda kv: int(kv[0]))
    width = int(entry["qubits"] if "qubits" in entry else max(int(entry["bits"]), 1))
    return [format(int(k), f"0{width}b") for k, _ in top], [float(v) for _, v in top], label


def write_plot(doc: Mapping[str, Any], path: str) -> Path:
    """Draw the result document's circuits as bar charts into ``path`` (format from its suffix)."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    circuits = doc["circuits"] or doc.get("registers") or []
    figure, axes = plt.subplots(len(circuits), 1, figsize=(8, 3.2 * len(circuits)), squeeze=False)
    try:
        for axis, entry in zip(axes[:, 0], circuits, strict=True):
            names, heights, label = _bars(entry)
            axis.bar(names, heights, color="#3b6ea8")
            axis.set_ylabel(label)
            if "name" in entry:  # a classical register of an OpenQASM 3 job
                axis.set_xlabel(f"value of register {entry['name']} (bit n-1 ... bit 0)")
                axis.set_title(f"job {doc['id']}: register {entry['name']}", fontsize=9)
                axis.tick_params(axis="x", labelrotation=90 if len(names) > 8 else 0)
                continue
            axis.set_xlabel("outcome (qubit n-1 ... qubit 0)")
            title = f"job {entry['id']}"
            if len(circuits) > 1:
                title = f"circuit {entry['index'] + 1} of {len(circuits)}: {title}"
            axis.set_title(title, fontsize=9)
            axis.tick_params(axis="x", labelrotation=90 if len(names) > 8 else 0)
        figure.tight_layout()
        target = Path(path)
        try:
            figure.savefig(target)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot write the plot {path}: {exc}", USAGE) from None
    finally:
        plt.close(figure)
    return target
