"""Fixtures of the core tests: ``api`` runs a behaviour test with both clients."""

from __future__ import annotations

from async_support import api

__all__ = ["api"]
