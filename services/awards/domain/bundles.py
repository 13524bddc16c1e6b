"""What the replicas and the awards tables hold about a subject, assembled for the engine (pure, no I/O).

:class:`OrgChart` (the unit tree over time, merges followed), :class:`PersonBundle`
and :class:`UnitBundle` (everything known about one subject, as read), the
rule deciding which unit a person counts in for a year
(:meth:`PersonBundle.membership`), and the member figures of a collective
(:func:`member_summary`). The SQL that reads them is
:mod:`services.awards.projections.facts`.

What counts as known (the engine's rule: unknown is never "none"):

- lists replicated from another context (grades per year, titles held,
  initiatives, disciplines, registrations, bloc results) are *known* once
  loaded: the replica holds everything the contexts published, and an empty
  list means none was published;
- holds and attestations are recorded by the awards context itself, which is
  their system of record: none recorded means none;
- facts no event carries — hazardous, teaching and disadvantaged-area years,
  the date one joined education — are unknown unless the office recorded them
  from a file (``person_supplements``); leadership posts are not published as
  structured data by the units context, so they stay unknown (``None``);
- member figures of a collective: a year with no member at all is unknown
  (missing staff data, not an empty unit); the number who completed their
  duties is unknown while some member has no grade for the year, unless one
  is already graded "not completed" (then "not all completed" is certain).

Membership of a person for a year follows the units contract: the unit on
31 December, or on the last day before leaving if they left during the year,
or the unit the year's grade names; resolved through merges on that day. A
collective's members are the people counted in it or in any unit under it on
that day (a Cục's staff includes its Phòng's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tdkt_contracts.vocabulary import DisciplineForm, Grade, Sex

from kernel.collation import by_given_name

from .catalogue import Catalogue
from .criteria import AtLeastNMembersWithTitle, MembersShareWithTitle
from .facts import (
    AbsenceRecord,
    Attestation,
    DisciplineRecord,
    HoldRecord,
    InitiativeRecord,
    MemberSummary,
    PersonFacts,
    Registration,
    TitleRecord,
    UnitFacts,
)
from .timespan import overlaps, year_end, year_start

# ============================================================================ the tree


@dataclass(frozen=True)
class UnitRecord:
    """A unit as the replica knows it, with its dated names and parents."""

    unit_id: str
    code: str
    kind: str
    established_on: date
    names: tuple[tuple[date, str], ...]
    parents: tuple[tuple[date, str | None], ...]
    merged_into: str | None = None
    merged_on: date | None = None
    dissolved_on: date | None = None

    @property
    def closed_on(self) -> date | None:
        """First day the unit no longer exists (merged or dissolved)."""
        days = [d for d in (self.merged_on, self.dissolved_on) if d is not None]
        return min(days) if days else None

    def active_on(self, day: date) -> bool:
        """Whether the unit exists on ``day``."""
        closed = self.closed_on
        return self.established_on <= day and (closed is None or day < closed)

    def name_on(self, day: date) -> str:
        """The name in force on ``day`` (the first name before establishment, the last after closing)."""
        current = self.names[0][1] if self.names else self.code
        for since, name in self.names:
            if since <= day:
                current = name
        return current

    def parent_on(self, day: date) -> str | None:
        """The parent unit on ``day``."""
        current = self.parents[0][1] if self.parents else None
        for since, parent in self.parents:
            if since <= day:
                current = parent
        return current


class OrgChart:
    """The organisation tree at any date: parents, merges and subtrees (a few hundred units)."""

    def __init__(self, units: Iterable[UnitRecord]) -> None:
        self._units = {u.unit_id: u for u in units}

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __len__(self) -> int:
        return len(self._units)

    def get(self, unit_id: str) -> UnitRecord | None:
        """The unit, or None if the replica never saw it established."""
        return self._units.get(unit_id)

    def units(self) -> list[UnitRecord]:
        """Every unit, by code."""
        return sorted(self._units.values(), key=lambda u: (u.code, u.unit_id))

    def resolve(self, unit_id: str, day: date) -> str:
        """The unit that carries ``unit_id``'s people on ``day``: merges in force are followed."""
        seen = {unit_id}
        current = unit_id
        while True:
            unit = self._units.get(current)
            if unit is None or unit.merged_into is None or unit.merged_on is None or unit.merged_on > day:
                return current
            if unit.merged_into in seen:  # a cycle would be a units bug; stop rather than loop
                return current
            seen.add(unit.merged_into)
            current = unit.merged_into

    def lineage(self, unit_id: str, day: date) -> list[str]:
        """``unit_id`` and its ancestors on ``day``, nearest first."""
        chain = [unit_id]
        current = self._units.get(unit_id)
        while current is not None:
            parent = current.parent_on(day)
            if parent is None or parent in chain:
                break
            chain.append(parent)
            current = self._units.get(parent)
        return chain

    def subtree(self, unit_id: str, day: date) -> list[str]:
        """``unit_id`` then every unit active on ``day`` under it, by code."""
        under = [
            u for u in self._units.values()
            if u.unit_id != unit_id and u.active_on(day) and unit_id in self.lineage(u.unit_id, day)
        ]
        return [unit_id, *(u.unit_id for u in sorted(under, key=lambda u: (u.code, u.unit_id)))]

    def ever_under(self, unit_id: str) -> set[str]:
        """Every unit that was ever under ``unit_id`` or merged into such a unit, ``unit_id`` included.

        A superset, used to narrow the people to load before the dated rules decide.
        """
        children: dict[str | None, set[str]] = {}
        for u in self._units.values():
            for _, parent in u.parents:
                children.setdefault(parent, set()).add(u.unit_id)
            if u.merged_into:
                children.setdefault(u.merged_into, set()).add(u.unit_id)
        found, todo = {unit_id}, [unit_id]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


# ============================================================================ people


@dataclass(frozen=True)
class Posting:
    """A dated change of where a person works: enrolled, transferred, or left (unit None)."""

    effective_on: date
    seq: int
    kind: str
    unit_id: str | None
    position: str | None


@dataclass(frozen=True)
class GradeEntry:
    """The grade in force for a year, and the unit the units context counted the person in."""

    grade: Grade
    unit_id: str | None = None
    recorded_grade: Grade | None = None
    corrected: bool = False


@dataclass(frozen=True)
class Supplements:
    """Service facts the office recorded from a file; None fields stay unknown."""

    education_joined_on: date | None = None
    hazardous_service_years: float | None = None
    disadvantaged_area_years: float | None = None
    teaching_years: float | None = None
    recruited_on: date | None = None
    """Into the current employer (the LĐTT admissibility); None: the sector start stands for it."""
    absences: tuple[AbsenceRecord, ...] | None = None
    deceased_on: date | None = None


@dataclass(frozen=True)
class Membership:
    """Where a person counts for a year, and the day that decided it."""

    unit_id: str
    day: date


@dataclass(frozen=True)
class PersonBundle:
    """Everything the local tables hold about one person."""

    person_id: str
    full_name: str
    sex: Sex | None
    """None until the profile (internal topic) has arrived."""
    date_of_birth: date | None
    sector_joined_on: date
    postings: tuple[Posting, ...] = ()
    grades: Mapping[int, GradeEntry] = field(default_factory=dict)
    disciplines: tuple[DisciplineRecord, ...] = ()
    initiatives: tuple[InitiativeRecord, ...] = ()
    titles: tuple[TitleRecord, ...] = ()
    registrations: tuple[Registration, ...] = ()
    holds: tuple[HoldRecord, ...] = ()
    attestations: tuple[Attestation, ...] = ()
    supplements: Supplements | None = None

    def __post_init__(self) -> None:
        # Kept in force order once, so that every dated lookup is a single forward scan.
        object.__setattr__(self, "postings", tuple(sorted(self.postings, key=lambda p: (p.effective_on, p.seq))))

    def posting_on(self, day: date) -> Posting | None:
        """The posting in force on ``day``; None if not on the staff that day."""
        current: Posting | None = None
        for posting in self.postings:
            if posting.effective_on > day:
                break
            current = posting
        if current is None or current.unit_id is None:
            return None
        return current

    def membership(self, year: int, chart: OrgChart) -> Membership | None:
        """The unit the person counts in for ``year`` (see the module doc), or None if not on the staff."""
        first, last = year_start(year), year_end(year)
        day, raw = last, None
        posting = self.posting_on(last)
        if posting is not None:
            raw = posting.unit_id
        else:
            # Left during the year: their last day on the staff decides.
            for left in sorted((p for p in self.postings if p.kind == "left"), key=lambda p: p.effective_on,
                               reverse=True):
                if first < left.effective_on <= last:
                    before = self.posting_on(left.effective_on - timedelta(days=1))
                    if before is not None:
                        day, raw = left.effective_on - timedelta(days=1), before.unit_id
                        break
        graded = self.grades.get(year)
        if graded is not None and graded.unit_id:
            raw = graded.unit_id  # the units context's own statement for the year wins
        if raw is None:
            return None
        return Membership(chart.resolve(raw, day), day)

    def position_in(self, year: int) -> str | None:
        """The position held at the end of ``year`` (or on the last day on the staff)."""
        posting = self.posting_on(year_end(year))
        if posting is None:
            earlier = [p for p in self.postings if p.effective_on <= year_end(year) and p.unit_id]
            return max(earlier, key=lambda p: (p.effective_on, p.seq)).position if earlier else None
        return posting.position

    def facts(self, year: int, chart: OrgChart) -> PersonFacts:
        """The engine's view of this person, for an assessment of ``year``."""
        membership = self.membership(year, chart)
        supplements = self.supplements or Supplements()
        return PersonFacts(
            person_id=self.person_id,
            full_name=self.full_name,
            sex=self.sex,
            date_of_birth=self.date_of_birth,
            sector_joined_on=self.sector_joined_on,
            education_joined_on=supplements.education_joined_on,
            unit_id=membership.unit_id if membership else None,
            position=self.position_in(year),
            is_leader=None,
            leader_posts=None,  # not published as structured data by the units context: unknown
            hazardous_service_years=supplements.hazardous_service_years,
            disadvantaged_area_years=supplements.disadvantaged_area_years,
            teaching_years=supplements.teaching_years,
            recruited_on=supplements.recruited_on,
            absences=list(supplements.absences) if supplements.absences is not None else None,
            deceased_on=supplements.deceased_on,
            grades={y: g.grade for y, g in self.grades.items()},
            titles=list(self.titles),
            initiatives=list(self.initiatives),
            disciplines=list(self.disciplines),
            holds=list(self.holds),
            attestations=list(self.attestations),
            registrations=list(self.registrations),
        )


def members_of(
    unit_id: str, year: int, people: Iterable[PersonBundle], chart: OrgChart, *, include_subunits: bool = True
) -> list[PersonBundle]:
    """The people counted in ``unit_id`` (and, by default, the units under it) for ``year``, by name
    (:func:`kernel.collation.by_given_name`)."""
    found = []
    for person in people:
        m = person.membership(year, chart)
        if m is None:
            continue
        inside = unit_id in chart.lineage(m.unit_id, m.day) if include_subunits else m.unit_id == unit_id
        if inside:
            found.append(person)
    return sorted(found, key=lambda p: (by_given_name(p.full_name), p.person_id))


def members_by_unit(year: int, people: Iterable[PersonBundle], chart: OrgChart) -> dict[str, list[PersonBundle]]:
    """For every unit, the people counted in it or under it for ``year``: one membership per person,
    added to each unit of its lineage (linear in people, where asking unit by unit would be quadratic)."""
    found: dict[str, list[PersonBundle]] = {}
    for person in people:
        m = person.membership(year, chart)
        if m is None:
            continue
        for unit_id in chart.lineage(m.unit_id, m.day):
            found.setdefault(unit_id, []).append(person)
    return found


def member_summary(year: int, members: Sequence[PersonBundle], codes: Iterable[str]) -> MemberSummary:
    """A collective's member figures for ``year`` (see the module doc for what is unknown)."""
    codes = sorted(set(codes))
    if not members:
        return MemberSummary(year=year)  # no staff data for the year: every figure unknown
    graded = [m.grades.get(year) for m in members]
    missing = sum(g is None for g in graded)
    failed = any(g is not None and g.grade is Grade.NOT_COMPLETED for g in graded)
    completed = sum(g is not None and g.grade.rank >= Grade.COMPLETED.rank for g in graded)
    worst: DisciplineForm | None = None
    first, last = year_start(year), year_end(year)
    for member in members:
        for d in member.disciplines:
            if d.annulled or not overlaps(d.start, d.end, first, last):
                continue
            if worst is None or d.form.severity > worst.severity:
                worst = d.form
    return MemberSummary(
        year=year,
        member_count=len(members),
        titled={code: sum(any(t.code == code and t.year == year for t in m.titles) for m in members) for code in codes},
        completed_duties=completed if missing == 0 or failed else None,
        max_discipline=worst if worst is not None else "none",
        women_share=round(sum(m.sex is Sex.FEMALE for m in members) / len(members), 4),
    )


def member_title_codes(catalogue: Catalogue) -> tuple[str, ...]:
    """Title codes some collective rule counts among members (LDTT, CSTDCS): the figures to compute."""
    codes = {
        spec.params.code
        for entry in catalogue.entries.values()
        for version in entry.rules
        for spec in version.all_criteria()
        if isinstance(spec.params, MembersShareWithTitle | AtLeastNMembersWithTitle)
    }
    return tuple(sorted(codes))


# ============================================================================ collectives


@dataclass(frozen=True)
class UnitBundle:
    """Everything the local tables hold about one collective, except its members."""

    unit: UnitRecord
    grades: Mapping[int, Grade] = field(default_factory=dict)
    titles: tuple[TitleRecord, ...] = ()
    registrations: tuple[Registration, ...] = ()
    holds: tuple[HoldRecord, ...] = ()
    attestations: tuple[Attestation, ...] = ()
    bloc_leader_years: tuple[int, ...] = ()

    def facts(self, year: int, summaries: Sequence[MemberSummary]) -> UnitFacts:
        """The engine's view of this collective for ``year``, with the given member summaries."""
        return UnitFacts(
            unit_id=self.unit.unit_id,
            name=self.unit.name_on(year_end(year)),
            grades=dict(self.grades),
            titles=list(self.titles),
            holds=list(self.holds),
            attestations=list(self.attestations),
            registrations=list(self.registrations),
            members=list(summaries),
            bloc_leader_years=list(self.bloc_leader_years),
        )


def summary_years(year: int) -> tuple[int, int]:
    """Member figures are computed for the year and the one before (the forecast repeats last year's)."""
    return (year - 1, year)
