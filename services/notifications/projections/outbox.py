"""SQL of the mail outbox: claim the next due mail, mark it sent, or put it back with its error."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class PendingMail:
    """A mail waiting for delivery, as the sender needs it."""

    notification_id: uuid.UUID
    message_id: str
    to_address: str
    to_name: str
    subject: str
    body: str
    attempts: int


async def claim_due(conn: asyncpg.Connection) -> PendingMail | None:
    """The oldest pending mail whose time has come, locked until the caller's transaction ends (another
    sender — a second replica — skips it rather than sending it too)."""
    row = await conn.fetchrow(
        "SELECT notification_id, message_id, to_address, to_name, subject, body, attempts FROM mails "
        "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, created_at "
        "LIMIT 1 FOR UPDATE SKIP LOCKED"
    )
    return PendingMail(**dict(row)) if row else None


async def mark_sent(conn: asyncpg.Connection, notification_id: uuid.UUID) -> None:
    """The SMTP server accepted the mail."""
    await conn.execute(
        "UPDATE mails SET status = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL "
        "WHERE notification_id = $1",
        notification_id,
    )


async def mark_failed_attempt(conn: asyncpg.Connection, notification_id: uuid.UUID, error: str,
                              retry_in_s: float | None) -> None:
    """An attempt failed: try again in ``retry_in_s`` seconds, or never (None: status failed)."""
    await conn.execute(
        "UPDATE mails SET attempts = attempts + 1, last_error = $2, "
        "status = CASE WHEN $3::float8 IS NULL THEN 'failed' ELSE 'pending' END, "
        "next_attempt_at = now() + make_interval(secs => coalesce($3::float8, 0)) WHERE notification_id = $1",
        notification_id, error[:2000], retry_in_s,
    )


async def counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Mails by status (for /health)."""
    rows = await conn.fetch("SELECT status, count(*) AS n FROM mails GROUP BY status")
    return {r["status"]: r["n"] for r in rows}
