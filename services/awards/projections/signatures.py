"""The signed decisions' PDFs: primary storage, beside the event that records their hash.

The bytes are nowhere in the events (``vn.tdkt.awards.decision.signed`` carries the SHA-256 and the signer),
so ``signed_decisions`` is never rebuilt; the row and the event are written in one transaction, and a row is
never changed (a decision is signed once).
"""

from __future__ import annotations

import asyncpg

SIGNATURES_SQL = """
CREATE TABLE IF NOT EXISTS signed_decisions (
    decision_id text PRIMARY KEY,
    sha256      text NOT NULL UNIQUE,
    signer      text NOT NULL,
    signed_on   date NOT NULL,
    content     bytea NOT NULL
);
CREATE OR REPLACE FUNCTION signed_decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a signed decision never changes';
END $$;
DROP TRIGGER IF EXISTS signed_decisions_no_update ON signed_decisions;
CREATE TRIGGER signed_decisions_no_update BEFORE UPDATE ON signed_decisions
    FOR EACH ROW EXECUTE FUNCTION signed_decisions_immutable();
"""


async def store_signed(conn: asyncpg.Connection, decision_id: str, sha256: str, signer: str, signed_on: object,
                       content: bytes) -> None:
    """Keep a signed PDF (in the transaction that records its event)."""
    await conn.execute(
        "INSERT INTO signed_decisions (decision_id, sha256, signer, signed_on, content) VALUES ($1, $2, $3, $4, $5)",
        decision_id, sha256, signer, signed_on, content,
    )


async def signed_content(conn: asyncpg.Connection, decision_id: str) -> bytes | None:
    """The signed PDF of a decision, or None when it was not signed."""
    return await conn.fetchval("SELECT content FROM signed_decisions WHERE decision_id = $1", decision_id)


async def signed_by_hash(conn: asyncpg.Connection, sha256: str) -> asyncpg.Record | None:
    """``decision_id, signer, signed_on`` of the signed PDF with this SHA-256, or None."""
    return await conn.fetchrow("SELECT decision_id, signer, signed_on FROM signed_decisions WHERE sha256 = $1", sha256)
