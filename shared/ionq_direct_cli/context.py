"""What a command works with: its arguments, its output streams, its client, and one way to print.

Every command prints its result through :meth:`Context.emit`: with ``--json`` the data goes to
stdout as one JSON document; otherwise a render function draws it with rich. Progress goes to
stderr (:meth:`Context.status_console`), so stdout stays clean when piped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

from ionq_direct.credentials import API_KEY_ENV, API_URL_ENV
from ionq_direct.policy import Policy
from ionq_direct_cli.exit_codes import USAGE, CommandError

if TYPE_CHECKING:
    from rich.console import Console

    from ionq_direct.client import Client

__all__ = ["Context", "make_console"]

#: Width rich lays tables out in when the output is not a terminal (a file, a pipe, a test).
_PIPE_WIDTH = 200


def make_console(stream: TextIO) -> Console:
    """A rich console writing plain text to ``stream``: no markup, no highlighting.

    Raises:
        CommandError: rich is not installed (the ``cli`` extra).
    """
    try:
        from rich.console import Console
    except ImportError:
        raise CommandError(
            "human-readable output needs rich: pip install 'ionq-direct[cli]' "
            "(or add --json, which needs nothing extra)",
            USAGE,
        ) from None
    terminal = stream.isatty()
    return Console(
        file=stream,
        width=None if terminal else _PIPE_WIDTH,
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=not terminal,
    )


class Context:
    """One run of one command.

    Args:
        args: the parsed command line.
        out: where results go (stdout).
        err: where progress and errors go (stderr).
        stdin: where ``-`` files are read from.
        policy: the clocks, sleep and retry numbers of the command's client (real time when
            omitted; tests pass a fake clock).
    """

    def __init__(
        self,
        args: argparse.Namespace,
        out: TextIO,
        err: TextIO,
        stdin: TextIO | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.stdin = stdin if stdin is not None else sys.stdin
        self.policy = policy

    @property
    def json(self) -> bool:
        """Whether ``--json`` was given."""
        return bool(getattr(self.args, "json", False))

    @property
    def api_key(self) -> str:
        """The key the command uses (``--api-key``, else ``$IONQ_API_KEY``), or ``""``."""
        given = getattr(self.args, "api_key", None)
        key = given if isinstance(given, str) else os.environ.get(API_KEY_ENV, "")
        return key.strip()

    @property
    def base_url(self) -> str | None:
        """The base URL the command was pointed at (``--url``, else ``$IONQ_API_URL``)."""
        given = getattr(self.args, "url", None)
        return given or os.environ.get(API_URL_ENV) or None

    @cached_property
    def client(self) -> Client:
        """A client for the service the command was pointed at.

        Raises:
            CommandError: there is no API key (exit 2), named the command line's way.
        """
        from ionq_direct.client import Client

        if not self.api_key:
            raise CommandError(f"no IonQ API key: pass --api-key or set {API_KEY_ENV}", USAGE)
        return Client(
            api_key=getattr(self.args, "api_key", None), base_url=self.base_url, policy=self.policy
        )

    @cached_property
    def console(self) -> Console:
        """The rich console on stdout (human mode only)."""
        return make_console(self.out)

    @cached_property
    def status_console(self) -> Console:
        """The rich console on stderr, for progress (human mode only)."""
        return make_console(self.err)

    def emit(self, data: Any, render: Callable[[Console], None]) -> None:
        """Print a command's result: ``data`` as JSON with ``--json``, else ``render`` it."""
        if self.json:
            self.out.write(json.dumps(data, indent=2) + "\n")
        else:
            render(self.console)
