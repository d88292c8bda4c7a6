"""Every service command in both output modes against one emulator: tables for people, JSON for
scripts (one document on stdout, holding the documented fields), nothing else on stdout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ionq_emulator import Emulator

#: The ``cli`` fixture (tests/cli/conftest.py): runs ionq-direct in this process.
Runner = Callable[..., Any]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GHZ = str(EXAMPLES / "ghz-job.json")
MULTI = str(EXAMPLES / "multi-circuit-job.json")
CIRCUIT = str(EXAMPLES / "ghz-circuit.json")

RESULT_FIELDS = {"id", "status", "backend", "shots", "failure", "circuits", "registers"}
CIRCUIT_FIELDS = {"index", "id", "qubits", "probabilities", "counts"}


def header(ran: Any) -> list[str]:
    """The words of the first line of a table."""
    return ran.out.splitlines()[0].split()


@pytest.fixture(scope="module")
def ghz_id(emulator: Emulator) -> str:
    from ionq_direct import Client

    client = Client(api_key=emulator.api_key, base_url=emulator.url)
    body = json.loads(Path(GHZ).read_text(encoding="utf-8"))
    return client.submit(body).wait(timeout=60).id


def test_submit_without_wait_prints_the_id_or_the_creation_answer(
    service_env: Emulator, cli: Runner
) -> None:
    human = cli("submit", GHZ)
    assert human.status == 0
    assert human.out.startswith("submitted job ") and len(human.out.splitlines()) == 1
    scripted = cli("submit", GHZ, "--json")
    assert scripted.status == 0
    assert {"id", "status"} <= set(scripted.json())
    assert scripted.err == ""


def test_submit_reads_the_job_from_stdin(service_env: Emulator, cli: Runner) -> None:
    text = Path(GHZ).read_text(encoding="utf-8")
    ran = cli("submit", "-", "--wait", "--shots", "64", "--json", stdin=text)
    assert ran.status == 0, ran.err
    doc = ran.json()
    assert set(doc) == RESULT_FIELDS
    assert doc["status"] == "completed" and doc["shots"] == 64
    assert doc["registers"] == []  # only an OpenQASM 3 job has per-register results
    (entry,) = doc["circuits"]
    assert set(entry) == CIRCUIT_FIELDS
    assert set(entry["probabilities"]) == {"0", "7"}
    assert sum(entry["counts"].values()) == 64
    assert ran.err == ""  # --json prints nothing while waiting


def test_submit_wait_prints_every_circuit_of_a_multi_circuit_job_in_order(
    service_env: Emulator, cli: Runner
) -> None:
    human = cli("submit", MULTI, "--wait")
    assert human.status == 0, human.err
    first, second = human.out.split("circuit 2 of 2")
    assert "circuit 1 of 2" in first
    rows = [line.split()[:2] for line in first.splitlines()]
    assert ["00", "0.5000"] in rows and ["11", "0.5000"] in rows  # two qubits: two-bit outcomes
    assert "counts (500 shots)" in first
    assert "      001    1.0000" in second and "      001    500" in second

    doc = cli("submit", MULTI, "--wait", "--json").json()
    assert doc["status"] == "completed"
    assert [c["index"] for c in doc["circuits"]] == [0, 1]
    bell, flipped = doc["circuits"]
    assert (bell["qubits"], set(bell["probabilities"])) == (2, {"0", "3"})
    assert (flipped["qubits"], flipped["probabilities"]) == (3, {"1": 1.0})
    assert sum(bell["counts"].values()) == 500 and flipped["counts"] == {"1": 500}
    assert len({bell["id"], flipped["id"], doc["id"]}) == 3


def test_results_of_a_multi_circuit_job_match_submit_wait(
    service_env: Emulator, cli: Runner
) -> None:
    waited = cli("submit", MULTI, "--wait", "--json").json()
    again = cli("results", waited["id"], "--json").json()
    assert again == waited  # counts too: a job without a recorded seed is sampled by its id


def test_results_in_both_modes(service_env: Emulator, cli: Runner, ghz_id: str) -> None:
    human = cli("results", ghz_id, "--shots", "50")
    assert human.status == 0
    assert "      000    0.5000" in human.out and "counts (50 shots)" in human.out
    doc = cli("results", ghz_id, "--shots", "50", "--json").json()
    assert doc["id"] == ghz_id and doc["shots"] == 50
    assert sum(doc["circuits"][0]["counts"].values()) == 50


def test_job_is_a_field_table_or_the_record(
    service_env: Emulator, cli: Runner, ghz_id: str
) -> None:
    human = cli("job", ghz_id)
    assert human.status == 0
    assert header(human) == ["field", "value"]
    fields = dict(line.split(None, 1) for line in human.out.splitlines()[2:])
    assert fields["id"] == ghz_id and fields["status"] == "completed"
    assert fields["backend"] == "simulator" and fields["shots"] == "1024"
    record = cli("job", ghz_id, "--json").json()
    assert (record["id"], record["status"], record["shots"]) == (ghz_id, "completed", 1024)


def test_jobs_has_a_header_row_and_lists_records(
    service_env: Emulator, cli: Runner, ghz_id: str
) -> None:
    human = cli("jobs", "--limit", "100")
    assert header(human) == ["id", "status", "backend", "name", "submitted"]
    assert any(line.startswith(ghz_id) for line in human.out.splitlines())
    records = cli("jobs", "--status", "completed", "--limit", "100", "--json").json()
    assert isinstance(records, list) and ghz_id in {r["id"] for r in records}
    assert {r["status"] for r in records} == {"completed"}
    assert len(cli("jobs", "--limit", "1", "--json").json()) == 1


def test_cost_is_a_table_or_the_answer(service_env: Emulator, cli: Runner, ghz_id: str) -> None:
    human = cli("cost", ghz_id)
    assert header(human) == ["field", "value"]
    assert "estimated cost   0.0 usd" in human.out
    answer = cli("cost", ghz_id, "--json").json()
    assert answer["estimated_cost"] == {"value": 0.0, "unit": "usd"}


def test_cancel_prints_the_answered_status(service_env: Emulator, cli: Runner, ghz_id: str) -> None:
    assert cli("cancel", ghz_id).out == f"job {ghz_id}: completed\n"
    assert cli("cancel", ghz_id, "--json").json()["status"] == "completed"


def test_estimate_from_a_job_file_and_from_a_circuit_file(
    service_env: Emulator, cli: Runner
) -> None:
    human = cli("estimate", GHZ, "--backend", "qpu.aria-1")
    assert human.status == 0, human.err
    fields = dict(line.split("  ", 1) for line in human.out.splitlines()[2:])
    shown = {k: v.strip() for k, v in fields.items()}
    assert (
        shown.items()
        >= {
            "backend": "qpu.aria-1",
            "qubits": "3",
            "shots": "1024",
            "1-qubit gates": "1",
            "2-qubit gates": "2",
        }.items()
    )
    assert fields["estimated cost"].strip().endswith("usd")
    answer = cli("estimate", CIRCUIT, "--backend", "qpu.forte-1", "--shots", "500", "--json")
    context = answer.json()["estimate_context"]
    assert (context["backend"], context["shots"], context["qubits"]) == ("qpu.forte-1", 500, 3)
    assert (context["1q_gates"], context["2q_gates"]) == (1, 2)
    assert "estimated_total_cost" in answer.json()
    multi = cli("estimate", MULTI, "--json").json()["estimate_context"]
    assert (multi["type"], multi["1q_gates"], multi["2q_gates"]) == (
        "ionq.multi-circuit.v1",
        2,
        1,
    )


def test_estimate_of_a_circuit_file_needs_a_backend(service_env: Emulator, cli: Runner) -> None:
    ran = cli("estimate", CIRCUIT)
    assert ran.status == 2 and ran.out == ""
    assert "pass --backend" in ran.err


def test_backends_and_characterizations(service_env: Emulator, cli: Runner) -> None:
    human = cli("backends")
    assert header(human) == ["backend", "status", "qubits", "average", "queue"]
    assert {line.split()[0] for line in human.out.splitlines()} >= {"simulator", "qpu.aria-1"}
    names = {b["backend"] for b in cli("backends", "--json").json()}
    assert {"simulator", "qpu.aria-1", "qpu.forte-1"} <= names

    table = cli("characterizations", "qpu.aria-1", "--limit", "2")
    assert header(table)[:3] == ["date", "qubits", "1q"]
    assert len(table.out.splitlines()) == 4  # header, rule, two rows
    records = cli("characterizations", "qpu.aria-1", "--limit", "2", "--json").json()
    assert len(records) == 2 and all(r["backend"] == "qpu.aria-1" for r in records)
    assert {"fidelity", "timing", "date", "id"} <= set(records[0])


def test_whoami(service_env: Emulator, cli: Runner) -> None:
    human = cli("whoami")
    assert header(human) == ["field", "value"] and "key_name" in human.out
    assert {"key_id", "key_name", "project_id"} <= set(cli("whoami", "--json").json())


def test_sessions_create_list_and_end(service_env: Emulator, cli: Runner) -> None:
    created = cli("sessions", "create", "qpu.aria-1", "--job-count-limit", "2", "--json").json()
    assert created["backend"] == "qpu.aria-1" and created["settings"] == {"job_count_limit": 2}
    listed = cli("sessions", "--active")
    assert header(listed) == ["id", "backend", "status", "created", "ended"]
    assert created["id"] in listed.out
    assert created["id"] in {s["id"] for s in cli("sessions", "list", "--json").json()}
    human_end = cli("sessions", "end", created["id"])
    assert "status     ended" in human_end.out
    ended = cli("sessions", "end", created["id"], "--json").json()
    assert ended["active"] is False
    still_active = {s["id"] for s in cli("sessions", "--active", "--json").json()}
    assert created["id"] not in still_active
