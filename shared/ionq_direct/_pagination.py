"""Iterators over IonQ's two pagination schemes.

``/jobs`` and ``/sessions/{id}/jobs`` use cursors (``next``); characterizations use page
numbers with a count of remaining ``pages``. Both iterators fetch lazily, one page at a time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

logger = logging.getLogger("ionq_direct")


def next_cursor(page: Mapping[str, Any], items: Sequence[Any], seen: set[str]) -> str | None:
    """The cursor of the page after ``page``, or ``None`` when the listing is over.

    Over after an empty page, a page whose ``next`` is null or empty, and a cursor the service
    already sent (recorded in ``seen``), which would otherwise loop forever.
    """
    following = page.get("next")
    if not items or not following:
        return None
    following = str(following)
    if following in seen:
        logger.warning("the service repeated page cursor %r; stopping the listing", following)
        return None
    seen.add(following)
    return following


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
        cursor = next_cursor(page, items, seen)
        if cursor is None:
            return


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
        if not pages_remain(page, items):
            return
        number += 1


def pages_remain(page: Mapping[str, Any], items: Sequence[Any]) -> bool:
    """Whether a page-number listing goes on after ``page`` (it had items and ``pages`` left)."""
    return bool(items) and bool(page.get("pages"))


async def aiterate_cursor(
    fetch: Callable[[str | None], Awaitable[Mapping[str, Any]]], items_key: str
) -> AsyncIterator[dict[str, Any]]:
    """:func:`iterate_cursor` for an awaitable ``fetch``: an async iterator, same stops."""
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        items = page.get(items_key) or []
        for item in items:
            yield item
        cursor = next_cursor(page, items, seen)
        if cursor is None:
            return


async def aiterate_pages(
    fetch: Callable[[int], Awaitable[Mapping[str, Any]]], items_key: str
) -> AsyncIterator[dict[str, Any]]:
    """:func:`iterate_pages` for an awaitable ``fetch``: an async iterator, same stops."""
    number = 1
    while True:
        page = await fetch(number)
        items = page.get(items_key) or []
        for item in items:
            yield item
        if not pages_remain(page, items):
            return
        number += 1
