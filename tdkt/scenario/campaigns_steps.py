"""The campaigns service's part: the 2023 movements and registrations, the 2024 conference (the union's
movement, the pledge with the article's five contents, the three targets), the 2024 results and the year's close."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kernel.auth import Role
from tdkt.demo_data.article import (
    CONFERENCE_DAY,
    MINISTER,
    MOVEMENTS_2023,
    PLEDGE_2024_CLAUSES,
    PLEDGE_2024_TITLE,
    TARGETS_2024,
    TRAINING_CODE_2024,
    UNION_CHAIR,
    UNION_MOVEMENT_2024,
    MovementSpec,
)
from tdkt.demo_data.model import Ministry

from .client import ServiceError, Services, in_parallel
from .progress import Reporter

PLEDGE_ID = "gu-2024-bct-cdbct"
TARGET_YEAR = 2024


def _movement_body(m: MovementSpec) -> dict[str, Any]:
    return {
        "movement_id": m.movement_id, "title": m.title, "launched_by": m.launched_by, "kind": m.kind,
        "scope": {"all_units": True}, "period_start": m.period_start.isoformat(),
        "period_end": m.period_end.isoformat() if m.period_end else None, "criteria": m.criteria,
        "launched_on": m.launched_on.isoformat(), "decision_ref": m.decision_ref, "responds_to": m.responds_to,
    }


async def launch_movements_2023(api: Services, ministry: Ministry, reporter: Reporter) -> None:
    """The movements the article names, launched by the Government, the Prime Minister and the Ministry,
    with the interim reviews of 2023 (sơ kết) that the thematic awards follow."""
    with reporter.step("Phong trào 2023 (movements)", total=len(MOVEMENTS_2023)) as step:
        for m in MOVEMENTS_2023:
            await api.campaigns.post("/movements", _movement_body(m))
            step.advance()
        for m in MOVEMENTS_2023:
            if m.period_end and m.period_end.year > 2023:
                await api.campaigns.post(f"/movements/{m.movement_id}/reviews", {
                    "movement_id": m.movement_id, "kind": "interim", "reviewed_on": "2023-12-01",
                    "summary": f"Sơ kết năm 2023 phong trào “{m.title}”: các đơn vị thuộc Bộ tích cực hưởng ứng.",
                })
        step.note("Chính phủ, Thủ tướng, Bộ Công Thương; sơ kết 2023")


async def register_2023(api: Services, ministry: Ministry, reporter: Reporter) -> bool:
    """Each unit directly under the Ministry registers its 2023 aims in the Ministry's movement (by 31 March
    2023: the request carries X-Tdkt-Today, honoured only on a demo stack and from an administrator, as whom
    the demo files them).

    Returns False (and says so) when the service refuses a dated request: a production-like stack.
    """
    movement = next(m for m in MOVEMENTS_2023 if m.launched_by == "bo" and m.kind == "thuong_xuyen")
    tops = [u for u in ministry.units if u.parent_id == ministry.root.unit_id]
    aims: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for n in ministry.nominations_of(2023):
        if n.code in ("CSTDCS", "CSTD_BO"):
            for c in n.candidates:
                top = ministry.top_unit_of(ministry.person(c.subject_id).unit_id).unit_id
                aims[top][c.subject_id].append(n.code)
    with reporter.step("Đăng ký thi đua 2023 (registrations)", total=len(tops)) as step:
        async def one(unit) -> None:  # type: ignore[no-untyped-def]
            body = {
                "movement_id": movement.movement_id, "unit_id": unit.unit_id, "year": 2023,
                "collective_titles": ["TTLDTT"],
                "individuals": [{"person_id": p, "titles": sorted(set(t))}
                                for p, t in sorted(aims[unit.unit_id].items())],
            }
            # A dated request is honoured only from an administrator: the demo files them as one.
            await _retrying(lambda: api.campaigns.post("/registrations", body, headers={"X-Tdkt-Today": "2023-03-20"},
                                                       role=Role.ADMINISTRATOR),
                            codes={"unit_not_in_scope", "unit_not_found", "person_not_found", "person_not_in_unit"})

        try:
            await in_parallel(tops, one, limit=4, on_done=lambda _: step.advance())
        except ServiceError as error:
            if error.code == "today_header_not_allowed":
                step.note("bỏ qua: dịch vụ không nhận ngày giả lập (TDKT_ALLOW_TODAY_HEADER)")
                return False
            raise
        step.note(f"{len(tops)} đơn vị đăng ký")
    return True


async def _retrying(action, *, codes: set[str], timeout: float = 60.0) -> Any:  # type: ignore[no-untyped-def]
    """Retry while the service answers one of ``codes``: its replica of units has not caught up yet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await action()
        except ServiceError as error:
            if error.code not in codes or time.monotonic() > deadline:
                raise
            await asyncio.sleep(1.0)


async def close_2023(api: Services, reporter: Reporter) -> None:
    """The Ministry's 2023 movement: final review (tổng kết) at the conference, then closed."""
    movement = next(m for m in MOVEMENTS_2023 if m.launched_by == "bo" and m.kind == "thuong_xuyen")
    with reporter.step("Tổng kết 2023 (final review)") as step:
        await api.campaigns.post(f"/movements/{movement.movement_id}/reviews", {
            "movement_id": movement.movement_id, "kind": "final", "reviewed_on": CONFERENCE_DAY.isoformat(),
            "summary": "Tổng kết phong trào thi đua năm 2023 tại Hội nghị cán bộ, công chức, viên chức, người lao "
                       "động Bộ Công Thương năm 2024.",
        })
        await api.campaigns.post(f"/movements/{movement.movement_id}/close", {
            "movement_id": movement.movement_id, "closed_on": CONFERENCE_DAY.isoformat(),
            "reason": "Kết thúc năm thi đua 2023",
        })
        step.note(movement.title)


async def conference_2024(api: Services, ministry: Ministry, reporter: Reporter) -> None:
    """The 2024 conference: the union launches its movement; the Ministry's leadership and the union sign the
    pledge with the article's five contents; the three 2024 targets are set on the movement."""
    m = UNION_MOVEMENT_2024
    with reporter.step("Hội nghị 2024 (pledge, targets)", total=2 + len(TARGETS_2024)) as step:
        await api.campaigns.post("/movements", _movement_body(m))
        step.advance()
        leadership, union = "Lãnh đạo Bộ Công Thương", "Công đoàn Bộ Công Thương"
        union_unit = next((u.unit_id for u in ministry.units if u.kind == "cong_doan"), None)
        await api.campaigns.post("/pledges", {
            "pledge_id": PLEDGE_ID, "title": PLEDGE_2024_TITLE, "year": TARGET_YEAR, "movement_id": m.movement_id,
            "parties": [{"name": leadership, "unit_id": ministry.root.unit_id}, {"name": union, "unit_id": union_unit}],
            "clauses": [{"number": i + 1, "text": text} for i, text in enumerate(PLEDGE_2024_CLAUSES)],
            "signatories": [
                {"full_name": MINISTER.removeprefix("Bộ trưởng "), "position": "Bộ trưởng Bộ Công Thương",
                 "party": leadership},
                {"full_name": UNION_CHAIR, "position": "Chủ tịch Công đoàn Bộ Công Thương", "party": union},
            ],
            "signed_on": CONFERENCE_DAY.isoformat(),
            "occasion": "Hội nghị cán bộ, công chức, viên chức, người lao động Bộ Công Thương năm 2024",
        })
        step.advance()
        for t in TARGETS_2024:
            await api.campaigns.post("/targets", {
                "target_id": t.target_id, "movement_id": m.movement_id, "year": TARGET_YEAR, "metric": t.metric,
                "threshold_percent": t.threshold_percent, "training_code": t.training_code,
                "description": t.description, "set_on": CONFERENCE_DAY.isoformat(),
            })
            step.advance()
        step.note("5 nội dung giao ước, 3 chỉ tiêu")


@dataclass(frozen=True)
class Expected:
    """What a 2024 target must count once the campaigns service has every 2024 grade."""

    numerator: int
    denominator: int


def expected_2024(ministry: Ministry) -> dict[str, Expected]:
    """The numbers each 2024 target reaches on the generated records (the campaigns service's counting rules)."""
    good = ("HTXS", "HTT")
    tops = [u for u in ministry.units if u.parent_id == ministry.root.unit_id]
    graded_people = [p for p in ministry.people if (p.person_id, TARGET_YEAR) in ministry.grades]
    return {
        "units_graded_good_or_better": Expected(
            sum(ministry.unit_grades.get((u.unit_id, TARGET_YEAR)) in good for u in tops), len(tops)),
        "staff_graded_good_or_better": Expected(
            sum(ministry.grades[(p.person_id, TARGET_YEAR)] in good for p in graded_people), len(graded_people)),
        "staff_training_completed": Expected(len(ministry.people), len(ministry.people)),
    }


async def results_2024(api: Services, ministry: Ministry, reporter: Reporter, *, timeout: float = 120.0) -> None:
    """2024 as it went: every unit reports its staff's training, the pledge is reviewed, the targets follow
    the grades; once they count every grade the year is closed, which makes them final (đạt / không đạt)."""
    tops = [ministry.root] + [u for u in ministry.units if u.parent_id == ministry.root.unit_id]
    staff_of: dict[str, int] = defaultdict(int)
    for p in ministry.people:
        unit = ministry.unit(p.unit_id)
        top = unit if unit.parent_id is None else ministry.top_unit_of(unit.unit_id)
        staff_of[top.unit_id] += 1
    with reporter.step("Kết quả 2024 (results)", total=len(tops) + 2) as step:
        async def report(unit) -> None:  # type: ignore[no-untyped-def]
            body = {"unit_id": unit.unit_id, "year": TARGET_YEAR, "training_code": TRAINING_CODE_2024,
                    "completed": staff_of[unit.unit_id], "headcount": staff_of[unit.unit_id]}
            await _retrying(lambda: api.campaigns.post("/training-reports", body),
                            codes={"unit_not_found", "unit_not_in_scope"})

        await in_parallel([t for t in tops if staff_of[t.unit_id]], report, limit=4, on_done=lambda _: step.advance())
        await api.campaigns.post(f"/pledges/{PLEDGE_ID}/reviews", {
            "pledge_id": PLEDGE_ID, "kind": "final", "reviewed_on": "2024-12-20",
            "assessments": [{"clause_number": i + 1, "result": "achieved"} for i in range(len(PLEDGE_2024_CLAUSES))],
            "summary": "Các bên hoàn thành các nội dung giao ước thi đua năm 2024.",
        })
        step.advance()
        expected = expected_2024(ministry)
        deadline = time.monotonic() + timeout
        while True:
            found = {t.metric: await api.campaigns.get(f"/targets/{t.target_id}") for t in TARGETS_2024}
            behind = [m for m, e in expected.items()
                      if (found[m].get("numerator"), found[m].get("denominator")) != (e.numerator, e.denominator)]
            if not behind:
                break
            if time.monotonic() > deadline:
                raise TimeoutError("the 2024 targets did not reach the generated numbers in "
                                   f"{timeout:.0f} s: {', '.join(behind)}")
            await asyncio.sleep(1.0)
        await api.campaigns.post(f"/years/{TARGET_YEAR}/close", {"year": TARGET_YEAR})
        step.advance()
        step.note("năm 2024 đã kết thúc: chỉ tiêu chốt kết quả")

