"""Fixtures shared across the test suite. Keep this file small; append, do not rewrite."""

from __future__ import annotations

import pytest
from core_support import FakeTime


@pytest.fixture
def fake_time() -> FakeTime:
    """A fake clock and sleep, and a client policy on them (jitter pinned to zero spread)."""
    return FakeTime()
