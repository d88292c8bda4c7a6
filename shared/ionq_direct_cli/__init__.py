"""ionq_direct_cli: the ``ionq-direct`` command line and its demo.

It sits above everything else: the core (``ionq_direct``), the emulator (``ionq_emulator``) and,
for the demo only and imported lazily, both framework adapters. Nothing imports this package
but the console script.
"""

from __future__ import annotations

from ionq_direct_cli.cli import build_parser, main

__all__ = ["build_parser", "main"]
