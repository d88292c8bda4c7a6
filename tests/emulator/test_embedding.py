"""Embedding and serving: the context manager's URL, key, clean shutdown, and ``serve``."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from emulator_support import free_port

from ionq_direct.errors import IonQError
from ionq_emulator import Emulator, default_db_path, serve
from ionq_emulator.server import ServeError, event_loop


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


def test_serve_on_a_busy_port_fails_in_one_line_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "never.sqlite3"
    banner = io.StringIO()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError) as caught:
            serve(port=port, db_path=db, api_keys=None, qpu_delay=0.0, out=banner)
    message = str(caught.value)
    assert f"port {port}" in message and "in use" in message and "\n" not in message
    assert isinstance(caught.value, IonQError)  # the command line prints it as one error line
    assert banner.getvalue() == ""  # no key, no "listening" banner
    assert not db.exists() and not db.parent.exists()


def test_the_cli_reports_a_busy_port_as_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite3"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "ionq_direct_cli", "serve", "--port", str(port)]
        done = subprocess.run(
            [*command, "--db", str(db)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 3  # docs/cli.md: a busy port is a service error
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("ionq-direct: error: ") and str(port) in line and "in use" in line
    assert not db.exists()


def test_identities_are_keyed_hashes_kept_with_the_database(tmp_path: Path) -> None:
    key = "password1"  # a weak key: its plain hash would be in every dictionary
    body = {"type": "ionq.circuit.v1", "backend": "simulator", "input": {"circuit": []}}
    body["input"]["gateset"] = "qis"
    seen = []
    for db in (tmp_path / "a.sqlite3", tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"):
        with Emulator(api_key=key, db_path=db) as emu:
            headers = {"Authorization": f"apiKey {key}"}
            made = requests.post(emu.url + "/jobs", json=body, headers=headers, timeout=10)
            job = requests.get(f"{emu.url}/jobs/{made.json()['id']}", headers=headers, timeout=10)
            me = requests.get(emu.url + "/whoami", headers=headers, timeout=10).json()
            seen.append((job.json()["submitter_id"], me["key_id"]))
    assert hashlib.sha256(key.encode()).hexdigest()[:24] not in {s for s, _ in seen}
    assert seen[0] == seen[1]  # stable on one database, across restarts
    assert seen[2][0] != seen[0][0] and seen[2][1] != seen[0][1]  # another database: other ids


def test_every_accepted_key_is_recognised_and_no_other() -> None:
    with Emulator(api_key="first") as emu:
        service = emu._service
        assert service is not None
        service_two = type(service)(service.store, ["first", "second", "third"])
        names = [service_two.identify(k) for k in ("first", "second", "third")]
        assert [n.key_name if n else None for n in names] == [
            "emulator-key-1",
            "emulator-key-2",
            "emulator-key-3",
        ]
        assert service_two.identify("firs") is None
        assert service_two.identify("first ") is None
        assert service_two.identify("") is None


@pytest.mark.parametrize("loop", ["asyncio", None])
def test_the_server_runs_on_uvloop_when_installed_and_on_asyncio_when_asked(
    monkeypatch: pytest.MonkeyPatch, loop: str | None
) -> None:
    if loop is None:
        monkeypatch.delenv("IONQ_EMULATOR_LOOP", raising=False)
    else:
        monkeypatch.setenv("IONQ_EMULATOR_LOOP", loop)
    expected = loop or ("uvloop" if importlib.util.find_spec("uvloop") else "asyncio")
    assert event_loop() == expected
    with Emulator() as emu:
        answer = requests.get(emu.url + "/backends", timeout=30)
        assert emu._server is not None
        assert emu._server.config.loop == expected
    assert answer.status_code == 200
