"""Settings of every service, read from environment variables (prefix ``TDKT_``).

The same variables configure the local stack, the tests and docker compose;
the README's configuration table lists them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .kafka_auth import KafkaCredentials

DEFAULT_MAX_TOKEN_LIFETIME = 12 * 3600
"""Seconds between a token's ``iat`` and ``exp`` accepted by default (``TDKT_AUTH_MAX_TOKEN_LIFETIME_S``):
a working day. A token valid for years is a stolen credential waiting to happen."""


class Settings(BaseSettings):
    """Validated settings; a bad value stops the service at start with the variable named."""

    model_config = SettingsConfigDict(env_prefix="TDKT_", extra="ignore")

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", description="Kafka brokers, host:port[,host:port…]."
    )
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="This service's own PostgreSQL database (postgresql://user:password@host:port/db).",
    )
    database_schema: str = Field(
        default="public", pattern=r"^[a-z_][a-z0-9_]*$", description="Schema holding this service's tables."
    )
    topic_prefix: str = Field(
        default="", pattern=r"^[a-zA-Z0-9._-]*$", description="Prefix for every Kafka topic name (isolation)."
    )
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP API listens on.")
    http_port: int = Field(default=8000, ge=1, le=65535, description="Port the HTTP API listens on.")
    log_format: Literal["json", "console"] = Field(
        default="json", description="json for production, console for a readable terminal."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Log level.")
    relay_batch_size: int = Field(default=1000, ge=1, le=100_000, description="Events the relay reads per batch.")
    relay_poll_interval_ms: int = Field(
        default=500, ge=10, le=60_000, description="Relay poll interval when no NOTIFY wakes it."
    )
    consumer_max_retries: int = Field(
        default=5, ge=0, le=100, description="Attempts at a failing message before it goes to the dead-letter topic."
    )
    kafka_username: str | None = Field(
        default=None, description="SASL/SCRAM user on a broker that authenticates clients; unset: plain text."
    )
    kafka_password: SecretStr | None = Field(default=None, description="That user's password.")
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = Field(
        default="SCRAM-SHA-512", description="The SCRAM mechanism the broker offers."
    )
    kafka_tls: bool = Field(default=False, description="Connect to the brokers over TLS (SASL_SSL).")
    database_password_file: Path | None = Field(
        default=None,
        description="A file holding the database password (a docker secret); it replaces the URL's password.",
    )
    kafka_password_file: Path | None = Field(
        default=None, description="A file holding the Kafka password (a docker secret); it replaces TDKT_KAFKA_PASSWORD."
    )
    auth_public_key_file: Path | None = Field(
        default=None,
        description="Public key(s) bearer tokens are verified with: a PEM file, or a JWKS document (JSON). Required.",
    )
    auth_jwks_url: str | None = Field(
        default=None,
        description="The sign-on's published keys (its jwks_uri), trusted beside the key file: fetched at start "
        "and again when a token names a key id not yet known.",
    )
    auth_issuer: str = Field(default="tdkt-local", description="The tokens' issuer (iss), e.g. the sign-on's URL.")
    auth_audience: str = Field(default="tdkt", description="The tokens' audience (aud).")
    auth_max_token_lifetime_s: int = Field(
        default=DEFAULT_MAX_TOKEN_LIFETIME, ge=60, le=7 * 24 * 3600,
        description="Longest validity (exp - iat, seconds) of a token accepted; a longer one is refused (401).",
    )

    scope_sync_ms: int = Field(
        default=3000, ge=0, le=60_000,
        description=(
            "Longest wait (ms) for the units service's facts to reach Kafka and this service's replica of them, "
            "before a command that changes a unit officer's scope answers or a unit officer's command is decided "
            "(kernel/freshness.py); a replica still behind then answers 503 replica_behind."
        ),
    )

    allow_today_header: bool = Field(
        default=False,
        description=(
            "Let an administrator's requests set the business date with the X-Tdkt-Today header (YYYY-MM-DD), "
            "for tests and demos that replay a past year (kernel/clock.py). Off in production: a request "
            "carrying the header is then refused (403), never silently dated today."
        ),
    )

    @model_validator(mode="after")
    def _read_password_files(self) -> Settings:
        """Passwords from files, read once at start: docker secrets, not environment variables (which
        ``docker inspect`` and ``/proc/<pid>/environ`` show)."""
        if self.database_password_file is not None:
            password = read_secret(self.database_password_file, "TDKT_DATABASE_PASSWORD_FILE")
            url = urlsplit(self.database_url)
            if not url.username:
                raise ValueError("TDKT_DATABASE_URL must name its user when TDKT_DATABASE_PASSWORD_FILE is set")
            host = url.netloc.rsplit("@", 1)[-1]
            netloc = f"{quote(url.username, safe='')}:{quote(password, safe='')}@{host}"
            self.database_url = urlunsplit(url._replace(netloc=netloc))
        if self.kafka_password_file is not None:
            self.kafka_password = SecretStr(read_secret(self.kafka_password_file, "TDKT_KAFKA_PASSWORD_FILE"))
        return self

    def kafka_credentials(self) -> KafkaCredentials | None:
        """The SASL credentials, when a user is set (its password is then required)."""
        if not self.kafka_username:
            return None
        if self.kafka_password is None:
            raise ValueError("TDKT_KAFKA_PASSWORD is required with TDKT_KAFKA_USERNAME")
        return KafkaCredentials(self.kafka_username, self.kafka_password.get_secret_value(),
                                self.kafka_sasl_mechanism, self.kafka_tls)


def read_secret(path: Path, variable: str) -> str:
    """A password file's one line; a clear error naming the variable when it cannot be read or is empty."""
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ValueError(f"{variable}: cannot read {path}: {error.strerror}") from error
    if not password:
        raise ValueError(f"{variable}: {path} is empty")
    return password
