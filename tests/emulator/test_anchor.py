"""After the anchor, circuits built on threads that come and go do not crash the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SHARED = str(Path(__file__).resolve().parents[2] / "shared")


def test_threads_that_come_and_go_may_build_circuits_after_the_anchor() -> None:
    # Without the anchor the first of these threads would be the allocator's anchor, and once
    # it ended the next thread's first circuit crashes the interpreter (qiskit 2.6).
    code = textwrap.dedent(
        """
        import sys, threading
        sys.path.insert(0, sys.argv[1])
        from ionq_emulator.anchor import anchor_qiskit
        anchor_qiskit()
        def build():
            from qiskit import QuantumCircuit
            QuantumCircuit(2).h(0)
        for _ in range(20):
            thread = threading.Thread(target=build)
            thread.start()
            thread.join()
        print("built")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, SHARED], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "built"
