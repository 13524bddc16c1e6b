"""Awards decided outside this system's workflow, entered from the files (vào sổ khen thưởng).

A person's or a unit's history starts before the system was used: the
Prime Minister's certificate of 2016 that a Labour Order of 2023 rests on,
the Minister's certificate of 2010. No nomination here led to them and no
rule version the engine holds may cover their year, so they are not judged:
they are recorded as the decision states them, on an award stream of their
own, with the same ``AwardGranted`` / ``TitleConferred`` event a grant opens
(``nomination_id`` null), so that the history, the engine's chains and the
one-achievement-one-award check treat them like any other.

The award id derives from (recipient, code, year), so the same award
entered twice lands on the same stream and is refused
(``award_already_recorded``), whoever enters it and however often a client
retries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import Field, model_validator
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import Category, Recipient
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.errors import Conflict
from kernel.ids import SubjectId

from ..domain.catalogue import AwardEntry
from ..domain.engine import check_recipient
from .award import conferred_event
from .codes import Code
from .commands import Command, DecisionNumber, Year
from .history import HistoryEntry
from .ids import prior_award_id
from .paths import not_after

_BY_MINISTRY = frozenset({Authority.MINISTER, Authority.UNIT_HEAD})


class RecordPriorAward(Command):
    """A title or award decided outside the workflow (before the system, or without a proposal through it)."""

    recipient_kind: RecipientKind
    subject_id: SubjectId = Field(description="The person's or the unit's id in the units context.")
    award_code: str = Field(min_length=1, max_length=32, description="Catalogue code, e.g. BK_TTG.")
    year: Year
    category: Category = Field(default="merit", description="Kind of commendation, as the decision states it.")
    authority: Authority = Field(description="Who decided it.")
    decision_number: DecisionNumber
    decision_date: date
    signer: str | None = Field(default=None, max_length=255)

    @model_validator(mode="after")
    def _decided_after_the_year(self) -> RecordPriorAward:
        if self.decision_date.year < self.year:
            raise ValueError(f"decision_date {self.decision_date} is before the achievement year {self.year}")
        return self


def decide_record_prior(
    cmd: RecordPriorAward,
    *,
    entry: AwardEntry,
    recipient: Recipient,
    stream_version: int,
    held: Iterable[HistoryEntry],
    today: date,
) -> list[EventPayload]:
    """The event that enters a prior award. Load: the catalogue entry, the subject's name of record and
    unit (``recipient``), the version of the award's stream, the subject's history (``held``).

    Refused: a code not given to this kind of recipient; a decision dated after today; the same award
    already entered (``award_already_recorded``: the stream exists, or the history holds the code for the
    year, unrevoked, from a nomination).
    """
    check_recipient(entry, cmd.recipient_kind)
    not_after(cmd.decision_date, today, "decision_date")
    award_id = prior_award_id(cmd.recipient_kind, cmd.subject_id, entry.code, cmd.year)
    same = next((h for h in held if h.award_code == entry.code and h.year == cmd.year and not h.revoked), None)
    if stream_version > 0 or same is not None:
        raise Conflict(
            Code.AWARD_ALREADY_RECORDED,
            f"{recipient.display_name} already holds {entry.name_vi} for {cmd.year}",
            award_id=same.award_id if same is not None else award_id,
            subject_id=cmd.subject_id,
            award_code=entry.code,
            year=cmd.year,
        )
    return [
        conferred_event(
            award_id=award_id,
            award_kind=entry.kind,
            year=cmd.year,
            award_code=entry.code,
            award_name=entry.name_vi,
            category=cmd.category,
            recipient=recipient,
            nomination_id=None,
            proposal_id=None,
            authority=cmd.authority,
            conferred_by_ministry=cmd.authority in _BY_MINISTRY,
            decision_number=cmd.decision_number,
            decision_date=cmd.decision_date,
            signer=cmd.signer,
            cash_multiple=None,
            initiative_ids=[],
        )
    ]
