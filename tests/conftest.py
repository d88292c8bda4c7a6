"""Fixtures shared across the test suite. Keep this file small; append, do not rewrite."""

from __future__ import annotations

import pytest


@pytest.fixture
def recorded_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry delays the transport asked for, instead of sleeping; jitter pinned to zero."""
    from ionq_direct import _retry, _transport

    delays: list[float] = []
    monkeypatch.setattr(_transport, "_sleep", delays.append)
    monkeypatch.setattr(_retry, "_jitter_source", lambda: 0.5)
    return delays
