"""E-mail: writing a notification's message, and the sender loop that delivers the outbox over SMTP.

**Never twice, and where a mail can be lost instead.** A notification and its
mail row are written in the consumer's transaction, with the event's
applied-mark: a redelivered or re-sent event finds them (derived ids) and
writes nothing, so no event ever queues a second mail. SMTP has no
idempotency, so the sender makes every step a committed state of the row
(:mod:`.projections.outbox`) and never re-sends a message the server may hold:

1. claim the row: ``sending`` (committed);
2. connect, STARTTLS, log in, ``MAIL FROM``, ``RCPT TO`` — the server holds
   nothing yet; a failure here puts the row back to ``pending`` for later;
3. mark the row ``handing_over`` (committed) — **the at-most-once window opens**;
4. ``DATA``: the message, and the server's ``250``;
5. mark the row ``sent`` (committed) — **the window closes**.

A crash (kill -9, power, the database gone) before step 3's commit: the server
never had the message; the claim expires (``mail_claim_lease_s``) and the mail
is sent later, once. A crash inside the window (steps 3–5): the server may or
may not have taken it; the row becomes ``unconfirmed`` and is **never sent
again** (logged, counted on ``/health``; an operator who checked the server's
log may set it back to ``pending``). The window is the transfer of one message
on a connection already open plus one ``UPDATE`` — nothing else happens in it.
A refusal the server answers to ``DATA`` (it did not take the message) is not
in doubt: a 4xx is retried, a 5xx marked failed. Each mail carries a
``Message-ID`` derived from its notification id, so even a copy an operator
re-queued by mistake is recognisable to the receiving side.

**Failures.** A refusal the server says is temporary (4xx), a connection refused
or cut, a timeout, a refused login (530, 535: the configuration's fault, not
the mail's): the mail is retried after a pause doubling from
``mail_retry_base_s`` up to ``mail_retry_max_s``, at most ``mail_max_attempts``
times, then marked failed; a permanent refusal of this mail (5xx to its
recipient or its content) is marked failed at once. While the server is down
the loop pauses between attempts, it never spins.

**Stop.** The loop ends on an event (no cancel needed); a conversation in
progress is bounded by ``smtp_timeout_s`` per step and the service's stop gives
it :data:`kernel.stopping.STOP_SECONDS` before abandoning it (its claim then
expires as after a crash).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import asyncpg
import structlog

from .domain import Notice, Recipient
from .domain.templates import mail_body, nfc
from .projections import outbox
from .projections.outbox import PendingMail
from .settings import NotificationsSettings

log = structlog.get_logger("notifications.mailer")

MESSAGE_ID_DOMAIN = "notifications.tdkt"

MAIL_POLICY = email.policy.SMTP.clone(max_line_length=998)
"""CRLF, RFC 5322's line limit. Not the default 78: Python 3.11 folds a long encoded subject into several
encoded words and drops the space at each fold (a decoder joins adjacent encoded words), so "thực hiện"
arrived as "thựchiện"; subjects are kept short enough (:data:`.domain.templates.SUBJECT_MAX`) for one line."""


def message_id(notice: Notice) -> str:
    """The mail's ``Message-ID``: the notification id, so a copy sent twice is recognisable."""
    return f"<{notice.notification_id}@{MESSAGE_ID_DOMAIN}>"


def compose(portal_url: str) -> Callable[[Notice, Recipient], tuple[str, str, str]]:
    """How a notice becomes its mail row: (Message-ID, subject, plain-text body)."""

    def mail(notice: Notice, person: Recipient) -> tuple[str, str, str]:
        return message_id(notice), notice.subject, mail_body(person.display_name, notice.text,
                                                              portal_url.rstrip("/") + notice.link)

    return mail


def _address(text: str) -> Address:
    name, addr = parseaddr(text)
    user, _, domain = addr.partition("@")
    return Address(display_name=nfc(name), username=user, domain=domain)


def build_message(mail: PendingMail, sender: str, now: datetime | None = None) -> EmailMessage:
    """The MIME message: UTF-8 text, Vietnamese headers as RFC 2047 encoded words, the derived Message-ID."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = _address(sender)
    user, _, domain = mail.to_address.partition("@")
    message["To"] = Address(display_name=nfc(mail.to_name), username=user, domain=domain)
    message["Subject"] = nfc(mail.subject)
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(now or datetime.now(timezone.utc))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    # Quoted-printable: 7-bit on the wire, so no relay on the way needs 8BITMIME.
    message.set_content(nfc(mail.body), charset="utf-8", cte="quoted-printable")
    return message


class PermanentRefusal(Exception):
    """The SMTP server refused the mail for good (5xx): trying again would give the same answer."""


def open_conversation(settings: NotificationsSettings, sender: str, recipient: str) -> smtplib.SMTP:
    """Steps 2 of the module's docstring (blocking: run it in a thread): a connection on which the server
    has accepted sender and recipient and waits for DATA. Raises PermanentRefusal on a 5xx to the recipient."""
    timeout = settings.smtp_timeout_s
    context = ssl.create_default_context(cafile=settings.smtp_ca_file) if settings.smtp_security != "none" else None
    client: smtplib.SMTP
    if settings.smtp_security == "tls":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        client.ehlo()
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.smtp_username and settings.smtp_password is not None:
            client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        code, answer = client.mail(sender)
        if code != 250:
            # A refused sender is the configuration's fault (530 before a login): retried, never permanent.
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        code, answer = client.rcpt(recipient)
        if code not in (250, 251):
            if code >= 500:
                raise PermanentRefusal(f"{code} {answer!r}")
            raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    except BaseException:
        close(client)
        raise
    return client


def close(client: smtplib.SMTP) -> None:
    """QUIT, or just drop the connection if the server is gone."""
    try:
        client.quit()
    except Exception:  # noqa: BLE001  (the connection is already broken: nothing left to close politely)
        client.close()


class Sender:
    """Delivers the outbox's mails one by one until :meth:`stop` (see the module's docstring)."""

    def __init__(self, settings: NotificationsSettings, pool: Callable[[], asyncpg.Pool | None]) -> None:
        self.settings = settings
        self._pool = pool
        self._stopping = asyncio.Event()
        self.sent = 0
        self.failed_attempts = 0
        self.unconfirmed = 0
        self.last_error: str | None = None

    def retry_in(self, attempts: int) -> float | None:
        """The pause after the ``attempts``-th failed attempt; None when the mail is given up."""
        if attempts >= self.settings.mail_max_attempts:
            return None
        return min(self.settings.mail_retry_base_s * 2 ** (attempts - 1), self.settings.mail_retry_max_s)

    def stop(self) -> None:
        """Ask the loop to end after the mail in hand."""
        self._stopping.set()

    async def run(self) -> None:
        """Send due mails until stopped; a database outage pauses the loop, it never ends it."""
        pause = self.settings.sender_poll_ms / 1000
        while not self._stopping.is_set():
            try:
                worked = await self.send_one()
            except Exception as error:  # noqa: BLE001  (the database is away: wait and try again)
                log.warning("mail_sender_paused", error=f"{type(error).__name__}: {error}")
                worked = False
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)

    async def send_one(self) -> bool:
        """Deliver the next due mail (or record how its attempt ended); False when there was nothing to do
        or the server is failing (the loop then pauses)."""
        pool = self._pool()
        if pool is None:
            return False
        async with pool.acquire() as conn:
            back, unconfirmed = await outbox.recover_abandoned(conn, self.settings.mail_claim_lease_s)
            if back or unconfirmed:
                self.unconfirmed += unconfirmed
                log.warning("mail_claims_recovered", back_to_pending=back, unconfirmed=unconfirmed)
            mail = await outbox.claim_due(conn)
            if mail is None:
                return False
            attempt = mail.attempts + 1
            message = build_message(mail, self.settings.mail_from)
            try:
                client = await asyncio.to_thread(open_conversation, self.settings,
                                                 parseaddr(self.settings.mail_from)[1], mail.to_address)
            except PermanentRefusal as error:
                await self._failed(conn, mail, error, permanent=True)
                return True
            except Exception as error:  # noqa: BLE001  (down, refusing, misconfigured: never a reason to spin)
                await self._failed(conn, mail, error, permanent=False)
                return False  # the next mail would meet the same server: pause
            try:
                await outbox.mark_handing_over(conn, mail.notification_id)
                # ---- the at-most-once window: from the commit above to the one below.
                try:
                    await asyncio.to_thread(client.data, message.as_bytes())
                except smtplib.SMTPResponseException as error:
                    # The server answered DATA with a refusal: it did not take the message.
                    await self._failed(conn, mail, error, permanent=error.smtp_code >= 500)
                    return error.smtp_code >= 500
                except Exception as error:  # noqa: BLE001  (no answer: the server may hold the message)
                    await outbox.mark_unconfirmed(conn, mail.notification_id, f"{type(error).__name__}: {error}")
                    self.unconfirmed += 1
                    log.error("mail_unconfirmed", message_id=mail.message_id, error=str(error))
                    return False
                await outbox.mark_sent(conn, mail.notification_id)
                # ---- the window is closed.
            finally:
                await asyncio.to_thread(close, client)
        self.sent += 1
        log.info("mail_sent", message_id=mail.message_id, attempts=attempt)
        return True

    async def _failed(self, conn: asyncpg.Connection, mail: PendingMail, error: BaseException, *,
                      permanent: bool) -> None:
        """Record a failed attempt: retried later, or failed for good."""
        retry = None if permanent else self.retry_in(mail.attempts + 1)
        self.failed_attempts += 1
        self.last_error = f"{type(error).__name__}: {error}"
        await outbox.mark_failed_attempt(conn, mail.notification_id, self.last_error, retry)
        level = log.error if retry is None else log.warning
        level("mail_attempt_failed", message_id=mail.message_id, attempt=mail.attempts + 1, retry_in_s=retry,
              error=self.last_error)
