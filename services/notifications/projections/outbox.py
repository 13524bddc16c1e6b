"""SQL of the mail outbox: each step of a mail's delivery is its own committed state (see services.notifications.mailer).

``pending`` → (claimed) ``sending`` → (MAIL and RCPT accepted) ``handing_over`` → (250 to DATA) ``sent``;
a failure before DATA puts it back to ``pending`` (later) or ``failed``; a claim whose sender vanished goes
back to ``pending`` from ``sending`` (the server never had the message) and to ``unconfirmed`` from
``handing_over`` (it may have: never sent again).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class PendingMail:
    """A mail claimed for delivery, as the sender needs it."""

    notification_id: uuid.UUID
    message_id: str
    to_address: str
    to_name: str
    subject: str
    body: str
    attempts: int
    """Attempts before this one."""


async def claim_due(conn: asyncpg.Connection) -> PendingMail | None:
    """Claim the oldest pending mail whose time has come (committed at once: ``sending``); a second
    sender — another replica — skips a row being claimed and never sees a claimed one as pending."""
    row = await conn.fetchrow(
        """
        UPDATE mails SET status = 'sending', claimed_at = now() WHERE notification_id = (
            SELECT notification_id FROM mails WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING notification_id, message_id, to_address, to_name, subject, body, attempts
        """
    )
    return PendingMail(**dict(row)) if row else None


async def mark_handing_over(conn: asyncpg.Connection, notification_id: uuid.UUID) -> None:
    """The server accepted sender and recipient; the message itself (DATA) goes next."""
    await conn.execute("UPDATE mails SET status = 'handing_over' WHERE notification_id = $1", notification_id)


async def mark_sent(conn: asyncpg.Connection, notification_id: uuid.UUID) -> None:
    """The SMTP server accepted the mail (250 to DATA)."""
    await conn.execute(
        "UPDATE mails SET status = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL "
        "WHERE notification_id = $1",
        notification_id,
    )


async def mark_failed_attempt(conn: asyncpg.Connection, notification_id: uuid.UUID, error: str,
                              retry_in_s: float | None) -> None:
    """An attempt failed before the server took the message: again in ``retry_in_s`` seconds, or never
    (None: status failed)."""
    await conn.execute(
        "UPDATE mails SET attempts = attempts + 1, last_error = $2, claimed_at = NULL, "
        "status = CASE WHEN $3::float8 IS NULL THEN 'failed' ELSE 'pending' END, "
        "next_attempt_at = now() + make_interval(secs => coalesce($3::float8, 0)) WHERE notification_id = $1",
        notification_id, error[:2000], retry_in_s,
    )


async def mark_unconfirmed(conn: asyncpg.Connection, notification_id: uuid.UUID, error: str) -> None:
    """The message was being handed over when the conversation broke: the server may have it. Never again."""
    await conn.execute(
        "UPDATE mails SET status = 'unconfirmed', attempts = attempts + 1, last_error = $2 WHERE notification_id = $1",
        notification_id, error[:2000],
    )


async def recover_abandoned(conn: asyncpg.Connection, lease_s: float) -> tuple[int, int]:
    """Claims older than ``lease_s`` belong to a sender that died (kill -9, power): a mail still ``sending``
    goes back to pending (the server never had it), one ``handing_over`` becomes unconfirmed. The numbers."""
    rows = await conn.fetch(
        """
        UPDATE mails SET status = CASE WHEN status = 'sending' THEN 'pending' ELSE 'unconfirmed' END,
               claimed_at = NULL,
               last_error = CASE WHEN status = 'sending' THEN last_error
                                 ELSE 'the sender stopped while handing the message over' END
        WHERE status IN ('sending', 'handing_over') AND claimed_at < now() - make_interval(secs => $1::float8)
        RETURNING status
        """,
        lease_s,
    )
    back = sum(1 for r in rows if r["status"] == "pending")
    return back, len(rows) - back


async def counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Mails by status."""
    rows = await conn.fetch("SELECT status, count(*) AS n FROM mails GROUP BY status")
    return {r["status"]: r["n"] for r in rows}
