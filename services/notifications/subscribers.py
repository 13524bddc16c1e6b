"""What the notifications service consumes: the public topics of the three contexts and the awards' internal one.

One consumer (group ``notifications-events``) applies every event in the
runtime's transaction (kernel.consumer: at least once, duplicates skipped):
the facts the rules need (units, nominations) are recorded, then the event's
notices (:func:`services.notifications.domain.notices_for`) are stored with
their mails, and its deadlines kept — all committed with the event's
applied-mark, so a redelivery writes nothing twice. The awards' internal topic
is read for the returns (their reasons are for the unit that must fix its
file) and the engine's assessments (a candidate found eligible waits for the
council); the discipline topic of the units context is not read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import date, timedelta

import asyncpg
import structlog
from tdkt_contracts import Envelope
from tdkt_contracts.catalogue.awards import NominationSubmitted
from tdkt_contracts.catalogue.units import UnitEstablished, UnitMoved, UnitRenamed

from .domain import (
    DEADLINE_DAYS_AHEAD,
    RULES,
    NominationFact,
    Notice,
    Recipient,
    deadline_notices,
    deadlines_for,
    notices_for,
)
from .domain.mapping import DEADLINES
from .projections import tables

log = structlog.get_logger("notifications.subscribers")

TOPICS = ("tdkt.units.events", "tdkt.campaigns.events", "tdkt.awards.events", "tdkt.awards.internal")

MailWriter = Callable[[Notice, Recipient], tuple[str, str, str]]

FACTS = frozenset({UnitEstablished.event_type, UnitRenamed.event_type, UnitMoved.event_type,
                   NominationSubmitted.event_type})


class NotificationPolicy:
    """The consumer: events in, notifications and mails out (see the module's docstring)."""

    name = "notifications-events"
    topics = TOPICS
    schema: str | None = None

    def __init__(self, mail: MailWriter, today: Callable[[], date]) -> None:
        self.mail = mail
        self.today = today

    async def setup(self, conn: asyncpg.Connection) -> None:
        """The tables are the service's migrations (created before the consumer starts)."""

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Apply one event: its facts, its notices and mails, its deadlines."""
        if event.type in FACTS:
            await self._record_fact(conn, event)
        if event.type not in RULES and event.type not in DEADLINES:
            return  # only the types read are parsed: a new type elsewhere must not dead-letter
        payload = event.payload()
        nomination_id = getattr(payload, "nomination_id", None)
        recipient = getattr(payload, "recipient", None)
        facts = await tables.load_facts(conn, nomination_id, [getattr(recipient, "unit_id", None)])
        notices = notices_for(event.type, str(event.id), payload, facts)
        added = await tables.add_notices(conn, notices, event.id, facts.recipients, self.mail)
        deadlines = deadlines_for(event.type, payload, facts)
        for deadline in deadlines:
            await tables.add_deadline(conn, deadline)
        if deadlines:
            # A deadline already near is announced now, not at the watcher's next look.
            added += await announce_due(conn, self.today(), self.mail)
        if added:
            log.info("notifications_added", event_type=event.type, count=added)

    async def _record_fact(self, conn: asyncpg.Connection, event: Envelope) -> None:
        payload = event.payload()
        if isinstance(payload, UnitEstablished):
            await tables.put_unit(conn, payload.unit_id, payload.name, payload.parent_id, parent_known=True)
        elif isinstance(payload, UnitRenamed):
            await tables.put_unit(conn, payload.unit_id, payload.name, None, parent_known=False)
        elif isinstance(payload, UnitMoved):
            await tables.put_unit(conn, payload.unit_id, None, payload.parent_id, parent_known=True)
        elif isinstance(payload, NominationSubmitted):
            await tables.put_nomination(conn, NominationFact(
                payload.nomination_id, payload.submitting_unit_id, payload.award_name, payload.year,
                {c.candidate_id: c.display_name for c in payload.candidates},
            ))


async def announce_due(conn: asyncpg.Connection, today: date, mail: MailWriter) -> int:
    """Announce the deadlines that are near (or mark passed ones done), in the caller's transaction;
    the number of notifications added."""
    added = 0
    for deadline in await tables.due_deadlines(conn, today + timedelta(days=DEADLINE_DAYS_AHEAD)):
        facts = await tables.load_facts(conn, None, deadline.unit_ids)
        notices = deadline_notices(deadline, facts, today)
        if notices is None:
            continue
        added += await tables.add_notices(conn, notices, None, facts.recipients, mail)
        await tables.mark_announced(conn, deadline.key)
    return added


class DeadlineWatch:
    """Compares the kept deadlines with today every ``every`` seconds, until :meth:`stop`."""

    def __init__(self, pool: Callable[[], asyncpg.Pool | None], today: Callable[[], date], mail: MailWriter,
                 every: float) -> None:
        self._pool = pool
        self.today = today
        self.mail = mail
        self.every = every
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Ask the loop to end."""
        self._stopping.set()

    async def check(self) -> int:
        """One look: announce what is near; the number of notifications added."""
        pool = self._pool()
        if pool is None:
            return 0
        async with pool.acquire() as conn, conn.transaction():
            return await announce_due(conn, self.today(), self.mail)

    async def run(self) -> None:
        """Look every ``every`` seconds; a database outage is logged and the next look tries again."""
        while not self._stopping.is_set():
            try:
                added = await self.check()
                if added:
                    log.info("deadlines_announced", notifications=added)
            except Exception as error:  # noqa: BLE001  (the database is away: the next look retries)
                log.warning("deadline_check_failed", error=f"{type(error).__name__}: {error}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.every)
