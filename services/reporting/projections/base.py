"""What every reporting read model shares: its own schema, its currency row, checksums.

A read model is one :class:`kernel.consumer.EventHandler` whose tables live in a
schema of its own (``<service schema>_rm_<name>``), so that
:func:`kernel.replay.rebuild` can fill a fresh copy beside it and swap the two.

Rules every projection here follows, because a rebuild must give identical
tables whatever the interleaving of partitions and topics:

- handlers write **unqualified** table names: the runtime points the
  transaction's ``search_path`` at the live schema, and the rebuild at the
  shadow one; naming ``self.schema`` in SQL would write the live tables
  during a rebuild;
- no ``now()``, no serial ids: only what the events say;
- a row that several aggregates touch is either a commutative sum or keeps
  the value with the greatest deterministic key (an event's own date and id),
  never "the last one applied";
- everything that depends on facts of several aggregates at once (merges,
  subtrees, headcounts) is computed at query time from the stored facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import asyncpg
from tdkt_contracts import Envelope, EventPayload

from kernel.db import quote_ident

CURRENCY_SQL = """
CREATE TABLE IF NOT EXISTS rm_currency (
    only_row        boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    events_applied  bigint NOT NULL DEFAULT 0,
    last_event_at   timestamptz,
    last_event_id   uuid,
    last_event_type text
)
"""

# The "last" event is the one with the greatest (occurred time, id): the same
# row whatever order the partitions were read in, so a rebuild reproduces it.
_RECORD_APPLIED = """
INSERT INTO rm_currency AS c (only_row, events_applied, last_event_at, last_event_id, last_event_type)
VALUES (true, 1, $1, $2, $3)
ON CONFLICT (only_row) DO UPDATE SET
    events_applied = c.events_applied + 1,
    last_event_at = CASE WHEN (excluded.last_event_at, excluded.last_event_id::text)
                              > (c.last_event_at, c.last_event_id::text)
                         THEN excluded.last_event_at ELSE c.last_event_at END,
    last_event_type = CASE WHEN (excluded.last_event_at, excluded.last_event_id::text)
                                > (c.last_event_at, c.last_event_id::text)
                           THEN excluded.last_event_type ELSE c.last_event_type END,
    last_event_id = CASE WHEN (excluded.last_event_at, excluded.last_event_id::text)
                              > (c.last_event_at, c.last_event_id::text)
                         THEN excluded.last_event_id ELSE c.last_event_id END
"""


class Projection:
    """Base of the reporting read models: one handler, one schema, a set of tables.

    Subclasses set ``model`` (the read model's short name), ``topics``,
    ``TABLES`` (table names, for checksums and row counts), ``DDL`` and
    ``HANDLES`` (event types applied; others are counted and ignored), and
    implement :meth:`apply`.
    """

    model: ClassVar[str]
    topics: ClassVar[tuple[str, ...]]
    TABLES: ClassVar[tuple[str, ...]]
    DDL: ClassVar[tuple[str, ...]]
    HANDLES: ClassVar[frozenset[str]]

    def __init__(self, service_schema: str) -> None:
        self.schema: str | None = schema_for(service_schema, self.model)
        self.name = f"reporting-{self.model.replace('_', '-')}"

    @property
    def live_schema(self) -> str:
        """The schema queries read (never None for a reporting read model)."""
        assert self.schema is not None
        return self.schema

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the read model's tables in the current schema (idempotent)."""
        for statement in (*self.DDL, CURRENCY_SQL):
            await conn.execute(statement)

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Apply one event and record it in the currency row, in the runtime's transaction."""
        if event.type in self.HANDLES:
            # Only types this model reads are parsed: a type added later by
            # another context must not send every event to the dead letters.
            await self.apply(conn, event, event.payload())
        await conn.execute(_RECORD_APPLIED, event.time, event.id, event.type)

    async def apply(self, conn: asyncpg.Connection, event: Envelope, payload: EventPayload) -> None:
        """Apply one event of a type in ``HANDLES``."""
        raise NotImplementedError


def schema_for(service_schema: str, model: str) -> str:
    """The live schema of a read model: ``<service schema>_rm_<model>``."""
    return f"{service_schema}_rm_{model}"


def qualified(schema: str, table: str) -> str:
    """``"schema".table``: queries always name the live schema, never rely on search_path."""
    return f"{quote_ident(schema)}.{quote_ident(table)}"


async def table_checksums(conn: asyncpg.Connection, schema: str, tables: Sequence[str]) -> dict[str, tuple[str, int]]:
    """md5 and row count of each table, rows ordered by their text form (independent of physical order).

    Two read models with the same checksums hold the same rows; the kernel's
    bookkeeping tables are left out (they carry wall-clock times).
    """
    sums: dict[str, tuple[str, int]] = {}
    for table in tables:
        row = await conn.fetchrow(
            f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum, count(*) AS n "
            f"FROM {qualified(schema, table)} t"
        )
        sums[table] = (row["sum"], row["n"])
    return sums
