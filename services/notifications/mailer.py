"""E-mail: writing a notification's message, and the sender loop that delivers the outbox over SMTP.

**Exactly where a mail can go twice.** A notification and its mail row are
written in the consumer's transaction, with the event's applied-mark: a
redelivered or re-sent event finds them (derived ids) and writes nothing, so
no event ever queues a second mail. The sender then, for one mail at a time:

1. opens a transaction and locks the next due mail row (``FOR UPDATE SKIP
   LOCKED``: a second replica skips it);
2. hands the message to the SMTP server (one connection, ``MAIL``/``RCPT``/``DATA``);
3. on the server's ``250`` to the end of ``DATA``, marks the row sent and commits.

SMTP has no idempotency: if the process dies (kill -9, power) or the database
connection is lost **after the server's 250 to DATA and before step 3's commit**,
the row is still pending and the mail is sent again on restart. That window is
one ``UPDATE`` and a commit on a connection already open — nothing else happens
in it (no other mail, no network call but the commit). Everywhere else a crash
is harmless: before the 250 the server has not taken the mail (a server that
took it but whose 250 was lost is the same window seen from the other side);
after the commit the row is sent and never looked at again. A mail sent twice
carries the same ``Message-ID`` (derived from the notification id), so a
receiving server or client can drop the copy.

**Failures.** A refusal the server says is temporary (4xx), a connection refused
or cut, a timeout: the mail is retried after a pause doubling from
``mail_retry_base_s`` up to ``mail_retry_max_s``, at most ``mail_max_attempts``
times, then marked failed; a permanent refusal of this mail (5xx to its recipient
or its content) is marked failed at once. A refused login or sender (530, 535)
is the configuration's fault, not the mail's: retried like an outage.
While the server is down the loop pauses between attempts, it never spins.

**Stop.** The loop ends on an event (no cancel needed); a conversation in
progress is bounded by ``smtp_timeout_s`` per step and the service's stop gives
it :data:`kernel.stopping.STOP_SECONDS` before abandoning it (its row's lock is
then released by the pool's close: the mail stays pending).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import smtplib
import ssl
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from datetime import datetime, timezone

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
    message.set_content(nfc(mail.body), charset="utf-8")
    return message


class PermanentRefusal(Exception):
    """The SMTP server refused the mail for good (5xx): trying again would give the same answer."""


def send_over_smtp(settings: NotificationsSettings, message: EmailMessage) -> None:
    """One SMTP conversation (blocking: run it in a thread). Raises PermanentRefusal on a 5xx refusal."""
    timeout = settings.smtp_timeout_s
    context = ssl.create_default_context(cafile=settings.smtp_ca_file) if settings.smtp_security != "none" else None
    client: smtplib.SMTP
    if settings.smtp_security == "tls":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_username and settings.smtp_password is not None:
            client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentRefusal(str(error)) from error
        raise
    except smtplib.SMTPDataError as error:
        # A refused sender or login (530, 535) is the configuration's fault, not this mail's: retried.
        if error.smtp_code >= 500:
            raise PermanentRefusal(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise
    finally:
        with contextlib.suppress(Exception):
            client.quit()


class Sender:
    """Delivers the outbox's mails one by one until :meth:`stop` (see the module's docstring)."""

    def __init__(self, settings: NotificationsSettings, pool: Callable[[], asyncpg.Pool | None],
                 send: Callable[[NotificationsSettings, EmailMessage], None] = send_over_smtp) -> None:
        self.settings = settings
        self._pool = pool
        self._send = send
        self._stopping = asyncio.Event()
        self.sent = 0
        self.failed_attempts = 0
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
        """Deliver the next due mail (or record its failed attempt); False when none was due."""
        pool = self._pool()
        if pool is None:
            return False
        async with pool.acquire() as conn, conn.transaction():
            mail = await outbox.claim_due(conn)
            if mail is None:
                return False
            message = build_message(mail, self.settings.mail_from)
            try:
                await asyncio.to_thread(self._send, self.settings, message)
            except PermanentRefusal as error:
                await outbox.mark_failed_attempt(conn, mail.notification_id, str(error), None)
                log.error("mail_refused", message_id=mail.message_id, error=str(error))
                return True
            except Exception as error:  # noqa: BLE001  (down, refusing, misconfigured: never a reason to spin)
                retry = self.retry_in(mail.attempts + 1)
                self.failed_attempts += 1
                self.last_error = f"{type(error).__name__}: {error}"
                await outbox.mark_failed_attempt(conn, mail.notification_id, self.last_error, retry)
                log.warning("mail_attempt_failed", message_id=mail.message_id, attempt=mail.attempts + 1,
                            retry_in_s=retry, error=self.last_error)
                # The server is down or refusing: the next mail would meet the same, so pause the loop too.
                return False
            # -- the at-most-once window: the server holds the mail; until this commit, a crash re-sends it.
            await outbox.mark_sent(conn, mail.notification_id)
        self.sent += 1
        log.info("mail_sent", message_id=mail.message_id, attempts=mail.attempts + 1)
        return True
