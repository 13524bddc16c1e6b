"""Which personal data an answer carries, per role (Nghị định 13/2023/NĐ-CP: data by need).

Every query is open to every role (kernel.auth), but not every field of a
person's record is: a reader sees names, units and awards; grades are for
those who assess (the office, the council, the approver, and a unit officer
for the people of their own units); discipline only for the office and the
approver; date of birth, sex and trade-union membership only for the office,
which keeps the files (the engine reads them where a rule needs them, e.g.
years of service by sex, and never shows them). The administrator sees all.

The policy is :data:`POLICY`, written once; the services apply it to their
answers with :class:`Disclosure`, and the README's personal-data table is
printed from it (:func:`personal_data_markdown`). Fields of a person record
are named once in :data:`PERSON_FIELDS`; :func:`minimise` keeps only the
fields the caller may see and drops any field it does not know (a field
added to a record without a category is not shown: fails closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi import Request

from .auth import Principal, Role, UnitScope


class PersonalData(StrEnum):
    """The categories of a person's data an answer may carry."""

    IDENTITY = "identity"
    """Name, id, unit and position, employment history (không nhạy cảm)."""
    AWARDS = "awards"
    """Titles and awards held, recognised initiatives: published by decision anyway."""
    GRADES = "grades"
    """Annual grades (xếp loại chất lượng) and their corrections."""
    DISCIPLINE = "discipline"
    """Discipline decisions (kỷ luật), open holds, a dismissal as the reason of leaving."""
    BIRTH_AND_SEX = "birth_and_sex"
    """Date of birth and sex."""
    UNION_MEMBERSHIP = "union_membership"
    """Trade-union membership (đoàn viên công đoàn)."""


@dataclass(frozen=True)
class Visibility:
    """Who sees one category: ``roles`` always, ``own_units`` only for people of the units they act for."""

    roles: frozenset[Role]
    own_units: frozenset[Role] = frozenset()
    why: str = ""


_EVERYONE = frozenset(Role)
_ASSESSORS = frozenset({Role.EMULATION_OFFICE, Role.COUNCIL_MEMBER, Role.APPROVER, Role.ADMINISTRATOR})

POLICY: Mapping[PersonalData, Visibility] = {
    PersonalData.IDENTITY: Visibility(_EVERYONE, why="who a record is about"),
    PersonalData.AWARDS: Visibility(_EVERYONE, why="published by decision"),
    PersonalData.GRADES: Visibility(
        _ASSESSORS, frozenset({Role.UNIT_OFFICER}), why="assessing and proposing candidates"
    ),
    PersonalData.DISCIPLINE: Visibility(
        frozenset({Role.EMULATION_OFFICE, Role.APPROVER, Role.ADMINISTRATOR}),
        why="checking and deciding a nomination",
    ),
    PersonalData.BIRTH_AND_SEX: Visibility(
        frozenset({Role.EMULATION_OFFICE, Role.ADMINISTRATOR}), why="keeping the files; the rules read them unseen"
    ),
    PersonalData.UNION_MEMBERSHIP: Visibility(
        frozenset({Role.EMULATION_OFFICE, Role.ADMINISTRATOR}), why="keeping the files"
    ),
}
"""Per category, the roles whose answers carry it."""

PERSON_FIELDS: Mapping[str, PersonalData] = {
    "person_id": PersonalData.IDENTITY,
    "full_name": PersonalData.IDENTITY,
    "unit_id": PersonalData.IDENTITY,
    "effective_unit_id": PersonalData.IDENTITY,
    "effective_unit_name": PersonalData.IDENTITY,
    "position": PersonalData.IDENTITY,
    "units": PersonalData.IDENTITY,
    "staff_category": PersonalData.IDENTITY,
    "sector_joined_on": PersonalData.IDENTITY,
    "on_staff": PersonalData.IDENTITY,
    "left_on": PersonalData.IDENTITY,
    "version": PersonalData.IDENTITY,
    "initiatives": PersonalData.AWARDS,
    "grades": PersonalData.GRADES,
    "disciplines": PersonalData.DISCIPLINE,
    "leave_reason": PersonalData.DISCIPLINE,  # buoc_thoi_viec is a discipline form
    "date_of_birth": PersonalData.BIRTH_AND_SEX,
    "sex": PersonalData.BIRTH_AND_SEX,
    "union_member": PersonalData.UNION_MEMBERSHIP,
}
"""Every field of a person record an answer may carry, with its category (the same names in every service)."""


def categories(roles: Iterable[Role], *, own_unit: bool) -> frozenset[PersonalData]:
    """What a holder of ``roles`` sees of one person; ``own_unit``: the person is in a unit they act for."""
    held = set(roles)
    return frozenset(
        c for c, v in POLICY.items() if held & v.roles or (own_unit and held & v.own_units)
    )


def minimise(record: Mapping[str, Any], seen: frozenset[PersonalData]) -> dict[str, Any]:
    """The record with only the fields of categories in ``seen``; ``withheld`` names the categories left out."""
    kept = {k: v for k, v in record.items() if k in PERSON_FIELDS and PERSON_FIELDS[k] in seen}
    withheld = sorted({PERSON_FIELDS.get(k, "unclassified") for k in record if k not in kept})
    return {**kept, "withheld": withheld}


@dataclass
class Disclosure:
    """What the caller of one request may see of each person, by the unit the person is in.

    A unit officer's own-unit categories need the service's scope resolver
    (its view of the tree, as for commands); answers are cached per unit for
    the request, so a unit-wide answer asks once per unit, not per person.
    """

    principal: Principal
    scope: UnitScope | None = None
    _cache: dict[str | None, frozenset[PersonalData]] = field(default_factory=dict)

    @classmethod
    def of(cls, request: Request) -> Disclosure:
        """The disclosure for the request's verified caller (the kernel's guard has run)."""
        principal: Principal = request.state.principal
        return cls(principal, getattr(request.app.state.access, "scope", None))

    @property
    def everything(self) -> bool:
        """The caller sees every category for every person."""
        return categories(self.principal.roles, own_unit=False) == frozenset(PersonalData)

    async def for_unit(self, unit_id: str | None) -> frozenset[PersonalData]:
        """The categories the caller sees of a person in ``unit_id`` (None: unknown unit)."""
        if unit_id not in self._cache:
            self._cache[unit_id] = categories(self.principal.roles, own_unit=await self._own(unit_id))
        return self._cache[unit_id]

    async def _own(self, unit_id: str | None) -> bool:
        officer = Role.UNIT_OFFICER in self.principal.roles and self.principal.unit_id is not None
        if not officer or unit_id is None or self.scope is None:
            return False
        return bool(await self.scope.within(unit_id, self.principal.unit_id))


def personal_data_markdown() -> str:
    """The README's table of which personal data each role's answers carry, from :data:`POLICY`."""
    roles = [r for r in Role if r is not Role.ADMINISTRATOR]
    lines = [
        "| personal data | fields | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for category, visibility in POLICY.items():
        fields = ", ".join(f"`{f}`" for f, c in PERSON_FIELDS.items() if c is category)
        cells = [
            "yes" if r in visibility.roles else "own units" if r in visibility.own_units else "" for r in roles
        ]
        lines.append(f"| {category.value} | {fields} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


__all__ = [
    "PERSON_FIELDS",
    "POLICY",
    "Disclosure",
    "PersonalData",
    "Visibility",
    "categories",
    "minimise",
    "personal_data_markdown",
]
