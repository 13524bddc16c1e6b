"""Replays a generated ministry's award history through the eligibility engine, as the awards service will.

The facts handed to the engine are built the way the awards service builds
them (``services/awards/projections/facts.py``): every grade, initiative and
discipline on record; titles held = what was granted or conferred before (and
the awards recorded from the files); an initiative is "used" once an award
granted to that person named it; service facts only where the office
recorded a supplement; holds none; registrations are not read by any 2023
rule. Each nomination's candidates are assessed before any of them is
granted, as the workflow assesses a batch on arrival.

:func:`verify_history` returns the problems found (empty: every award could
have been granted): a candidate the engine does not find eligible, a grant
beyond the 15 % cap on Chiến sĩ thi đua cơ sở, an achievement rewarded twice.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, Sex

from services.awards.domain import (
    Assessment,
    Attestation,
    Catalogue,
    DisciplineRecord,
    EvidenceUse,
    InitiativeRecord,
    PersonFacts,
    TitleRecord,
    UnitFacts,
    assess,
    default_catalogue,
)

from .model import Candidate, Ministry, Nomination

CSTDCS_CAP = 0.15


class HistoryReplay:
    """The awards held and initiatives used so far, while the history is replayed in order."""

    def __init__(self, ministry: Ministry, catalogue: Catalogue | None = None) -> None:
        self.m = ministry
        self.catalogue = catalogue or default_catalogue()
        self.titles: dict[tuple[str, str], list[TitleRecord]] = defaultdict(list)
        self.used: dict[tuple[str, str], EvidenceUse] = {}
        self.supplements = {s.person_id: s for s in ministry.supplements}
        self.grades: dict[str, dict[int, Grade]] = defaultdict(dict)
        for (pid, year), g in ministry.grades.items():
            self.grades[pid][year] = Grade(g)
        self.unit_grades: dict[str, dict[int, Grade]] = defaultdict(dict)
        for (uid, year), g in ministry.unit_grades.items():
            self.unit_grades[uid][year] = Grade(g)
        self.initiatives: dict[str, list] = defaultdict(list)
        for i in sorted(ministry.initiatives, key=lambda i: (i.year, i.initiative_id)):
            for author in i.author_ids:
                self.initiatives[author].append(i)
        self.disciplines: dict[str, list[DisciplineRecord]] = defaultdict(list)
        for d in ministry.disciplines:
            self.disciplines[d.person_id].append(DisciplineRecord(
                discipline_id=d.discipline_id, form=DisciplineForm(d.form), decided_on=d.decided_on,
                starts_on=d.decided_on, ends_on=d.ends_on,
            ))
        self.attestations: dict[tuple[str, str], list[Attestation]] = defaultdict(list)
        for a in ministry.attestations:
            self.attestations[(a.recipient_kind, a.subject_id)].append(
                Attestation(key=a.key, year=a.year, reference=a.reference))
        for legacy in ministry.legacy_awards:
            self.titles[(legacy.recipient_kind, legacy.subject_id)].append(TitleRecord(
                code=legacy.code, year=legacy.year, decision_number=legacy.decision_number,
                decided_on=legacy.decided_on,
            ))
        self.ldtt_holders: Counter[tuple[str, int]] = Counter()
        self.cstdcs_granted: Counter[tuple[str, int]] = Counter()
        self.achievements: set[tuple[str, str, str, int, str]] = set()

    # ------------------------------------------------------------------ facts

    def person_facts(self, person_id: str) -> PersonFacts:
        """What the awards service knows about a person at this point of the history."""
        p = self.m.person(person_id)
        s = self.supplements.get(person_id)
        return PersonFacts(
            person_id=p.person_id,
            full_name=p.full_name,
            sex=Sex(p.sex),
            date_of_birth=p.date_of_birth,
            sector_joined_on=p.sector_joined_on,
            education_joined_on=s.education_joined_on if s else None,
            unit_id=p.unit_id,
            position=p.position,
            is_leader=None,
            leader_posts=None,
            hazardous_service_years=s.hazardous_service_years if s else None,
            disadvantaged_area_years=None,
            teaching_years=s.teaching_years if s else None,
            grades=dict(self.grades[person_id]),
            titles=list(self.titles[("individual", person_id)]),
            initiatives=[
                InitiativeRecord(
                    initiative_id=i.initiative_id, kind=InitiativeKind(i.kind), level=Level(i.level), year=i.year,
                    title=i.title, decision_number=i.decision_number,
                    used_for=self.used.get((person_id, i.initiative_id)),
                )
                for i in self.initiatives[person_id]
            ],
            disciplines=list(self.disciplines[person_id]),
            holds=[],
            attestations=list(self.attestations[("individual", person_id)]),
            registrations=[],
        )

    def unit_facts(self, unit_id: str) -> UnitFacts:
        """What the awards service knows about a collective (member figures are not read by the codes used)."""
        u = self.m.unit(unit_id)
        return UnitFacts(
            unit_id=u.unit_id,
            name=u.name,
            grades=dict(self.unit_grades[unit_id]),
            titles=list(self.titles[("collective", unit_id)]),
            holds=[],
            attestations=list(self.attestations[("collective", unit_id)]),
            registrations=[],
            members=[],
            bloc_leader_years=[],
        )

    def facts(self, candidate: Candidate) -> PersonFacts | UnitFacts:
        """The candidate's facts."""
        if candidate.recipient_kind == "collective":
            return self.unit_facts(candidate.subject_id)
        return self.person_facts(candidate.subject_id)

    # ------------------------------------------------------------------ replay

    def assess(self, nomination: Nomination, candidate: Candidate) -> Assessment:
        """The engine's verdict on one candidate now."""
        return assess(self.catalogue, nomination.code, nomination.year, self.facts(candidate))

    def apply(self, nomination: Nomination) -> list[str]:
        """Assess a nomination's candidates, then record their awards; the problems found."""
        problems: list[str] = []
        verdicts = [(c, self.assess(nomination, c)) for c in nomination.candidates]
        for c, a in verdicts:
            if not a.eligible:
                failing = [r.id for r in a.results() if r.decisive and r.status.value != "passed"]
                problems.append(f"{nomination.nomination_id}: {c.subject_id} not eligible for {nomination.code} "
                                f"{nomination.year} ({a.outcome.value}: {', '.join(failing)})")
        top = self.m.top_unit_of(nomination.submitting_unit_id).unit_id
        if nomination.code == "CSTDCS":
            self.cstdcs_granted[(top, nomination.year)] += len(nomination.candidates)
            cap = math.floor(CSTDCS_CAP * self.ldtt_holders[(top, nomination.year)])
            if self.cstdcs_granted[(top, nomination.year)] > cap:
                problems.append(f"{nomination.nomination_id}: CSTĐCS {nomination.year} in {top} exceed 15 % "
                                f"of its {self.ldtt_holders[(top, nomination.year)]} LĐTT")
        if nomination.code == "LDTT":
            self.ldtt_holders[(top, nomination.year)] += len(nomination.candidates)
        decision = nomination.grant or nomination.forward
        assert decision is not None
        for c, a in verdicts:
            key = (c.recipient_kind, c.subject_id, nomination.code, nomination.year, nomination.category)
            if key in self.achievements:
                problems.append(f"{nomination.nomination_id}: {c.subject_id} already holds {nomination.code} "
                                f"{nomination.year} ({nomination.category})")
            self.achievements.add(key)
            if nomination.grant is not None:
                decided_on, number = nomination.grant.decision_date, nomination.grant.decision_number
            else:
                decided_on, number = decision.decision_date, decision.decision_number  # type: ignore[union-attr]
            self.titles[(c.recipient_kind, c.subject_id)].append(TitleRecord(
                code=nomination.code, year=nomination.year, decision_number=number, decided_on=decided_on,
                category=nomination.category,
            ))
            for initiative_id in a.initiatives_to_consume:
                self.used[(c.subject_id, initiative_id)] = EvidenceUse(
                    code=nomination.code, year=nomination.year, decision_number=number)
        return problems


def verify_history(ministry: Ministry, catalogue: Catalogue | None = None) -> list[str]:
    """Replay every nomination in order; the problems found (empty when the history is lawful)."""
    replay = HistoryReplay(ministry, catalogue)
    problems: list[str] = []
    for nomination in ministry.nominations:
        problems.extend(replay.apply(nomination))
    return problems


def planned_figures(ministry: Ministry, year: int) -> dict[tuple[str, str], tuple[int, int]]:
    """(code, flow) → (individuals, collectives) the history gives for ``year``.

    flow: ``proposed`` (forwarded to a higher authority) or ``granted`` (by the Minister): the two flows the
    Ministry's year-end paragraph names.
    """
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for n in ministry.nominations_of(year):
        flow = {"upward": "proposed", "ministry": "granted"}.get(n.level)
        if flow is None:
            continue
        for c in n.candidates:
            counts[(n.code, flow)][0 if c.recipient_kind == "individual" else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def planned_flows(ministry: Ministry, year: int) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(code, flow, authority) → (individuals, collectives) of every flow the reporting service counts for
    ``year``: ``proposed`` (by the authority addressed), ``granted`` (by the Minister or a unit head) and
    ``conferred`` (by the higher authority that decided)."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for n in ministry.nominations_of(year):
        keys = []
        if n.grant is not None:
            keys.append((n.code, "granted", n.grant.authority))
        if n.forward is not None:
            keys += [(n.code, "proposed", n.forward.to_authority), (n.code, "conferred", n.forward.decided_by)]
        for key in keys:
            for c in n.candidates:
                counts[key][0 if c.recipient_kind == "individual" else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def subjects_of(nominations: Iterable[Nomination], code: str) -> set[str]:
    """Every subject nominated for ``code`` in these nominations."""
    return {c.subject_id for n in nominations if n.code == code for c in n.candidates}
