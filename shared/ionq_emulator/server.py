"""Run the emulator: embedded in a background thread (``Emulator``) or in the foreground."""

from __future__ import annotations

import errno
import os
import secrets
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, TextIO

import uvicorn

from ionq_direct.errors import IonQError
from ionq_emulator.app import create_app
from ionq_emulator.fastpath import FastReads
from ionq_emulator.fastsubmit import FastSubmit
from ionq_emulator.faults import FaultInjector, FaultSpec
from ionq_emulator.records import API_PREFIX
from ionq_emulator.service import EmulatorService
from ionq_emulator.store import Store

DB_FILENAME = "emulator.sqlite3"
_START_TIMEOUT = 20.0


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/ionq-direct/emulator.sqlite3`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ionq-direct" / DB_FILENAME


def generate_api_key() -> str:
    """A fresh random API key."""
    return secrets.token_urlsafe(24)


class ServeError(IonQError):
    """The emulator cannot serve: its port is taken or its address unusable (one line)."""


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket before anything else is set up.

    The socket is made for TCP explicitly, so asyncio turns Nagle off on every accepted
    connection (it does so only for sockets whose protocol is TCP).

    Raises:
        ServeError: the port is in use or the address cannot be bound, in one line.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use; choose another port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except BaseException:
        sock.close()
        raise
    return sock


def _build_app(
    service: EmulatorService, faults: str | FaultSpec | None, fault_seed: int | None
) -> tuple[Any, FaultInjector | None]:
    spec = faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
    app: Any = FastSubmit(FastReads(create_app(service), service), service)
    if not spec:
        return app, None
    injector = FaultInjector(app, spec, seed=fault_seed)
    return injector, injector


def http_parser() -> str:
    """The HTTP parser uvicorn runs: ``httptools`` (C) when installed, else ``h11``."""
    try:
        import httptools  # noqa: F401
    except ImportError:
        return "h11"
    return "httptools"


def event_loop() -> str:
    """The event loop uvicorn runs: ``uvloop`` (libuv, C) when installed, else ``asyncio``."""
    if os.environ.get("IONQ_EMULATOR_LOOP") == "asyncio":
        return "asyncio"
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def _config(app: Any, host: str, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        log_level=log_level,
        http=http_parser(),
        loop=event_loop(),
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=5,
    )


class Emulator:
    """A local IonQ v0.4 service on a loopback port, for tests and demos.

    ``with Emulator() as emu:`` starts it in a background thread with a temporary database
    (unless ``db_path`` is given) and stops it, workers included, on leaving the block.

    Args:
        api_key: the accepted key (generated when ``None``).
        db_path: the SQLite file; a temporary one is used and removed when ``None``.
        host: interface to listen on.
        port: port to listen on (0 picks a free one).
        faults: fault-injection spec such as ``"429=0.1,drop=0.02"`` (see ``faults``).
        fault_seed: seed of the fault draws.
        workers: simulations that run at once, each in its own worker process (default:
            one per core).
        qpu_delay: seconds a QPU job spends queued and again running.

    Attributes:
        url: the base URL, including ``/v0.4``.
        api_key: the accepted key.
        faults: the fault injector (with per-kind ``counts``), or ``None``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        db_path: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: str | FaultSpec | None = None,
        fault_seed: int | None = None,
        workers: int | None = None,
        qpu_delay: float = 0.0,
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.api_key = api_key or generate_api_key()
        self.host = host
        self.port = port
        self._fault_spec = faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
        self._fault_seed = fault_seed
        self._workers = workers
        self._qpu_delay = qpu_delay
        self._db_path = Path(db_path) if db_path is not None else None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._service: EmulatorService | None = None
        self._store: Store | None = None
        self.faults: FaultInjector | None = None

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. ``http://127.0.0.1:54321/v0.4``."""
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def db_path(self) -> Path:
        """The SQLite file in use."""
        if self._db_path is None:
            raise RuntimeError("the emulator is not running")
        return self._db_path

    def start(self) -> Emulator:
        """Start serving; returns once the port accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        sock = bind_socket(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        if self._db_path is None or self._tmpdir is not None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="ionq-emulator-")
            self._db_path = Path(self._tmpdir.name) / DB_FILENAME
        self._store = Store(self._db_path)
        self._service = EmulatorService(
            self._store, [self.api_key], workers=self._workers, qpu_delay=self._qpu_delay
        )
        app, self.faults = _build_app(self._service, self._fault_spec, self._fault_seed)
        config = _config(app, self.host, "warning")
        config.port = self.port
        self._server = uvicorn.Server(config)
        self._service.start()
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="ionq-emulator-http",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                sock.close()
                raise RuntimeError(f"the emulator could not listen on {self.host}:{self.port}")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop the HTTP server and the workers, close the database, remove a temporary one."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self._service is not None:
            self._service.stop()
        if self._store is not None:
            self._store.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._db_path = None
        self._server = self._thread = None
        self._service = self._store = None
        self._tmpdir = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "stopped"
        return f"Emulator(url={self.url!r}, {state})"


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    db_path: str | os.PathLike[str] | None = None,
    api_keys: list[str] | None = None,
    faults: str | None = None,
    qpu_delay: float = 1.0,
    *,
    workers: int | None = None,
    fault_seed: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Run the emulator in the foreground until interrupted (``ionq-direct serve``).

    The port is bound first: when it is taken, :class:`ServeError` says so in one line and
    nothing (no database, no banner) has been created.

    Args:
        host: interface to listen on.
        port: port to listen on.
        db_path: the SQLite file (default :func:`default_db_path`).
        api_keys: accepted keys; one is generated and printed when none are given.
        faults: fault-injection spec (see :mod:`ionq_emulator.faults`).
        qpu_delay: seconds a QPU job spends queued and again running.
        workers: simulations that run at once, each in its own process (default: the cores).
        fault_seed: seed of the fault draws.
        out: where the start-up banner goes (default stdout).
    """
    import sys

    stream = out or sys.stdout
    spec = FaultSpec.parse(faults)
    if workers is not None and workers < 1:
        raise ServeError(f"workers must be at least 1, got {workers}")
    sock = bind_socket(host, port)  # before anything is created: a busy port changes nothing
    keys = list(api_keys or [])
    path = Path(db_path) if db_path is not None else default_db_path()
    try:
        store = Store(path)
    except BaseException:
        sock.close()
        raise
    if not keys:
        keys.append(generate_api_key())
        stream.write(f"API key: {keys[0]}\n")
    service = EmulatorService(store, keys, workers=workers, qpu_delay=qpu_delay)
    app, _ = _build_app(service, spec, fault_seed)
    stream.write(f"IonQ v0.4 emulator at http://{host}:{port}{API_PREFIX} (database {path})\n")
    if spec:
        stream.write(f"fault injection: {faults}\n")
    stream.flush()
    service.start()
    try:
        config = _config(app, host, "info")
        config.port = port
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        service.stop()
        store.close()
