"""Simulation worker processes: Aer runs outside the server's process, one run per core.

Aer holds the GIL while it simulates, so a simulation on a thread of the server's process
stalls every HTTP answer until it ends. Instead each runner of the worker pool owns one
:class:`SimulatorProcess`, a child that runs job specs one at a time through
:func:`ionq_emulator.simulation.simulate_job` (see :mod:`ionq_emulator.simworker`).

Workers are forked by one fork server per emulator process, started on first use, which has
imported qiskit-aer already, so a new worker is ready in milliseconds. (``multiprocessing``
is not used: its fork server and ``spawn`` re-run the user's main script in every child.)
The parent keeps the database; a worker only computes, so killing it (to cancel a run, to
stop, or when a run overruns its budget) loses nothing, and a job that was running when the
emulator died is simply run again by the next one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ionq_emulator.simulation import SimulationAbandoned
from ionq_emulator.simworker import ANSWER, REQUEST

#: Seconds a run may exceed its budget before its worker is killed (the worker itself gives
#: up at the budget, between batches of shots; this bounds runs that cannot stop themselves).
KILL_GRACE_SECONDS = 10.0
#: Seconds between two checks that a running job is still wanted.
CHECK_INTERVAL = 0.05
_FORK_SERVER_START_SECONDS = 60.0


def default_workers() -> int:
    """The number of cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def threads_per_worker(workers: int) -> int:
    """Aer threads each of ``workers`` parallel workers may use so they share the cores."""
    return max(1, default_workers() // max(1, workers))


class ForkServer:
    """The process that forks simulation workers (one per emulator process, started lazily)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def _ensure(self) -> socket.socket:
        """The control socket of a running fork server (the lock is held)."""
        if self._process is not None and self._process.poll() is None and self._control:
            return self._control
        if self._control is not None:
            self._control.close()
        mine, theirs = socket.socketpair()
        shared = str(Path(__file__).resolve().parent.parent)  # where ionq_emulator lives
        path = os.environ.get("PYTHONPATH")
        env = {
            **os.environ,
            "PYTHONPATH": shared + (os.pathsep + path if path else ""),
            # Workers are forked from this process: keep BLAS single-threaded in it.
            "OPENBLAS_NUM_THREADS": "1",
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ionq_emulator.simworker", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        mine.settimeout(_FORK_SERVER_START_SECONDS)
        self._control = mine
        return mine

    def warm(self) -> None:
        """Start the fork server now, so the first worker does not wait for its imports."""
        with self._lock:
            self._ensure()

    def fork(self, threads: int, budget: float) -> tuple[int, Connection]:
        """A new worker: its pid and the emulator's end of its socket.

        Raises:
            OSError: the fork server could not be reached.
        """
        with self._lock:
            control = self._ensure()
            mine, theirs = socket.socketpair()
            try:
                socket.send_fds(control, [REQUEST.pack(threads, budget)], [theirs.fileno()])
                answer = b""
                while len(answer) < ANSWER.size:
                    chunk = control.recv(ANSWER.size - len(answer))
                    if not chunk:
                        raise OSError("the simulation fork server ended")
                    answer += chunk
            except BaseException:
                mine.close()
                self._discard()
                raise
            finally:
                theirs.close()
        (pid,) = ANSWER.unpack(answer)
        return pid, Connection(mine.detach())

    def _discard(self) -> None:
        """Forget a broken fork server (the lock is held); the next fork starts a new one."""
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()
            self._process.wait(5)
            self._process = None


#: The emulator process's fork server.
FORK_SERVER = ForkServer()


@dataclass(frozen=True)
class Outcome:
    """How a run ended: ``completed`` with result bodies, or ``failed`` with ``(code, msg)``."""

    status: str
    results: dict[str, Any] | None = None
    failure: tuple[str, str] | None = None


class SimulatorProcess:
    """One worker process, started on first use and restarted after it is killed.

    Args:
        threads: threads each Aer run in it may use (0: all cores).
        budget: wall-clock seconds one simulation may take.
    """

    def __init__(self, *, threads: int, budget: float) -> None:
        self.threads = threads
        self.budget = budget
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._conn: Connection | None = None
        self._ended = False
        self._busy = False
        self._deadline = 0.0
        self._pending = 0

    @property
    def pid(self) -> int | None:
        """The worker's process id, or ``None`` while none runs."""
        return self._pid

    def start(self) -> None:
        """Start the worker unless one is running (it then warms up on its own)."""
        with self._lock:
            if self._conn is not None and not self._ended:
                return
            self._discard()
            self._pid, self._conn = FORK_SERVER.fork(self.threads, self.budget)
            self._ended = False

    def kill(self) -> None:
        """End the worker now (any thread may call this; a run in it ends abandoned)."""
        with self._lock:
            if self._pid is not None and not self._ended:
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
            self._ended = True

    def close(self) -> None:
        """Kill the worker and release its socket (only the thread running jobs calls this)."""
        self.kill()
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._pid = self._conn = None
        self._busy = False
        self._pending = 0

    @property
    def busy(self) -> bool:
        """Whether specs were sent and not all their answers collected yet."""
        return self._busy

    def begin(self, specs: Sequence[dict[str, Any]]) -> None:
        """Send job specs to the worker, which simulates them in order at once.

        The worker answers each spec as soon as its run ends (see :meth:`collect`), so the
        circuits of a multi-circuit job cost one message and one wake-up, not one per circuit.

        Raises:
            OSError: no worker could be started.
        """
        self.start()
        conn = self._conn
        assert conn is not None
        batch = list(specs)
        self._deadline = time.monotonic() + self.budget + KILL_GRACE_SECONDS
        try:
            conn.send(batch)
        except OSError:
            self.close()  # the worker died while idle: start afresh and send again
            self.start()
            assert self._conn is not None
            self._conn.send(batch)
        self._busy = bool(batch)
        self._pending = len(batch)

    def collect(self, keep_going: Callable[[], bool]) -> list[Outcome]:
        """Wait for the next answers to the specs :meth:`begin` sent, in their order.

        Returns at least one outcome, plus every further one the worker has already sent, so
        quick runs are handed over together. A worker that dies or overruns one spec's budget
        fails that spec and is closed: the specs after it were not run (:attr:`busy` is
        ``False`` then), and the caller may :meth:`begin` them again.

        Args:
            keep_going: asked every :data:`CHECK_INTERVAL` seconds; ``False`` kills the run.

        Raises:
            SimulationAbandoned: ``keep_going`` said no (the worker has been killed).
        """
        conn = self._conn
        assert conn is not None and self._busy
        outcomes: list[Outcome] = []
        try:
            while not wait([conn], CHECK_INTERVAL):
                if not keep_going():
                    self.close()
                    raise SimulationAbandoned
                if time.monotonic() > self._deadline:
                    self.close()
                    return [
                        Outcome(
                            "failed",
                            failure=("SimulationTimeout", "the simulation ran out of time"),
                        )
                    ]
            while True:
                answers = conn.recv()
                outcomes += [Outcome(s, r, f) for s, r, f in answers]
                self._pending -= len(answers)
                self._deadline = time.monotonic() + self.budget + KILL_GRACE_SECONDS
                if not self._pending or not conn.poll(0):
                    break
            self._busy = self._pending > 0
            return outcomes
        except (EOFError, OSError):
            if outcomes:  # the answers before the crash stand; the next collect reports it
                self._busy = self._pending > 0
                return outcomes
        # The worker ended without an answer: killed by a cancel or a stop, or it crashed.
        self.close()
        if not keep_going():
            raise SimulationAbandoned
        return [
            Outcome(
                "failed", failure=("SimulationError", "the simulator process ended unexpectedly")
            )
        ]
