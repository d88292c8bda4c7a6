"""The command registry: a command is one function plus its parser entry, declared together.

    @command("cost", "show a job's estimated and actual cost", arg("job_id"))
    def cost(ctx: Context) -> int:
        ...

``build_parser`` turns every registered command into an ``argparse`` sub-command. A name with a
space (``"sessions create"``) becomes a sub-command of a group (``sessions``); a group's bare
name runs the command registered with ``default=True``. Service commands get ``--url`` and
``--api-key``; every command gets ``--json``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ionq_direct_cli.context import Context

__all__ = ["COMMANDS", "Argument", "Command", "add_commands", "arg", "command"]

Handler = Callable[["Context"], int]


@dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call: its flags or name, and its keyword arguments."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Argument:
    """An argument of a command, as ``parser.add_argument(*flags, **options)`` would take it."""
    return Argument(flags, options)


@dataclass(frozen=True)
class Command:
    """A registered command.

    Attributes:
        name: the command line words, e.g. ``"submit"`` or ``"sessions end"``.
        help: one line for ``--help``.
        run: the function doing the work; returns the exit status.
        arguments: its arguments.
        service: whether it talks to a service (and takes ``--url`` and ``--api-key``).
        default: whether it runs for its group's bare name (``sessions`` -> ``sessions list``).
    """

    name: str
    help: str
    run: Handler
    arguments: tuple[Argument, ...]
    service: bool
    default: bool


#: Every command, by name, in registration order (which is the order of ``--help``).
COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *arguments: Argument, service: bool = True, default: bool = False
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the command ``name``."""

    def register(run: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"command {name!r} is registered twice")
        COMMANDS[name] = Command(name, help, run, tuple(arguments), service, default)
        return run

    return register


def _common(parser: argparse.ArgumentParser, cmd: Command) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout, nothing else"
    )
    if cmd.service:
        parser.add_argument("--url", help="API base URL (default: $IONQ_API_URL or IonQ's cloud)")
        parser.add_argument("--api-key", help="API key (default: $IONQ_API_KEY)")
    for argument in cmd.arguments:
        parser.add_argument(*argument.flags, **argument.options)
    parser.set_defaults(handler=cmd.run)


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add every registered command to ``parser`` as a sub-command."""
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups: dict[str, list[Command]] = {}
    for cmd in COMMANDS.values():
        group, _, leaf = cmd.name.rpartition(" ")
        if group:
            groups.setdefault(group, []).append(cmd)
        else:
            _common(top.add_parser(leaf, help=cmd.help, description=cmd.help), cmd)
    for group, members in groups.items():
        default = next((c for c in members if c.default), None)
        shown = f"{group}: " + ", ".join(c.name.rpartition(" ")[2] for c in members)
        group_parser = top.add_parser(group, help=shown, description=shown)
        if default is not None:
            # The bare group name (``sessions``) runs the default command, with its options.
            _common(group_parser, default)
        actions = group_parser.add_subparsers(
            dest="action", metavar="ACTION", required=default is None
        )
        for cmd in members:
            leaf = cmd.name.rpartition(" ")[2]
            _common(actions.add_parser(leaf, help=cmd.help, description=cmd.help), cmd)
