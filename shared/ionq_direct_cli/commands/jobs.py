"""Job commands: submit, jobs, job, results, cancel, cost, estimate, clone and move."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ionq_direct_cli.context import Context
from ionq_direct_cli.display import key_value_table, list_table, render_results, show
from ionq_direct_cli.exit_codes import DONE, for_status
from ionq_direct_cli.jobfile import (
    is_program,
    job_shape,
    parse_json_object,
    read_json_object,
    read_text,
)
from ionq_direct_cli.outcomes import failure_of, result_document
from ionq_direct_cli.progress import wait_for_job
from ionq_direct_cli.registry import arg, command

if TYPE_CHECKING:
    from ionq_direct.jobs import Job
    from ionq_direct.payload import PreparedJob

#: Shots ``estimate`` prices a circuit file for when neither the file nor ``--shots`` says.
ESTIMATE_SHOTS = 1000

_JOB_ID = arg("job_id", help="the job's id")
_SHOTS = arg("--shots", type=int, help="counts for this many shots (default: the job's shots)")
_TIMEOUT = arg("--timeout", type=float, help="seconds to wait at most (exit 3 when they run out)")
_PLOT = arg("--plot", metavar="FILE.png", help="also draw the results into an image (needs [plot])")


def print_results(ctx: Context, job: Job) -> int:
    """Print a finished job's results (and plot them with ``--plot``); returns the exit status."""
    doc = result_document(job, shots=getattr(ctx.args, "shots", None))
    ctx.emit(doc, lambda console: render_results(console, doc))
    plot = getattr(ctx.args, "plot", None)
    if plot and (doc["circuits"] or doc["registers"]):
        from ionq_direct_cli.plot import write_plot

        written = write_plot(doc, plot)
        if not ctx.json:
            show(ctx.status_console, f"plot written to {written}")
    return for_status(doc["status"])


def _check_plot(ctx: Context) -> None:
    if getattr(ctx.args, "plot", None):
        from ionq_direct_cli.plot import require_matplotlib

        require_matplotlib()


def read_payload(ctx: Context) -> dict[str, Any] | PreparedJob:
    """The job to submit: the file (or stdin) with ``--backend``/``--shots``/``--noise-model``.

    A JSON job file is sent as it is but for those; an OpenQASM 3 program (see
    :func:`~ionq_direct_cli.jobfile.is_program`) becomes an ``ionq.qasm3.v1`` job on
    ``--backend`` (default ``simulator``), checked before anything is sent.

    Raises:
        CommandError: the file cannot be read or is not a JSON object.
        InvalidInputError: the program, shots, backend or noise model is not valid.
    """
    name = ctx.args.file
    text = read_text(name, ctx.stdin, "program file" if is_program(name, "") else "job file")
    noise_model = getattr(ctx.args, "noise_model", None)
    if is_program(name, text):
        from ionq_direct.payload import build_qasm3_jobs

        [job] = build_qasm3_jobs(
            [text],
            backend=ctx.args.backend or "simulator",
            shots=ctx.args.shots,
            noise_model=noise_model,
        )
        return job
    payload = parse_json_object(text, name)
    if ctx.args.backend:
        payload["backend"] = ctx.args.backend
    if ctx.args.shots is not None:
        payload["shots"] = ctx.args.shots
    if noise_model:
        noise = payload.get("noise")
        payload["noise"] = {**(noise if isinstance(noise, Mapping) else {}), "model": noise_model}
    return payload


@command(
    "submit",
    "submit a job file (a POST /jobs JSON body) or an OpenQASM 3 program (.qasm; - reads "
    "stdin), optionally wait for results",
    arg("file", help="the job file or program, or - for standard input"),
    arg("--wait", action="store_true", help="wait for the job and print its results"),
    _TIMEOUT,
    arg("--backend", help="override the file's backend (a program's default: simulator)"),
    arg("--shots", type=int, help="override the file's shots"),
    arg("--noise-model", help="run on a simulator noise model, e.g. aria-1"),
    _PLOT,
)
def submit(ctx: Context) -> int:
    """Create the job exactly once; with ``--wait`` watch it and print its results."""
    _check_plot(ctx)
    payload = read_payload(ctx)
    job = ctx.client.submit(payload)
    if not ctx.args.wait:
        ctx.emit(job.record, lambda console: show(console, f"submitted job {job.id}"))
        return DONE
    if not ctx.json:
        show(ctx.console, f"submitted job {job.id}")
    wait_for_job(job, ctx, timeout=ctx.args.timeout)
    return print_results(ctx, job)


@command(
    "results",
    "wait for a job if needed, then print its probabilities and counts (each circuit's, in "
    "order; an OpenQASM 3 job's per classical register)",
    _JOB_ID,
    _SHOTS,
    _TIMEOUT,
    arg("--no-wait", action="store_true", help="exit 3 at once if the job has not finished"),
    _PLOT,
)
def results(ctx: Context) -> int:
    """Results of one job; a multi-circuit job prints every circuit in input order."""
    _check_plot(ctx)
    job = ctx.client.job(ctx.args.job_id)
    if not job.done and ctx.args.no_wait:
        from ionq_direct.errors import JobNotDoneError

        raise JobNotDoneError(f"job {job.id} is {job.status!r}, not finished (drop --no-wait)")
    wait_for_job(job, ctx, timeout=ctx.args.timeout)
    return print_results(ctx, job)


@command(
    "jobs",
    "list recent jobs, newest first",
    arg("--status", help="only jobs in this status"),
    arg("--backend", help="only jobs on this backend"),
    arg("--session", help="only jobs in this session"),
    arg("--limit", type=int, default=20, help="list at most this many (default 20)"),
)
def jobs(ctx: Context) -> int:
    """``GET /jobs`` as a table (``--json``: the job records)."""
    found = ctx.client.list_jobs(
        status=ctx.args.status, backend=ctx.args.backend, session_id=ctx.args.session
    )
    records = list(itertools.islice(found, max(ctx.args.limit, 0)))
    rows = [
        (r.get("id"), r.get("status"), r.get("backend"), r.get("name"), r.get("submitted_at"))
        for r in records
    ]
    headers = ("id", "status", "backend", "name", "submitted")
    ctx.emit(records, lambda console: show(console, list_table(headers, rows)))
    return DONE


def _job_rows(record: Mapping[str, Any], failure: Mapping[str, Any] | None) -> list[Any]:
    stats = record.get("stats")
    stats = stats if isinstance(stats, Mapping) else {}
    noise = record.get("noise")
    noise = noise if isinstance(noise, Mapping) else {}
    children = record.get("child_job_ids") or []
    rows = [
        ("id", record.get("id")),
        ("name", record.get("name")),
        ("status", record.get("status")),
        ("type", record.get("type")),
        ("backend", record.get("backend")),
        ("noise", noise.get("model")),
        ("shots", record.get("shots")),
        ("qubits", stats.get("qubits")),
        ("circuits", len(children) or None),
        ("session", record.get("session_id")),
        ("parent job", record.get("parent_job_id")),
        ("submitted", record.get("submitted_at")),
        ("started", record.get("started_at")),
        ("completed", record.get("completed_at")),
        ("predicted wait (ms)", record.get("predicted_wait_time_ms")),
        ("execution (ms)", record.get("execution_duration_ms")),
    ]
    if failure:
        rows.append(("failure", ": ".join(str(v) for v in failure.values() if v)))
    return rows


@command("job", "show one job's record (exit 1 if it failed or was canceled)", _JOB_ID)
def job(ctx: Context) -> int:
    """``GET /jobs/{id}`` as a field table (``--json``: the record)."""
    found = ctx.client.job(ctx.args.job_id)
    rows = _job_rows(found.record, failure_of(found))
    ctx.emit(found.record, lambda console: show(console, key_value_table(rows)))
    return for_status(found.status)


@command("cancel", "cancel a job (a finished job keeps its status)", _JOB_ID)
def cancel(ctx: Context) -> int:
    """``PUT /jobs/{id}/status/cancel``; prints the status the service answered."""
    answer = ctx.client.cancel_job(ctx.args.job_id)
    text = f"job {answer.get('id', ctx.args.job_id)}: {answer.get('status', 'cancel requested')}"
    ctx.emit(answer, lambda console: show(console, text))
    return DONE


def _money(block: Any) -> str | None:
    if not isinstance(block, Mapping) or block.get("value") is None:
        return None
    return f"{block['value']} {block.get('unit') or ''}".strip()


@command("cost", "show a job's estimated and (once it ended) actual cost", _JOB_ID)
def cost(ctx: Context) -> int:
    """``GET /jobs/{id}/cost`` as a table (``--json``: the answer)."""
    answer = ctx.client.get_job_cost(ctx.args.job_id)
    rows = [
        ("job", ctx.args.job_id),
        ("estimated cost", _money(answer.get("estimated_cost"))),
        ("cost", _money(answer.get("cost"))),
        ("dry run", answer.get("dry_run")),
    ]
    ctx.emit(answer, lambda console: show(console, key_value_table(rows)))
    return DONE


def _ms_as_seconds(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return f"{value / 1000:g} s"


@command(
    "estimate",
    "estimate a job's cost and time before running it (from a job file or a circuit file)",
    arg("file", help="a job file, a circuit file ({qubits, circuit} or {circuits}), or -"),
    arg("--backend", help="the backend to price for (default: the job file's)"),
    arg("--shots", type=int, help=f"shots to price (default: the file's, else {ESTIMATE_SHOTS})"),
)
def estimate(ctx: Context) -> int:
    """``GET /jobs/estimate`` for the file's gate counts (``--json``: the answer)."""
    data = read_json_object(ctx.args.file, ctx.stdin, "job or circuit file")
    shape = job_shape(
        data, backend=ctx.args.backend, shots=ctx.args.shots, default_shots=ESTIMATE_SHOTS
    )
    answer = ctx.client.estimate_job(
        shape.backend,
        type=shape.type,
        qubits=shape.qubits,
        shots=shape.shots,
        one_qubit_gates=shape.one_qubit_gates,
        two_qubit_gates=shape.two_qubit_gates,
    )
    unit = answer.get("estimated_unit") or answer.get("cost_unit") or ""
    total = answer.get("estimated_total_cost", answer.get("estimated_cost"))
    rows = [
        ("backend", shape.backend),
        ("type", shape.type),
        ("qubits", shape.qubits),
        ("shots", shape.shots),
        ("1-qubit gates", shape.one_qubit_gates),
        ("2-qubit gates", shape.two_qubit_gates),
        ("estimated cost", None if total is None else f"{total} {unit}".strip()),
        ("estimated execution", _ms_as_seconds(answer.get("estimated_execution_time"))),
        ("predicted queue", _ms_as_seconds(answer.get("current_predicted_queue_time"))),
    ]
    ctx.emit(answer, lambda console: show(console, key_value_table(rows)))
    return DONE


_COPY_OVERRIDES = (
    _JOB_ID,
    arg("--name", help="the new job's name (default: inherited)"),
    arg("--shots", type=int, help="the new job's shots (default: inherited)"),
    arg("--backend", help="the new job's backend (default: inherited)"),
)


def _copy(ctx: Context, *, move: bool) -> int:
    """Clone or move a job with the overrides given; prints the new job."""
    overrides = {"name": ctx.args.name, "shots": ctx.args.shots, "backend": ctx.args.backend}
    given = {key: value for key, value in overrides.items() if value is not None}
    method = ctx.client.move_job if move else ctx.client.clone_job
    answer = method(ctx.args.job_id, **given)
    rows = [
        ("source", ctx.args.job_id),
        ("new job", answer.get("id")),
        ("status", answer.get("status")),
    ]
    ctx.emit(answer, lambda console: show(console, key_value_table(rows)))
    return DONE


@command("clone", "copy a job as a new job (fields not given are inherited)", *_COPY_OVERRIDES)
def clone(ctx: Context) -> int:
    """``POST /jobs/{id}/clone`` (``--json``: the new job's id and status)."""
    return _copy(ctx, move=False)


@command(
    "move",
    "copy a job and cancel it, in one request (exit 3 if it already ended: HTTP 409)",
    *_COPY_OVERRIDES,
)
def move(ctx: Context) -> int:
    """``POST /jobs/{id}/move`` (``--json``: the new job's id and status)."""
    return _copy(ctx, move=True)
