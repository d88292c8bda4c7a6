"""Plans: the client's procedures written once, run by a blocking driver or an asyncio one.

A *plan* is a generator that never touches the network or the clock's sleep itself. It yields
*steps* (send this request, list this page of jobs, sleep this long) and is sent back what the
step produced, or has the step's :class:`~ionq_direct.errors.IonQError` thrown into it; its
return value is the procedure's result. Retries (``_attempts``), exactly-once submission
(``_submit``) and job polling (``_polling``) are plans, so ``Client`` and ``AsyncClient``
decide everything the same way and differ only in how they perform a step: :func:`drive`
performs steps with blocking calls, :func:`drive_async` awaits them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

from ionq_direct.errors import IonQError

__all__ = ["Plan", "Sleep", "drive", "drive_async"]

T = TypeVar("T")
S = TypeVar("S")

#: A plan yielding steps of type ``S`` and returning ``T``; what it is sent is ``Any``.
Plan = Generator[S, Any, T]


@dataclass(frozen=True)
class Sleep:
    """Pause for ``seconds`` (with the policy's ``sleep`` or ``async_sleep``)."""

    seconds: float


def drive(plan: Plan[S, T], perform: Callable[[S], Any]) -> T:
    """Run ``plan`` to its end, performing each step with a blocking call.

    What ``perform`` returns is sent into the plan; an ``IonQError`` it raises is thrown into
    the plan at the step that asked for it (the plan may handle it or let it out).
    """
    reply: Any = None
    error: IonQError | None = None
    while True:
        try:
            step = plan.send(reply) if error is None else plan.throw(error)
        except StopIteration as done:
            result: T = done.value
            return result
        reply, error = None, None
        try:
            reply = perform(step)
        except IonQError as exc:
            error = exc


async def drive_async(plan: Plan[S, T], perform: Callable[[S], Awaitable[Any]]) -> T:
    """Run ``plan`` to its end, awaiting each step; otherwise exactly as :func:`drive`."""
    reply: Any = None
    error: IonQError | None = None
    while True:
        try:
            step = plan.send(reply) if error is None else plan.throw(error)
        except StopIteration as done:
            result: T = done.value
            return result
        reply, error = None, None
        try:
            reply = await perform(step)
        except IonQError as exc:
            error = exc
