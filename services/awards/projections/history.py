"""The awards context's own facts: what it conferred, revoked, and records from the files.

These tables (declared in :mod:`.tables`) live in the service's schema and are written by the awards
context itself, never by a consumer of its own topic:

- ``held_awards``: every title (danh hiệu) and award (hình thức khen thưởng)
  conferred, with the initiatives it used as evidence and, once revoked, the
  revocation. Written by :func:`record_conferred` / :func:`record_revoked`,
  which the workflow's command handlers call inside the transaction that
  appends ``TitleConferred`` / ``AwardGranted`` / ``AwardRevoked``
  (the handlers' ``project``), so the event and
  the table commit together and the next assessment sees them at once.
  :func:`rebuild_history` refills the table from the event store.
- ``holds``, ``attestations``, ``person_supplements``: facts no other context
  publishes and that the office records from a nomination file — an open
  review, investigation or complaint (NĐ 152/2025 Điều 4 khoản 4); findings
  only a person can attest (outstanding in a movement…); years of hazardous
  work, of teaching, in extremely disadvantaged areas, the date one joined
  education. ``PUT /people/{id}/supplements`` and ``POST /attestations``
  (:mod:`services.awards.api.file_facts`) write the last two; this service is
  their system of record, so "no hold recorded" is read as "no hold" while
  "no supplement recorded" is read as unknown (see
  :mod:`.facts`). Awards decided before the system was
  used are entered with ``POST /held-awards`` as award events, so they reach
  ``held_awards`` like any grant.

Initiatives used as evidence are not a separate table: they are the
``initiative_ids`` of the recipient's held awards, so marking an initiative
used and conferring the award are one write. A revoked award keeps its
evidence marked as used: a revocation (fraud, false file, criteria later
found unmet) must not let the same initiative serve again unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import asyncpg
from tdkt_contracts import parse
from tdkt_contracts.catalogue.awards import AwardGranted, AwardRevoked, TitleConferred

from kernel.errors import NotFound
from kernel.eventstore import START, EventStore, RecordedEvent

DECISION_NOT_FOUND = "decision_not_found"



async def record_conferred(conn: asyncpg.Connection, event: TitleConferred | AwardGranted) -> None:
    """Record a conferred title or award (and the initiatives it used) in the caller's transaction.

    Idempotent on ``award_id``: recording the same decision again changes nothing.
    """
    award_kind = "title" if isinstance(event, TitleConferred) else "award"
    r = event.recipient
    await conn.execute(
        """
        INSERT INTO held_awards (award_id, award_kind, award_code, award_name, year, category, recipient_kind,
                                 subject_id, display_name, unit_id, authority, conferred_by_ministry,
                                 decision_number, decision_date, nomination_id, proposal_id, initiative_ids)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
        ON CONFLICT (award_id) DO UPDATE SET
            award_kind = excluded.award_kind, award_code = excluded.award_code, award_name = excluded.award_name,
            year = excluded.year, category = excluded.category, recipient_kind = excluded.recipient_kind,
            subject_id = excluded.subject_id, display_name = excluded.display_name, unit_id = excluded.unit_id,
            authority = excluded.authority, conferred_by_ministry = excluded.conferred_by_ministry,
            decision_number = excluded.decision_number, decision_date = excluded.decision_date,
            nomination_id = excluded.nomination_id, proposal_id = excluded.proposal_id,
            initiative_ids = excluded.initiative_ids
        """,
        event.award_id, award_kind, event.award_code, event.award_name, event.year, event.category,
        r.recipient_kind.value, r.subject_id, r.display_name, r.unit_id, event.authority.value,
        event.conferred_by_ministry, event.decision_number, event.decision_date, event.nomination_id,
        event.proposal_id, list(dict.fromkeys(event.initiative_ids)),
    )


async def record_revoked(conn: asyncpg.Connection, event: AwardRevoked) -> None:
    """Mark a held award revoked: it no longer counts as held (its evidence stays used).

    The award stream is ordered, so its conferral is already recorded; a
    revocation of an award this service never conferred is a bug upstream.
    """
    updated = await conn.execute(
        "UPDATE held_awards SET revoked_on = $2, revocation_decision = $3, revocation_reason = $4 WHERE award_id = $1",
        event.award_id, event.revoked_on, event.decision_number, event.reason,
    )
    if updated == "UPDATE 0":
        raise LookupError(f"award {event.award_id!r} is revoked but was never recorded as conferred")


async def project_history(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """The handlers' projection: keep the history tables with the appended events, in their transaction."""
    for item in recorded:
        if item.event_type not in _TYPES:
            continue  # nominations, votes, proposals: no held award yet
        event = parse(item.event_type, item.schema_version, item.payload)
        if isinstance(event, AwardRevoked):
            await record_revoked(conn, event)
        elif isinstance(event, TitleConferred | AwardGranted):
            await record_conferred(conn, event)


_TYPES = frozenset({TitleConferred.event_type, AwardGranted.event_type, AwardRevoked.event_type})


async def rebuild_history(conn: asyncpg.Connection, store: EventStore, page: int = 1000) -> int:
    """Refill ``held_awards`` from the event store in log order (e.g. after the projection changed).

    Run inside one transaction; returns the number of events read.
    """
    await conn.execute("TRUNCATE held_awards")
    position, read = START, 0
    while True:
        events = await store.read_all(conn, position, limit=page)
        if not events:
            return read
        await project_history(conn, events)
        read += len(events)
        position = events[-1].position


# ---------------------------------------------------------------- facts recorded from files


async def record_hold(
    conn: asyncpg.Connection,
    hold_id: str,
    *,
    recipient_kind: str,
    subject_id: str,
    kind: str,
    opened_on: date,
    closed_on: date | None = None,
    reference: str | None = None,
) -> None:
    """Record (or update) a review, investigation or complaint that stops awards while open."""
    await conn.execute(
        "INSERT INTO holds (hold_id, recipient_kind, subject_id, kind, opened_on, closed_on, reference) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (hold_id) DO UPDATE SET recipient_kind = "
        "excluded.recipient_kind, subject_id = excluded.subject_id, kind = excluded.kind, "
        "opened_on = excluded.opened_on, closed_on = excluded.closed_on, reference = excluded.reference",
        hold_id, recipient_kind, subject_id, kind, opened_on, closed_on, reference,
    )


async def record_attestation(
    conn: asyncpg.Connection, *, recipient_kind: str, subject_id: str, key: str, year: int, reference: str | None
) -> None:
    """Record a finding the file attests for a year (e.g. ``outstanding_in_movement``)."""
    await conn.execute(
        "INSERT INTO attestations (recipient_kind, subject_id, key, year, reference) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (recipient_kind, subject_id, key, year) DO UPDATE SET reference = excluded.reference",
        recipient_kind, subject_id, key, year, reference,
    )


async def record_supplements(
    conn: asyncpg.Connection,
    person_id: str,
    *,
    recorded_on: date,
    education_joined_on: date | None = None,
    hazardous_service_years: float | None = None,
    disadvantaged_area_years: float | None = None,
    teaching_years: float | None = None,
    recruited_on: date | None = None,
    absences: list[dict[str, object]] | None = None,
    deceased_on: date | None = None,
    reference: str | None = None,
) -> None:
    """Record the service facts a file gives for a person; a None keeps it unknown."""
    await conn.execute(
        "INSERT INTO person_supplements (person_id, education_joined_on, hazardous_service_years, "
        "disadvantaged_area_years, teaching_years, recruited_on, absences, deceased_on, reference, recorded_on) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) "
        "ON CONFLICT (person_id) DO UPDATE SET education_joined_on = excluded.education_joined_on, "
        "hazardous_service_years = excluded.hazardous_service_years, "
        "disadvantaged_area_years = excluded.disadvantaged_area_years, teaching_years = excluded.teaching_years, "
        "recruited_on = excluded.recruited_on, absences = excluded.absences, deceased_on = excluded.deceased_on, "
        "reference = excluded.reference, recorded_on = excluded.recorded_on",
        person_id, education_joined_on, hazardous_service_years, disadvantaged_area_years, teaching_years,
        recruited_on, json.dumps(absences, default=str) if absences is not None else None, deceased_on,
        reference, recorded_on,
    )


# ---------------------------------------------------------------- reading


async def award_ids_of(
    conn: asyncpg.Connection, *, subject_ids: Sequence[str] = (), unit_ids: Sequence[str] = ()
) -> list[str]:
    """The award streams of these subjects and of the people of these units (``held_awards`` indexes them)."""
    rows = await conn.fetch(
        "SELECT award_id FROM held_awards WHERE subject_id = ANY($1::text[]) OR unit_id = ANY($2::text[])",
        list(subject_ids),
        list(unit_ids),
    )
    return [r["award_id"] for r in rows]


async def granted_count(conn: asyncpg.Connection, award_code: str, year: int, scope: Sequence[str] | None) -> int:
    """Awards of a code and year still held, in a scope of units (None: the whole Ministry)."""
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM held_awards WHERE award_code = $1 AND year = $2 AND revoked_on IS NULL "
            "AND ($3::text[] IS NULL OR unit_id = ANY($3::text[]) OR subject_id = ANY($3::text[]))",
            award_code,
            year,
            list(scope) if scope is not None else None,
        )
    )


async def awards_of_decision(
    conn: asyncpg.Connection, number: str, award_code: str | None, year: int | None = None
) -> list[asyncpg.Record]:
    """``award_id, award_code, conferred_by_ministry, decision_date`` of the awards a decision number conferred
    (optionally of one code, and of the decisions dated in ``year``: numbers restart every year), by award id;
    NotFound('decision_not_found') if none."""
    rows = await conn.fetch(
        "SELECT award_id, award_code, conferred_by_ministry, decision_date FROM held_awards "
        "WHERE decision_number = $1 AND ($2::text IS NULL OR award_code = $2) "
        "AND ($3::int IS NULL OR extract(year FROM decision_date)::int = $3) ORDER BY award_id",
        number,
        award_code,
        year,
    )
    if not rows:
        where = f" of {year}" if year is not None else ""
        raise NotFound(DECISION_NOT_FOUND, f"No award was conferred by decision {number!r}{where}",
                       decision_number=number, **({"year": year} if year is not None else {}))
    return list(rows)


async def decisions_of_year(conn: asyncpg.Connection, year: int) -> list[asyncpg.Record]:
    """The decisions the Ministry (or a unit head) took in ``year``: ``decision_number, decision_date,
    award_code, award_name, awards`` (how many, revoked ones included), by date and number."""
    return list(await conn.fetch(
        "SELECT decision_number, min(decision_date) AS decision_date, award_code, min(award_name) AS award_name, "
        "count(*)::int AS awards FROM held_awards "
        "WHERE conferred_by_ministry AND extract(year FROM decision_date)::int = $1 "
        "GROUP BY decision_number, award_code ORDER BY min(decision_date), decision_number, award_code",
        year,
    ))


async def supplements_of(conn: asyncpg.Connection, person_id: str) -> dict[str, object]:
    """The service facts recorded for a person; NotFound('supplements_not_found') if none."""
    row = await conn.fetchrow("SELECT * FROM person_supplements WHERE person_id = $1", person_id)
    if row is None:
        raise NotFound("supplements_not_found", f"No file facts are recorded for {person_id!r}", person_id=person_id)
    found = dict(row)
    if isinstance(found.get("absences"), str):
        found["absences"] = json.loads(found["absences"])
    return found


async def attestations_of(conn: asyncpg.Connection, subject_id: str, year: int | None) -> list[dict[str, object]]:
    """The attested findings recorded for a subject (of one year, or all), by year and key."""
    rows = await conn.fetch(
        "SELECT * FROM attestations WHERE subject_id = $1 AND ($2::int IS NULL OR year = $2) ORDER BY year, key",
        subject_id,
        year,
    )
    return [dict(r) for r in rows]
