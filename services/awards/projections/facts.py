"""Reads the engine's facts from the service's tables and its two replicas: a few set-based queries.

:class:`FactsLoader` reads the chart, then every person (or unit) wanted with
all their history aggregated as JSON in the same statement — so a whole
ministry is one round trip per kind, not one per person — and turns the rows
into the pure bundles of :mod:`services.awards.domain.bundles`, which say
what counts as known.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg
from tdkt_contracts.vocabulary import Grade, RecipientKind, Sex

from kernel.collation import by_given_name
from kernel.db import quote_ident
from kernel.errors import NotFound
from kernel.ids import canonical_id

from ..domain import (
    Attestation,
    DisciplineRecord,
    HoldRecord,
    InitiativeRecord,
    PersonFacts,
    Registration,
    TitleRecord,
    UnitFacts,
)
from ..domain.bundles import (
    GradeEntry,
    OrgChart,
    PersonBundle,
    Posting,
    Supplements,
    UnitBundle,
    UnitRecord,
    member_summary,
    members_by_unit,
    members_of,
    summary_years,
)
from ..domain.facts import AbsenceRecord
from ..domain.timespan import year_end

# ============================================================================ rows -> bundles


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def unit_record(row: Mapping[str, Any]) -> UnitRecord:
    """A row of the chart query as a :class:`UnitRecord`."""
    names = tuple((_day(d), str(n)) for d, n in _json(row["names"]) or ())
    parents = tuple((_day(d), p) for d, p in _json(row["parents"]) or ())
    return UnitRecord(
        unit_id=row["unit_id"],
        code=row["code"],
        kind=row["kind"],
        established_on=_day(row["established_on"]),  # type: ignore[arg-type]
        names=names,  # type: ignore[arg-type]
        parents=parents,  # type: ignore[arg-type]
        merged_into=row["merged_into"],
        merged_on=_day(row["merged_on"]),
        dissolved_on=_day(row["dissolved_on"]),
    )


def _discipline(item: Mapping[str, Any]) -> DisciplineRecord:
    return DisciplineRecord(
        discipline_id=item["discipline_id"],
        form=item["form"],
        decided_on=item["decided_on"],
        starts_on=item["starts_on"],
        ends_on=item.get("ends_on"),
        ended_on=item.get("ended_on"),
        annulled=item.get("ending") == "huy_bo",
    )


def person_bundle(row: Mapping[str, Any]) -> PersonBundle:
    """A row of the people query as a :class:`PersonBundle`."""
    supplements = _json(row["supplements"])
    return PersonBundle(
        person_id=row["person_id"],
        full_name=row["full_name"],
        sex=Sex(row["sex"]) if row["sex"] is not None else None,
        date_of_birth=_day(row["date_of_birth"]),
        sector_joined_on=_day(row["sector_joined_on"]),  # type: ignore[arg-type]
        postings=tuple(
            Posting(_day(p["effective_on"]), int(p["seq"]), p["kind"], p["unit_id"], p["position"])  # type: ignore[arg-type]
            for p in _json(row["postings"])
        ),
        grades={
            int(g["year"]): GradeEntry(Grade(g["grade"]), g["unit_id"], Grade(g["recorded_grade"]), g["corrected"])
            for g in _json(row["grades"])
        },
        disciplines=tuple(_discipline(d) for d in _json(row["disciplines"])),
        initiatives=tuple(InitiativeRecord.model_validate(i) for i in _json(row["initiatives"])),
        titles=tuple(TitleRecord.model_validate(t) for t in _json(row["titles"])),
        registrations=tuple(Registration.model_validate(r) for r in _json(row["registrations"])),
        holds=tuple(HoldRecord.model_validate(h) for h in _json(row["holds"])),
        attestations=tuple(Attestation.model_validate(a) for a in _json(row["attestations"])),
        supplements=Supplements(
            education_joined_on=_day(supplements.get("education_joined_on")),
            hazardous_service_years=supplements.get("hazardous_service_years"),
            disadvantaged_area_years=supplements.get("disadvantaged_area_years"),
            teaching_years=supplements.get("teaching_years"),
            recruited_on=_day(supplements.get("recruited_on")),
            absences=tuple(AbsenceRecord.model_validate(a) for a in _json(supplements["absences"]))
            if supplements.get("absences") is not None
            else None,
            deceased_on=_day(supplements.get("deceased_on")),
        )
        if supplements
        else None,
    )


def unit_bundle(row: Mapping[str, Any], unit: UnitRecord) -> UnitBundle:
    """A row of the collectives query as a :class:`UnitBundle`."""
    return UnitBundle(
        unit=unit,
        grades={int(y): Grade(g) for y, g in _json(row["grades"]).items()},
        titles=tuple(TitleRecord.model_validate(t) for t in _json(row["titles"])),
        registrations=tuple(Registration.model_validate(r) for r in _json(row["registrations"])),
        holds=tuple(HoldRecord.model_validate(h) for h in _json(row["holds"])),
        attestations=tuple(Attestation.model_validate(a) for a in _json(row["attestations"])),
        bloc_leader_years=tuple(sorted(int(y) for y in _json(row["bloc_leader_years"]))),
    )


# ============================================================================ queries

_CHART_SQL = """
SELECT u.unit_id, u.code, u.kind, u.established_on, u.merged_into, u.merged_on, u.dissolved_on,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(n.effective_on, n.name) ORDER BY n.effective_on), '[]')
          FROM {u}.unit_names n WHERE n.unit_id = u.unit_id) AS names,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(x.effective_on, x.parent_id) ORDER BY x.effective_on), '[]')
          FROM {u}.unit_parents x WHERE x.unit_id = u.unit_id) AS parents
FROM {u}.units u
"""

_HOLDS = """(SELECT coalesce(jsonb_agg(jsonb_build_object('kind', k.kind, 'opened_on', k.opened_on,
                 'closed_on', k.closed_on, 'reference', k.reference) ORDER BY k.opened_on, k.hold_id), '[]')
              FROM {s}.holds k WHERE k.recipient_kind = '{kind}' AND k.subject_id = {id})"""
_ATTESTATIONS = """(SELECT coalesce(jsonb_agg(jsonb_build_object('key', t.key, 'year', t.year,
                 'reference', t.reference) ORDER BY t.year, t.key), '[]')
              FROM {s}.attestations t WHERE t.recipient_kind = '{kind}' AND t.subject_id = {id})"""
_TITLES = """(SELECT coalesce(jsonb_agg(jsonb_build_object('code', h.award_code, 'year', h.year,
                 'decision_number', h.decision_number, 'decided_on', h.decision_date, 'category', h.category)
                 ORDER BY h.year, h.award_code, h.award_id), '[]')
              FROM {s}.held_awards h WHERE h.recipient_kind = '{kind}' AND h.subject_id = {id}
               AND h.revoked_on IS NULL)"""

_PEOPLE_SQL = """
SELECT p.person_id, p.full_name, pp.sex, pp.date_of_birth, p.sector_joined_on,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('effective_on', x.effective_on, 'seq', x.seq, 'kind', x.kind,
                 'unit_id', x.unit_id, 'position', x.position) ORDER BY x.effective_on, x.seq), '[]')
          FROM {u}.postings x WHERE x.person_id = p.person_id) AS postings,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('year', g.year, 'grade', g.grade,
                 'recorded_grade', g.recorded_grade, 'corrected', g.corrected, 'unit_id', g.unit_id)), '[]')
          FROM {u}.person_grades g WHERE g.person_id = p.person_id) AS grades,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('discipline_id', d.discipline_id, 'form', d.form,
                 'decided_on', d.decided_on, 'starts_on', d.starts_on, 'ends_on', d.ends_on,
                 'ended_on', e.ended_on, 'ending', e.ending) ORDER BY d.starts_on, d.discipline_id), '[]')
          FROM {u}.disciplines d LEFT JOIN {u}.discipline_endings e USING (person_id, discipline_id)
         WHERE d.person_id = p.person_id) AS disciplines,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('initiative_id', i.initiative_id, 'kind', i.kind,
                 'level', i.level, 'year', i.year, 'title', i.title, 'decision_number', i.decision_number,
                 'used_for', (SELECT jsonb_build_object('code', h.award_code, 'year', h.year,
                                                        'decision_number', h.decision_number)
                                FROM {s}.held_awards h
                               WHERE h.recipient_kind = 'individual' AND h.subject_id = p.person_id
                                 AND i.initiative_id = ANY (h.initiative_ids)
                               ORDER BY h.decision_date, h.award_id LIMIT 1))
                 ORDER BY i.year, i.initiative_id), '[]')
          FROM {u}.initiative_authors a JOIN {u}.initiatives i USING (initiative_id)
         WHERE a.person_id = p.person_id) AS initiatives,
       {titles} AS titles,
       (SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('year', r.year, 'code', rp.code)), '[]')
          FROM {c}.registered_people rp JOIN {c}.registrations r USING (registration_id)
         WHERE rp.person_id = p.person_id AND NOT r.withdrawn) AS registrations,
       {holds} AS holds,
       {attestations} AS attestations,
       (SELECT to_jsonb(sp) FROM {s}.person_supplements sp WHERE sp.person_id = p.person_id) AS supplements
FROM {u}.people p LEFT JOIN {u}.person_profiles pp ON pp.person_id = p.person_id
"""

_UNITS_SQL = """
SELECT u.unit_id,
       (SELECT coalesce(jsonb_object_agg(g.year::text, g.grade), '{{}}')
          FROM {u}.unit_grades g WHERE g.unit_id = u.unit_id) AS grades,
       {titles} AS titles,
       (SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('year', r.year, 'code', t.code)), '[]')
          FROM {c}.registrations r CROSS JOIN LATERAL unnest(r.collective_titles) AS t(code)
         WHERE r.unit_id = u.unit_id AND NOT r.withdrawn) AS registrations,
       {holds} AS holds,
       {attestations} AS attestations,
       (SELECT coalesce(jsonb_agg(DISTINCT k.year), '[]') FROM {c}.cluster_rankings k
         WHERE k.unit_id = u.unit_id AND k.rank = 1
           AND NOT EXISTS (SELECT 1 FROM {c}.cluster_rankings o WHERE o.cluster_id = k.cluster_id
                            AND o.year = k.year AND o.rank = 1 AND o.unit_id <> k.unit_id)) AS bloc_leader_years
FROM {u}.units u
WHERE u.unit_id = ANY($1::text[])
"""
# bloc_leader_years: rank 1 alone in its cluster that year. A tie at the top is no
# leader yet: the bloc still has to put one unit at its head (suy tôn).


@dataclass(frozen=True)
class FactsLoader:
    """Reads candidates' facts from the service's tables and its two replicas."""

    service_schema: str
    units_schema: str
    campaigns_schema: str
    member_codes: tuple[str, ...] = ("CSTDCS", "LDTT")
    _sql: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The schema names are settings, fixed for the loader's life: the statements are built once.
        names = {"s": quote_ident(self.service_schema), "u": quote_ident(self.units_schema),
                 "c": quote_ident(self.campaigns_schema)}

        def fill(template: str, kind: str, subject: str) -> str:
            return template.format(**names, kind=kind, id=subject)

        person = {key: fill(t, "individual", "p.person_id") for key, t in
                  (("titles", _TITLES), ("holds", _HOLDS), ("attestations", _ATTESTATIONS))}
        unit = {key: fill(t, "collective", "u.unit_id") for key, t in
                (("titles", _TITLES), ("holds", _HOLDS), ("attestations", _ATTESTATIONS))}
        self._sql.update(
            chart=_CHART_SQL.format(**names),
            people=_PEOPLE_SQL.format(**names, **person),
            units=_UNITS_SQL.format(**names, **unit),
        )

    # ------------------------------------------------------------------ reading

    async def chart(self, conn: asyncpg.Connection) -> OrgChart:
        """Every unit the replica knows, with its history."""
        return OrgChart(unit_record(r) for r in await conn.fetch(self._sql["chart"]))

    async def people(self, conn: asyncpg.Connection, person_ids: Sequence[str]) -> list[PersonBundle]:
        """The bundles of these people (unknown ids are simply absent)."""
        rows = await conn.fetch(self._sql["people"] + " WHERE p.person_id = ANY($1::text[])", list(person_ids))
        return [person_bundle(r) for r in rows]

    async def people_in(self, conn: asyncpg.Connection, unit_ids: Iterable[str] | None) -> list[PersonBundle]:
        """Everyone ever posted or graded in one of ``unit_ids`` (everyone when None): a superset
        the dated membership rules then narrow."""
        if unit_ids is None:
            rows = await conn.fetch(self._sql["people"])
        else:
            u = quote_ident(self.units_schema)
            rows = await conn.fetch(
                self._sql["people"]
                + f" WHERE p.person_id IN (SELECT person_id FROM {u}.postings WHERE unit_id = ANY($1::text[])"
                f" UNION SELECT person_id FROM {u}.person_grades WHERE unit_id = ANY($1::text[]))",
                sorted(unit_ids),
            )
        return [person_bundle(r) for r in rows]

    async def known_subjects(self, conn: asyncpg.Connection, subject_ids: Sequence[str]) -> set[str]:
        """The canonical forms (kernel.ids) of those ``subject_ids`` that name a person or a unit of the units
        context, whichever kind the caller says they are: 'P-1' names the person 'p-1'."""
        u = quote_ident(self.units_schema)
        rows = await conn.fetch(
            f"SELECT lower(person_id) AS id FROM {u}.people WHERE lower(person_id) = ANY($1::text[])"
            f" UNION SELECT lower(unit_id) FROM {u}.units WHERE lower(unit_id) = ANY($1::text[])",
            [canonical_id(s) for s in subject_ids],
        )
        return {r["id"] for r in rows}

    async def collectives(self, conn: asyncpg.Connection, chart: OrgChart, unit_ids: Sequence[str]) -> list[UnitBundle]:
        """The bundles of these units, in the order given (unknown ids are absent)."""
        rows = {r["unit_id"]: r for r in await conn.fetch(self._sql["units"], list(unit_ids))}
        return [unit_bundle(rows[i], chart.get(i)) for i in unit_ids if i in rows and chart.get(i)]  # type: ignore[arg-type]

    # ------------------------------------------------------------------ candidates

    async def person(self, conn: asyncpg.Connection, person_id: str, year: int) -> PersonFacts:
        """One person's facts for ``year``; NotFound('candidate_not_found') if never enrolled."""
        found = await self.people(conn, [person_id])
        if not found:
            raise NotFound(
                "candidate_not_found",
                f"No person {person_id!r} is known to the awards service: the units context has not "
                "published their enrolment (cán bộ chưa được ghi nhận)",
                person_id=person_id,
            )
        return found[0].facts(year, await self.chart(conn))

    async def unit(self, conn: asyncpg.Connection, unit_id: str, year: int) -> UnitFacts:
        """One collective's facts for ``year``, members included; NotFound('candidate_not_found')."""
        chart = await self.chart(conn)
        if unit_id not in chart:
            raise NotFound(
                "candidate_not_found",
                f"No unit {unit_id!r} is known to the awards service: the units context has not "
                "published its establishment (đơn vị chưa được ghi nhận)",
                unit_id=unit_id,
            )
        return (await self.collective_facts(conn, chart, [unit_id], year))[0]

    async def collective_facts(
        self, conn: asyncpg.Connection, chart: OrgChart, unit_ids: Sequence[str], year: int
    ) -> list[UnitFacts]:
        """Facts of several collectives for ``year``, with member figures of the year and the one before."""
        bundles = await self.collectives(conn, chart, unit_ids)
        related: set[str] = set()
        for unit_id in unit_ids:
            related |= chart.ever_under(unit_id)
        people = await self.people_in(conn, related)
        members = {y: members_by_unit(y, people, chart) for y in summary_years(year)}
        return [
            bundle.facts(
                year,
                [member_summary(y, members[y].get(bundle.unit.unit_id, []), self.member_codes)
                 for y in summary_years(year)],
            )
            for bundle in bundles
        ]

    async def unit_chart(self, conn: asyncpg.Connection, unit_id: str) -> OrgChart:
        """The chart, refusing a unit it does not hold (NotFound('unit_not_found'))."""
        chart = await self.chart(conn)
        if unit_id not in chart:
            raise NotFound(
                "unit_not_found",
                f"No unit {unit_id!r} is known to the awards service (đơn vị chưa được ghi nhận)",
                unit_id=unit_id,
            )
        return chart

    async def people_of(
        self, conn: asyncpg.Connection, chart: OrgChart, unit_id: str | None, year: int, *, include_subunits: bool
    ) -> list[PersonFacts]:
        """Facts of the people counted in ``unit_id`` for ``year`` (everyone on the staff when None)."""
        if unit_id is None:
            people = await self.people_in(conn, None)
            chosen = sorted((p for p in people if p.membership(year, chart) is not None),
                            key=lambda p: (by_given_name(p.full_name), p.person_id))
        else:
            people = await self.people_in(conn, chart.ever_under(unit_id))
            chosen = members_of(unit_id, year, people, chart, include_subunits=include_subunits)
        return [p.facts(year, chart) for p in chosen]

    async def collectives_of(
        self, conn: asyncpg.Connection, chart: OrgChart, unit_id: str | None, year: int, *, include_subunits: bool
    ) -> list[UnitFacts]:
        """Facts of ``unit_id`` (and the units active under it at the end of ``year``), or of every unit
        active then when ``unit_id`` is None."""
        day = year_end(year)
        if unit_id is None:
            ids = [u.unit_id for u in chart.units() if u.active_on(day)]
        elif include_subunits:
            ids = chart.subtree(unit_id, day)
        else:
            ids = [unit_id]
        return await self.collective_facts(conn, chart, ids, year) if ids else []

    async def candidates_of(
        self,
        conn: asyncpg.Connection,
        recipient: RecipientKind,
        unit_id: str | None,
        year: int,
        *,
        include_subunits: bool,
    ) -> tuple[OrgChart, list[PersonFacts] | list[UnitFacts]]:
        """The chart and the facts of the people (or the collectives) of ``unit_id`` for ``year`` (everyone
        when None); NotFound('unit_not_found') for a unit the chart lacks."""
        chart = await (self.unit_chart(conn, unit_id) if unit_id is not None else self.chart(conn))
        if recipient is RecipientKind.INDIVIDUAL:
            return chart, await self.people_of(conn, chart, unit_id, year, include_subunits=include_subunits)
        return chart, await self.collectives_of(conn, chart, unit_id, year, include_subunits=include_subunits)
