"""The dossiers' files: their bytes, in chunks, in the awards service's own PostgreSQL.

Why PostgreSQL and not an object store: the file and the event that records
it (its hash) are written in one transaction — a refused or rolled-back
upload leaves no orphan bytes, a recorded event never points at a missing
file — and the service's one backup (its database) holds both. Files are
small (a dossier is a few PDFs and scans, bounded by the settings), so bytea
chunks of :data:`CHUNK_BYTES` keep each row small and let a download stream.

``dossier_assignments`` is a projection (of ``vn.tdkt.awards.dossier.assigned``,
in the command's transaction; :func:`rebuild_assignments` refills it from the
event store): who is in charge of each dossier, for a specialist's list of
what is theirs.

``dossier_files`` is not a projection: the bytes are nowhere in the events, so ``dossier_files``
is primary storage and is never rebuilt. A version's rows are written once;
the trigger refuses any UPDATE (a replaced file is a new version), and the
download checks the SHA-256 of the event anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Sequence
from typing import IO

import asyncpg
from tdkt_contracts import parse
from tdkt_contracts.catalogue.awards import DossierAssigned

from kernel.eventstore import START, EventStore, RecordedEvent

CHUNK_BYTES = 1024 * 1024

DOSSIER_SQL = """
CREATE TABLE IF NOT EXISTS dossier_files (
    dossier_id  text NOT NULL,
    document_id text NOT NULL,
    version     integer NOT NULL,
    seq         integer NOT NULL,
    chunk       bytea NOT NULL,
    PRIMARY KEY (dossier_id, document_id, version, seq)
);
CREATE OR REPLACE FUNCTION dossier_files_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a dossier file version never changes (attach a new version)';
END $$;
CREATE TABLE IF NOT EXISTS dossier_assignments (
    nomination_id text PRIMARY KEY,
    assignee_id   text NOT NULL,
    assignee_name text,
    note          text,
    assigned_on   date NOT NULL,
    assigned_by   text
);
CREATE INDEX IF NOT EXISTS dossier_assignments_assignee ON dossier_assignments (assignee_id, assigned_on);
DROP TRIGGER IF EXISTS dossier_files_no_update ON dossier_files;
CREATE TRIGGER dossier_files_no_update BEFORE UPDATE ON dossier_files
    FOR EACH ROW EXECUTE FUNCTION dossier_files_immutable();
"""


async def store_file(
    conn: asyncpg.Connection, dossier_id: str, document_id: str, version: int, file: IO[bytes]
) -> None:
    """Write the file's bytes as chunks of one version (in the command's transaction)."""
    file.seek(0)
    seq = 0
    while chunk := file.read(CHUNK_BYTES):
        await conn.execute(
            "INSERT INTO dossier_files (dossier_id, document_id, version, seq, chunk) VALUES ($1, $2, $3, $4, $5)",
            dossier_id, document_id, version, seq, chunk,
        )
        seq += 1


async def file_sha256(conn: asyncpg.Connection, dossier_id: str, document_id: str, version: int) -> str | None:
    """The SHA-256 of a version's stored bytes, read chunk by chunk (None when nothing is stored).

    Runs in the caller's transaction (a cursor needs one).
    """
    digest = hashlib.sha256()
    found = False
    async for row in conn.cursor(
        "SELECT chunk FROM dossier_files WHERE dossier_id = $1 AND document_id = $2 AND version = $3 ORDER BY seq",
        dossier_id, document_id, version, prefetch=2,
    ):
        digest.update(row["chunk"])
        found = True
    return digest.hexdigest() if found else None


async def file_chunks(
    pool: asyncpg.Pool, dossier_id: str, document_id: str, version: int
) -> AsyncIterator[bytes]:
    """A version's bytes, chunk by chunk, for a streamed download."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        async for row in conn.cursor(
            "SELECT chunk FROM dossier_files WHERE dossier_id = $1 AND document_id = $2 AND version = $3 ORDER BY seq",
            dossier_id, document_id, version, prefetch=2,
        ):
            yield bytes(row["chunk"])


async def project_dossier(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """Keep ``dossier_assignments`` with the appended events (the latest assignment of a dossier wins)."""
    for item in recorded:
        if item.event_type != DossierAssigned.event_type:
            continue
        event = parse(item.event_type, item.schema_version, item.payload)
        assert isinstance(event, DossierAssigned)
        await conn.execute(
            """
            INSERT INTO dossier_assignments (nomination_id, assignee_id, assignee_name, note, assigned_on, assigned_by)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (nomination_id) DO UPDATE SET assignee_id = EXCLUDED.assignee_id,
                assignee_name = EXCLUDED.assignee_name, note = EXCLUDED.note,
                assigned_on = EXCLUDED.assigned_on, assigned_by = EXCLUDED.assigned_by
            """,
            event.nomination_id, event.assignee_id, event.assignee_name, event.note, event.assigned_on,
            event.assigned_by,
        )


async def rebuild_assignments(conn: asyncpg.Connection, store: EventStore, page: int = 1000) -> int:
    """Refill ``dossier_assignments`` from the event store in log order; in one transaction; the events read."""
    await conn.execute("TRUNCATE dossier_assignments")
    position, read = START, 0
    while events := await store.read_all(conn, position, limit=page):
        await project_dossier(conn, events)
        read += len(events)
        position = events[-1].position
    return read


async def assigned_to(conn: asyncpg.Connection, assignee_id: str, limit: int) -> list[asyncpg.Record]:
    """The dossiers a specialist is in charge of, the latest assigned first."""
    return await conn.fetch(
        "SELECT nomination_id, assignee_id, assignee_name, note, assigned_on, assigned_by FROM dossier_assignments "
        "WHERE assignee_id = $1 ORDER BY assigned_on DESC, nomination_id LIMIT $2",
        assignee_id, limit,
    )
