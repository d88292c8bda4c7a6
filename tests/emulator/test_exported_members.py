"""The emulator's public surface: what ``ionq_emulator`` and ``ionq_direct.emulator`` export."""

from __future__ import annotations

import subprocess
import sys

import pytest
from emulator_support import public_names

import ionq_direct.emulator as legacy
import ionq_emulator

PUBLIC = ["Emulator", "default_db_path", "serve"]
OURS = ("ionq_emulator", "ionq_direct")


def test_all_is_the_intended_surface() -> None:
    assert sorted(ionq_emulator.__all__) == PUBLIC


def test_every_exported_name_resolves_to_the_emulators_own_object() -> None:
    for name in ionq_emulator.__all__:
        value = getattr(ionq_emulator, name)
        assert value.__module__ == "ionq_emulator.server", name


def test_nothing_public_is_left_out_of_all() -> None:
    # The package resolves its names lazily (not into its namespace); nothing else may be there.
    assert set(public_names(ionq_emulator, *OURS)) <= set(PUBLIC)
    assert public_names(legacy, *OURS) == PUBLIC


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Server'"):
        _ = ionq_emulator.Server


def test_the_historical_module_re_exports_the_same_objects() -> None:
    assert legacy.__all__ == ionq_emulator.__all__
    for name in legacy.__all__:
        assert getattr(legacy, name) is getattr(ionq_emulator, name), name
    star: dict[str, object] = {}
    exec("from ionq_direct.emulator import *", star)
    assert sorted(k for k in star if not k.startswith("__")) == PUBLIC


def test_the_catalog_and_prices_load_without_the_web_stack() -> None:
    code = (
        "import sys\n"
        "import ionq_emulator.catalog, ionq_emulator.pricing\n"
        "assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
