"""Stops that always end.

Cancelling a task and then awaiting it bounds nothing when the task swallows
the cancellation: aiokafka 0.14's ``stop()`` awaits its own background tasks
inside ``except CancelledError: pass``, so a cancel that arrives there is lost
and the awaiting coroutine carries on as if nothing happened. ``asyncio.wait_for``
has the same flaw: on its deadline it cancels the step and then waits for the
step to finish, however long that takes.

So every step of a stop goes through :func:`finish_within`: it waits with
``asyncio.wait`` (which never cancels what it waits for), cancels once the
deadline passes, gives the step a short grace to end, and otherwise abandons
it and says so in the log. Loops that run for a service's life stop on an
:class:`asyncio.Event`, not on a cancel, so the first attempt is a clean end.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import structlog

log = structlog.get_logger("kernel.stopping")

STOP_SECONDS = 4.0
"""Seconds one step of a service's stop (a Kafka client, the relay, the pool) gets before it is cancelled."""

CANCEL_GRACE = 1.0
"""Seconds a step gets to end after being cancelled before it is abandoned."""

STOP_TOTAL_SECONDS = 12.0
"""Seconds a service's whole stop gets, all its steps together (:class:`StopBudget`). Below the launcher's
20 s between SIGTERM and SIGKILL, with the HTTP server's own drain (``kernel.service.HTTP_DRAIN_SECONDS``)."""

LAST_MOMENT = 0.05
"""Seconds a step still gets once a stop's budget is spent: enough for a step that has nothing left to wait for."""


async def finish_within(step: Awaitable[Any], seconds: float, what: str, *, grace: float = CANCEL_GRACE) -> bool:
    """Wait at most ``seconds`` for ``step``, then cancel it, then abandon it after ``grace``.

    Returns True when the step ended (by itself or on the cancel), False when it
    was abandoned. Never raises the step's error: a stop goes on with its next
    step whatever this one did; errors are logged.
    """
    task = step if isinstance(step, asyncio.Future) else asyncio.ensure_future(step)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            # The step swallowed the cancel (or is stuck in a call that ignores it): leave it behind.
            log.warning("stop_abandoned", step=what, seconds=seconds + grace)
            abandon(task)
            return False
        log.warning("stop_timeout", step=what, seconds=seconds)
    _retrieve(task, what)
    return True


class StopBudget:
    """One bound for a stop made of several steps, each bounded on its own: a step gets its own bound or what
    is left of the whole, whichever is less, so five late steps end in ``total`` seconds, not in five bounds."""

    def __init__(self, total: float = STOP_TOTAL_SECONDS) -> None:
        self._deadline = time.monotonic() + total

    def left(self) -> float:
        """Seconds left of the whole stop (never below zero)."""
        return max(self._deadline - time.monotonic(), 0.0)

    async def finish(self, step: Awaitable[Any], what: str, seconds: float = STOP_SECONDS) -> bool:
        """:func:`finish_within` with the wait and the grace cut to what is left; True when the step ended."""
        left = self.left()
        wait = max(min(seconds, left - CANCEL_GRACE), LAST_MOMENT)
        grace = max(min(CANCEL_GRACE, left - wait), LAST_MOMENT)
        return await finish_within(step, wait, what, grace=grace)


def abandon(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and never await it: a library that swallows the cancel cannot hold the caller. Its outcome,
    whenever it comes, is read and logged once."""
    task.cancel()
    task.add_done_callback(_retrieve)


def _retrieve(task: asyncio.Future[Any], what: str = "abandoned step") -> None:
    """Read a finished step's outcome, so an error is logged once and never 'never retrieved'."""
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.warning("stop_step_failed", step=what, error=f"{type(error).__name__}: {error}")
