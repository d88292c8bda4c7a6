"""The command line package's public surface, its console script, and who may import it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from importlib.metadata import entry_points

from emulator_support import public_names

import ionq_direct_cli
from ionq_direct_cli import cli

PUBLIC = ["build_parser", "main"]


def test_all_is_the_intended_surface_and_every_name_resolves() -> None:
    assert sorted(ionq_direct_cli.__all__) == PUBLIC
    for name in ionq_direct_cli.__all__:
        assert getattr(ionq_direct_cli, name) is getattr(cli, name), name
    assert public_names(ionq_direct_cli, "ionq_direct_cli") == PUBLIC


def test_the_console_script_runs_this_packages_main() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ionq-direct"]
    assert script.value == "ionq_direct_cli.cli:main"
    assert script.load() is ionq_direct_cli.main


def test_the_command_line_left_the_core() -> None:
    for name in ("cli", "demo", "display"):
        assert importlib.util.find_spec(f"ionq_direct.{name}") is None, name


def test_the_core_imports_no_adapter_no_emulator_and_not_the_command_line() -> None:
    code = (
        "import sys\n"
        "import ionq_direct, ionq_direct.client, ionq_direct.jobs, ionq_direct.payload\n"
        "import ionq_direct.results, ionq_direct.simulate, ionq_direct.circuit\n"
        "import ionq_direct.errors, ionq_direct.gates, ionq_direct.limits, ionq_direct.records\n"
        "import ionq_direct.metadata\n"
        "outside = ('qiskit_ionq_direct', 'cirq_ionq_direct', 'ionq_direct_cli', 'ionq_emulator')\n"
        "outside += ('qiskit', 'cirq', 'fastapi')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in outside)\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
