"""The commands of ``ionq-direct``, one module per area; importing this package registers them.

To add a command, write one function in the module of its area (or in a new module imported
here) and put its parser entry on it with :func:`ionq_direct_cli.registry.command`. The import
order below is the order of ``ionq-direct --help``.
"""

from __future__ import annotations

# isort: off
from ionq_direct_cli.commands import local, jobs, backends, account

# isort: on

__all__ = ["account", "backends", "jobs", "local"]
