"""Stops that always end, even when a step swallows its cancellation (as aiokafka 0.14's stop() can).

The model below has the shape the reliability review found in aiokafka: ``stop()``
awaits each of its own background tasks inside ``except CancelledError: pass``,
so a cancel that arrives there is lost; the old lag watcher looped ``stop a
client; sleep`` with a cancel as its only exit. Every cancel position is tried:
the reproduction shows the loss exactly where the cancel lands inside the stop,
and :func:`kernel.stopping.finish_within` returns within its bound at all of them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest

from kernel.stopping import LAST_MOMENT, StopBudget, finish_within

POSITIONS = range(24)
"""Event-loop iterations after the start at which the cancel arrives: before, inside and after the stop."""


@dataclass
class SwallowingClient:
    """A client whose stop() loses a cancel, as AIOKafkaConsumer.stop() does."""

    finalizer_seconds: float = 0.0
    """Time each finalizer takes beyond its loop iterations (a broker that answers slowly)."""
    stopping: bool = False
    released: bool = False
    """Set by a test's clean-up only: lets the watcher's loop end so the event loop can close."""

    async def _finalizer(self) -> None:
        for _ in range(5):
            await asyncio.sleep(0)
        await asyncio.sleep(self.finalizer_seconds)

    async def stop(self) -> None:
        self.stopping = True
        try:
            for _ in range(3):  # coordinator, fetcher, client
                background = asyncio.ensure_future(self._finalizer())
                try:
                    await background
                except asyncio.CancelledError:
                    pass
        finally:
            self.stopping = False


async def old_lag_watcher(client: SwallowingClient) -> None:
    """``while True: measure (and stop the measuring client); sleep`` — its only exit a cancel."""
    while not client.released:
        await client.stop()
        await asyncio.sleep(10)


async def _dispose(watcher: asyncio.Future[None], client: SwallowingClient) -> None:
    client.released = True
    while not watcher.done():
        watcher.cancel()
        await asyncio.wait({watcher}, timeout=0.05)


async def _after(position: int) -> None:
    for _ in range(position):
        await asyncio.sleep(0)


@pytest.mark.parametrize("position", POSITIONS)
async def test_a_cancel_landing_inside_the_stop_is_lost(position: int) -> None:
    """The deterministic reproduction of the hang: cancelled inside the client's stop, the loop goes on."""
    client = SwallowingClient()
    watcher = asyncio.ensure_future(old_lag_watcher(client))
    await _after(position)
    inside_stop = client.stopping
    watcher.cancel()
    await asyncio.wait({watcher}, timeout=0.2)
    lost = not watcher.done()
    await _dispose(watcher, client)
    assert lost == inside_stop, f"position {position}: inside the stop {inside_stop}, cancel lost {lost}"


async def test_the_reproduction_reaches_inside_the_stop() -> None:
    """Most positions land inside the stop, so the test above really shows the loss."""
    inside = 0
    for position in POSITIONS:
        client = SwallowingClient()
        watcher = asyncio.ensure_future(old_lag_watcher(client))
        await _after(position)
        inside += client.stopping
        await _dispose(watcher, client)
    assert inside >= len(POSITIONS) // 2


@pytest.mark.parametrize("position", [3, 10, 17])
async def test_wait_for_is_no_bound_when_the_cancel_is_lost(position: int) -> None:
    """asyncio.wait_for cancels on its deadline and then waits for the step: no bound at all here."""
    client = SwallowingClient(finalizer_seconds=0.2)
    watcher = asyncio.ensure_future(old_lag_watcher(client))
    await _after(position)
    bounded = asyncio.ensure_future(asyncio.wait_for(watcher, 0.01))
    done, _ = await asyncio.wait({bounded}, timeout=0.3)
    assert not done, "wait_for returned: the cancel was not lost"
    await _dispose(watcher, client)
    await asyncio.wait({bounded}, timeout=0.3)


@pytest.mark.parametrize("position", POSITIONS)
async def test_finish_within_returns_within_its_bound_at_every_position(position: int) -> None:
    client = SwallowingClient(finalizer_seconds=0.01)
    watcher = asyncio.ensure_future(old_lag_watcher(client))
    await _after(position)
    started = time.monotonic()
    await finish_within(watcher, 0.05, "lag_watch_stop", grace=0.1)
    elapsed = time.monotonic() - started
    assert elapsed < 0.05 + 0.1 + 0.5, f"position {position}: returned after {elapsed:.3f} s"
    await _dispose(watcher, client)


async def test_finish_within_says_whether_the_step_ended() -> None:
    client = SwallowingClient(finalizer_seconds=0.2)
    stuck = asyncio.ensure_future(old_lag_watcher(client))
    await _after(5)
    assert await finish_within(stuck, 0.02, "stuck", grace=0.05) is False
    await _dispose(stuck, client)
    assert await finish_within(asyncio.sleep(0.01), 1.0, "quick") is True
    polite = asyncio.ensure_future(asyncio.sleep(3600))
    assert await finish_within(polite, 0.02, "polite") is True
    assert polite.cancelled()


async def test_finish_within_never_raises_the_steps_error() -> None:
    async def failing() -> None:
        raise RuntimeError("boom")

    assert await finish_within(failing(), 1.0, "failing") is True


async def test_a_stop_budget_bounds_the_whole_stop_not_each_step() -> None:
    budget = StopBudget(total=1.5)
    started = time.monotonic()
    ended = [await budget.finish(asyncio.sleep(60), f"late_step_{n}", seconds=1.0) for n in range(5)]
    elapsed = time.monotonic() - started
    assert ended == [True] * 5  # asyncio.sleep ends on the cancel: each late step was cancelled, not waited for
    # Five steps of 1 s each would take 5 s; the whole stop had 1.5 s, and each step after it a last moment.
    assert elapsed < 1.5 + 5 * 2 * LAST_MOMENT + 0.5
    assert budget.left() < 1.5 - 0.4  # the first step used its share: what is left shrank with it


async def test_a_stop_budget_abandons_a_step_that_swallows_its_cancel_within_what_is_left() -> None:
    client = SwallowingClient(finalizer_seconds=0.2)
    stuck = asyncio.ensure_future(old_lag_watcher(client))
    await _after(5)
    budget = StopBudget(total=0.3)
    started = time.monotonic()
    assert await budget.finish(stuck, "lag_watch_stop", seconds=4.0) is False  # abandoned, not awaited for 4 s
    assert time.monotonic() - started < 0.3 + 2 * LAST_MOMENT + 0.5
    await _dispose(stuck, client)
