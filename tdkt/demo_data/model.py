"""The generated ministry as plain, immutable data: what the scenario sends to the services.

Everything here is a value the services' APIs take (ids, codes, Vietnamese
names, dates); nothing refers to a running system. Dates are real calendar
dates of the acts (a grant decided on 2023-12-29 is dated so), so the
services record history as it happened, not as it was replayed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Unit:
    """A unit of the organisation tree (đơn vị)."""

    unit_id: str
    code: str
    name: str
    kind: str
    family: str
    parent_id: str | None
    established_on: date
    decision_number: str | None = None

    @property
    def top_level(self) -> bool:
        """The Ministry itself (no parent)."""
        return self.parent_id is None


@dataclass(frozen=True)
class Person:
    """A member of staff (cán bộ, công chức, viên chức, người lao động).

    ``education_joined_on``, ``teaching_years`` and ``hazardous_service_years``
    are service facts the units contract does not carry; the awards office
    records them from a nomination file (``supplements``), so only those of
    people nominated for an award that reads them are sent.
    """

    person_id: str
    full_name: str
    sex: str  # "male" | "female" (units vocabulary)
    date_of_birth: date
    sector_joined_on: date
    unit_id: str
    position: str
    staff_category: str
    union_member: bool
    education_joined_on: date | None = None
    teaching_years: float | None = None
    hazardous_service_years: float | None = None


@dataclass(frozen=True)
class Discipline:
    """A discipline decision (kỷ luật) and its period."""

    discipline_id: str
    person_id: str
    form: str  # DisciplineForm value
    reason: str
    decision_number: str
    decided_on: date
    ends_on: date


@dataclass(frozen=True)
class Initiative:
    """A recognised initiative (sáng kiến) or research work (đề tài)."""

    initiative_id: str
    kind: str  # "sang_kien" | "de_tai"
    level: str  # "co_so" | "bo" | "toan_quoc"
    year: int
    title: str
    decision_number: str
    decided_on: date
    author_ids: tuple[str, ...]
    unit_id: str


@dataclass(frozen=True)
class Supplement:
    """Service facts the office records from a nomination file (awards' ``person_supplements``)."""

    person_id: str
    recorded_on: date
    education_joined_on: date | None = None
    teaching_years: float | None = None
    hazardous_service_years: float | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AttestationSpec:
    """A finding the nomination file attests (e.g. outstanding in a movement) for a year."""

    recipient_kind: str  # "individual" | "collective"
    subject_id: str
    key: str
    year: int
    reference: str


@dataclass(frozen=True)
class LegacyAward:
    """An award decided before the rules this system holds (before 2017-07-31), recorded from the files.

    No rule version covers its year, so the engine cannot judge it: it is a
    fact of record (the person's or unit's award history), the start of a
    chain such as Bằng khen Thủ tướng → Huân chương Lao động hạng Ba.
    """

    recipient_kind: str
    subject_id: str
    code: str
    year: int
    authority: str  # Authority value of who decided it
    decision_number: str
    decided_on: date


@dataclass(frozen=True)
class Candidate:
    """One candidate of a nomination."""

    candidate_id: str
    recipient_kind: str
    subject_id: str


@dataclass(frozen=True)
class Notice:
    """A public notice before the council (công khai), where the rule requires one."""

    opened_on: date
    closes_on: date
    closed_on: date


@dataclass(frozen=True)
class Grant:
    """The decision of the Minister or a unit head (quyết định khen thưởng)."""

    authority: str  # "minister" | "unit_head"
    decision_number: str
    decision_date: date
    signer: str


@dataclass(frozen=True)
class Forward:
    """The Ministry's submission to a higher authority (tờ trình), and that authority's decision."""

    submission_number: str
    forwarded_on: date
    to_authority: str  # Authority value
    to_body: str
    decided_by: str
    decision_number: str
    decision_date: date
    signer: str | None = None


@dataclass(frozen=True)
class Nomination:
    """A nomination file: one award code and year, a batch of candidates from one unit, and its fate."""

    nomination_id: str
    code: str
    year: int
    category: str  # merit | thematic | one_off | long_service
    submitting_unit_id: str
    candidates: tuple[Candidate, ...]
    submitted_on: date
    level: str  # "unit" (unit head decides) | "ministry" (Minister decides) | "upward" (proposed)
    notice: Notice | None = None
    voted_on: date | None = None
    grant: Grant | None = None
    forward: Forward | None = None
    movement_id: str | None = None
    phase: int = 0
    """Order within the year: unit-level titles (0) before the Ministry's round (1), which reads them."""

    @property
    def subject_ids(self) -> tuple[str, ...]:
        """The subjects, in candidate order."""
        return tuple(c.subject_id for c in self.candidates)


@dataclass(frozen=True)
class ArticleCount:
    """One figure of the article: an award code, the flow, and how many individuals and collectives."""

    code: str
    flow: str  # "proposed" | "granted"
    individuals: int
    collectives: int = 0


@dataclass
class Ministry:
    """The generated ministry: tree, staff, their records, and the award history to replay.

    ``grades`` maps (person_id, year) → grade code; ``unit_grades`` (unit_id,
    year) → grade code. ``nominations`` are in the order to replay them: by
    year, then phase.
    """

    seed: int
    units: list[Unit]
    people: list[Person]
    grades: dict[tuple[str, int], str]
    unit_grades: dict[tuple[str, int], str]
    disciplines: list[Discipline]
    initiatives: list[Initiative]
    supplements: list[Supplement]
    attestations: list[AttestationSpec]
    legacy_awards: list[LegacyAward]
    nominations: list[Nomination]
    roles: dict[str, str] = field(default_factory=dict)
    """person or unit id → the 2023 award it is planned for (e.g. ``CSTD_BO``; ``BK_BT/collective``)."""

    # ------------------------------------------------------------------ lookups

    def person(self, person_id: str) -> Person:
        """The person with this id."""
        return self._people_by_id()[person_id]

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id."""
        return self._units_by_id()[unit_id]

    def _people_by_id(self) -> dict[str, Person]:
        cached = getattr(self, "_people_index", None)
        if cached is None or len(cached) != len(self.people):
            cached = {p.person_id: p for p in self.people}
            self._people_index = cached
        return cached

    def _units_by_id(self) -> dict[str, Unit]:
        cached = getattr(self, "_units_index", None)
        if cached is None or len(cached) != len(self.units):
            cached = {u.unit_id: u for u in self.units}
            self._units_index = cached
        return cached

    @property
    def root(self) -> Unit:
        """The Ministry (Bộ Công Thương)."""
        return next(u for u in self.units if u.parent_id is None)

    def children(self, unit_id: str) -> list[Unit]:
        """Units directly under ``unit_id``."""
        return [u for u in self.units if u.parent_id == unit_id]

    def subtree(self, unit_id: str) -> set[str]:
        """``unit_id`` and every unit under it."""
        found, todo = {unit_id}, [unit_id]
        while todo:
            for child in self.children(todo.pop()):
                found.add(child.unit_id)
                todo.append(child.unit_id)
        return found

    def top_unit_of(self, unit_id: str) -> Unit:
        """The unit directly under the Ministry that ``unit_id`` belongs to (itself if it is one)."""
        current = self.unit(unit_id)
        while current.parent_id is not None and current.parent_id != self.root.unit_id:
            current = self.unit(current.parent_id)
        return current

    def grades_of(self, person_id: str) -> dict[int, str]:
        """A person's grades by year."""
        return {y: g for (p, y), g in self.grades.items() if p == person_id}

    def initiatives_of(self, person_id: str) -> list[Initiative]:
        """The initiatives a person (co-)authored."""
        return [i for i in self.initiatives if person_id in i.author_ids]

    def grants(self) -> Iterator[tuple[Nomination, Candidate]]:
        """Every candidate of every nomination, in replay order."""
        for nomination in self.nominations:
            for candidate in nomination.candidates:
                yield nomination, candidate

    def nominations_of(self, year: int) -> list[Nomination]:
        """The nominations of an achievement year, in replay order."""
        return [n for n in self.nominations if n.year == year]
