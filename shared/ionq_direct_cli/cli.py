"""The ``ionq-direct`` command line: the direct-API workflow, the emulator, and the demo.

Every command that talks to a service reads ``IONQ_API_KEY`` and ``IONQ_API_URL`` like the
library does; ``--url`` and ``--api-key`` override them. Every command takes ``--json``. The
commands themselves live in :mod:`ionq_direct_cli.commands`; exit statuses in
:mod:`ionq_direct_cli.exit_codes`; docs/cli.md shows each one run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

import ionq_direct
from ionq_direct.errors import IonQError
from ionq_direct.policy import Policy
from ionq_direct_cli import commands as _commands  # noqa: F401  (registers every command)
from ionq_direct_cli.context import Context
from ionq_direct_cli.exit_codes import INTERRUPTED, for_error
from ionq_direct_cli.messages import error_line
from ionq_direct_cli.registry import add_commands

__all__ = ["build_parser", "main"]

_EPILOG = (
    "exit status: 0 done, 1 a job failed or was canceled, 2 usage error, "
    "3 service or network error, 130 interrupted. See docs/cli.md."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ionq-direct``."""
    parser = argparse.ArgumentParser(
        prog="ionq-direct",
        description="Submit, watch and read IonQ v0.4 jobs; run the local emulator; run the demo.",
        epilog=_EPILOG,
    )
    parser.add_argument(
        "--version", action="version", version=f"ionq-direct {ionq_direct.__version__}"
    )
    add_commands(parser)
    return parser


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
    policy: Policy | None = None,
) -> int:
    """Run ``ionq-direct``; returns the process exit status (see ``exit_codes``).

    Args:
        argv: the arguments (default: the process's).
        out: where results go (default stdout).
        err: where progress and errors go (default stderr).
        stdin: what ``-`` reads (default stdin).
        policy: the client's clocks, sleep and retry numbers (default: real time).
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error (argparse said why)
        return exit_.code if isinstance(exit_.code, int) else 0
    ctx = Context(
        args,
        out if out is not None else sys.stdout,
        err if err is not None else sys.stderr,
        stdin,
        policy,
    )
    try:
        status: int = args.handler(ctx)
    except IonQError as exc:
        ctx.err.write(error_line(exc, ctx.api_key, ctx.base_url) + "\n")
        return for_error(exc)
    except KeyboardInterrupt:
        ctx.err.write("ionq-direct: interrupted\n")
        return INTERRUPTED
    finally:
        ctx.out.flush()
    return status
