"""Reference data the office keeps: the layout of each pre-printed certificate blank (award code, issuer)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import asyncpg

CERTIFICATE_LAYOUTS_SQL = """
CREATE TABLE IF NOT EXISTS certificate_layouts (
    award_code text NOT NULL,
    issuer     text NOT NULL,
    layout     jsonb NOT NULL,
    updated_on date NOT NULL,
    updated_by text,
    PRIMARY KEY (award_code, issuer)
);
"""


async def set_layout(conn: asyncpg.Connection, award_code: str, issuer: str, layout: dict[str, Any],
                     updated_on: date, updated_by: str | None) -> None:
    """Record (or replace) the layout of a blank."""
    await conn.execute(
        "INSERT INTO certificate_layouts (award_code, issuer, layout, updated_on, updated_by) "
        "VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT (award_code, issuer) DO UPDATE SET "
        "layout = excluded.layout, updated_on = excluded.updated_on, updated_by = excluded.updated_by",
        award_code, issuer, json.dumps(layout, ensure_ascii=False), updated_on, updated_by,
    )


async def layout_of(conn: asyncpg.Connection, award_code: str, issuer: str) -> dict[str, Any] | None:
    """The layout recorded for a blank, or None."""
    raw = await conn.fetchval(
        "SELECT layout FROM certificate_layouts WHERE award_code = $1 AND issuer = $2", award_code, issuer
    )
    return json.loads(raw) if raw is not None else None
