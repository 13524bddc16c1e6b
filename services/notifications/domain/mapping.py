"""Which event tells whom what: one rule per event type, event → notices (and deadlines to remind of).

A rule is a pure function ``(event id, payload, facts) -> list[Notice]``;
:data:`RULES` maps event types to rules, so a new event (the dossier returns
and assignments of issue 20 points 1–4) is one new row. Deadlines are found by
:data:`DEADLINES` (event → the dates it sets) and turned into notices by
:func:`deadline_notices` once they are :data:`DEADLINE_DAYS_AHEAD` days away.

Who is told:

=========================================  ==============================================  ===================
event                                      recipients                                      kind
=========================================  ==============================================  ===================
award.granted / award.title-conferred      unit officers of the nominating unit            nomination_granted
(from a nomination or a proposal)          unit officers of the recipient's unit (others)  award_granted
nomination.candidate-returned              unit officers of the nominating unit            nomination_returned
nomination.candidate-rejected              unit officers of the nominating unit            nomination_rejected
nomination.candidate-assessed (eligible)   council members (once per nomination)           vote_waiting
nomination.notice-opened (closes_on)       the office, officers of the nominating unit     deadline_soon
movement.launched / amended (deadline)     unit officers of the movement's units           deadline_soon
round.scheduled (submission deadline)      every unit officer, the office                  deadline_soon
round.scheduled (council meeting)          council members, the office                     deadline_soon
=========================================  ==============================================  ===================

"Unit officers of a unit" are those whose own unit is that unit or one above
it (a unit officer's scope, as in kernel.auth). An award entered from the
files (no nomination, no proposal: a decision of years ago) tells nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    CandidateAssessed,
    CandidateRejected,
    CandidateReturned,
    NominationRoundScheduled,
    PublicNoticeOpened,
    TitleConferred,
)
from tdkt_contracts.catalogue.campaigns import MovementAmended, MovementLaunched

from .model import Deadline, Facts, Kind, Notice, Recipient, unique
from .templates import render, vn_date

DEADLINE_DAYS_AHEAD = 3
"""A deadline is announced this many days before it (and on any later day until it passes)."""

Rule = Callable[[str, Any, Facts], list[Notice]]


def _notice(person: Recipient, kind: Kind, key: str, link: str, /, **values: object) -> Notice:
    subject, text = render(kind, **values)
    return Notice(account=person.account, kind=kind, key=key, subject=subject, text=text, link=link)


def _candidate(facts: Facts, candidate_id: str) -> str:
    if facts.nomination is None:
        return candidate_id
    return facts.nomination.candidates.get(candidate_id, candidate_id)


def _conferred(event_id: str, award: AwardGranted | TitleConferred, facts: Facts) -> list[Notice]:
    if award.nomination_id is None and award.proposal_id is None:
        return []  # entered from the files: a past decision, not news
    recipient = award.recipient
    values = {
        "recipient": recipient.display_name, "candidate": recipient.display_name, "award": award.award_name,
        "year": award.year, "decision": award.decision_number, "decided": vn_date(award.decision_date),
    }
    link = (f"/people/{recipient.subject_id}" if recipient.recipient_kind == "individual"
            else f"/units/{recipient.subject_id}")
    notices: list[Notice] = []
    told: set[str] = set()
    nominating = facts.nomination.submitting_unit_id if facts.nomination else None
    for officer in unique(facts.officers_of(nominating)):
        told.add(officer.account)
        notices.append(_notice(officer, Kind.NOMINATION_GRANTED, award.award_id, link,
                               unit=facts.unit_name(nominating), **values))
    for officer in unique(facts.officers_of(recipient.unit_id)):
        if officer.account not in told:
            notices.append(_notice(officer, Kind.AWARD_GRANTED, award.award_id, link,
                                   unit=facts.unit_name(recipient.unit_id), **values))
    return notices


def _nominating_officers(facts: Facts) -> list[Recipient]:
    return unique(facts.officers_of(facts.nomination.submitting_unit_id)) if facts.nomination else []


ENGINE_REASONS_IN_THE_PORTAL = "xem chi tiết trên cổng thông tin (phần dữ liệu cá nhân hiển thị theo quyền của người xem)."
"""A return by the assessment explains failed criteria, some of them discipline a unit officer may not read: the
mail points to the portal, whose answer is cut per role (the awards service's rule); the office's own note, written
for the unit, is mailed as it is."""


def _returned(event_id: str, event: CandidateReturned, facts: Facts) -> list[Notice]:
    if facts.nomination is None:
        return []  # a nomination this service never saw submitted: nobody to tell
    n = facts.nomination
    reasons = " ".join(event.reasons) if event.by_office else ENGINE_REASONS_IN_THE_PORTAL
    return [
        _notice(officer, Kind.NOMINATION_RETURNED, f"{event.nomination_id}/{event.candidate_id}/{event_id}",
                f"/nominations/{event.nomination_id}", candidate=_candidate(facts, event.candidate_id),
                award=n.award_name, year=n.year, unit=facts.unit_name(n.submitting_unit_id),
                on=vn_date(event.returned_on), reasons=reasons)
        for officer in _nominating_officers(facts)
    ]


def _rejected(event_id: str, event: CandidateRejected, facts: Facts) -> list[Notice]:
    if facts.nomination is None:
        return []
    n = facts.nomination
    return [
        _notice(officer, Kind.NOMINATION_REJECTED, f"{event.nomination_id}/{event.candidate_id}",
                f"/nominations/{event.nomination_id}", candidate=_candidate(facts, event.candidate_id),
                award=n.award_name, year=n.year, unit=facts.unit_name(n.submitting_unit_id),
                on=vn_date(event.decided_on), reason=event.reason)
        for officer in _nominating_officers(facts)
    ]


def _assessed(event_id: str, event: CandidateAssessed, facts: Facts) -> list[Notice]:
    if not event.eligible or facts.nomination is None:
        return []
    n = facts.nomination
    # Keyed by the nomination: its eligible candidates wait for one meeting, one notice says so.
    return [
        _notice(member, Kind.VOTE_WAITING, event.nomination_id, f"/nominations/{event.nomination_id}",
                award=n.award_name, year=n.year, unit=facts.unit_name(n.submitting_unit_id))
        for member in unique(facts.with_role("council_member"))
    ]


RULES: dict[str, Rule] = {
    AwardGranted.event_type: _conferred,
    TitleConferred.event_type: _conferred,
    CandidateReturned.event_type: _returned,
    CandidateRejected.event_type: _rejected,
    CandidateAssessed.event_type: _assessed,
}
"""Event type → rule; an event type missing here tells nobody."""


def notices_for(event_type: str, event_id: str, payload: EventPayload, facts: Facts) -> list[Notice]:
    """The notices one event gives, each person told once per (kind, key)."""
    rule = RULES.get(event_type)
    if rule is None:
        return []
    found: dict[tuple[str, Kind, str], Notice] = {}
    for notice in rule(event_id, payload, facts):
        found.setdefault((notice.account, notice.kind, notice.key), notice)
    return list(found.values())


# --------------------------------------------------------------------------- deadlines


def _notice_deadline(event: PublicNoticeOpened, facts: Facts) -> list[Deadline]:
    n = facts.nomination
    award = f"{n.award_name} năm {n.year} của {facts.unit_name(n.submitting_unit_id)}" if n else event.nomination_id
    return [Deadline(
        key=f"notice/{event.nomination_id}/{event.closes_on.isoformat()}", due_on=event.closes_on,
        what=f"Kết thúc lấy ý kiến công khai hồ sơ đề nghị {award}",
        link=f"/nominations/{event.nomination_id}",
        audience=("emulation_office", "unit_officers"),
        unit_ids=(n.submitting_unit_id,) if n else (),
    )]


def _movement_deadline(event: MovementLaunched | MovementAmended, facts: Facts) -> list[Deadline]:
    if event.registration_deadline is None:
        return []
    scope = getattr(event, "scope", None)
    unit_ids = tuple(scope.unit_ids) if scope is not None and not scope.all_units else ()
    title = getattr(event, "title", None) or event.movement_id
    return [Deadline(
        key=f"registration/{event.movement_id}/{event.registration_deadline.isoformat()}",
        due_on=event.registration_deadline, what=f"Hạn đăng ký thi đua phong trào “{title}”",
        link=f"/movements/{event.movement_id}", audience=("unit_officers",), unit_ids=unit_ids,
    )]


def _round_deadlines(event: NominationRoundScheduled, facts: Facts) -> list[Deadline]:
    # Keyed by the date: a deadline moved later is a new reminder (the old one, if still ahead, is also sent).
    found = [Deadline(
        key=f"round/{event.round_id}/{event.submission_deadline.isoformat()}", due_on=event.submission_deadline,
        what=f"Hạn nộp hồ sơ đợt “{event.title}”", link="/nominations",
        audience=("emulation_office", "unit_officers"),
    )]
    if event.council_meeting_on is not None:
        found.append(Deadline(
            key=f"council/{event.round_id}/{event.council_meeting_on.isoformat()}", due_on=event.council_meeting_on,
            what=f"Họp Hội đồng Thi đua – Khen thưởng xét đợt “{event.title}”", link="/nominations",
            audience=("emulation_office", "council_members"),
        ))
    return found


DEADLINES: dict[str, Callable[[Any, Facts], list[Deadline]]] = {
    PublicNoticeOpened.event_type: _notice_deadline,
    MovementLaunched.event_type: _movement_deadline,
    MovementAmended.event_type: _movement_deadline,
    NominationRoundScheduled.event_type: _round_deadlines,
}
"""Event type → the deadlines it sets."""


def deadlines_for(event_type: str, payload: EventPayload, facts: Facts) -> list[Deadline]:
    """The deadlines an event sets (kept until they are announced or pass)."""
    found = DEADLINES.get(event_type)
    return found(payload, facts) if found else []


def deadline_notices(deadline: Deadline, facts: Facts, today: date) -> list[Notice] | None:
    """The reminders of ``deadline`` on ``today``: None while it is further than
    :data:`DEADLINE_DAYS_AHEAD` days away; an empty list once it has passed (nothing to remind of)."""
    days = (deadline.due_on - today).days
    if days > DEADLINE_DAYS_AHEAD:
        return None
    if days < 0:
        return []
    people: list[Recipient] = []
    if "emulation_office" in deadline.audience:
        people += facts.with_role("emulation_office")
    if "unit_officers" in deadline.audience:
        officers = facts.with_role("unit_officer")
        if deadline.unit_ids:
            officers = [o for u in deadline.unit_ids for o in facts.officers_of(u)]
        people += officers
    if "council_members" in deadline.audience:
        people += facts.with_role("council_member")
    return [
        _notice(person, Kind.DEADLINE_SOON, deadline.key, deadline.link, what=deadline.what,
                due=vn_date(deadline.due_on), days=days)
        for person in unique(people)
    ]
