"""The local stack's SMTP server (aiosmtpd, loopback): keeps every message it receives as one ``.eml`` file.

It stands for the ministry's mail server so that tests and the demo can read
what the notifications service sent: ``<state>/smtp/maildir/<n>-<uuid>.eml``,
the message's bytes as received (0600, written to a temporary name and renamed,
so a reader never sees half a message). It offers STARTTLS with a certificate
of its own (``<state>/smtp/cert.pem``, for ``127.0.0.1``; its key 0600) and
takes mail only from a client that logged in (AUTH PLAIN/LOGIN, after STARTTLS)
as the one user of ``<state>/smtp-users.json``.

``python -m tdkt.stack.smtp --port N --folder DIR --users FILE --cert C --key K``
runs it; :class:`SmtpServer` starts and stops it as a child of the stack.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import itertools
import json
import os
import signal
import ssl
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .processes import private_dir, spawn, stop, wait_for_port, write_secret

HOST = "127.0.0.1"
USER = "notifications"
"""The login of the notifications service on the local server."""


# --------------------------------------------------------------------------- the server process


class KeepEveryMessage:
    """aiosmtpd handler: each accepted message becomes one file in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        start = len(list(folder.glob("*.eml")))
        self._numbers = itertools.count(start + 1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's name)
        name = f"{next(self._numbers):06d}-{uuid.uuid4().hex[:12]}.eml"
        temporary = self.folder / f".{name}.part"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(envelope.original_content or envelope.content)
            file.flush()
            os.fsync(file.fileno())
        os.rename(temporary, self.folder / name)  # the 250 below is sent only once the file is whole
        return "250 Message accepted for delivery"


def _authenticator(users: dict[str, str]) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(errors="replace"), data.password.decode(errors="replace")
        return AuthResult(success=users.get(login) == password and bool(password), handled=False)

    return check


async def _serve(port: int, folder: Path, users: dict[str, str], cert: Path, key: Path) -> None:
    from aiosmtpd.smtp import SMTP

    handler = KeepEveryMessage(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.tdkt.local", tls_context=context, require_starttls=True,
                     auth_required=True, auth_require_tls=True, authenticator=_authenticator(users),
                     enable_SMTPUTF8=True),
        host=HOST, port=port,
    )
    stopping = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    print(f"smtp server listening on {HOST}:{port}, keeping messages in {folder}", flush=True)
    await stopping.wait()
    server.close()
    await asyncio.wait_for(server.wait_closed(), 5)


def main(argv: list[str] | None = None) -> None:
    """Run the server until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--users", type=Path, required=True, help="JSON {login: password} (0600)")
    parser.add_argument("--cert", type=Path, required=True)
    parser.add_argument("--key", type=Path, required=True)
    args = parser.parse_args(argv)
    users = json.loads(args.users.read_text())
    asyncio.run(_serve(args.port, args.folder, users, args.cert, args.key))


# --------------------------------------------------------------------------- the stack's part


def make_certificate(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (made once; the key 0600)."""
    if cert.exists() and key.exists():
        return
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tdkt local SMTP")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    write_secret(key, private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()).decode())
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


@dataclass
class SmtpServer:
    """The SMTP server as a child process: ``home`` holds its certificate, users file and ``maildir``."""

    home: Path
    port: int
    password: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def maildir(self) -> Path:
        """Where every received message is kept, one ``.eml`` each."""
        return self.home / "maildir"

    @property
    def cert(self) -> Path:
        return self.home / "cert.pem"

    @property
    def log_file(self) -> Path:
        return self.home / "smtp.log"

    def start(self, timeout: float = 30.0) -> None:
        """Start it (the certificate and users file made first) and wait until it accepts connections."""
        private_dir(self.home)
        private_dir(self.maildir)
        make_certificate(self.cert, self.home / "key.pem")
        write_secret(self.home / "users.json", json.dumps({USER: self.password}))
        self.process = spawn(
            [sys.executable, "-m", "tdkt.stack.smtp", "--port", str(self.port), "--folder", str(self.maildir),
             "--users", str(self.home / "users.json"), "--cert", str(self.cert), "--key", str(self.home / "key.pem")],
            log_file=self.log_file,
        )
        wait_for_port(HOST, self.port, timeout=timeout, process=self.process, log_file=self.log_file)

    def stop(self) -> None:
        """Stop it (SIGTERM, then kill after a bound)."""
        stop(self.process, timeout=10.0)

    def service_env(self) -> dict[str, str]:
        """What the notifications service needs to hand it mail: STARTTLS, its certificate, the login."""
        return {
            "TDKT_SMTP_HOST": HOST,
            "TDKT_SMTP_PORT": str(self.port),
            "TDKT_SMTP_SECURITY": "starttls",
            "TDKT_SMTP_CA_FILE": str(self.cert),
            "TDKT_SMTP_USERNAME": USER,
            "TDKT_SMTP_PASSWORD": self.password,
        }


if __name__ == "__main__":
    main()
