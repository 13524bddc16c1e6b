"""The emulation and commendation council (Hội đồng Thi đua – Khen thưởng) and how its vote is counted.

The council's composition is data: the handler loads the council named by
the vote command (from the Minister's decision establishing it) and passes it
in. The threshold is a share of **all** members, not of those present (NĐ
98/2023 Art. 30.7; rules.md §4 and §8): members who are absent vote in
writing, and their votes are counted and recorded in the minutes. A member
who neither attends nor sends a written vote simply adds no "for" vote, so
absence can only make a candidate fail, never pass.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from pydantic import Field, model_validator
from tdkt_contracts.vocabulary import Labelled

from kernel.text import check_name, check_person_name, check_strings

from ..domain.base import DomainModel


class CouncilRole(Labelled):
    """A member's seat on the council."""

    CHAIR = "chair", "Chủ tịch Hội đồng"
    VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
    STANDING_MEMBER = "standing_member", "Ủy viên thường trực"
    MEMBER = "member", "Ủy viên"


class CouncilMember(DomainModel):
    """One member of the council."""

    member_id: str = Field(min_length=1, max_length=64, description="Id of the member (usually the person id).")
    name: str = Field(min_length=1, max_length=255, description="Họ và tên, with diacritics.")
    role: CouncilRole = Field(default=CouncilRole.MEMBER, description="Seat on the council.")


class Council(DomainModel):
    """A council as established by decision: its members are the base of every vote share."""

    council_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=255, description="e.g. 'Hội đồng Thi đua – Khen thưởng Bộ Công Thương'.")
    members: tuple[CouncilMember, ...] = Field(min_length=1)
    default_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description=(
            "Share of all members needed where the law sets none (the council's own regulation, "
            "quy chế hoạt động); the vote is then advisory."
        ),
    )

    @model_validator(mode="after")
    def _members_unique(self) -> Council:
        ids = [m.member_id for m in self.members]
        if len(ids) != len(set(ids)):
            raise ValueError("council members must be listed once each")
        return self

    @property
    def member_ids(self) -> frozenset[str]:
        """Ids of every member."""
        return frozenset(m.member_id for m in self.members)

    @property
    def size(self) -> int:
        """All members: the base of the vote share."""
        return len(self.members)


def share_reached(votes_for: int, members_total: int, share: float) -> bool:
    """``votes_for / members_total >= share``, computed exactly.

    Fractions rather than floats: 9/10 must reach 0.9 and 4/5 must reach 0.8
    even though neither is exact in binary. ``share`` is read as the decimal
    it was written as (0.9 is 9/10).
    """
    if members_total <= 0:
        return False
    return Fraction(votes_for, members_total) >= Fraction(str(share))


class SetCouncil(DomainModel):
    """The council's composition from a date, as the decision establishing or recomposing it lists it."""

    name: str = Field(
        min_length=1,
        max_length=255,
        description="e.g. 'Hội đồng Thi đua – Khen thưởng Bộ Công Thương'.",
    )
    members: list[CouncilMember] = Field(min_length=1, max_length=200, description="Every member (thành viên).")
    effective_on: date = Field(description="First day this composition is in force (date of the decision).")
    decision_number: str | None = Field(
        default=None, max_length=64, description="The decision establishing or recomposing it, e.g. '1234/QĐ-BCT'."
    )
    default_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of all members the council's own regulation requires where the law sets none.",
    )

    @model_validator(mode="after")
    def _members_once(self) -> SetCouncil:
        check_strings(self)
        check_name(self.name)
        for member in self.members:
            check_person_name(member.name)
        ids = [m.member_id for m in self.members]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"members listed more than once: {', '.join(twice)}")
        return self
