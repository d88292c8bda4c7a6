"""What the service says about a job: statuses and their meaning."""

from __future__ import annotations

#: Job statuses after which nothing changes.
TERMINAL_STATUSES = frozenset({"completed", "failed", "canceled"})
