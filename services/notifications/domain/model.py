"""Values of the notifications domain: recipients, the facts a rule reads, notices and deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """What a notification is about; each kind has one message template (:mod:`.templates`)."""

    AWARD_GRANTED = "award_granted"
    """A title or award was conferred on someone in my unit (or a unit under it)."""
    NOMINATION_RETURNED = "nomination_returned"
    """A candidate my unit nominated was returned with reasons (trả lại hồ sơ)."""
    NOMINATION_REJECTED = "nomination_rejected"
    """A candidate my unit nominated was declined (không khen thưởng)."""
    NOMINATION_GRANTED = "nomination_granted"
    """A candidate my unit nominated was granted what it was nominated for."""
    VOTE_WAITING = "vote_waiting"
    """A nomination has candidates waiting for the council's vote (for council members)."""
    DEADLINE_SOON = "deadline_soon"
    """A deadline falls within the next days (a movement's registrations, a public notice's end)."""


@dataclass(frozen=True)
class Recipient:
    """A person who receives notifications: their account (the token's ``sub``), e-mail, role and unit."""

    account: str
    email: str
    role: str
    display_name: str
    unit_id: str | None = None
    active: bool = True


@dataclass(frozen=True)
class UnitFact:
    """What the service keeps of a unit: its name and parent (from the units context's public events)."""

    unit_id: str
    name: str
    parent_id: str | None = None


@dataclass(frozen=True)
class NominationFact:
    """What the service keeps of a nomination (from ``nomination.submitted``)."""

    nomination_id: str
    submitting_unit_id: str
    award_name: str
    year: int
    candidates: Mapping[str, str] = field(default_factory=dict)
    """candidate id → display name."""


@dataclass(frozen=True)
class Facts:
    """Everything a rule may read besides the event: the recipients, the units, the nomination concerned."""

    recipients: tuple[Recipient, ...] = ()
    units: Mapping[str, UnitFact] = field(default_factory=dict)
    nomination: NominationFact | None = None

    def unit_name(self, unit_id: str | None) -> str:
        """The unit's name, or its id when the service has not heard of it (yet)."""
        if unit_id is None:
            return "không rõ đơn vị"
        found = self.units.get(unit_id)
        return found.name if found else unit_id

    def ancestors(self, unit_id: str) -> list[str]:
        """``unit_id`` and the units above it, nearest first (bounded: a cycle in bad data cannot loop)."""
        chain: list[str] = []
        current: str | None = unit_id
        while current is not None and current not in chain and len(chain) < 64:
            chain.append(current)
            parent = self.units.get(current)
            current = parent.parent_id if parent else None
        return chain

    def officers_of(self, unit_id: str | None) -> list[Recipient]:
        """The active unit officers whose own units include ``unit_id`` (their unit or one above it)."""
        if unit_id is None:
            return []
        above = set(self.ancestors(unit_id))
        return [r for r in self.recipients if r.active and r.role == "unit_officer" and r.unit_id in above]

    def with_role(self, *roles: str) -> list[Recipient]:
        """The active recipients with one of these roles."""
        return [r for r in self.recipients if r.active and r.role in roles]


@dataclass(frozen=True)
class Notice:
    """One notification for one person: what a rule decided, before it is stored and mailed.

    ``key`` identifies what it is about (e.g. the award id): the same person is
    told the same kind of thing about the same key once, however many events
    say it (a redelivery, a re-sent event, several candidates of one nomination).
    """

    account: str
    kind: Kind
    key: str
    subject: str
    text: str
    link: str

    @property
    def notification_id(self) -> uuid.UUID:
        """Stable id: the same notice computed again (after a redelivery or a restart) has the same id."""
        return notification_id(self.account, self.kind, self.key)


NAMESPACE = uuid.UUID("6f1d3c52-3b0e-4a43-9f3e-7a4f0a8f2c11")
"""uuid5 namespace of notification ids (fixed forever: ids must not change between releases)."""


def notification_id(account: str, kind: str, key: str) -> uuid.UUID:
    """The id of the notification of ``kind`` about ``key`` for ``account``."""
    return uuid.uuid5(NAMESPACE, f"{account}\x1f{kind}\x1f{key}")


@dataclass(frozen=True)
class Deadline:
    """A date by which something must be done, with who is to be reminded of it.

    ``audience`` says who: ``"unit_officers"`` (of ``unit_ids``, or of every unit
    when it is empty), ``"emulation_office"``, ``"council_members"``.
    """

    key: str
    due_on: date
    what: str
    """What falls due, in Vietnamese, e.g. "Hạn đăng ký thi đua phong trào …"."""
    link: str
    audience: tuple[str, ...]
    unit_ids: tuple[str, ...] = ()


def unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    """Recipients in order, each once."""
    seen: set[str] = set()
    found: list[Recipient] = []
    for r in recipients:
        if r.account not in seen:
            seen.add(r.account)
            found.append(r)
    return found
