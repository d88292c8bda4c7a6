"""The dependency rules of docs/architecture.md, read from the source files themselves."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "ionq_direct": ROOT / "shared" / "ionq_direct",
    "ionq_emulator": ROOT / "shared" / "ionq_emulator",
    "ionq_direct_cli": ROOT / "shared" / "ionq_direct_cli",
    "qiskit_ionq_direct": ROOT / "qiskit_ionq_direct",
    "cirq_ionq_direct": ROOT / "cirq_ionq_direct",
}
#: What each package may import from this distribution.
ALLOWED = {
    "ionq_direct": {"ionq_direct"},
    "qiskit_ionq_direct": {"ionq_direct", "qiskit_ionq_direct"},
    "cirq_ionq_direct": {"ionq_direct", "cirq_ionq_direct"},
    "ionq_emulator": {"ionq_direct", "ionq_emulator"},
    "ionq_direct_cli": set(PACKAGES),
}
#: The one core module allowed to reach outward: the historical name of the emulator.
REEXPORT = PACKAGES["ionq_direct"] / "emulator.py"
FRAMEWORKS = {"qiskit", "qiskit_aer", "cirq", "fastapi", "uvicorn", "starlette"}


def imported_modules(path: Path) -> Iterator[str]:
    """Every absolute module name ``path`` imports, at any depth (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"


def sources(package: str) -> list[Path]:
    return sorted(PACKAGES[package].rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_packages_import_only_what_the_layering_allows(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources(package)
        if path != REEXPORT
        for name in imported_modules(path)
        if name.split(".")[0] in PACKAGES and name.split(".")[0] not in ALLOWED[package]
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("package", sorted(set(PACKAGES) - {"ionq_direct"}))
def test_nothing_outside_the_core_imports_a_private_core_module(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources(package)
        for name in imported_modules(path)
        if name.startswith("ionq_direct.") and name.split(".")[1].startswith("_")
    ]
    assert not wrong, wrong


def test_the_core_imports_no_framework() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("ionq_direct")
        if path != REEXPORT
        for name in imported_modules(path)
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert not wrong, wrong


def test_the_rules_see_every_package_and_a_known_import() -> None:
    # Guard against a rule that passes because it reads nothing.
    assert all(sources(package) for package in PACKAGES)
    assert "ionq_direct.circuit" in set(imported_modules(PACKAGES["ionq_direct"] / "payload.py"))
