"""The notifications service's own tables, and the SQL that reads and writes them.

- ``recipients``: the people told (account = the token's ``sub``, e-mail, role,
  unit), kept by the administrator through the API;
- ``units``, ``nominations``: what the rules need to know of other contexts'
  facts (names, parents; a nomination's unit, award and candidates), from their
  events — this service never reads another's tables;
- ``notifications``: one row per person and notice, with read/unread;
- ``mails``: the outbox of e-mails, one per notification (:mod:`.outbox`);
- ``deadlines``: dates to remind people of, until they are announced or pass.

A notification, its mail and the consumer's mark that the event was applied
commit in one transaction (the consumer runtime's), so an event redelivered or
re-sent finds its notifications already there (their ids are derived from
account, kind and key: ``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import asyncpg

from ..domain import Deadline, Facts, NominationFact, Notice, Recipient, UnitFact

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS recipients (
    account      text PRIMARY KEY,
    email        text NOT NULL,
    role         text NOT NULL,
    display_name text NOT NULL,
    unit_id      text,
    active       boolean NOT NULL DEFAULT true,
    updated_by   text,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS units (
    unit_id   text PRIMARY KEY,
    name      text NOT NULL,
    parent_id text
);
CREATE TABLE IF NOT EXISTS nominations (
    nomination_id      text PRIMARY KEY,
    submitting_unit_id text NOT NULL,
    award_name         text NOT NULL,
    year               integer NOT NULL,
    candidates         jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    notification_id uuid PRIMARY KEY,
    account         text NOT NULL,
    kind            text NOT NULL,
    key             text NOT NULL,
    subject         text NOT NULL,
    text            text NOT NULL,
    link            text NOT NULL,
    event_id        uuid,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    read_at         timestamptz
);
CREATE INDEX IF NOT EXISTS notifications_mine ON notifications (account, created_at DESC);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications (account) WHERE read_at IS NULL;
CREATE TABLE IF NOT EXISTS mails (
    notification_id uuid PRIMARY KEY REFERENCES notifications,
    message_id      text NOT NULL UNIQUE,
    to_address      text NOT NULL,
    to_name         text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'handing_over', 'sent', 'failed', 'unconfirmed')),
    attempts        integer NOT NULL DEFAULT 0,
    claimed_at      timestamptz,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at         timestamptz
);
CREATE INDEX IF NOT EXISTS mails_due ON mails (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS mails_claimed ON mails (claimed_at) WHERE status IN ('sending', 'handing_over');
CREATE TABLE IF NOT EXISTS deadlines (
    key       text PRIMARY KEY,
    due_on    date NOT NULL,
    what      text NOT NULL,
    link      text NOT NULL,
    audience  text[] NOT NULL,
    unit_ids  text[] NOT NULL,
    announced boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS deadlines_due ON deadlines (due_on) WHERE NOT announced;
"""

# --------------------------------------------------------------------------- other contexts' facts


async def put_unit(conn: asyncpg.Connection, unit_id: str, name: str | None, parent_id: str | None,
                   *, parent_known: bool) -> None:
    """Record a unit's name and/or parent (established, renamed, moved)."""
    if name is not None:
        await conn.execute(
            "INSERT INTO units (unit_id, name, parent_id) VALUES ($1, $2, $3) ON CONFLICT (unit_id) DO UPDATE "
            "SET name = excluded.name, parent_id = CASE WHEN $4 THEN excluded.parent_id ELSE units.parent_id END",
            unit_id, name, parent_id, parent_known,
        )
    else:
        await conn.execute("UPDATE units SET parent_id = $2 WHERE unit_id = $1", unit_id, parent_id)


async def put_nomination(conn: asyncpg.Connection, fact: NominationFact) -> None:
    """Record a submitted nomination (a re-sent submission changes nothing)."""
    await conn.execute(
        "INSERT INTO nominations (nomination_id, submitting_unit_id, award_name, year, candidates) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (nomination_id) DO NOTHING",
        fact.nomination_id, fact.submitting_unit_id, fact.award_name, fact.year, dict(fact.candidates),
    )


async def load_facts(conn: asyncpg.Connection, nomination_id: str | None, unit_ids: Iterable[str | None]) -> Facts:
    """The recipients, the nomination named and the units named with every unit above them."""
    nomination: NominationFact | None = None
    if nomination_id is not None:
        row = await conn.fetchrow("SELECT * FROM nominations WHERE nomination_id = $1", nomination_id)
        if row is not None:
            nomination = NominationFact(row["nomination_id"], row["submitting_unit_id"], row["award_name"],
                                        row["year"], row["candidates"])
    wanted = sorted({u for u in unit_ids if u} | ({nomination.submitting_unit_id} if nomination else set()))
    units = await conn.fetch(
        """
        WITH RECURSIVE up(unit_id, depth) AS (
            SELECT unnest($1::text[]), 0
            UNION
            SELECT u.parent_id, up.depth + 1 FROM units u JOIN up ON u.unit_id = up.unit_id
            WHERE u.parent_id IS NOT NULL AND up.depth < 64
        )
        SELECT DISTINCT u.unit_id, u.name, u.parent_id FROM units u JOIN up ON u.unit_id = up.unit_id
        """,
        wanted,
    )
    return Facts(
        recipients=tuple(await active_recipients(conn)),
        units={r["unit_id"]: UnitFact(r["unit_id"], r["name"], r["parent_id"]) for r in units},
        nomination=nomination,
    )


# --------------------------------------------------------------------------- recipients


def _recipient(row: asyncpg.Record) -> Recipient:
    return Recipient(row["account"], row["email"], row["role"], row["display_name"], row["unit_id"], row["active"])


async def active_recipients(conn: asyncpg.Connection) -> list[Recipient]:
    """Every active recipient (tens or hundreds of people: read whole)."""
    rows = await conn.fetch("SELECT * FROM recipients WHERE active ORDER BY account")
    return [_recipient(r) for r in rows]


async def put_recipient(conn: asyncpg.Connection, recipient: Recipient, updated_by: str | None) -> bool:
    """Create or replace a recipient; True when it was new."""
    return bool(await conn.fetchval(
        """
        INSERT INTO recipients (account, email, role, display_name, unit_id, active, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (account) DO UPDATE SET email = excluded.email, role = excluded.role,
            display_name = excluded.display_name, unit_id = excluded.unit_id, active = excluded.active,
            updated_by = excluded.updated_by, updated_at = now()
        RETURNING xmax = 0
        """,
        recipient.account, recipient.email, recipient.role, recipient.display_name, recipient.unit_id,
        recipient.active, updated_by,
    ))


async def list_recipients(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every recipient, active or not."""
    rows = await conn.fetch("SELECT account, email, role, display_name, unit_id, active, updated_by, updated_at "
                            "FROM recipients ORDER BY account")
    return [dict(r) for r in rows]


# --------------------------------------------------------------------------- notifications and their mails


async def add_notices(conn: asyncpg.Connection, notices: Sequence[Notice], event_id: uuid.UUID | None,
                      recipients: Sequence[Recipient], mail: Any) -> int:
    """Store each notice once (its id is derived) and queue its e-mail; the number new.

    ``mail(notice, recipient) -> (message_id, subject, body)`` writes the e-mail.
    """
    by_account = {r.account: r for r in recipients}
    added = 0
    for notice in notices:
        new = await conn.fetchval(
            "INSERT INTO notifications (notification_id, account, kind, key, subject, text, link, event_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING true",
            notice.notification_id, notice.account, notice.kind.value, notice.key, notice.subject, notice.text,
            notice.link, event_id,
        )
        if not new:
            continue  # told before: neither the notification nor its mail again
        added += 1
        person = by_account[notice.account]
        message_id, subject, body = mail(notice, person)
        await conn.execute(
            "INSERT INTO mails (notification_id, message_id, to_address, to_name, subject, body) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            notice.notification_id, message_id, person.email, person.display_name, subject, body,
        )
    return added


_VIEW = ("notification_id, kind, subject, text, link, created_at, read_at, (read_at IS NOT NULL) AS read")


async def mine(conn: asyncpg.Connection, account: str, *, unread_only: bool, limit: int, offset: int
               ) -> tuple[list[dict[str, Any]], int, int]:
    """A person's notifications, newest first; with the total matching and the unread count."""
    rows = await conn.fetch(
        f"SELECT {_VIEW} FROM notifications WHERE account = $1 AND ($2 = false OR read_at IS NULL) "
        "ORDER BY created_at DESC, notification_id LIMIT $3 OFFSET $4",
        account, unread_only, limit, offset,
    )
    total = await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE account = $1 AND ($2 = false OR read_at IS NULL)",
        account, unread_only,
    )
    return [dict(r) for r in rows], total, await unread_count(conn, account)


async def unread_count(conn: asyncpg.Connection, account: str) -> int:
    """How many of a person's notifications are unread."""
    return int(await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE account = $1 AND read_at IS NULL", account))


async def mark_read(conn: asyncpg.Connection, account: str, notification_id: uuid.UUID) -> dict[str, Any] | None:
    """Mark one of the person's notifications read (kept at its first reading); None if it is not theirs."""
    row = await conn.fetchrow(
        f"UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE notification_id = $1 AND account = $2 "
        f"RETURNING {_VIEW}",
        notification_id, account,
    )
    return dict(row) if row else None


async def mark_all_read(conn: asyncpg.Connection, account: str) -> int:
    """Mark every unread notification of the person read; how many."""
    result = await conn.execute(
        "UPDATE notifications SET read_at = now() WHERE account = $1 AND read_at IS NULL", account)
    return int(result.rsplit(" ", 1)[-1])


# --------------------------------------------------------------------------- deadlines


async def add_deadline(conn: asyncpg.Connection, deadline: Deadline) -> None:
    """Keep a deadline until it is announced (the same one set again is kept once)."""
    await conn.execute(
        "INSERT INTO deadlines (key, due_on, what, link, audience, unit_ids) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (key) DO NOTHING",
        deadline.key, deadline.due_on, deadline.what, deadline.link, list(deadline.audience), list(deadline.unit_ids),
    )


async def due_deadlines(conn: asyncpg.Connection, until: date) -> list[Deadline]:
    """Deadlines not yet announced that fall on or before ``until``, locked for this transaction."""
    rows = await conn.fetch(
        "SELECT * FROM deadlines WHERE NOT announced AND due_on <= $1 ORDER BY due_on, key FOR UPDATE SKIP LOCKED",
        until,
    )
    return [Deadline(r["key"], r["due_on"], r["what"], r["link"], tuple(r["audience"]), tuple(r["unit_ids"]))
            for r in rows]


async def mark_announced(conn: asyncpg.Connection, key: str) -> None:
    """A deadline was announced (or passed): it is not looked at again."""
    await conn.execute("UPDATE deadlines SET announced = true WHERE key = $1", key)
