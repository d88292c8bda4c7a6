"""The emulator's helper processes: a fork server, and the simulation workers it forks.

The fork server is started once per emulator process (see :mod:`ionq_emulator.processes`),
imports qiskit-aer, and forks one worker each time it is handed a socket, so a new worker is
ready in milliseconds. A worker touches no database and no socket but its own: it only
computes, so the emulator may kill it at any moment (a cancel, a stop) and lose nothing.

Both end with the emulator, even when it is killed with ``kill -9``: the fork server sees its
control socket close, and Linux kills each worker when the fork server ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import struct
import sys
from multiprocessing.connection import Connection
from typing import Any

from ionq_emulator import quick, simulation

#: ``prctl`` option asking Linux to signal a process when its parent ends.
_PR_SET_PDEATHSIG = 1
#: A fork request: the worker's Aer threads and its budget in seconds.
REQUEST = struct.Struct("!id")
#: A fork answer: the new worker's pid.
ANSWER = struct.Struct("!q")
#: One answer, sent in lists: ``("completed", results, None)`` or ``("failed", None, (code, msg))``.
Reply = tuple[str, dict[str, Any] | None, tuple[str, str] | None]


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends (elsewhere: a no-op)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def run(spec: dict[str, Any], budget: float) -> Reply:
    """Simulate one job spec and say how it ended."""
    try:
        return ("completed", simulation.simulate_job(spec, max_seconds=budget), None)
    except simulation.SimulationFailure as exc:
        return ("failed", None, (exc.code, exc.message))
    except Exception as exc:
        return ("failed", None, ("SimulationError", f"could not execute simulation: {exc}"))


def _warm_up() -> None:
    """Run two one-qubit circuits so the first real job does not pay Aer's set-up."""
    for model in ("ideal", "aria-1"):
        simulation.simulate_job(
            {
                "circuit": [{"gate": "h", "targets": [0]}],
                "qubits": 1,
                "gateset": "qis",
                "shots": 1,
                "noise_model": model,
                "seed": 0,
            }
        )


def worker(conn: Connection, threads: int, budget: float) -> None:
    """A worker's life: warm up, then answer each spec of each list received, until the end.

    Args:
        conn: the worker's end of its socket.
        threads: threads each Aer run may use (0: all cores).
        budget: wall-clock seconds one simulation may take.
    """
    simulation.set_parallel_threads(threads)
    _warm_up()
    while True:
        try:
            specs = conn.recv()
        except (EOFError, OSError):
            return
        if specs is None:
            return
        for batch in quick.batches(specs):  # each batch's answers go as soon as it ends
            conn.send([run(specs[i], budget) for i in batch])


def _fork_one(control: socket.socket, request: bytes, fd: int) -> None:
    """Fork a worker on socket ``fd`` and answer its pid."""
    threads, budget = REQUEST.unpack(request)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            control.close()
            _die_with_parent()
            worker(Connection(fd), threads, budget)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(fd)
    control.sendall(ANSWER.pack(pid))


def serve_forks(control_fd: int) -> None:
    """The fork server's loop: one worker per request on ``control_fd``, until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the emulator's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped as they end
    # No parent-death signal here: Linux sends it when the *thread* that started this process
    # ends, which may be any emulator thread; the control socket closing is the signal instead.
    import qiskit_aer  # noqa: F401  (loaded once here, so forked workers start warm)

    control = socket.socket(fileno=control_fd)
    while True:
        try:
            request, fds, _, _ = socket.recv_fds(control, REQUEST.size, 1)
        except OSError:
            return
        if not request or not fds:
            return  # the emulator has gone
        _fork_one(control, request, fds[0])


if __name__ == "__main__":
    serve_forks(int(sys.argv[1]))
