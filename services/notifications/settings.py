"""Settings of the notifications service: the kernel's, plus the SMTP server and the sender's pace."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from kernel.settings import Settings, read_secret


class NotificationsSettings(Settings):
    """Environment variables ``TDKT_*``; see :class:`kernel.settings.Settings` for the rest."""

    smtp_host: str = Field(default="127.0.0.1", description="The SMTP server mail is handed to.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Its port (25, 587 with STARTTLS, 465 with TLS).")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="none",
        description="none: plain SMTP (the local stack's loopback server only); starttls: upgrade the "
        "connection (port 587); tls: TLS from the first byte (port 465).",
    )
    smtp_username: str | None = Field(default=None, description="SMTP login (AUTH); unset: no login.")
    smtp_password: SecretStr | None = Field(default=None, description="That login's password.")
    smtp_password_file: Path | None = Field(
        default=None, description="A file holding the SMTP password (a docker secret); it replaces TDKT_SMTP_PASSWORD."
    )
    smtp_ca_file: Path | None = Field(
        default=None, description="CA certificates the SMTP server's certificate is verified with; unset: the system's."
    )
    smtp_timeout_s: float = Field(default=10.0, gt=0, le=300, description="Bound of one SMTP conversation step.")
    mail_from: str = Field(
        default="Thi đua – Khen thưởng <tdkt@localhost>", description="The From of every mail (name and address)."
    )
    mail_claim_lease_s: float = Field(
        default=300.0, gt=0, le=86400,
        description="A mail claimed longer ago than this belongs to a sender that died: back to pending (before "
        "DATA) or unconfirmed (during it). Must exceed a whole conversation: 8 × TDKT_SMTP_TIMEOUT_S at least.",
    )
    mail_max_attempts: int = Field(
        default=20, ge=1, le=1000, description="Attempts at a mail before it is given up (status failed)."
    )
    mail_retry_base_s: float = Field(default=1.0, gt=0, le=3600, description="Pause after a mail's first failure.")
    mail_retry_max_s: float = Field(default=300.0, gt=0, le=86400, description="Longest pause between attempts.")
    sender_poll_ms: int = Field(default=500, ge=10, le=60_000, description="How often the sender looks for due mail.")
    deadline_check_s: float = Field(
        default=60.0, gt=0, le=86400, description="How often the deadlines are compared with today."
    )
    mail_link_base_url: str = Field(
        default="http://127.0.0.1:8080", description="The portal's address: the links in the mails start with it."
    )

    @model_validator(mode="after")
    def _read_smtp_password_file(self) -> NotificationsSettings:
        """The SMTP password from its file (a docker secret), read once at start."""
        if self.smtp_password_file is not None:
            self.smtp_password = SecretStr(read_secret(self.smtp_password_file, "TDKT_SMTP_PASSWORD_FILE"))
        if self.mail_claim_lease_s < 8 * self.smtp_timeout_s:
            # A live sender's claim must never look abandoned: another replica would send the mail again.
            raise ValueError("TDKT_MAIL_CLAIM_LEASE_S must be at least 8 × TDKT_SMTP_TIMEOUT_S")
        if self.smtp_password is not None and not self.smtp_password.get_secret_value().isascii():
            raise ValueError("TDKT_SMTP_PASSWORD: SMTP AUTH sends ASCII only; use a password without diacritics")
        if self.smtp_username and self.smtp_password is None:
            raise ValueError("TDKT_SMTP_PASSWORD (or TDKT_SMTP_PASSWORD_FILE) is required with TDKT_SMTP_USERNAME")
        return self
