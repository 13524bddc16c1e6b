"""Deadlines: a nomination round's dates (the office's data) and the dates the law sets for proposals upward.

A **round** (đợt xét khen thưởng) is one per achievement year and path
(``round-{year}-{category}``): the office records by when the units' dossiers
must arrive, what a late one gets (``refuse`` or ``flag``) and when the council
is to meet (:func:`decide_schedule_round`). A submission received after the
deadline is refused (``submission_deadline_passed``, the date in dd/mm/yyyy) or
accepted with a ``NominationFlaggedLate`` event on the nomination's stream
(:func:`decide_submission_deadline`): the flag is recorded when the dossier
arrives, so moving the deadline later never rewrites what happened. Without a
round, nothing is checked.

The **law's dates upward** (``catalogue/_deadlines.yaml``: NĐ 98/2023 Art. 32
for Chiến sĩ thi đua toàn quốc and the Government's emulation flag) are
reported and a proposal forwarded after one is flagged late
(:func:`upward_deadlines`); they never refuse — the higher authority decides
whether it still takes a late file, and the NĐ 152/2025 dates are unconfirmed [U].

Pure but for :func:`load_law_deadlines` reading the YAML once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import Category, LateRule, NominationFlaggedLate, NominationRoundScheduled

from kernel.errors import DomainError

from .codes import Code

LAW_DEADLINES_FILE = Path(__file__).resolve().parents[1] / "catalogue" / "_deadlines.yaml"


def round_id_for(year: int, category: str) -> str:
    """The stream of the round of a year and path."""
    return f"round-{year}-{category}"


def vn_day(day: date) -> str:
    """A date as people read it (dd/mm/yyyy)."""
    return f"{day:%d/%m/%Y}"


# --------------------------------------------------------------------------- rounds


@dataclass(frozen=True, slots=True)
class Round:
    """A round's dates as last scheduled."""

    round_id: str
    year: int
    category: Category
    title: str
    submission_deadline: date
    late_rule: LateRule
    council_meeting_on: date | None

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> Round | None:
        """The round from its stream: the last scheduling wins; None for an empty stream."""
        found: Round | None = None
        for event in events:
            if isinstance(event, NominationRoundScheduled):
                found = cls(event.round_id, event.year, event.category, event.title, event.submission_deadline,
                            event.late_rule, event.council_meeting_on)
        return found


def decide_schedule_round(
    current: Round | None, year: int, category: Category, title: str, submission_deadline: date,
    late_rule: LateRule, council_meeting_on: date | None, *, today: date,
) -> list[EventPayload]:
    """Set or move a round's dates; the same dates again record nothing.

    The deadline must lie in or after the achievement year (a year's dossiers
    are gathered once it ends, or near its end), the council meets on or after it.
    """
    if submission_deadline.year < year:
        raise DomainError(
            Code.DEADLINE_BEFORE_YEAR,
            f"Hạn nộp hồ sơ {vn_day(submission_deadline)} trước năm thành tích {year}",
            submission_deadline=submission_deadline.isoformat(), year=year,
        )
    if council_meeting_on is not None and council_meeting_on < submission_deadline:
        raise DomainError(
            Code.MEETING_BEFORE_DEADLINE,
            f"Ngày họp Hội đồng {vn_day(council_meeting_on)} trước hạn nộp hồ sơ {vn_day(submission_deadline)}",
            council_meeting_on=council_meeting_on.isoformat(), submission_deadline=submission_deadline.isoformat(),
        )
    rid = round_id_for(year, category)
    wanted = Round(rid, year, category, title, submission_deadline, late_rule, council_meeting_on)
    if current == wanted:
        return []
    return [NominationRoundScheduled(
        round_id=rid, year=year, category=category, title=title, submission_deadline=submission_deadline,
        late_rule=late_rule, council_meeting_on=council_meeting_on, scheduled_on=today,
    )]


def decide_submission_deadline(found: Round | None, nomination_id: str, submitted_on: date) -> list[EventPayload]:
    """A submission against its round: nothing when on time (or no round), a flag or a refusal when late."""
    if found is None or submitted_on <= found.submission_deadline:
        return []
    days = (submitted_on - found.submission_deadline).days
    if found.late_rule == "refuse":
        raise DomainError(
            Code.SUBMISSION_DEADLINE_PASSED,
            f"Đã quá hạn nộp hồ sơ của đợt “{found.title}”: hạn {vn_day(found.submission_deadline)}, "
            f"hồ sơ nhận ngày {vn_day(submitted_on)} (muộn {days} ngày); đợt này không nhận hồ sơ nộp muộn",
            round_id=found.round_id, submission_deadline=found.submission_deadline.isoformat(),
            submitted_on=submitted_on.isoformat(), days_late=days,
        )
    return [NominationFlaggedLate(nomination_id=nomination_id, round_id=found.round_id,
                                  submission_deadline=found.submission_deadline, submitted_on=submitted_on,
                                  days_late=days)]


def late_flag(events: Iterable[EventPayload]) -> NominationFlaggedLate | None:
    """The nomination's late flag, if its stream has one."""
    return next((e for e in events if isinstance(e, NominationFlaggedLate)), None)


# --------------------------------------------------------------------------- the law's dates upward


class Regime(BaseModel):
    """The citation and confidence of a date while one decree is in force (by the due date)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    valid_from: date | None = None
    valid_until: date | None = None
    citation: str = Field(min_length=1)
    confidence: Literal["C", "S", "U"]

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls in this regime's window."""
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until)


class LawDeadline(BaseModel):
    """A date by which the Ministry's proposal of some codes must reach the higher authority."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    award_codes: list[str] = Field(min_length=1)
    label_vi: str
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    years_after: int = Field(ge=0, le=5)
    regimes: list[Regime] = Field(min_length=1)

    def due_for(self, year: int) -> date:
        """The date for an achievement year."""
        return date(year + self.years_after, self.month, self.day)


class LawDeadlinesFile(BaseModel):
    """The YAML file's shape."""

    model_config = ConfigDict(extra="forbid")

    deadlines: list[LawDeadline]


@lru_cache(maxsize=1)
def load_law_deadlines(path: Path = LAW_DEADLINES_FILE) -> tuple[LawDeadline, ...]:
    """The law's dates upward, validated (a duplicate id or an impossible date stops the service at start)."""
    with path.open(encoding="utf-8") as handle:
        found = LawDeadlinesFile.model_validate(yaml.safe_load(handle)).deadlines
    ids = [d.id for d in found]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: a deadline id is defined twice")
    for d in found:
        d.due_for(2000)  # ValueError on 31 June and the like
    return tuple(found)


UpwardStatus = Literal["pending", "met", "late", "overdue"]
"""pending: not forwarded, still time; met: forwarded by the date; late: forwarded after it;
overdue: not forwarded and the date passed."""


@dataclass(frozen=True, slots=True)
class UpwardDeadline:
    """A law's date for one nomination, with its citation and how the nomination stands against it."""

    deadline_id: str
    label_vi: str
    due_on: date
    citation: str
    confidence: Literal["C", "S", "U"]
    status: UpwardStatus
    forwarded_on: date | None


def upward_deadlines(
    rules: Sequence[LawDeadline], award_code: str, year: int, forwarded_on: Sequence[date], *, today: date
) -> list[UpwardDeadline]:
    """The law's dates for a nomination of ``award_code`` and ``year`` (first forwarding decides the status)."""
    found: list[UpwardDeadline] = []
    first = min(forwarded_on) if forwarded_on else None
    for rule in rules:
        if award_code not in rule.award_codes:
            continue
        due = rule.due_for(year)
        regime = next((r for r in rule.regimes if r.covers(due)), None)
        if regime is None:
            continue  # no decree in force on that day sets it
        if first is not None:
            status: UpwardStatus = "met" if first <= due else "late"
        else:
            status = "overdue" if today > due else "pending"
        found.append(UpwardDeadline(rule.id, rule.label_vi, due, regime.citation, regime.confidence, status, first))
    return found


__all__ = [
    "LawDeadline",
    "Round",
    "UpwardDeadline",
    "decide_schedule_round",
    "decide_submission_deadline",
    "late_flag",
    "load_law_deadlines",
    "round_id_for",
    "upward_deadlines",
    "vn_day",
]
