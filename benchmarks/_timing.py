"""Timing shared by the benchmark scripts: median-of-runs wall time and traced peak memory."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def timed_runs(fn: Callable[[], Any], runs: int) -> list[float]:
    """Wall times of ``runs`` calls of ``fn``, each after a garbage collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def peak_mib(fn: Callable[[], Any]) -> float:
    """The peak memory (MiB) traced by ``tracemalloc`` during one call of ``fn``."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20
