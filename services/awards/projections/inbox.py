"""``nomination_inbox``: one row per nomination with its stage, for the office's list by state.

A projection, written in the command's transaction (:func:`project_inbox`, run by
:func:`services.awards.projections.project`): every appended event that concerns a nomination — its own,
its proposals', its awards', its dossier's — makes the nomination's file be folded again from the event
store (the same fold the handlers use, so the list never disagrees with ``GET /nominations/{id}``) and
its row rewritten. :func:`rebuild_inbox` refills it from the event store.

The row keeps the stage as if the dossier were complete, and whether a confirmed requirement's file is
missing: whether that makes it ``incomplete`` depends on the service's setting (the day dossiers became
electronic), so the query decides it (:func:`inbox`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from kernel.eventstore import START, EventStore, RecordedEvent
from kernel.unit_of_work import read_current

from ..workflow.dossier import DossierState, dossier_id_for
from ..workflow.dossier_requirements import completeness, load_requirements
from ..workflow.file import NominationFile, linked_stream_ids
from ..workflow.inbox import STAGES, stage_of
from ..workflow.nomination import CandidateStatus, NominationState

INBOX_SQL = """
CREATE TABLE IF NOT EXISTS nomination_inbox (
    nomination_id      text PRIMARY KEY,
    year               integer NOT NULL,
    award_code         text NOT NULL,
    award_name         text NOT NULL,
    submitting_unit_id text NOT NULL,
    submitted_on       date,
    stage              text NOT NULL,
    files_missing      boolean NOT NULL,
    candidates         integer NOT NULL,
    returned           integer NOT NULL,
    notice_closes_on   date,
    linked             text[] NOT NULL
);
CREATE INDEX IF NOT EXISTS nomination_inbox_year_stage ON nomination_inbox (year, stage);
CREATE INDEX IF NOT EXISTS nomination_inbox_linked ON nomination_inbox USING gin (linked);
"""


async def _streams(conn: asyncpg.Connection, ids: Sequence[str]) -> dict[str, list[Any]]:
    rows = await conn.fetch(
        "SELECT stream_id, event_type, schema_version, payload FROM events "
        "WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version", list(ids))
    found: dict[str, list[Any]] = {i: [] for i in ids}
    for row in rows:
        found[row["stream_id"]] += read_current(row["event_type"], row["schema_version"], row["payload"])
    return found


async def _nominations_of(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> list[str]:
    """The nominations the events concern (a proposal's event names its nomination only through the row)."""
    ids: dict[str, None] = {}
    others: list[str] = []
    for item in recorded:
        if not item.event_type.startswith("vn.tdkt.awards."):
            continue
        nomination_id = item.payload.get("nomination_id") if isinstance(item.payload, dict) else None
        if nomination_id:
            ids[str(nomination_id)] = None
        else:
            others.append(item.stream_id)
    if others:
        for row in await conn.fetch("SELECT nomination_id FROM nomination_inbox WHERE linked && $1::text[]", others):
            ids[row["nomination_id"]] = None
    return list(ids)


async def refresh(conn: asyncpg.Connection, nomination_id: str) -> None:
    """Fold one nomination's file and dossier again and rewrite its row (none before it is submitted)."""
    own = (await _streams(conn, [nomination_id]))[nomination_id]
    state = NominationState.replay(own, nomination_id)
    if not state.exists:
        return
    did = dossier_id_for(nomination_id)
    linked_ids = linked_stream_ids(state)
    streams = await _streams(conn, [*linked_ids, did])
    file = NominationFile.fold(nomination_id, own, streams)
    dossier = DossierState.replay(streams[did], did)
    state = file.state
    found = completeness(load_requirements(), state, dossier)
    open_notice = state.notices[-1] if state.notices and state.notices[-1].is_open else None
    await conn.execute(
        """
        INSERT INTO nomination_inbox (nomination_id, year, award_code, award_name, submitting_unit_id, submitted_on,
                                      stage, files_missing, candidates, returned, notice_closes_on, linked)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (nomination_id) DO UPDATE SET stage = EXCLUDED.stage, files_missing = EXCLUDED.files_missing,
            candidates = EXCLUDED.candidates,
            returned = EXCLUDED.returned, notice_closes_on = EXCLUDED.notice_closes_on, linked = EXCLUDED.linked
        """,
        nomination_id, state.year, state.award_code, state.award_name, state.submitting_unit_id, state.submitted_on,
        stage_of(state), bool(found.blocking), len(state.candidates),
        sum(1 for c in state.candidates if c.status is CandidateStatus.RETURNED),
        open_notice.closes_on if open_notice else None, linked_ids,
    )


async def project_inbox(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """Rewrite the rows of the nominations the appended events concern."""
    for nomination_id in await _nominations_of(conn, recorded):
        await refresh(conn, nomination_id)


async def rebuild_inbox(conn: asyncpg.Connection, store: EventStore, page: int = 1000) -> int:
    """Refill ``nomination_inbox`` from the event store, in one transaction; the nominations written."""
    await conn.execute("TRUNCATE nomination_inbox")
    position, ids = START, {}
    while events := await store.read_all(conn, position, limit=page):
        ids.update(dict.fromkeys(
            e.stream_id for e in events if e.event_type == "vn.tdkt.awards.nomination.submitted"))
        position = events[-1].position
    for nomination_id in ids:
        await refresh(conn, nomination_id)
    return len(ids)


@dataclass(frozen=True)
class InboxPage:
    """One page of the list and the counts per stage of everything the filters (but the stage) select."""

    rows: list[asyncpg.Record]
    counts: dict[str, int]
    total: int


async def inbox(conn: asyncpg.Connection, *, year: int | None, stage: str | None, unit_ids: Sequence[str] | None,
                assigned_to: str | None, files_required_from: date, limit: int, offset: int) -> InboxPage:
    """Nominations by the filters, the latest submitted first, with the assignee; counts per stage.

    A ``received`` nomination missing a required file is ``incomplete`` when it was received on or after
    ``files_required_from`` (an electronic dossier); a paper one's gaps are reported on its page only.
    """
    where, args = ["TRUE"], [files_required_from]
    for clause, value in (("i.year = ${}", year), ("a.assignee_id = ${}", assigned_to),
                          ("i.submitting_unit_id = ANY(${}::text[])", list(unit_ids) if unit_ids is not None else None)):
        if value is not None:
            args.append(value)
            where.append(clause.format(len(args)))
    staged = ("(SELECT *, CASE WHEN stage = 'received' AND files_missing AND submitted_on >= $1 THEN 'incomplete' "
              "ELSE stage END AS shown FROM nomination_inbox)")
    base = f"FROM {staged} i LEFT JOIN dossier_assignments a USING (nomination_id) WHERE " + " AND ".join(where)
    counted = {r["shown"]: r["n"] for r in await conn.fetch(f"SELECT i.shown, count(*) AS n {base} GROUP BY i.shown",
                                                           *args)}
    if stage is not None:
        args.append(stage)
        base += f" AND i.shown = ${len(args)}"
    total = await conn.fetchval(f"SELECT count(*) {base}", *args)
    rows = await conn.fetch(
        "SELECT i.nomination_id, i.year, i.award_code, i.award_name, i.submitting_unit_id, i.submitted_on, "
        "i.shown AS stage, i.candidates, i.returned, i.notice_closes_on, a.assignee_id, a.assignee_name "
        f"{base} "
        f"ORDER BY i.submitted_on DESC NULLS LAST, i.nomination_id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args, limit, offset)
    return InboxPage(rows, {s: counted.get(s, 0) for s in STAGES}, int(total))
