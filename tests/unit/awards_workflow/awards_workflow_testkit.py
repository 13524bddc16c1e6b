"""A tiny in-memory world that plays the handlers' part for the awards workflow, without I/O.

It keeps every stream as a list of events, folds the aggregates with the
handlers' own code (a nomination with its linked proposal and award streams:
:class:`~services.awards.workflow.NominationFile`),
builds the inputs each ``decide_*`` takes (assessments from the engine, the
units replica, the council, the history) and appends what a decision
returns, refusing a new award or proposal stream that already exists as the
event store would (expected version 0).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))  # the engine's recipes

import awards_testkit as kit  # noqa: E402
from tdkt_contracts import EventPayload  # noqa: E402
from tdkt_contracts.catalogue.awards import AwardGranted, DossierDocument, ProposalForwarded, TitleConferred  # noqa: E402
from tdkt_contracts.vocabulary import RecipientKind  # noqa: E402

from kernel.errors import DomainError  # noqa: E402
from services.awards.domain import Assessment, Catalogue, PersonFacts, UnitFacts  # noqa: E402
from services.awards.workflow import (  # noqa: E402
    AwardState,
    Ballot,
    CandidateBallots,
    Council,
    CouncilMember,
    HistoryEntry,
    NominationFile,
    NominationState,
    Nominee,
    ProposalState,
    RecordCouncilVote,
    SubmitNomination,
    decide_submit,
    decide_vote,
    linked_stream_ids,
    procedures_for,
    title_and_award_history,
)

from pydantic import BaseModel  # noqa: E402

M = TypeVar("M", bound=BaseModel)

IND = RecipientKind.INDIVIDUAL
COL = RecipientKind.COLLECTIVE

FULL_DOSSIER = [
    DossierDocument(kind="submission_letter", title="Tờ trình đề nghị khen thưởng năm 2024", reference="45/TTr-VTCCB"),
    DossierDocument(kind="achievement_report", title="Báo cáo thành tích năm 2024"),
    DossierDocument(kind="review_minutes", title="Biên bản họp Hội đồng Thi đua – Khen thưởng Vụ"),
    DossierDocument(kind="vote_minutes", title="Biên bản kiểm phiếu"),
]
SHORT_DOSSIER = FULL_DOSSIER[:2]

UNITS: dict[str, str] = {
    # subject id -> the unit it belongs to in the units replica (a collective: itself)
    "p-huong": "u-vtccb",
    "p-phuc": "u-vtccb-th",
    "p-tuyet": "u-vtccb",
    "p-hung": "u-vtccb",
    "p-khoa": "u-vkh",
    "u-vtccb-th": "u-vtccb-th",
    "u-vkh": "u-vkh",
}
SUBTREES: dict[str, set[str]] = {
    "u-vtccb": {"u-vtccb", "u-vtccb-th"},
    "u-vkh": {"u-vkh"},
    "u-htqt": {"u-htqt"},
}
NAMES = {
    "p-huong": "Nguyễn Thị Hương",
    "p-phuc": "Trần Văn Phúc",
    "p-tuyet": "Lê Thị Ánh Tuyết",
    "p-hung": "Đặng Quốc Hưng",
    "p-khoa": "Phạm Đăng Khoa",
    "u-vtccb-th": "Phòng Tổng hợp",
    "u-vkh": "Vụ Kế hoạch",
}

MEMBER_NAMES = [
    "Nguyễn Hồng Diên",
    "Trương Thanh Hoài",
    "Phan Thị Thắng",
    "Nguyễn Sinh Nhật Tân",
    "Trần Quốc Toản",
    "Lê Thị Hải Yến",
    "Đỗ Thắng Hải",
    "Vũ Thị Ngọc Ánh",
    "Hoàng Văn Đức",
    "Bùi Thị Thủy",
    "Ngô Quang Huy",
]
COUNCIL = Council(
    council_id="hd-tdkt-bct",
    name="Hội đồng Thi đua – Khen thưởng Bộ Công Thương",
    members=tuple(
        CouncilMember(member_id=f"m-{i:02d}", name=name, role="chair" if i == 1 else "member")
        for i, name in enumerate(MEMBER_NAMES, start=1)
    ),
)
"""Eleven members: 10 of 11 is 90.9 %, 9 of 11 is 81.8 %."""


def ballots(approve: int = 0, written: int = 0, against: int = 0, *, council: Council = COUNCIL) -> list[Ballot]:
    """``approve`` members present vote for, then ``written`` absent members vote for in writing, then ``against``."""
    ids = [m.member_id for m in council.members]
    out = [Ballot(member_id=ids[i], approve=True) for i in range(approve)]
    out += [Ballot(member_id=ids[approve + i], approve=True, in_writing=True) for i in range(written)]
    out += [Ballot(member_id=ids[approve + written + i], approve=False) for i in range(against)]
    return out


def changed(model: M, **changes: Any) -> M:
    """A copy of ``model`` with ``changes``, validated again (``model_copy`` would not validate)."""
    return type(model).model_validate({**model.model_dump(), **changes})


def person(subject_id: str, code: str, year: int) -> PersonFacts:
    """Facts of a replica person that pass ``code`` for ``year`` (the engine's recipe, renamed)."""
    facts = kit.recipe(code, IND, year)
    assert isinstance(facts, PersonFacts)
    return changed(facts, person_id=subject_id, full_name=NAMES[subject_id], unit_id=UNITS[subject_id])


def collective(subject_id: str, code: str, year: int) -> UnitFacts:
    """Facts of a replica unit that pass ``code`` for ``year``."""
    facts = kit.recipe(code, COL, year)
    assert isinstance(facts, UnitFacts)
    return changed(facts, unit_id=subject_id, name=NAMES[subject_id])


def refused(code: str, decide: Callable[..., list[EventPayload]], *args: Any, **kwargs: Any) -> DomainError:
    """Call ``decide``; it must raise ``code`` and leave its inputs (the states) exactly as they were."""
    before = copy.deepcopy(args)
    with pytest.raises(DomainError) as caught:
        decide(*args, **kwargs)
    assert caught.value.code == code, f"{caught.value.code}: {caught.value.message}"
    assert args == before  # nothing changed
    return caught.value


class World:
    """Streams in memory; ``run`` decides and appends like a handler in one transaction."""

    def __init__(self, catalogue: Catalogue, today: date) -> None:
        self.catalogue = catalogue
        self.today = today
        self.streams: dict[str, list[EventPayload]] = {}
        self.log: list[EventPayload] = []

    # -- loading (what a handler folds) --------------------------------------

    def nomination(self, nomination_id: str, *, linked: bool = True) -> NominationState:
        """The nomination's stream, then (the handlers' own fold, :class:`NominationFile`) its linked streams."""
        own = self.streams.get(nomination_id, [])
        state = NominationState.replay(own, nomination_id)
        if not linked:
            return state
        streams = {sid: self.streams.get(sid, []) for sid in linked_stream_ids(state)}
        return NominationFile.fold(nomination_id, own, streams).state

    def proposal(self, proposal_id: str) -> ProposalState:
        """A proposal's stream."""
        return ProposalState.replay(self.streams.get(proposal_id, []), proposal_id)

    def award(self, award_id: str) -> AwardState:
        """An award's stream."""
        return AwardState.replay(self.streams.get(award_id, []), award_id)

    def history(self, subject_id: str | None = None) -> list[HistoryEntry]:
        """Every award event of the world, as the history query sees it."""
        return title_and_award_history(self.log, subject_id=subject_id)

    # -- writing ------------------------------------------------------------

    def append(self, events: Sequence[EventPayload]) -> None:
        """Append each event to its stream; a new award or proposal stream must not exist yet."""
        for event in events:
            if isinstance(event, (AwardGranted, TitleConferred, ProposalForwarded)) and self.streams.get(event.subject()):
                raise AssertionError(f"concurrency: stream {event.subject()} already exists")
        for event in events:
            self.streams.setdefault(event.subject(), []).append(event)
            self.log.append(event)

    def run(self, decide: Callable[..., list[EventPayload]], *args: Any, **kwargs: Any) -> list[EventPayload]:
        """Decide, then append what was decided."""
        events = decide(*args, **kwargs)
        self.append(events)
        return events

    # -- scenario helpers ---------------------------------------------------

    def assess(self, code: str, year: int, facts: PersonFacts | UnitFacts) -> Assessment:
        """The engine on the replica's facts, as of today."""
        return kit.check(code, year, facts, as_of=self.today)

    def submit(
        self,
        nomination_id: str,
        code: str,
        year: int,
        candidates: Sequence[tuple[str, PersonFacts | UnitFacts]],
        *,
        category: str = "merit",
        unit: str = "u-vtccb",
        movement_id: str | None = None,
        documents: Sequence[DossierDocument] = FULL_DOSSIER,
        submitted_on: date | None = None,
    ) -> list[EventPayload]:
        """Submit facts-backed candidates (candidate id, facts) of the replica."""
        cmd = SubmitNomination(
            nomination_id=nomination_id,
            year=year,
            award_code=code,
            category=category,
            submitting_unit_id=unit,
            movement_id=movement_id,
            candidates=[
                Nominee(candidate_id=cid, recipient_kind=facts.recipient, subject_id=facts.subject_id)
                for cid, facts in candidates
            ],
            documents=list(documents),
            submitted_on=submitted_on or self.today,
        )
        return self.run(
            decide_submit,
            self.nomination(nomination_id),
            cmd,
            entry=self.catalogue.entry(code),
            assessments={cid: self.assess(code, year, facts) for cid, facts in candidates},
            candidate_units={cid: UNITS.get(facts.subject_id) for cid, facts in candidates},
            unit_subtree=SUBTREES[unit],
            today=self.today,
        )

    def procedures(self, nomination_id: str) -> dict:
        """Who decides, vote share and notice for the nomination's code and year."""
        state = self.nomination(nomination_id)
        return procedures_for(self.catalogue, state.award_code, state.year, state.submitted_on)

    def vote(
        self, nomination_id: str, on: date, results: dict[str, list[Ballot]], *, council: Council = COUNCIL, **kw: Any
    ) -> list[EventPayload]:
        """Record the council's vote on candidates."""
        cmd = RecordCouncilVote(
            nomination_id=nomination_id,
            council_id=council.council_id,
            voted_on=on,
            results=[CandidateBallots(candidate_id=cid, ballots=b) for cid, b in results.items()],
        )
        return self.run(
            decide_vote,
            self.nomination(nomination_id),
            cmd,
            council=council,
            procedures=kw.pop("procedures", None) or self.procedures(nomination_id),
            law=kw.pop("law", None) or self.catalogue,
            today=self.today,
            **kw,
        )
