"""The ``ionq-direct`` command line: the direct-API workflow, the emulator, and the demo.

Every command that talks to a service reads ``IONQ_API_KEY`` and ``IONQ_API_URL`` like the
library does; ``--url`` and ``--api-key`` override them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from ionq_direct.errors import IonQError


def _client(args: argparse.Namespace) -> Any:
    from ionq_direct.client import Client

    return Client(api_key=args.api_key, base_url=args.url)


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, sort_keys=False) + "\n")


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from ionq_direct_cli.demo import run_demo

    return run_demo(out, shots=args.shots, seed=args.seed)


def _cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from ionq_emulator import serve

    serve(
        host=args.host,
        port=args.port,
        db_path=args.db,
        api_keys=args.api_key,
        faults=args.faults,
        qpu_delay=args.qpu_delay,
        workers=args.workers,
    )
    return 0


def _cmd_submit(args: argparse.Namespace, out: TextIO) -> int:
    from ionq_direct_cli.display import print_results, watch

    try:
        payload = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IonQError(f"cannot read job file {args.file}: {exc}") from None
    if not isinstance(payload, dict):
        raise IonQError(f"{args.file} must hold a JSON object (a POST /jobs body)")
    if args.backend:
        payload["backend"] = args.backend
    if args.shots is not None:
        payload["shots"] = args.shots
    job = _client(args).submit(payload)
    out.write(f"submitted job {job.id}\n")
    if not args.wait:
        return 0
    watch(job, out, timeout=args.timeout)
    print_results(job, out, shots=args.shots)
    return 0 if job.status == "completed" else 1


def _cmd_jobs(args: argparse.Namespace, out: TextIO) -> int:
    client = _client(args)
    filters = {"status": args.status, "backend": args.backend}
    records = client.list_jobs(**{k: v for k, v in filters.items() if v})
    for record in itertools.islice(records, args.limit):
        status = record.get("status", "")
        backend = record.get("backend", "")
        out.write(f"{record['id']}  {status:<10} {backend:<24} {record.get('name') or ''}\n")
    return 0


def _cmd_job(args: argparse.Namespace, out: TextIO) -> int:
    _print_json(_client(args).get_job(args.job_id), out)
    return 0


def _cmd_results(args: argparse.Namespace, out: TextIO) -> int:
    from ionq_direct_cli.display import print_results

    job = _client(args).job(args.job_id)
    print_results(job, out, shots=args.shots)
    return 0


def _cmd_cancel(args: argparse.Namespace, out: TextIO) -> int:
    _print_json(_client(args).cancel_job(args.job_id), out)
    return 0


def _cmd_cost(args: argparse.Namespace, out: TextIO) -> int:
    _print_json(_client(args).get_job_cost(args.job_id), out)
    return 0


def _cmd_backends(args: argparse.Namespace, out: TextIO) -> int:
    for backend in _client(args).list_backends():
        out.write(
            f"{backend['backend']:<26} {backend.get('status', ''):<12} "
            f"{backend.get('qubits', '')} qubits\n"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ionq-direct``."""
    parser = argparse.ArgumentParser(
        prog="ionq-direct",
        description="Submit, watch and read IonQ v0.4 jobs; run the local emulator; run the demo.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def service(name: str, help_text: str, handler: Callable[..., int]) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("--url", help="API base URL (default: $IONQ_API_URL or IonQ's cloud)")
        cmd.add_argument("--api-key", help="API key (default: $IONQ_API_KEY)")
        cmd.set_defaults(handler=handler)
        return cmd

    demo = sub.add_parser("demo", help="run the GHZ demo on the embedded emulator")
    demo.add_argument("--shots", type=int, default=1000)
    demo.add_argument("--seed", type=int, default=7, help="sampling seed for reproducible counts")
    demo.set_defaults(handler=_cmd_demo)

    serve = sub.add_parser("serve", help="run the local IonQ v0.4 emulator")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--db", default=None, help="SQLite database file (default: user data dir)")
    serve.add_argument(
        "--api-key", action="append", help="accepted API key (repeatable; default: generated)"
    )
    serve.add_argument("--faults", default=None, help="e.g. 429=0.1,503=0.05,delay=0.2,drop=0.02")
    serve.add_argument(
        "--qpu-delay", type=float, default=1.0, help="seconds a QPU job waits in each state"
    )
    serve.add_argument(
        "--workers", type=int, default=None, help="simulations at once (default: one per core)"
    )
    serve.set_defaults(handler=_cmd_serve)

    submit = service("submit", "submit a POST /jobs JSON body from a file", _cmd_submit)
    submit.add_argument("file")
    submit.add_argument("--wait", action="store_true", help="watch the job and print results")
    submit.add_argument("--timeout", type=float, default=None, help="seconds to wait at most")
    submit.add_argument("--backend", help="override the file's backend")
    submit.add_argument("--shots", type=int, help="override the file's shots")

    jobs = service("jobs", "list recent jobs", _cmd_jobs)
    jobs.add_argument("--status")
    jobs.add_argument("--backend")
    jobs.add_argument("--limit", type=int, default=20)

    job = service("job", "show a job record", _cmd_job)
    job.add_argument("job_id")
    results = service("results", "show a job's probabilities and counts", _cmd_results)
    results.add_argument("job_id")
    results.add_argument("--shots", type=int, help="counts for this many shots")
    cancel = service("cancel", "cancel a job", _cmd_cancel)
    cancel.add_argument("job_id")
    cost = service("cost", "show a job's cost", _cmd_cost)
    cost.add_argument("job_id")
    service("backends", "list backends", _cmd_backends)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run ``ionq-direct``; returns the process exit status."""
    args = build_parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        status: int = args.handler(args, stream)
    except IonQError as exc:
        sys.stderr.write(f"ionq-direct: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return status
