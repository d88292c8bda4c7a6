"""Local commands, no account needed: ``demo`` and ``serve`` (the emulator)."""

from __future__ import annotations

import json
import socket

from ionq_direct_cli.context import Context
from ionq_direct_cli.exit_codes import SERVICE, USAGE, CommandError
from ionq_direct_cli.registry import arg, command


@command(
    "demo",
    "run the guide's GHZ job (raw JSON, Qiskit, Cirq) on the embedded emulator",
    arg("--shots", type=int, default=1000, help="shots per run (default 1000)"),
    arg("--seed", type=int, default=7, help="sampling seed for reproducible counts"),
    service=False,
)
def demo(ctx: Context) -> int:
    """The demo (see :mod:`ionq_direct_cli.demo`)."""
    from ionq_direct_cli.demo import run_demo

    return run_demo(ctx, shots=ctx.args.shots, seed=ctx.args.seed)


def check_port_free(host: str, port: int) -> None:
    """Fail before anything is printed or created when ``host:port`` cannot be listened on.

    The probe binds as the server will (``SO_REUSEADDR``, as uvicorn sets it), so a port left in
    TIME_WAIT by a previous run counts as free while one with a listener does not.

    Raises:
        CommandError: the port is taken (exit 3) or the host is not an address here (exit 2).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise CommandError(f"cannot listen on host {host!r}: {exc}", USAGE) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; pick another --port "
                "or stop what is listening there",
                SERVICE,
            ) from None


@command(
    "serve",
    "run the local IonQ v0.4 emulator in the foreground (Ctrl-C stops it)",
    arg("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"),
    arg("--port", type=int, default=8765, help="port to listen on (default 8765)"),
    arg("--db", default=None, help="SQLite database file (default: user data dir)"),
    arg("--api-key", action="append", help="accepted API key (repeatable; default: generated)"),
    arg("--faults", default=None, help="fault injection, e.g. 429=0.1,503=0.05,delay=0.2"),
    arg("--qpu-delay", type=float, default=1.0, help="seconds a QPU job waits in each state"),
    arg("--workers", type=int, default=None, help="simulations at once (default: one per core)"),
    service=False,
)
def serve(ctx: Context) -> int:
    """Serve ``http://HOST:PORT/v0.4``.

    With ``--json`` one line goes to stdout first: ``{"url", "api_key", "database"}``, where
    ``api_key`` is the generated key (``null`` when ``--api-key`` was given); the emulator's own
    banner then goes to stderr.
    """
    check_port_free(ctx.args.host, ctx.args.port)
    from ionq_emulator import default_db_path, serve
    from ionq_emulator.records import API_PREFIX
    from ionq_emulator.server import generate_api_key

    keys = list(ctx.args.api_key or [])
    banner = ctx.out
    if ctx.json:
        generated = None if keys else generate_api_key()
        keys = keys or [str(generated)]
        document = {
            "url": f"http://{ctx.args.host}:{ctx.args.port}{API_PREFIX}",
            "api_key": generated,
            "database": str(ctx.args.db or default_db_path()),
        }
        ctx.out.write(json.dumps(document) + "\n")
        ctx.out.flush()
        banner = ctx.err
    serve(
        host=ctx.args.host,
        port=ctx.args.port,
        db_path=ctx.args.db,
        api_keys=keys,
        faults=ctx.args.faults,
        qpu_delay=ctx.args.qpu_delay,
        workers=ctx.args.workers,
        out=banner,
    )
    return 0
