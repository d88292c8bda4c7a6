"""Embedding and serving: the context manager's URL, key, clean shutdown, and ``serve``."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from emulator_support import free_port

from ionq_emulator import Emulator, default_db_path


def test_emulator_exposes_url_and_key_and_leaks_no_threads() -> None:
    before = {t.ident for t in threading.enumerate()}
    with Emulator(api_key="secret") as emu:
        assert emu.url.startswith("http://127.0.0.1:") and emu.url.endswith("/v0.4")
        assert emu.api_key == "secret"
        db = emu.db_path
        assert db.exists()
        response = requests.get(
            emu.url + "/whoami", headers={"Authorization": "apiKey secret"}, timeout=10
        )
        assert response.status_code == 200
    assert not db.exists()  # the temporary database is removed
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        if not leaked:
            break
        time.sleep(0.05)
    assert not leaked, leaked
    with pytest.raises(requests.ConnectionError):
        requests.get(emu.url + "/backends", timeout=2)


def test_generated_keys_differ_and_are_enforced() -> None:
    with Emulator() as one, Emulator() as two:
        assert one.api_key != two.api_key
        assert one.url != two.url
        crossed = requests.get(
            one.url + "/jobs", headers={"Authorization": f"apiKey {two.api_key}"}, timeout=10
        )
        assert crossed.status_code == 401


def test_default_db_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "ionq-direct" / "emulator.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert (
        default_db_path() == Path.home() / ".local" / "share" / "ionq-direct" / "emulator.sqlite3"
    )


def test_serve_runs_in_the_foreground_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "served.sqlite3"
    code = (
        "from ionq_direct.emulator import serve; "
        f"serve(host='127.0.0.1', port={port}, db_path={str(db)!r}, api_keys=None, "
        "faults=None, qpu_delay=0.0)"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        key_line = proc.stdout.readline()
        assert key_line.startswith("API key: ")
        key = key_line.split(": ", 1)[1].strip()
        url = f"http://127.0.0.1:{port}/v0.4"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.get(
                    url + "/whoami", headers={"Authorization": f"apiKey {key}"}, timeout=2
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert response.status_code == 200
        assert db.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
