"""Session-wide real stack for the tests: one Apache Kafka broker and one PostgreSQL server.

The stack starts once per test session (or is taken from
TDKT_TEST_KAFKA_BOOTSTRAP_SERVERS and TDKT_TEST_DATABASE_URL when both are
set). Each test gets its own database schema and Kafka topic prefix, so tests
never see each other's data. If the stack cannot start, every test that needs
it errors with the reason: nothing is skipped silently.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from kernel.db import create_pool

TEST_DATABASE = "tdkt_test"


@dataclass(frozen=True)
class RealStack:
    """Where the session's real Kafka and PostgreSQL listen."""

    bootstrap_servers: str
    database_url: str
    state_dir: Path | None = None


@pytest.fixture(scope="session")
def real_stack() -> Iterator[RealStack]:
    kafka = os.environ.get("TDKT_TEST_KAFKA_BOOTSTRAP_SERVERS")
    database = os.environ.get("TDKT_TEST_DATABASE_URL")
    if kafka and database:
        yield RealStack(kafka, database)
        return
    from tdkt.stack.launcher import Stack, StackConfig

    state_dir = Path(tempfile.mkdtemp(prefix="tdkt-test-stack-"))
    stack = Stack(StackConfig(state_dir=state_dir, services=()))
    try:
        stack.start(progress=lambda line: print(f"[test stack] {line}"))
        assert stack.kafka and stack.postgres
        import asyncio

        asyncio.run(_create_database(stack.postgres.url(), TEST_DATABASE))
        yield RealStack(stack.kafka.bootstrap_servers, stack.postgres.url(TEST_DATABASE), state_dir)
    finally:
        stack.stop()


async def _create_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@pytest.fixture
def schema() -> str:
    """A database schema of this test's own."""
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def topic_prefix() -> str:
    """A Kafka topic prefix of this test's own."""
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
async def pool(real_stack: RealStack, schema: str) -> AsyncIterator[asyncpg.Pool]:
    """A connection pool working in this test's schema."""
    pool = await create_pool(real_stack.database_url, schema, max_size=20)
    try:
        yield pool
    finally:
        await pool.close()


@dataclass(frozen=True)
class TestKeys:
    """The session's local sign-on: tokens signed with ``private``, verified by the services with ``public``."""

    private: Path
    public: Path

    def token(self, *roles: str, subject: str = "test-admin", unit_id: str | None = None,
              name: str | None = None) -> str:
        from kernel.auth import Role, mint_token
        from tdkt.stack.launcher import AUDIENCE, LOCAL_ISSUER

        return mint_token(self.private, subject=subject, roles=roles or (Role.ADMINISTRATOR,), unit_id=unit_id,
                          name=name, issuer=LOCAL_ISSUER, audience=AUDIENCE)

    def headers(self, *roles: str, **kw: str | None) -> dict[str, str]:
        """``Authorization`` for a token with these roles (administrator when none)."""
        return {"authorization": f"Bearer {self.token(*roles, **kw)}"}  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def auth_keys() -> TestKeys:
    """One key pair for the session."""
    from kernel.auth import generate_key_pair

    private, public = generate_key_pair(Path(tempfile.mkdtemp(prefix="tdkt-test-keys-")))
    return TestKeys(private, public)


@pytest.fixture
def settings(real_stack: RealStack, schema: str, topic_prefix: str, auth_keys: TestKeys):  # type: ignore[no-untyped-def]
    """Service settings pointing at the real stack, isolated by schema and topic prefix."""
    from kernel.settings import Settings

    return Settings(
        kafka_bootstrap_servers=real_stack.bootstrap_servers,
        database_url=real_stack.database_url,
        database_schema=schema,
        topic_prefix=topic_prefix,
        relay_poll_interval_ms=50,
        consumer_max_retries=2,
        log_format="console",
        auth_public_key_file=auth_keys.public,
    )


@pytest.fixture
async def start_service(auth_keys: TestKeys):  # type: ignore[no-untyped-def]
    """Start services in-process (their relay and consumers run for real); yields an HTTP client per service.

    Usage: ``client = await start_service(build, settings)`` where ``build(settings)``
    returns ``(app, service)``. The client sends an administrator's token unless a request
    sets its own ``Authorization``.
    """
    import contextlib

    import httpx

    stack = contextlib.AsyncExitStack()

    async def start(build, settings):  # type: ignore[no-untyped-def]
        app, service = build(settings)
        await service.start()
        stack.push_async_callback(service.stop)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service", timeout=30,
                                   headers=auth_keys.headers())
        stack.push_async_callback(client.aclose)
        client.service = service  # type: ignore[attr-defined]
        return client

    async with stack:
        yield start
