"""Qiskit's Rust core must first run on a thread that outlives every later user of it.

Qiskit 2.x allocates through mimalloc, which ties its main heap to the first thread that
allocates. Once that thread has ended, the next new thread that builds a circuit crashes the
process (seen with qiskit 2.6: a short-lived thread makes the first ``QuantumCircuit``, a later
thread makes another). The emulator builds circuits on request and runner threads that come
and go, so it first makes one on the thread that starts it, the main thread as a rule.
"""

from __future__ import annotations

import threading

_done = threading.Event()


def anchor_qiskit() -> None:
    """Make the calling thread the first to allocate in Qiskit's Rust core (once per process).

    A no-op when Qiskit is not installed or this already ran; harmless when some thread used
    Qiskit before (that thread is then the anchor).
    """
    if _done.is_set():
        return
    try:
        from qiskit import QuantumCircuit
    except ImportError:  # pragma: no cover - the emulator extra installs Qiskit
        return
    QuantumCircuit(1)
    _done.set()
