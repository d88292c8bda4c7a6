"""``--plot`` draws a chart with matplotlib; a missing extra is named, before any network call."""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ionq_emulator import Emulator

Runner = Callable[..., Any]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_results_plot_writes_a_png_per_job(
    service_env: Emulator, cli: Runner, tmp_path: Path
) -> None:
    waited = cli("submit", str(EXAMPLES / "multi-circuit-job.json"), "--wait", "--json")
    job_id = waited.json()["id"]
    single, multi = tmp_path / "one.png", tmp_path / "many.png"
    ghz = cli("submit", str(EXAMPLES / "ghz-job.json"), "--wait", "--plot", str(single))
    assert ghz.status == 0 and f"plot written to {single}" in ghz.err
    ran = cli("results", job_id, "--plot", str(multi), "--json")
    assert ran.status == 0 and json.loads(ran.out)["id"] == job_id  # stdout: only the JSON
    one_width, one_height = _png_size(single)
    many_width, many_height = _png_size(multi)
    assert one_width == many_width and many_height > one_height  # a subplot per circuit


def test_missing_matplotlib_names_the_plot_extra_before_any_request(
    cli: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    # No service at this URL: the check must come first.
    ran = cli(
        "results",
        "some-job",
        "--plot",
        str(tmp_path / "x.png"),
        "--url",
        "http://127.0.0.1:9/v0.4",
        "--api-key",
        "k",
    )
    assert ran.status == 2
    assert "pip install 'ionq-direct[plot]'" in ran.err
    assert not (tmp_path / "x.png").exists()


def test_missing_rich_names_the_cli_extra_and_json_still_works(
    service_env: Emulator, cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rich.console", None)
    human = cli("backends")
    assert human.status == 2
    assert "pip install 'ionq-direct[cli]'" in human.err and "--json" in human.err
    scripted = cli("backends", "--json")
    assert scripted.status == 0
    assert "simulator" in {b["backend"] for b in scripted.json()}
