"""The ``ionq-direct`` command line against a real embedded emulator."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from emulator_support import free_port

from ionq_direct_cli.cli import build_parser, main
from ionq_direct_cli.demo import GUIDE_JOB
from ionq_emulator import Emulator


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


@pytest.fixture
def guide_file(tmp_path: Path) -> Path:
    path = tmp_path / "ghz.json"
    path.write_text(json.dumps(GUIDE_JOB), encoding="utf-8")
    return path


def test_submit_wait_prints_ghz_probabilities_and_counts(
    service_env: Emulator, guide_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run("submit", str(guide_file), "--wait", "--timeout", "60")
    assert status == 0
    assert out.startswith("submitted job ")
    # The status line is progress: it goes to stderr, never into the results.
    assert ": completed" in capsys.readouterr().err
    assert ": completed" not in out
    probabilities = out.split("probabilities")[1].split("counts")[0]
    assert "000    0.5000" in probabilities
    assert "111    0.5000" in probabilities
    assert "counts (1024 shots)" in out


def test_job_results_cost_cancel_and_listing(service_env: Emulator, guide_file: Path) -> None:
    status, out = run("submit", str(guide_file), "--wait", "--shots", "200")
    assert status == 0
    job_id = out.split()[2]

    status, out = run("job", job_id, "--json")
    record = json.loads(out)
    assert (record["id"], record["status"], record["backend"]) == (job_id, "completed", "simulator")

    status, out = run("results", job_id, "--shots", "50")
    assert status == 0
    assert "counts (50 shots)" in out

    status, out = run("cost", job_id, "--json")
    assert json.loads(out)["estimated_cost"]["unit"] == "usd"

    status, out = run("jobs", "--status", "completed", "--limit", "100")
    assert job_id in out

    # Canceling a finished job leaves it as it was.
    status, out = run("cancel", job_id, "--json")
    assert status == 0
    assert json.loads(out)["id"] == job_id


def test_backends_lists_simulator_and_qpus(service_env: Emulator) -> None:
    status, out = run("backends")
    assert status == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert "simulator" in names
    assert "qpu.aria-1" in names
    assert "qpu.forte-1" in names


def test_submit_overrides_backend_and_reports_a_failed_job(
    service_env: Emulator, tmp_path: Path
) -> None:
    wide = dict(
        GUIDE_JOB,
        input={
            "qubits": 30,
            "gateset": "qis",
            "circuit": [
                {"gate": "x", "target": 29},
            ],
        },
    )
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(wide), encoding="utf-8")
    status, out = run("submit", str(path), "--wait", "--backend", "qpu.aria-1")
    assert status == 1
    assert "failed: NotEnoughQubits" in out


def test_bad_job_file_is_a_clear_error(
    service_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    status, _ = run("submit", str(path))
    assert status == 2  # a usage error: the file is the problem
    assert f"cannot read job file {path}" in capsys.readouterr().err


def test_rejected_payload_reports_the_service_message(
    service_env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(dict(GUIDE_JOB, shots=0)), encoding="utf-8")
    status, _ = run("submit", str(path))
    assert status == 2  # the service refused the input (HTTP 400): a usage error
    assert "shots" in capsys.readouterr().err


def test_missing_key_names_the_variable_and_leaks_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("IONQ_API_KEY", raising=False)
    status, _ = run("jobs", "--url", "http://127.0.0.1:9/v0.4")
    assert status == 2
    assert "IONQ_API_KEY" in capsys.readouterr().err


def test_demo_runs_raw_json_qiskit_and_cirq_on_the_embedded_emulator() -> None:
    status, out = run("demo", "--shots", "300")
    assert status == 0
    for title in ("as raw JSON", "aria-1 noise model", "emulated qpu.aria-1"):
        assert title in out
    assert "skipped" not in out
    # The raw ideal run shows the GHZ distribution exactly; every run's counts sum to the shots.
    ideal = out.split("as raw JSON")[1].split("==")[0]
    assert "000    0.5000" in ideal and "111    0.5000" in ideal
    assert out.count("counts (300 shots)") == 3
    qiskit = out.split("backend.run(transpile(qc, backend))")[1].split("==")[0]
    cirq = out.split("sampler().run(circuit)")[1].split("==")[0]
    for section, unit in ((qiskit, "shots"), (cirq, "repetitions")):
        assert f"counts (300 {unit}" in section
        keys = {line.split()[0] for line in section.splitlines() if line.startswith("      ")}
        assert keys == {"000", "111"}


def test_serve_answers_over_http_with_the_given_key(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "served.sqlite3"
    command = [sys.executable, "-m", "ionq_direct_cli", "serve", "--port", str(port)]
    command += ["--db", str(db), "--api-key", "served-key"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/v0.4"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                backends = requests.get(f"{base}/backends", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not answer within 30 s"
                time.sleep(0.05)
        assert backends.status_code == 200
        headers = {"Authorization": "apiKey served-key"}
        created = requests.post(f"{base}/jobs", json=GUIDE_JOB, headers=headers, timeout=10)
        assert created.status_code == 201
        wrong = requests.get(f"{base}/jobs", headers={"Authorization": "apiKey nope"}, timeout=5)
        assert wrong.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert db.exists()


def test_clone_move_and_usage_commands(service_env: Emulator, guide_file: Path) -> None:
    status, out = run("submit", str(guide_file), "--wait", "--timeout", "60", "--json")
    source = json.loads(out)["id"]
    status, out = run("clone", source, "--shots", "300", "--name", "again", "--json")
    assert status == 0
    clone = json.loads(out)
    assert set(clone) == {"id", "status", "session_id"}
    status, out = run("job", clone["id"], "--json")
    assert (json.loads(out)["shots"], json.loads(out)["name"]) == (300, "again")
    status, out = run("move", source, "--backend", "qpu.aria-1", "--json")
    assert (status, out) == (3, "")  # the source has completed: IonQ answers 409, nothing moves
    sessions = requests.get(
        f"{service_env.url}/sessions",
        headers={"Authorization": f"apiKey {service_env.api_key}"},
        timeout=10,
    )
    organization = sessions.json()["organization_id"]
    status, out = run(
        "usage",
        organization,
        "--start",
        "2000-01-01",
        "--end",
        "2000-02-01",
        "--group-by",
        "user",
        "--json",
    )
    assert status == 0
    report = json.loads(out)
    assert (report["group_type"], report["modality"], report["job_count"]) == ("user", "daily", 0)
    status, out = run("usage", organization, "--start", "2000-02-01", "--end", "2000-01-01")
    assert (status, out) == (2, "")  # refused before any request: a usage error


def test_move_command_moves_a_queued_job(monkeypatch: pytest.MonkeyPatch) -> None:
    with Emulator(qpu_delay=3.0) as emu:
        monkeypatch.setenv("IONQ_API_KEY", emu.api_key)
        monkeypatch.setenv("IONQ_API_URL", emu.url)
        job = {**GUIDE_JOB, "backend": "qpu.aria-1"}
        source = requests.post(
            f"{emu.url}/jobs", json=job, headers={"Authorization": f"apiKey {emu.api_key}"}
        ).json()["id"]
        status, out = run("move", source, "--backend", "qpu.forte-1", "--shots", "200", "--json")
        assert status == 0
        moved = json.loads(out)["id"]
        _, shown = run("job", moved, "--json")
        record = json.loads(shown)
        assert (record["backend"], record["shots"]) == ("qpu.forte-1", 200)
        assert record["metadata"]["original_job_id"] == source
        _, shown = run("job", source, "--json")
        assert json.loads(shown)["status"] == "canceled"


def test_version_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    import ionq_direct

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"ionq-direct {ionq_direct.__version__}\n"
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for name in ("submit", "results", "estimate", "whoami", "sessions", "characterizations"):
        assert name in shown
    assert "130 interrupted" in shown


def test_a_command_is_one_function_plus_its_parser_entry() -> None:
    from ionq_direct_cli import registry

    assert {"submit", "results", "sessions list", "sessions end"} <= set(registry.COMMANDS)
    with pytest.raises(ValueError, match="registered twice"):
        registry.command("submit", "again")(lambda ctx: 0)
    # Every command takes --json; service commands take --url and --api-key.
    parser = build_parser()
    for name, cmd in registry.COMMANDS.items():
        argv = [*name.split(), "--json"]
        argv += ["--url", "http://127.0.0.1:9/v0.4"] if cmd.service else []
        positionals = [a for a in cmd.arguments if not a.flags[0].startswith("-")]
        argv += ["x"] * len(positionals)
        for a in cmd.arguments:
            if a.options.get("required"):
                argv += [a.flags[0], "x"]
        args = parser.parse_args(argv)
        assert args.json is True and args.handler is cmd.run, name


def test_demo_json_is_one_document_with_every_run() -> None:
    status, out = run("demo", "--shots", "100", "--json")
    assert status == 0
    doc = json.loads(out)
    assert doc["emulator"].startswith("http://127.0.0.1:")
    assert [r["backend"] for r in doc["runs"]] == ["simulator", "simulator", "qpu.aria-1"]
    for entry in doc["runs"]:
        assert entry["status"] == "completed" and entry["cost"]["unit"] == "usd"
        assert sum(entry["circuits"][0]["counts"].values()) == 100
    assert doc["runs"][0]["circuits"][0]["probabilities"].keys() == {"0", "7"}
    frameworks = {f["framework"]: f for f in doc["frameworks"]}
    assert set(frameworks) == {"qiskit", "cirq"}
    for entry in frameworks.values():
        assert entry["skipped"] is False and set(entry["counts"]) == {"000", "111"}
        assert sum(entry["counts"].values()) == 100
