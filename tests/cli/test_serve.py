"""``serve`` checks its port before it prints or creates anything; a URL without ``/v0.4`` gets a
hint instead of a bare 404."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from ionq_emulator import Emulator

Runner = Callable[..., Any]


def test_a_busy_port_fails_before_any_banner_or_database(cli: Runner, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        db = tmp_path / "never.sqlite3"
        ran = cli("serve", "--port", str(port), "--db", str(db))
    assert ran.status == 3
    assert ran.out == ""
    assert f"cannot listen on 127.0.0.1:{port}" in ran.err and "--port" in ran.err
    assert not db.exists()


def test_an_unknown_host_is_a_usage_error(cli: Runner) -> None:
    ran = cli("serve", "--host", "no-such-host.invalid", "--port", "1")
    assert ran.status == 2 and ran.out == ""


def test_a_url_without_a_version_path_gets_a_hint(emulator: Emulator, cli: Runner) -> None:
    bare = emulator.url.removesuffix("/v0.4")
    # ``--api-key=KEY``: a generated key may start with "-", which argparse would read as a flag.
    ran = cli("jobs", "--url", bare, f"--api-key={emulator.api_key}")
    assert ran.status == 3
    assert "HTTP 404" in ran.err
    assert f"did you mean '{bare}/v0.4'?" in ran.err
    # A 404 for a missing job on a proper URL is only the 404.
    missing = cli("job", "no-such-job", "--url", emulator.url, f"--api-key={emulator.api_key}")
    assert missing.status == 3 and "version path" not in missing.err


def test_serve_json_prints_where_it_listens_then_serves(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = tmp_path / "served.sqlite3"
    command = [sys.executable, "-m", "ionq_direct_cli", "serve", "--json"]
    command += ["--port", str(port), "--db", str(db)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        document = json.loads(proc.stdout.readline())
        assert document["url"] == f"http://127.0.0.1:{port}/v0.4"
        assert document["database"] == str(db)
        headers = {"Authorization": f"apiKey {document['api_key']}"}
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"{document['url']}/whoami", headers=headers, timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        assert answer.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
