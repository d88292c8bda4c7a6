"""docs/migrating.md, Qiskit section: the code of every table row runs against the emulator."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from qiskit import QuantumCircuit, transpile
from qiskit.transpiler import PassManagerConfig

import qiskit_ionq_direct
from ionq_direct.emulator import Emulator
from qiskit_ionq_direct import ErrorMitigation, IonQProvider, Session, TrappedIonOptimizerPlugin

PAGE = Path(__file__).resolve().parents[2] / "docs" / "migrating.md"
_CODE = re.compile(r"`([^`]+)`")
#: Every variable a credential or URL can come from, cleared around each row.
_ENV = (
    "QISKIT_IONQ_API_TOKEN",
    "IONQ_API_KEY",
    "IONQ_API_TOKEN",
    "QISKIT_IONQ_API_URL",
    "IONQ_API_URL",
)


def qiskit_rows() -> list[tuple[str, str]]:
    """``(peer call, our code)`` of each row of the ``## Qiskit`` table."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\n## Qiskit\n", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    rows = []
    for line in table[2:]:  # after the header and its rule
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((cells[0], "\n".join(_CODE.findall(cells[1]))))
    return rows


ROWS = qiskit_rows()


@contextlib.contextmanager
def env(**values: str) -> Iterator[None]:
    """The environment with only ``values`` among the credential variables."""
    saved = {name: os.environ.pop(name, None) for name in _ENV}
    os.environ.update(values)
    try:
        yield
    finally:
        for name in _ENV:
            os.environ.pop(name, None)
            if saved[name] is not None:
                os.environ[name] = saved[name]  # type: ignore[assignment]


@pytest.fixture(scope="module")
def namespace() -> Iterator[dict[str, Any]]:
    with Emulator(qpu_delay=0.2) as emu:
        provider = IonQProvider(emu.api_key, emu.url)
        qc = QuantumCircuit(2, 2)
        qc.h(0)
        qc.cx(0, 1)
        qc.measure([0, 1], [0, 1])
        backend = provider.get_backend("ionq_simulator")
        qpu = provider.get_backend("ionq_qpu.aria-1")
        job = backend.run(qc, shots=100)
        job.result()
        dry = qpu.run(qc, dry_run=True)
        dry.wait_for_final_state(timeout=60)
        yield {
            "key": emu.api_key,
            "url": emu.url,
            "env": env,
            "provider": provider,
            "backend": backend,
            "qpu": qpu,
            "native": provider.get_backend("simulator", gateset="native"),
            "qc": qc,
            "job": job,
            "dry": dry,
            "IonQProvider": IonQProvider,
            "ErrorMitigation": ErrorMitigation,
            "Session": Session,
            "TrappedIonOptimizerPlugin": TrappedIonOptimizerPlugin,
            "PassManagerConfig": PassManagerConfig,
            "transpile": transpile,
            "qiskit_ionq_direct": qiskit_ionq_direct,
        }


def test_the_table_has_every_row() -> None:
    assert len(ROWS) >= 30
    assert all(code for _, code in ROWS), [peer for peer, code in ROWS if not code]


@pytest.mark.parametrize(("peer", "code"), ROWS, ids=[peer for peer, _ in ROWS])
def test_row_runs(peer: str, code: str, namespace: dict[str, Any]) -> None:
    with env():  # a row sees no credentials but those it sets
        exec(compile(code, f"migrating.md: {peer}", "exec"), dict(namespace))
