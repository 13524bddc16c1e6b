"""Scope as of now across services: the owner publishes before it answers, a replica catches up before it decides.

Awards and campaigns decide a unit officer's scope on their replica of the
units service's facts (the tree, who works where), which trails the units
service by the relay's and the consumer's delay. Without care, for about a
second after a sub-unit moves away its old officer could still act in its
name there. Two bounded waits close that window:

- the owner: a units command that takes scope away (a move, a merge, a
  dissolution, a transfer, a departure) answers only once its relay has put
  the events on Kafka (:func:`await_published`);
- a replica: a unit officer's command first waits until the service's
  consumer of those facts has applied everything Kafka held on their topics
  when the command arrived (:meth:`kernel.consumer.ConsumerRuntime.catch_up`),
  then decides on the replica.

So a command that comes after the units service answered a move sees the
move. A wait that runs out (``TDKT_SCOPE_SYNC_MS``) refuses the command with
503 ``replica_behind`` and ``Retry-After``: nothing is decided on facts known
to be old. Other roles' commands and every query do not wait.
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

from .errors import INFRASTRUCTURE_ERRORS, DomainError
from .eventstore import Position

log = structlog.get_logger("kernel.freshness")

RETRY_AFTER_SECONDS = 1
POLL_SECONDS = 0.02


class ReplicaBehind(DomainError):
    """The service's copy of another service's facts is still behind it (HTTP 503 ``replica_behind``)."""

    status = 503
    retry_after = RETRY_AFTER_SECONDS

    def __init__(self, replica: str, behind: dict[str, int]) -> None:
        super().__init__(
            "replica_behind",
            f"This service's copy of the facts that decide a unit officer's scope ({replica}) has not yet caught "
            f"up with their owner; nothing was changed, try again in {RETRY_AFTER_SECONDS} s",
            replica=replica, behind=behind, retry_after_s=RETRY_AFTER_SECONDS,
        )


async def await_published(pool: asyncpg.Pool, through: Position, *, timeout: float, relay: str = "kafka") -> bool:
    """Wait (at most ``timeout`` seconds) until the service's relay has published the event at ``through``.

    True once the relay's checkpoint is at or past it; False if the time ran
    out (the event is committed and will still be published: the caller
    answers, and says so in its log).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            row = await pool.fetchrow(
                "SELECT tx_id::text::bigint AS tx, seq FROM relay_checkpoints WHERE relay = $1", relay
            )
        except INFRASTRUCTURE_ERRORS as error:
            # The command is committed: its answer must not become a 503 saying nothing changed.
            log.warning("publication_unknown", position=str(through), error=f"{type(error).__name__}: {error}")
            return False
        if row is not None and Position(row["tx"], row["seq"]) >= through:
            return True
        if loop.time() >= deadline:
            log.warning("not_yet_published", position=str(through), waited_s=timeout)
            return False
        await asyncio.sleep(POLL_SECONDS)


__all__ = ["ReplicaBehind", "await_published"]
