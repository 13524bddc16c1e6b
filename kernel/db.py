"""PostgreSQL connections for a service: one pool, one schema, migrations at start."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

import asyncpg


def quote_ident(name: str) -> str:
    """Quote an SQL identifier (schema and table names come from settings, never from users)."""
    return '"' + name.replace('"', '""') + '"'


async def _init_connection(conn: asyncpg.Connection) -> None:
    # JSONB in and out as Python objects; Vietnamese text stays unescaped.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")),
        decoder=json.loads,
        schema="pg_catalog",
    )


async def connect(url: str, schema: str) -> asyncpg.Connection:
    """A single connection working inside ``schema``, with the same codecs as the pool."""
    conn = await asyncpg.connect(url, server_settings={"search_path": schema})
    await _init_connection(conn)
    return conn


async def create_pool(url: str, schema: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """A pool whose connections work inside ``schema`` (created if missing)."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}")
    finally:
        await conn.close()
    return await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        server_settings={"search_path": schema, "application_name": f"tdkt:{schema}"},
    )


async def apply_sql(conn: asyncpg.Connection, statements: Sequence[str]) -> None:
    """Run idempotent DDL (CREATE … IF NOT EXISTS) under a lock so replicas can start together."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
        for statement in statements:
            await conn.execute(statement)


def kernel_sql(name: str) -> str:
    """The text of one of the kernel's own DDL files."""
    return resources.files("kernel").joinpath(f"sql/{name}").read_text()


Record = dict[str, Any]
