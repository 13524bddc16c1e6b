"""Builders shared by the campaigns unit tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import PLEDGE_2024_CLAUSES
from tdkt_contracts.vocabulary import Grade

from kernel.errors import DomainError
from services.campaigns.domain import (
    CloseMovement,
    LaunchMovement,
    MovementState,
    PersonEnrolledFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    ReplicaState,
    SignPledge,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationRecordedFact,
    decide_close_movement,
    decide_launch_movement,
    replay_facts,
)

MOVEMENT_ID = "pt-2024-thuong-xuyen"
UNITS = ["vu-tccb", "vu-tdkt", "cuc-xnk"]
ARTICLE = Path(__file__).resolve().parents[4] / "shared" / "seed" / "moit-emulation-2024.txt"


def refused(code: str, fn, *args: Any, **kwargs: Any) -> DomainError:
    """Call ``fn`` and check it refuses with ``code``; return the error."""
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, f"expected {code}, got {caught.value.code}: {caught.value.message}"
    assert caught.value.message
    return caught.value


def fold(state, events: Iterable[EventPayload]):
    for event in events:
        state = state.apply(event)
    return state


def launch_cmd(**over: Any) -> LaunchMovement:
    fields: dict[str, Any] = {
        "movement_id": MOVEMENT_ID,
        "title": "Thi đua thường xuyên năm 2024 – 2025 của Bộ Công Thương",
        "launched_by": "bo",
        "kind": "thuong_xuyen",
        "scope": {"unit_ids": UNITS},
        "period_start": date(2024, 1, 1),
        "period_end": date(2025, 12, 31),
        "criteria": "Phấn đấu 100% các đơn vị hoàn thành tốt nhiệm vụ trở lên.",
        "launched_on": date(2024, 1, 15),
    }
    fields.update(over)
    return LaunchMovement(**fields)


def launched_movement(**over: Any) -> MovementState:
    return fold(MovementState(), decide_launch_movement(MovementState(), launch_cmd(**over)))


def closed(movement: MovementState) -> MovementState:
    events = decide_close_movement(
        movement,
        CloseMovement(movement_id=movement.movement_id, closed_on=date(2025, 12, 31)),
        targets=[],
        replica=ReplicaState(),
    )
    return fold(movement, events)


def pledge_2024_cmd(**over: Any) -> SignPledge:
    fields: dict[str, Any] = {
        "pledge_id": "gu-2024-bct-cdb",
        "title": "Giao ước thi đua năm 2024",
        "year": 2024,
        "parties": [{"name": "Lãnh đạo Bộ Công Thương"}, {"name": "Công đoàn Bộ Công Thương"}],
        "clauses": PLEDGE_2024_CLAUSES,
        "signatories": [
            {"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng", "party": "Lãnh đạo Bộ Công Thương"},
            {
                "full_name": "Nguyễn Minh Huệ",
                "position": "Chủ tịch Công đoàn Bộ Công Thương",
                "party": "Công đoàn Bộ Công Thương",
            },
        ],
        "signed_on": date(2024, 1, 26),
        "occasion": "Hội nghị Cán bộ, công chức, viên chức, người lao động Bộ Công Thương năm 2024",
    }
    fields.update(over)
    return SignPledge(**fields)


def sample_replica() -> ReplicaState:
    """The ministry u-bct (top) with vu-tccb, vu-tdkt, cuc-xnk under it, phong-1 under
    cuc-xnk, and vien-x dissolved in June 2024.

    Unit grades 2024: vu-tccb HTXS, vu-tdkt HTT, cuc-xnk HT, phong-1 HTT
      → units of the ministry (depth 1, active at year end): 3, good: 2.
    People 2024:
      p1 vu-tccb HTXS; p2 vu-tccb HTT; p3 cuc-xnk HT; p4 phong-1 HTT;
      p5 vu-tccb → vu-tdkt on 2024-07-01, HTT (graded in vu-tdkt);
      p6 vu-tccb, retired 2024-05-01, not graded (not counted);
      p7 enrolled in vu-tdkt on 2024-12-20, not graded (counted, not good)
      → staff: 6, good: 4.
    """
    long_ago = date(2010, 1, 1)
    facts = [
        UnitEstablishedFact(unit_id="u-bct", effective_on=long_ago),
        *[UnitEstablishedFact(unit_id=u, effective_on=long_ago, parent_id="u-bct") for u in UNITS],
        UnitEstablishedFact(unit_id="phong-1", effective_on=long_ago, parent_id="cuc-xnk"),
        UnitEstablishedFact(unit_id="vien-x", effective_on=long_ago, parent_id="u-bct"),
        UnitDissolvedFact(unit_id="vien-x", effective_on=date(2024, 6, 1)),
        UnitEvaluationRecordedFact(unit_id="vu-tccb", year=2024, grade=Grade.EXCELLENT),
        UnitEvaluationRecordedFact(unit_id="vu-tdkt", year=2024, grade=Grade.GOOD),
        UnitEvaluationRecordedFact(unit_id="cuc-xnk", year=2024, grade=Grade.COMPLETED),
        UnitEvaluationRecordedFact(unit_id="phong-1", year=2024, grade=Grade.GOOD),
        PersonEnrolledFact(person_id="p1", unit_id="vu-tccb", effective_on=date(2020, 1, 1)),
        PersonEnrolledFact(person_id="p2", unit_id="vu-tccb", effective_on=date(2020, 1, 1)),
        PersonEnrolledFact(person_id="p3", unit_id="cuc-xnk", effective_on=date(2020, 1, 1)),
        PersonEnrolledFact(person_id="p4", unit_id="phong-1", effective_on=date(2020, 1, 1)),
        PersonEnrolledFact(person_id="p5", unit_id="vu-tccb", effective_on=date(2020, 1, 1)),
        PersonTransferredFact(person_id="p5", to_unit_id="vu-tdkt", effective_on=date(2024, 7, 1)),
        PersonEnrolledFact(person_id="p6", unit_id="vu-tccb", effective_on=date(2000, 1, 1)),
        PersonLeftFact(person_id="p6", effective_on=date(2024, 5, 1)),
        PersonEnrolledFact(person_id="p7", unit_id="vu-tdkt", effective_on=date(2024, 12, 20)),
        PersonEvaluationRecordedFact(person_id="p1", year=2024, grade=Grade.EXCELLENT, unit_id="vu-tccb"),
        PersonEvaluationRecordedFact(person_id="p2", year=2024, grade=Grade.GOOD, unit_id="vu-tccb"),
        PersonEvaluationRecordedFact(person_id="p3", year=2024, grade=Grade.COMPLETED, unit_id="cuc-xnk"),
        PersonEvaluationRecordedFact(person_id="p4", year=2024, grade=Grade.GOOD, unit_id="phong-1"),
        PersonEvaluationRecordedFact(person_id="p5", year=2024, grade=Grade.GOOD, unit_id="vu-tdkt"),
    ]
    return replay_facts(facts)
