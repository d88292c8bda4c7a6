"""The store's batched status changes are one conditional, ordered transaction."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ionq_emulator.store import JobRow, ResultTooLarge, StatusChange, Store


def _row(job_id: str, parent_id: str | None = None) -> JobRow:
    return JobRow(
        id=job_id,
        type="ionq.circuit.v1",
        status="submitted",
        backend="simulator",
        session_id=None,
        parent_id=parent_id,
        submitted_at="2026-12-02T00:00:00Z",
        record={"name": job_id, "note": math.nan},  # NaN: as json.dumps writes it
        spec={"circuit": []},
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "jobs.sqlite3")
    opened.insert_jobs([_row("p"), _row("a", "p"), _row("b", "p"), _row("c", "p")])
    yield opened
    opened.close()


def test_each_change_applies_only_from_its_statuses(store: Store) -> None:
    assert store.set_status("b", "canceled", only_from=("submitted",))
    changes = [
        StatusChange("a", "started", ("submitted",), {"started_at": "t0"}),
        StatusChange("b", "started", ("submitted",)),  # canceled meanwhile: stays so
        StatusChange("c", "completed", ("started",), results={"probabilities": {"0": 1.0}}),
        StatusChange("c", "started", ("submitted",)),  # later in the same transaction
        StatusChange("missing", "started", ("submitted",)),
    ]
    assert store.set_statuses(changes) == [True, False, False, True, False]
    assert store.job_statuses(["a", "b", "c", "missing"]) == {
        "a": "started",
        "b": "canceled",
        "c": "started",
    }
    assert store.get_result("c", "probabilities") is None  # its change did not apply
    row = store.get_job("a")
    assert row is not None and row.started_at == "t0"
    assert row.record["name"] == "a" and math.isnan(row.record["note"])


def test_active_children_counts_the_unfinished_ones(store: Store) -> None:
    assert store.active_children("p") == 3
    store.set_status("a", "failed", only_from=("submitted",), fields={"failure": {"code": "X"}})
    store.set_status("b", "started", only_from=("submitted",))
    assert store.active_children("p") == 2
    store.delete_jobs(["c"])
    assert store.active_children("p") == 1
    assert store.job_statuses([]) == {}


def test_jobs_can_be_stored_already_ended(tmp_path: Path) -> None:
    opened = Store(tmp_path / "ended.sqlite3")
    try:
        ended = [
            StatusChange("x", "completed", ("submitted",), {"started_at": "t0"}, {"shots": [1]}),
            StatusChange("y", "failed", ("submitted",), {"failure": {"code": "InvalidInput"}}),
            StatusChange("z", "completed", ("started",)),  # not from submitted: no change
        ]
        opened.insert_jobs([_row("x"), _row("y"), _row("z")], then=ended)
        assert opened.job_statuses(["x", "y", "z"]) == {
            "x": "completed",
            "y": "failed",
            "z": "submitted",
        }
        assert opened.get_result("x", "shots") == [1]
        failed = opened.get_job("y")
        assert failed is not None and failed.failure == {"code": "InvalidInput"}
    finally:
        opened.close()


def test_changes_fold_into_the_inserts_in_order(tmp_path: Path) -> None:
    opened = Store(tmp_path / "folded.sqlite3")
    try:
        then = [
            StatusChange("x", "started", ("submitted",), {"started_at": "t0"}),
            StatusChange("x", "completed", ("started",), {"completed_at": "t1"}, {"p": {"0": 1}}),
            StatusChange("x", "failed", ("submitted",)),  # no longer submitted: no change
            StatusChange("y", "started", ("submitted",), {"started_at": "s"}),
            StatusChange("y", "ready", ("started",), {"backend": "other"}),  # not a status field
            StatusChange("y", "completed", ("ready",)),  # after the unfoldable one, in order
            StatusChange("elsewhere", "started", ("submitted",)),  # not inserted here
        ]
        opened.insert_jobs([_row("elsewhere")])
        opened.insert_jobs([_row("x"), _row("y")], then=then)
        assert opened.job_statuses(["x", "y", "elsewhere"]) == {
            "x": "completed",
            "y": "completed",
            "elsewhere": "started",
        }
        done = opened.get_job("x")
        assert done is not None and (done.started_at, done.completed_at) == ("t0", "t1")
        other = opened.get_job("y")
        assert other is not None and (other.started_at, other.backend) == ("s", "other")
        assert opened.get_results(["x", "y", "missing"], "p") == {"x": {"0": 1}}
        # A change that cannot apply undoes the whole insert.
        bad = [StatusChange("z", "started", ("submitted",), {"no_such_column": 1})]
        with pytest.raises(sqlite3.OperationalError, match="no_such_column"):
            opened.insert_jobs([_row("z")], then=bad)
        assert opened.get_job("z") is None
    finally:
        opened.close()


def test_results_longer_than_a_limit_are_refused_undecoded(store: Store) -> None:
    store.set_statuses(
        [
            StatusChange(
                i, "completed", ("submitted",), results={"probabilities": {"0": 0.5, k: 0.5}}
            )
            for i, k in (("a", "1"), ("b", "3"))
        ]
    )
    size = len('{"0":0.5,"1":0.5}')
    assert store.get_result("a", "probabilities", max_chars=size) == {"0": 0.5, "1": 0.5}
    with pytest.raises(ResultTooLarge):
        store.get_result("a", "probabilities", max_chars=size - 1)
    assert store.get_result("c", "probabilities", max_chars=1) is None  # none stored
    both = store.get_results(["a", "b", "c"], "probabilities", max_chars=2 * size)
    assert both == {"a": {"0": 0.5, "1": 0.5}, "b": {"0": 0.5, "3": 0.5}}
    with pytest.raises(ResultTooLarge):
        store.get_results(["a", "b"], "probabilities", max_chars=2 * size - 1)


def test_uncontended_holds_the_store_only_when_no_other_thread_does(store: Store) -> None:
    with store.uncontended() as held:
        assert held
        with store.uncontended() as again:  # the same thread: the lock is re-entrant
            assert again
        seen: list[bool] = []

        def other() -> None:
            with store.uncontended() as got:
                seen.append(got)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
        assert seen == [False]
    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert seen == [False, True]
