"""The notifications service as a process of its own (so it can be killed with SIGKILL), the real SMTP
server of the local stack, and the mails read back from the server's folder."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tdkt.stack.launcher import AUDIENCE, LOCAL_ISSUER, wait_for_health
from tdkt.stack.processes import free_port, spawn, stop
from tdkt.stack.smtp import SmtpServer


@dataclass(frozen=True)
class Mail:
    """A message as the SMTP server kept it."""

    to: str
    subject: str
    message_id: str
    body: str


def received(server: SmtpServer) -> list[Mail]:
    """Every message the server kept, in the order it received them."""
    found = []
    for path in sorted(server.maildir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.append(Mail(message["To"].addresses[0].addr_spec, str(message["Subject"]), str(message["Message-ID"]),
                          message.get_content()))
    return found


@dataclass
class NotificationsProcess:
    """``python -m services.notifications`` on the test's schema and topics, mailing through ``smtp``."""

    env: dict[str, str]
    log_file: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def for_test(cls, *, bootstrap_servers: str, database_url: str, schema: str, topic_prefix: str,
                 public_key: Path, smtp: SmtpServer, log_file: Path) -> NotificationsProcess:
        env = {
            **os.environ,
            "TDKT_KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
            "TDKT_DATABASE_URL": database_url,
            "TDKT_DATABASE_SCHEMA": schema,
            "TDKT_TOPIC_PREFIX": topic_prefix,
            "TDKT_AUTH_PUBLIC_KEY_FILE": str(public_key),
            "TDKT_AUTH_ISSUER": LOCAL_ISSUER,
            "TDKT_AUTH_AUDIENCE": AUDIENCE,
            "TDKT_LOG_FORMAT": "console",
            "TDKT_MAIL_RETRY_BASE_S": "0.3",
            "TDKT_MAIL_RETRY_MAX_S": "1.5",
            "TDKT_SENDER_POLL_MS": "100",
            "TDKT_SMTP_TIMEOUT_S": "1",
            "TDKT_MAIL_CLAIM_LEASE_S": "8",
            "TDKT_MAIL_LINK_BASE_URL": "http://portal.test",
            "PYTHONUNBUFFERED": "1",
            **smtp.service_env(),
        }
        return cls(env, log_file)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it and wait until /health answers."""
        self.process = spawn([sys.executable, "-m", "services.notifications"], log_file=self.log_file,
                             env={**self.env, "TDKT_HTTP_HOST": "127.0.0.1", "TDKT_HTTP_PORT": str(self.port)})
        wait_for_health(self.url, timeout=60)

    def kill(self) -> None:
        """SIGKILL: no stop, no goodbye — whatever was in flight is cut."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        stop(self.process)

    def client(self, token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=30, headers={"authorization": f"Bearer {token}"})
