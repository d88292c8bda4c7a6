"""docs/migrating.md's Cirq table: every row is exercised by the section's example.

tests/test_docs.py runs the example against the emulator; this checks that each row of the table
has its ``# C<n>`` marker in that example, so no row is documented without being executed.
"""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "migrating.md"


def _cirq_section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("\n## Cirq\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_every_cirq_row_is_executed_by_the_example() -> None:
    section = _cirq_section()
    rows = re.findall(r"^\| (C\d+) \|", section, flags=re.MULTILINE)
    assert len(rows) >= 20 and len(rows) == len(set(rows))
    [code] = re.findall(r"^```python\n(.*?)^```", section, flags=re.DOTALL | re.MULTILINE)
    marked = set(re.findall(r"# (C\d+)", code)) | {
        f"C{n}" for a, b in re.findall(r"# C(\d+), C(\d+)", code) for n in (a, b)
    }
    assert set(rows) <= marked, sorted(set(rows) - marked)
