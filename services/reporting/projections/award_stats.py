"""Read model ``award_stats``: how many titles and awards, by year × award × recipient kind × unit × authority.

Three flows are kept apart, as the awards contract counts them
(``tdkt_contracts.catalogue.awards``):

- ``granted``: ``AwardGranted`` / ``TitleConferred`` with ``conferred_by_ministry``
  (the Minister, or a unit head, decided);
- ``proposed``: every recipient of a ``ProposalForwarded`` (trình), by
  ``to_authority`` and ``to_body``;
- ``conferred``: ``AwardGranted`` / ``TitleConferred`` decided by a higher
  authority (``conferred_by_ministry = false``).

A revoked award stays counted in its year and is counted again under
``revoked``. The year is the event's ``year`` (năm thành tích).

The pure part (:func:`counted_facts`, :class:`AwardStatsFold`) is what the SQL
projection applies, so the year-end summary can be tested on events in memory.

Tables (schema ``<service schema>_rm_award_stats``):

- ``award_stats``: one row per (year, flow, award_code, award_kind,
  recipient_kind, unit_id, authority, to_body) with ``count`` and ``revoked``;
- ``counted``: each fact counted once (``award:<award_id>`` or
  ``proposal:<proposal_id>:<candidate_id>``) with its dimensions, for
  idempotence and to find a revoked award's row;
- ``award_names``: the name of each award code (from the event with the
  greatest decision date and id, so it does not depend on reading order);
- ``pending_revocations``: a revocation read before its award (never expected,
  since both are on the award's partition, but cheap to be safe about).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

import asyncpg
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue.awards import AwardGranted, AwardRevoked, ProposalForwarded, TitleConferred

from .base import Projection

FLOWS: tuple[str, ...] = ("granted", "proposed", "conferred")
"""granted by the Ministry, proposed to other authorities, conferred by them."""

FLOW_LABELS_VI: dict[str, str] = {
    "granted": "Bộ tặng",
    "proposed": "Bộ trình cấp trên",
    "conferred": "Cấp trên tặng",
}

DIMENSIONS: tuple[str, ...] = (
    "year", "flow", "award_code", "award_kind", "recipient_kind", "unit_id", "authority", "to_body",
)


@dataclass(frozen=True, order=True)
class StatKey:
    """The dimensions of one statistics row ('' where a dimension does not apply)."""

    year: int
    flow: str
    award_code: str
    award_kind: str
    recipient_kind: str
    unit_id: str
    authority: str
    to_body: str


@dataclass(frozen=True)
class Counted:
    """One fact to count: an award conferred, or one recipient proposed."""

    fact_id: str
    key: StatKey
    award_name: str
    name_key: str
    award_id: str | None = None
    category: str = ""
    person_category: str = ""
    submitted_by: str = ""
    """What the statistical forms also count ('' when the event does not carry it: not classified)."""


@dataclass(frozen=True, order=True)
class FormFact:
    """Facts counted alike for the statistical forms 0602/0603: a statistics row's dimensions and what the
    forms add (the award's category, the person's category, who issued the tờ trình; '' when not recorded)."""

    year: int
    flow: str
    award_code: str
    recipient_kind: str
    unit_id: str
    authority: str
    category: str
    person_category: str
    submitted_by: str
    count: int


@dataclass(frozen=True)
class StatRow:
    """One row of the statistics (also what the summary and report forms read)."""

    key: StatKey
    count: int
    revoked: int


def _unit_of(recipient_kind: str, subject_id: str, unit_id: str | None) -> str:
    # A collective's unit is itself (Candidate.unit_id's contract); '' when unknown (a foreign recipient).
    if unit_id:
        return unit_id
    return subject_id if recipient_kind == "collective" else ""


def counted_facts(payload: EventPayload) -> list[Counted]:
    """The facts an event adds to the statistics (none for other event types)."""
    if isinstance(payload, ProposalForwarded):
        return [
            Counted(
                fact_id=f"proposal:{payload.proposal_id}:{r.candidate_id}",
                key=StatKey(
                    year=payload.year,
                    flow="proposed",
                    award_code=payload.award_code,
                    award_kind=payload.award_kind,
                    recipient_kind=str(r.recipient_kind),
                    unit_id=_unit_of(str(r.recipient_kind), r.subject_id, r.unit_id),
                    authority=str(payload.to_authority),
                    to_body=payload.to_body,
                ),
                award_name=payload.award_name,
                name_key=f"{payload.forwarded_on.isoformat()}|proposal:{payload.proposal_id}",
                category=payload.category,
                person_category=str(r.person_category or ""),
                submitted_by=str(payload.submitted_by or ""),
            )
            for r in payload.recipients
        ]
    if isinstance(payload, (AwardGranted, TitleConferred)):
        r = payload.recipient
        return [
            Counted(
                fact_id=f"award:{payload.award_id}",
                key=StatKey(
                    year=payload.year,
                    flow="granted" if payload.conferred_by_ministry else "conferred",
                    award_code=payload.award_code,
                    award_kind="title" if isinstance(payload, TitleConferred) else "award",
                    recipient_kind=str(r.recipient_kind),
                    unit_id=_unit_of(str(r.recipient_kind), r.subject_id, r.unit_id),
                    authority=str(payload.authority),
                    to_body="",
                ),
                award_name=payload.award_name,
                name_key=f"{payload.decision_date.isoformat()}|award:{payload.award_id}",
                award_id=payload.award_id,
                category=payload.category,
                person_category=str(r.person_category or ""),
                submitted_by=str(payload.submitted_by or ""),
            )
        ]
    return []


def revoked_award_id(payload: EventPayload) -> str | None:
    """The award an event revokes, if it is a revocation."""
    return payload.award_id if isinstance(payload, AwardRevoked) else None


@dataclass
class AwardStatsFold:
    """The projection's logic in memory: apply payloads, read the rows. Same results as the SQL tables."""

    counted: dict[str, Counted] = field(default_factory=dict)
    revoked_ids: set[str] = field(default_factory=set)
    pending: set[str] = field(default_factory=set)
    counts: dict[StatKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def apply(self, payload: EventPayload) -> None:
        """Apply one event's data."""
        for fact in counted_facts(payload):
            if fact.fact_id in self.counted:
                continue
            self.counted[fact.fact_id] = fact
            self.counts[fact.key][0] += 1
            if fact.award_id is not None and fact.award_id in self.pending:
                self.pending.discard(fact.award_id)
                self.revoked_ids.add(fact.fact_id)
                self.counts[fact.key][1] += 1
            known = self.names.get(fact.key.award_code)
            if known is None or fact.name_key > known[0]:
                self.names[fact.key.award_code] = (fact.name_key, fact.award_name)
        award_id = revoked_award_id(payload)
        if award_id is not None:
            fact_id = f"award:{award_id}"
            if fact_id in self.counted:
                if fact_id not in self.revoked_ids:
                    self.revoked_ids.add(fact_id)
                    self.counts[self.counted[fact_id].key][1] += 1
            else:
                self.pending.add(award_id)

    def apply_all(self, payloads: Iterable[EventPayload]) -> AwardStatsFold:
        """Apply several events; returns self for chaining."""
        for payload in payloads:
            self.apply(payload)
        return self

    def rows(self) -> list[StatRow]:
        """The statistics rows, sorted by their dimensions."""
        return [StatRow(key, c, r) for key, (c, r) in sorted(self.counts.items())]

    def form_facts(self) -> list[FormFact]:
        """The facts as the statistical forms count them (same as ``queries.award_form_facts``)."""
        counts: dict[tuple, int] = defaultdict(int)
        for f in self.counted.values():
            k = f.key
            counts[(k.year, k.flow, k.award_code, k.recipient_kind, k.unit_id, k.authority, f.category,
                    f.person_category, f.submitted_by)] += 1
        return [FormFact(*dims, count) for dims, count in sorted(counts.items())]

    def award_names(self) -> dict[str, str]:
        """Award code → name."""
        return {code: name for code, (_key, name) in self.names.items()}


class AwardStats(Projection):
    """The statistics read model (see the module docstring)."""

    model: ClassVar[str] = "award_stats"
    topics: ClassVar[tuple[str, ...]] = ("tdkt.awards.events",)
    TABLES: ClassVar[tuple[str, ...]] = ("award_stats", "counted", "award_names", "pending_revocations", "rm_currency")
    HANDLES: ClassVar[frozenset[str]] = frozenset(
        {ProposalForwarded.event_type, AwardGranted.event_type, TitleConferred.event_type, AwardRevoked.event_type}
    )
    DDL: ClassVar[tuple[str, ...]] = (
        """
        CREATE TABLE IF NOT EXISTS award_stats (
            year           integer NOT NULL,
            flow           text    NOT NULL CHECK (flow IN ('granted', 'proposed', 'conferred')),
            award_code     text    NOT NULL,
            award_kind     text    NOT NULL,
            recipient_kind text    NOT NULL,
            unit_id        text    NOT NULL,
            authority      text    NOT NULL,
            to_body        text    NOT NULL,
            count          integer NOT NULL,
            revoked        integer NOT NULL,
            PRIMARY KEY (year, flow, award_code, award_kind, recipient_kind, unit_id, authority, to_body)
        )
        """,
        "CREATE INDEX IF NOT EXISTS award_stats_code ON award_stats (award_code, year)",
        """
        CREATE TABLE IF NOT EXISTS counted (
            fact_id        text PRIMARY KEY,
            year           integer NOT NULL,
            flow           text    NOT NULL,
            award_code     text    NOT NULL,
            award_kind     text    NOT NULL,
            recipient_kind text    NOT NULL,
            unit_id        text    NOT NULL,
            authority      text    NOT NULL,
            to_body        text    NOT NULL,
            revoked        boolean NOT NULL DEFAULT false
        )
        """,
        # Added for the statistical forms; a table made before them gains the columns ('' until a rebuild).
        "ALTER TABLE counted ADD COLUMN IF NOT EXISTS category text NOT NULL DEFAULT ''",
        "ALTER TABLE counted ADD COLUMN IF NOT EXISTS person_category text NOT NULL DEFAULT ''",
        "ALTER TABLE counted ADD COLUMN IF NOT EXISTS submitted_by text NOT NULL DEFAULT ''",
        """
        CREATE TABLE IF NOT EXISTS award_names (
            award_code text PRIMARY KEY,
            award_name text NOT NULL,
            award_kind text NOT NULL,
            name_key   text NOT NULL
        )
        """,
        "CREATE TABLE IF NOT EXISTS pending_revocations (award_id text PRIMARY KEY)",
    )

    async def apply(self, conn: asyncpg.Connection, event: Envelope, payload: EventPayload) -> None:
        """Count the event's facts, or mark a revocation (same logic as :class:`AwardStatsFold`)."""
        for fact in counted_facts(payload):
            k = fact.key
            inserted = await conn.fetchval(
                "INSERT INTO counted (fact_id, year, flow, award_code, award_kind, recipient_kind, unit_id, "
                "authority, to_body, category, person_category, submitted_by) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                "ON CONFLICT (fact_id) DO NOTHING RETURNING fact_id",
                fact.fact_id, k.year, k.flow, k.award_code, k.award_kind, k.recipient_kind, k.unit_id,
                k.authority, k.to_body, fact.category, fact.person_category, fact.submitted_by,
            )
            if inserted is None:
                continue  # counted already (a duplicate under another event id)
            revoked = 0
            if fact.award_id is not None and await conn.fetchval(
                "DELETE FROM pending_revocations WHERE award_id = $1 RETURNING award_id", fact.award_id
            ):
                revoked = 1
                await conn.execute("UPDATE counted SET revoked = true WHERE fact_id = $1", fact.fact_id)
            await conn.execute(
                "INSERT INTO award_stats AS s VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) "
                "ON CONFLICT (year, flow, award_code, award_kind, recipient_kind, unit_id, authority, to_body) "
                "DO UPDATE SET count = s.count + 1, revoked = s.revoked + excluded.revoked",
                k.year, k.flow, k.award_code, k.award_kind, k.recipient_kind, k.unit_id, k.authority, k.to_body,
                revoked,
            )
            await conn.execute(
                "INSERT INTO award_names AS n VALUES ($1, $2, $3, $4) ON CONFLICT (award_code) DO UPDATE "
                "SET award_name = excluded.award_name, award_kind = excluded.award_kind, name_key = excluded.name_key "
                "WHERE excluded.name_key > n.name_key",
                k.award_code, fact.award_name, k.award_kind, fact.name_key,
            )
        award_id = revoked_award_id(payload)
        if award_id is not None:
            row = await conn.fetchrow(
                "UPDATE counted SET revoked = true WHERE fact_id = $1 AND NOT revoked RETURNING *", f"award:{award_id}"
            )
            if row is not None:
                await conn.execute(
                    "UPDATE award_stats SET revoked = revoked + 1 WHERE year = $1 AND flow = $2 AND award_code = $3 "
                    "AND award_kind = $4 AND recipient_kind = $5 AND unit_id = $6 AND authority = $7 AND to_body = $8",
                    row["year"], row["flow"], row["award_code"], row["award_kind"], row["recipient_kind"],
                    row["unit_id"], row["authority"], row["to_body"],
                )
            elif not await conn.fetchval("SELECT 1 FROM counted WHERE fact_id = $1", f"award:{award_id}"):
                await conn.execute(
                    "INSERT INTO pending_revocations VALUES ($1) ON CONFLICT DO NOTHING", award_id
                )
