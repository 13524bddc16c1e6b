"""The mail sender against the real SMTP server and PostgreSQL: a dead sender's claims, the at-most-once window,
a server that answers nothing, and a stop that ends."""

from __future__ import annotations

import asyncio
import socket
import tempfile
from pathlib import Path

import asyncpg
import pytest

from kernel.db import apply_sql
from kernel.stopping import finish_within
from services.notifications.domain import Kind, Notice, Recipient
from services.notifications.mailer import Sender, compose
from services.notifications.projections import outbox, tables
from services.notifications.settings import NotificationsSettings
from tdkt.stack.processes import free_port
from tdkt.stack.smtp import SmtpServer

from .support import received

pytestmark = pytest.mark.integration

PERSON = Recipient("acc-1", "canbo.vpb@tdkt.local", "unit_officer", "Hoàng Thị Mai", "u-vpb")


def _settings(smtp: SmtpServer | None, port: int | None = None) -> NotificationsSettings:
    env = smtp.service_env() if smtp else {}
    return NotificationsSettings(
        smtp_host="127.0.0.1", smtp_port=port or int(env["TDKT_SMTP_PORT"]),
        smtp_security="starttls" if smtp else "none", smtp_ca_file=env.get("TDKT_SMTP_CA_FILE"),
        smtp_username=env.get("TDKT_SMTP_USERNAME"), smtp_password=env.get("TDKT_SMTP_PASSWORD"),
        smtp_timeout_s=0.5, mail_claim_lease_s=4, mail_retry_base_s=0.1, mail_retry_max_s=0.2, sender_poll_ms=50,
    )


async def _queue(pool: asyncpg.Pool, count: int) -> list[Notice]:
    notices = [Notice(PERSON.account, Kind.DEADLINE_SOON, f"k-{i}", f"Sắp đến hạn: việc số {i}", f"Việc {i}.", "/")
               for i in range(count)]
    async with pool.acquire() as conn:
        await apply_sql(conn, [tables.TABLES_SQL])
        await tables.add_notices(conn, notices, None, [PERSON], compose("http://portal.test"))
    return notices


async def _drain(sender: Sender) -> None:
    while await sender.send_one():
        pass


async def test_a_dead_senders_claims_are_sent_once_or_never_again(pool: asyncpg.Pool) -> None:
    smtp = SmtpServer(Path(tempfile.mkdtemp(prefix="tdkt-sender-")) / "smtp", free_port(), "pw-sender-1")
    smtp.start()
    try:
        notices = await _queue(pool, 4)
        claimed, handing_over = notices[0].notification_id, notices[1].notification_id
        async with pool.acquire() as conn:
            # What a sender killed -9 leaves: one mail claimed before DATA, one in the middle of DATA.
            await conn.execute("UPDATE mails SET status = 'sending', claimed_at = now() WHERE notification_id = $1",
                               claimed)
            await conn.execute("UPDATE mails SET status = 'handing_over', claimed_at = now() "
                               "WHERE notification_id = $1", handing_over)
        sender = Sender(_settings(smtp), lambda: pool)
        await _drain(sender)
        assert len(received(smtp)) == 2  # the claims are still within their lease: untouched
        async with pool.acquire() as conn:
            await conn.execute("UPDATE mails SET claimed_at = now() - interval '1 minute' "
                               "WHERE status IN ('sending', 'handing_over')")
        await _drain(sender)
        async with pool.acquire() as conn:
            status = await outbox.counts(conn)
            unconfirmed = await conn.fetchval("SELECT notification_id FROM mails WHERE status = 'unconfirmed'")
        assert status == {"sent": 3, "unconfirmed": 1} and unconfirmed == handing_over
        ids = sorted(m.message_id for m in received(smtp))
        assert ids == sorted(f"<{n.notification_id}@notifications.tdkt>" for n in notices if n.notification_id !=
                             handing_over)
        await _drain(sender)  # nothing more, ever
        assert len(received(smtp)) == 3 and sender.unconfirmed == 1
    finally:
        smtp.stop()


async def test_a_server_that_answers_nothing_is_retried_and_the_stop_ends(pool: asyncpg.Pool) -> None:
    await _queue(pool, 1)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never says a word
    try:
        sender = Sender(_settings(None, port=silent.getsockname()[1]), lambda: pool)
        assert await sender.send_one() is False  # timed out before DATA: back to pending, later
        async with pool.acquire() as conn:
            row = await conn.fetchrow("SELECT status, attempts, last_error FROM mails")
        assert (row["status"], row["attempts"]) == ("pending", 1) and "timed out" in row["last_error"]
        task = asyncio.create_task(sender.run())
        await asyncio.sleep(0.3)  # a few attempts against the silent server
        sender.stop()
        assert await finish_within(task, 4.0, "sender")  # each SMTP step is bounded: the loop sees the stop
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT status FROM mails") == "pending"  # not lost, not failed
    finally:
        silent.close()
