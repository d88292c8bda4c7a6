"""Iterators over IonQ's two pagination schemes.

``/jobs`` and ``/sessions/{id}/jobs`` use cursors (``next``); characterizations use page
numbers with a count of remaining ``pages``. Both iterators fetch lazily, one page at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

logger = logging.getLogger("ionq_direct")


def iterate_cursor(
    fetch: Callable[[str | None], Mapping[str, Any]], items_key: str
) -> Iterator[dict[str, Any]]:
    """Yield items from cursor-paginated pages until the cursor runs out.

    Args:
        fetch: returns the page for a cursor (``None`` for the first page).
        items_key: the response key holding the page's items, e.g. ``"jobs"``.

    Stops after a page whose ``next`` is null or empty, after an empty page, and when the
    service repeats a cursor it already sent (which would otherwise loop forever).
    """
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        items = page.get(items_key) or []
        yield from items
        following = page.get("next")
        if not items or not following:
            return
        following = str(following)
        if following in seen:
            logger.warning("the service repeated page cursor %r; stopping the listing", following)
            return
        seen.add(following)
        cursor = following


def iterate_pages(
    fetch: Callable[[int], Mapping[str, Any]], items_key: str
) -> Iterator[dict[str, Any]]:
    """Yield items from page-number paginated pages, starting at page 1.

    Args:
        fetch: returns the page with the given 1-based number.
        items_key: the response key holding the page's items, e.g. ``"characterizations"``.

    Stops after an empty page and after a page that reports no remaining ``pages``.
    """
    number = 1
    while True:
        page = fetch(number)
        items = page.get(items_key) or []
        yield from items
        remaining = page.get("pages")
        if not items or not remaining:
            return
        number += 1
