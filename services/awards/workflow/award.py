"""The award aggregate: one conferred title or award, and its revocation.

Stream: one per award, id ``award_id`` (``award_id_for(nomination_id,
candidate_id)``). It starts with ``AwardGranted`` (an award form) or
``TitleConferred`` (a title), written by the Ministry's grant or by the
recording of a higher authority's decision, and may end with
``AwardRevoked``. The award events carry the ``category``, so a replica can
tell the engine that thematic and one-off awards are no evidence for merit
awards (NĐ 152/2025 Art. 4.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    AwardKind,
    AwardRevoked,
    Category,
    Recipient,
    TitleConferred,
)
from tdkt_contracts.vocabulary import Authority, SubmittingBody

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .codes import Code
from .commands import RevokeAward
from .paths import not_after


@dataclass(frozen=True, slots=True)
class AwardState:
    """A conferred title or award folded from its stream. ``exists`` is false before it is conferred."""

    award_id: str = ""
    exists: bool = False
    award_kind: AwardKind = "award"
    year: int = 0
    award_code: str = ""
    award_name: str = ""
    category: Category = "merit"
    recipient: Recipient | None = None
    nomination_id: str | None = None
    proposal_id: str | None = None
    authority: Authority | None = None
    conferred_by_ministry: bool = True
    decision_number: str = ""
    decision_date: date | None = None
    signer: str | None = None
    cash_multiple: float | None = None
    initiative_ids: tuple[str, ...] = ()
    revoked: bool = False
    revoked_on: date | None = None
    revocation_reason: str | None = None
    revocation_decision_number: str | None = None

    @classmethod
    def initial(cls, award_id: str = "") -> AwardState:
        """The state of an empty stream."""
        return cls(award_id=award_id)

    @classmethod
    def replay(cls, events: Iterable[EventPayload], award_id: str = "") -> AwardState:
        """Fold the award's stream."""
        return fold(cls.initial(award_id), events)

    def apply(self, event: EventPayload) -> AwardState:
        """The state after ``event``; never fails. Events of other awards leave it unchanged."""
        if self.award_id and getattr(event, "award_id", None) != self.award_id:
            return self
        if isinstance(event, (AwardGranted, TitleConferred)):
            return replace(
                self,
                award_id=event.award_id,
                exists=True,
                award_kind="title" if isinstance(event, TitleConferred) else "award",
                year=event.year,
                award_code=event.award_code,
                award_name=event.award_name,
                category=event.category,
                recipient=event.recipient,
                nomination_id=event.nomination_id,
                proposal_id=event.proposal_id,
                authority=event.authority,
                conferred_by_ministry=event.conferred_by_ministry,
                decision_number=event.decision_number,
                decision_date=event.decision_date,
                signer=event.signer,
                cash_multiple=event.cash_multiple,
                initiative_ids=tuple(event.initiative_ids),
            )
        if isinstance(event, AwardRevoked):
            return replace(
                self,
                revoked=True,
                revoked_on=event.revoked_on,
                revocation_reason=event.reason,
                revocation_decision_number=event.decision_number,
            )
        return self


def conferred_event(
    *,
    award_id: str,
    award_kind: AwardKind,
    year: int,
    award_code: str,
    award_name: str,
    category: Category,
    recipient: Recipient,
    nomination_id: str | None,
    proposal_id: str | None,
    authority: Authority,
    conferred_by_ministry: bool,
    decision_number: str,
    decision_date: date,
    signer: str | None,
    cash_multiple: float | None,
    initiative_ids: list[str],
    submitted_by: SubmittingBody | None = None,
) -> AwardGranted | TitleConferred:
    """The event that opens an award's stream: ``TitleConferred`` for a title, ``AwardGranted`` otherwise."""
    model = TitleConferred if award_kind == "title" else AwardGranted
    return model(
        award_id=award_id,
        year=year,
        award_code=award_code,
        award_name=award_name,
        category=category,
        recipient=recipient,
        nomination_id=nomination_id,
        proposal_id=proposal_id,
        authority=authority,
        conferred_by_ministry=conferred_by_ministry,
        decision_number=decision_number,
        decision_date=decision_date,
        signer=signer,
        cash_multiple=cash_multiple,
        initiative_ids=initiative_ids,
        submitted_by=submitted_by,
    )


def decide_revoke(state: AwardState, cmd: RevokeAward, *, today: date) -> list[EventPayload]:
    """Revoke an award (thu hồi, hủy bỏ quyết định khen thưởng; Law Ch. VII). Load: the award's stream.

    The reason is required (by the command). Only the authority that
    conferred it revokes it (``beyond_power``): the Ministry records the
    President's revocation, it does not decide one. Revoking twice is a
    conflict; the revocation is not dated before the award's decision.
    """
    if not state.exists:
        raise NotFound(Code.AWARD_NOT_FOUND, f"Award {cmd.award_id!r} does not exist", award_id=cmd.award_id)
    if state.revoked:
        raise Conflict(
            Code.AWARD_ALREADY_REVOKED,
            f"{state.award_name} ({state.award_id}) was already revoked on {state.revoked_on} "
            f"by decision {state.revocation_decision_number}",
            award_id=state.award_id,
            revoked_on=state.revoked_on.isoformat() if state.revoked_on else None,
        )
    if Authority(cmd.authority) is not state.authority:
        assert state.authority is not None
        raise DomainError(
            Code.BEYOND_POWER,
            f"{state.award_name} was conferred by {state.authority.label_vi}; only that authority revokes it "
            f"(not {cmd.authority.label_vi})",
            award_id=state.award_id,
            decider=cmd.authority.value,
            required_authority=state.authority.value,
        )
    not_after(cmd.revoked_on, today, "revoked_on")
    if state.decision_date is not None and cmd.revoked_on < state.decision_date:
        raise DomainError(
            Code.DATE_BEFORE_DECISION,
            f"The revocation ({cmd.revoked_on}) is dated before the award's decision ({state.decision_date})",
            revoked_on=cmd.revoked_on.isoformat(),
            decision_date=state.decision_date.isoformat(),
        )
    return [
        AwardRevoked(
            award_id=state.award_id,
            reason=cmd.reason,
            decision_number=cmd.decision_number,
            revoked_on=cmd.revoked_on,
        )
    ]
