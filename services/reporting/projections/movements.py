"""Read model ``movements``: dashboards of the emulation movements, their targets,
registrations, pledges and reviews, from the campaigns events.

Tables (schema ``<service schema>_rm_movements``):

- ``movements``: one row per movement (phong trào thi đua) with its current
  title, scope, period and status (active / closed);
- ``movement_reviews``: interim and final reviews (sơ kết, tổng kết), keyed by
  the event id;
- ``targets``: one row per target (chỉ tiêu) with its latest numbers
  (numerator, denominator, share, on track) and its outcome (open / met / missed);
- ``years_closed``: emulation years closed;
- ``registrations``: one row per registration (đăng ký thi đua), submitted or withdrawn;
- ``pledges`` and ``pledge_reviews``: emulation pledges (giao ước thi đua) and the
  assessment of each clause at each review.

Counts per movement (registrations, targets met…) are computed at query time
from these rows, so they never depend on the order of reading. Events of one
aggregate (movement, target, registration, pledge) are ordered on their
partition; a target's numbers are applied only if their stream version is newer.
"""

from __future__ import annotations

import json
from typing import ClassVar

import asyncpg
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue.campaigns import (
    MovementAmended,
    MovementClosed,
    MovementLaunched,
    MovementReviewed,
    PledgeReviewed,
    PledgeSigned,
    RegistrationSubmitted,
    RegistrationWithdrawn,
    TargetMet,
    TargetMissed,
    TargetProgressed,
    TargetSet,
    YearClosed,
)

from kernel.collation import sortable

from .base import Projection


def _json(value: object) -> str:
    # Stored as text JSON (the jsonb codec would re-encode): ensure_ascii off keeps Vietnamese readable.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class Movements(Projection):
    """The movement dashboards read model (see the module docstring)."""

    model: ClassVar[str] = "movements"
    topics: ClassVar[tuple[str, ...]] = ("tdkt.campaigns.events",)
    TABLES: ClassVar[tuple[str, ...]] = (
        "movements", "movement_reviews", "targets", "years_closed", "registrations", "pledges", "pledge_reviews",
        "rm_currency",
    )
    HANDLES: ClassVar[frozenset[str]] = frozenset(
        m.event_type
        for m in (
            MovementLaunched, MovementAmended, MovementReviewed, MovementClosed, TargetSet, TargetProgressed,
            TargetMet, TargetMissed, YearClosed, RegistrationSubmitted, RegistrationWithdrawn, PledgeSigned,
            PledgeReviewed,
        )
    )
    DDL: ClassVar[tuple[str, ...]] = (
        """
        CREATE TABLE IF NOT EXISTS movements (
            movement_id           text PRIMARY KEY,
            title                 text NOT NULL,
            launched_by           text NOT NULL,
            kind                  text NOT NULL,
            scope                 jsonb NOT NULL,
            period_start          date NOT NULL,
            period_end            date,
            criteria              text NOT NULL,
            launched_on           date NOT NULL,
            decision_ref          text,
            responds_to           text,
            registration_deadline date,
            status                text NOT NULL DEFAULT 'active',
            closed_on             date,
            amendments            integer NOT NULL DEFAULT 0,
            title_key             text COLLATE "C"
        )
        """,
        # Read models made before the key existed gain the column; a rebuild fills it (README: upgrading).
        'ALTER TABLE movements ADD COLUMN IF NOT EXISTS title_key text COLLATE "C"',
        """
        CREATE TABLE IF NOT EXISTS movement_reviews (
            event_id     uuid PRIMARY KEY,
            movement_id  text NOT NULL,
            kind         text NOT NULL,
            reviewed_on  date NOT NULL,
            summary      text NOT NULL,
            document_ref text
        )
        """,
        "CREATE INDEX IF NOT EXISTS movement_reviews_movement ON movement_reviews (movement_id, reviewed_on)",
        """
        CREATE TABLE IF NOT EXISTS targets (
            target_id         text PRIMARY KEY,
            movement_id       text,
            year              integer NOT NULL,
            metric            text NOT NULL,
            threshold_percent numeric(5, 2) NOT NULL,
            scope             jsonb,
            training_code     text,
            description       text,
            set_on            date,
            numerator         integer,
            denominator       integer,
            share_percent     numeric(5, 2),
            on_track          boolean,
            status            text NOT NULL DEFAULT 'open',
            closed_by         text,
            decided_on        date,
            numbers_version   integer NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX IF NOT EXISTS targets_year ON targets (year, movement_id)",
        "CREATE TABLE IF NOT EXISTS years_closed (year integer PRIMARY KEY, closed_on date NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS registrations (
            registration_id   text PRIMARY KEY,
            movement_id       text NOT NULL,
            unit_id           text NOT NULL,
            year              integer NOT NULL,
            collective_titles jsonb NOT NULL,
            individuals       jsonb NOT NULL,
            individual_count  integer NOT NULL,
            submitted_on      date NOT NULL,
            deadline          date NOT NULL,
            status            text NOT NULL,
            withdrawn_on      date,
            withdraw_reason   text
        )
        """,
        "CREATE INDEX IF NOT EXISTS registrations_movement ON registrations (movement_id, year)",
        """
        CREATE TABLE IF NOT EXISTS pledges (
            pledge_id    text PRIMARY KEY,
            title        text NOT NULL,
            year         integer NOT NULL,
            movement_id  text,
            cluster_id   text,
            parties      jsonb NOT NULL,
            clauses      jsonb NOT NULL,
            signatories  jsonb NOT NULL,
            signed_on    date NOT NULL,
            occasion     text
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS pledge_reviews (
            pledge_id       text    NOT NULL,
            review_no       integer NOT NULL,
            kind            text    NOT NULL,
            reviewed_on     date    NOT NULL,
            assessments     jsonb   NOT NULL,
            summary         text,
            achieved        integer NOT NULL,
            partly_achieved integer NOT NULL,
            not_achieved    integer NOT NULL,
            PRIMARY KEY (pledge_id, review_no)
        )
        """,
    )

    async def apply(self, conn: asyncpg.Connection, event: Envelope, payload: EventPayload) -> None:
        """Apply one campaigns event to the dashboard tables."""
        if isinstance(payload, MovementLaunched):
            await conn.execute(
                "INSERT INTO movements (movement_id, title, launched_by, kind, scope, period_start, period_end, "
                "criteria, launched_on, decision_ref, responds_to, registration_deadline, title_key) "
                "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12, $13) "
                "ON CONFLICT (movement_id) DO NOTHING",
                payload.movement_id, payload.title, str(payload.launched_by), str(payload.kind),
                _json(payload.scope.model_dump(mode="json")), payload.period_start, payload.period_end,
                payload.criteria, payload.launched_on, payload.decision_ref, payload.responds_to,
                payload.registration_deadline, sortable(payload.title),
            )
        elif isinstance(payload, MovementAmended):
            scope = _json(payload.scope.model_dump(mode="json")) if payload.scope is not None else None
            await conn.execute(
                "UPDATE movements SET title = coalesce($2, title), scope = coalesce($3::text::jsonb, scope), "
                "period_start = coalesce($4, period_start), period_end = coalesce($5, period_end), "
                "criteria = coalesce($6, criteria), registration_deadline = coalesce($7, registration_deadline), "
                "title_key = coalesce($8, title_key), amendments = amendments + 1 WHERE movement_id = $1",
                payload.movement_id, payload.title, scope, payload.period_start, payload.period_end,
                payload.criteria, payload.registration_deadline,
                sortable(payload.title) if payload.title is not None else None,
            )
        elif isinstance(payload, MovementReviewed):
            await conn.execute(
                "INSERT INTO movement_reviews VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                event.id, payload.movement_id, str(payload.kind), payload.reviewed_on, payload.summary,
                payload.document_ref,
            )
        elif isinstance(payload, MovementClosed):
            await conn.execute(
                "UPDATE movements SET status = 'closed', closed_on = $2 WHERE movement_id = $1",
                payload.movement_id, payload.closed_on,
            )
        elif isinstance(payload, TargetSet):
            await conn.execute(
                "INSERT INTO targets (target_id, movement_id, year, metric, threshold_percent, scope, training_code, "
                "description, set_on) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9) "
                "ON CONFLICT (target_id) DO UPDATE SET movement_id = excluded.movement_id, year = excluded.year, "
                "metric = excluded.metric, threshold_percent = excluded.threshold_percent, scope = excluded.scope, "
                "training_code = excluded.training_code, description = excluded.description, set_on = excluded.set_on",
                payload.target_id, payload.movement_id, payload.year, str(payload.metric), payload.threshold_percent,
                _json(payload.scope.model_dump(mode="json")), payload.training_code, payload.description,
                payload.set_on,
            )
        elif isinstance(payload, (TargetProgressed, TargetMet, TargetMissed)):
            version = event.stream_version or 0
            if isinstance(payload, TargetProgressed):
                status, on_track, closed_by, decided_on = "open", payload.on_track, None, None
            else:
                status = "met" if isinstance(payload, TargetMet) else "missed"
                on_track = isinstance(payload, TargetMet)
                closed_by, decided_on = str(payload.closed_by), payload.decided_on
            # Upsert: the numbers may in theory arrive for a target whose TargetSet went to the dead letters.
            await conn.execute(
                "INSERT INTO targets AS t (target_id, movement_id, year, metric, threshold_percent, numerator, "
                "denominator, share_percent, on_track, status, closed_by, decided_on, numbers_version) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                "ON CONFLICT (target_id) DO UPDATE SET numerator = excluded.numerator, "
                "denominator = excluded.denominator, share_percent = excluded.share_percent, "
                "on_track = excluded.on_track, status = excluded.status, closed_by = excluded.closed_by, "
                "decided_on = excluded.decided_on, numbers_version = excluded.numbers_version "
                "WHERE t.status = 'open' AND excluded.numbers_version >= t.numbers_version",
                payload.target_id, payload.movement_id, payload.year, str(payload.metric), payload.threshold_percent,
                payload.numerator, payload.denominator, payload.share_percent, on_track, status, closed_by,
                decided_on, version,
            )
        elif isinstance(payload, YearClosed):
            await conn.execute(
                "INSERT INTO years_closed VALUES ($1, $2) ON CONFLICT DO NOTHING", payload.year, payload.closed_on
            )
        elif isinstance(payload, RegistrationSubmitted):
            await conn.execute(
                "INSERT INTO registrations (registration_id, movement_id, unit_id, year, collective_titles, "
                "individuals, individual_count, submitted_on, deadline, status) "
                "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8, $9, 'submitted') "
                "ON CONFLICT (registration_id) DO UPDATE SET collective_titles = excluded.collective_titles, "
                "individuals = excluded.individuals, individual_count = excluded.individual_count, "
                "submitted_on = excluded.submitted_on, deadline = excluded.deadline, status = 'submitted', "
                "withdrawn_on = NULL, withdraw_reason = NULL",
                payload.registration_id, payload.movement_id, payload.unit_id, payload.year,
                _json(list(payload.collective_titles)),
                _json([i.model_dump(mode="json") for i in payload.individuals]),
                len(payload.individuals), payload.submitted_on, payload.deadline,
            )
        elif isinstance(payload, RegistrationWithdrawn):
            await conn.execute(
                "UPDATE registrations SET status = 'withdrawn', withdrawn_on = $2, withdraw_reason = $3 "
                "WHERE registration_id = $1",
                payload.registration_id, payload.withdrawn_on, payload.reason,
            )
        elif isinstance(payload, PledgeSigned):
            await conn.execute(
                "INSERT INTO pledges VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8::text::jsonb, "
                "$9, $10) ON CONFLICT (pledge_id) DO NOTHING",
                payload.pledge_id, payload.title, payload.year, payload.movement_id, payload.cluster_id,
                _json([p.model_dump(mode="json") for p in payload.parties]),
                _json([c.model_dump(mode="json") for c in payload.clauses]),
                _json([s.model_dump(mode="json") for s in payload.signatories]),
                payload.signed_on, payload.occasion,
            )
        elif isinstance(payload, PledgeReviewed):
            results = [str(a.result) for a in payload.assessments]
            await conn.execute(
                "INSERT INTO pledge_reviews VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9) "
                "ON CONFLICT (pledge_id, review_no) DO NOTHING",
                payload.pledge_id, payload.review_no, str(payload.kind), payload.reviewed_on,
                _json([a.model_dump(mode="json") for a in payload.assessments]), payload.summary,
                results.count("achieved"), results.count("partly_achieved"), results.count("not_achieved"),
            )
