"""Credentials of a service (or a subscriber) on a broker that authenticates its clients.

The ministry's brokers authenticate every client with SASL/SCRAM and authorise
it with Kafka's own ACLs: a service writes only its own topics and reads what
it subscribes to; an external subscriber reads the public topics only
(``deploy/README.md``, ``tdkt stack up --secure-kafka``). Without credentials
the clients connect in plain text, as on a developer's loopback broker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Mechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256"]


@dataclass(frozen=True)
class KafkaCredentials:
    """A SCRAM user and password (over TLS when ``tls`` is set: SASL_SSL)."""

    username: str
    password: str
    mechanism: Mechanism = "SCRAM-SHA-512"
    tls: bool = False

    def __repr__(self) -> str:  # the password never reaches a log line
        return f"KafkaCredentials(username={self.username!r}, mechanism={self.mechanism!r}, tls={self.tls})"


def client_options(credentials: KafkaCredentials | None) -> dict[str, Any]:
    """Keyword arguments for an aiokafka producer, consumer or admin client."""
    if credentials is None:
        return {}
    options: dict[str, Any] = {
        "security_protocol": "SASL_SSL" if credentials.tls else "SASL_PLAINTEXT",
        "sasl_mechanism": credentials.mechanism,
        "sasl_plain_username": credentials.username,
        "sasl_plain_password": credentials.password,
    }
    if credentials.tls:
        from aiokafka.helpers import create_ssl_context

        options["ssl_context"] = create_ssl_context()
    return options


def faststream_security(credentials: KafkaCredentials | None) -> Any:
    """The same credentials for a FastStream broker (None: plain text)."""
    if credentials is None:
        return None
    import ssl

    from faststream.security import SASLScram256, SASLScram512

    scheme = SASLScram512 if credentials.mechanism == "SCRAM-SHA-512" else SASLScram256
    context = ssl.create_default_context() if credentials.tls else None
    return scheme(username=credentials.username, password=credentials.password, ssl_context=context)
