"""Who in a unit qualifies, and collective titles built from the members' figures."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from tdkt_contracts.catalogue import units as u

from .support import (
    Publisher,
    assert_cited,
    confer,
    criterion,
    discipline,
    enrol,
    eventually,
    get_ok,
    grade,
    initiative,
    unit,
    unit_grade,
)

pytestmark = pytest.mark.integration

BCT, VTCCB, CUC, PHONG, BAN = "u-bct", "u-vtccb", "u-chc", "u-chc-ql", "u-bqlda"


async def _ministry(publish: Publisher) -> None:
    await publish.send(
        unit(BCT, "BCT", "Bộ Công Thương", kind="bo", parent_id=None, on=date(2007, 8, 1)),
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ"),
        unit(CUC, "CHC", "Cục Hóa chất", kind="cuc"),
        unit(PHONG, "CHC-QL", "Phòng Quản lý hóa chất", kind="phong", parent_id=CUC),
        unit(BAN, "BQLDA", "Ban Quản lý dự án", kind="khac"),
        # Vụ Tổ chức cán bộ: four people graded for 2024.
        enrol("p-01", "Nguyễn Văn An", VTCCB),
        enrol("p-02", "Trần Thị Bích", VTCCB, sex="female"),
        enrol("p-03", "Lê Văn Cường", VTCCB),
        enrol("p-04", "Phạm Thị Dung", CUC, sex="female"),
        u.PersonTransferred(person_id="p-04", from_unit_id=CUC, to_unit_id=VTCCB, position="Chuyên viên",
                            effective_on=date(2024, 7, 1), decision_number="1502/QĐ-BCT"),
        grade("p-01", 2024, "HTXS", VTCCB),
        grade("p-02", 2024, "HTT", VTCCB),
        grade("p-03", 2024, "HT", VTCCB),
        initiative("sk-2024-001", 2024, ["p-02"], VTCCB),
        # Left in 2023: not counted in 2024.
        enrol("p-05", "Hoàng Văn Em", VTCCB),
        u.PersonLeft(person_id="p-05", unit_id=VTCCB, reason="nghi_huu", effective_on=date(2023, 10, 1)),
        # Ban Quản lý dự án is merged into the Vụ from 1/9/2024: its staff count there for 2024.
        enrol("p-06", "Vũ Văn Phúc", BAN),
        grade("p-06", 2024, "HTXS", BAN),
        u.UnitMerged(unit_id=BAN, into_unit_id=VTCCB, effective_on=date(2024, 9, 1), decision_number="2105/QĐ-BCT"),
        # Cục Hóa chất and its Phòng.
        enrol("p-07", "Đinh Văn Giang", CUC, position="Cục trưởng"),
        enrol("p-08", "Mai Thị Hạnh", PHONG, sex="female"),
        enrol("p-09", "Tạ Thị Hoa", PHONG, sex="female"),
        grade("p-07", 2024, "HTXS", CUC),
        grade("p-08", 2024, "HTXS", PHONG),
        grade("p-09", 2024, "HTXS", PHONG),
        unit_grade(VTCCB, 2024, "HTT"),
        unit_grade(CUC, 2024, "HTXS"),
        unit_grade(PHONG, 2024, "HTXS"),
    )


async def test_who_in_a_unit_qualifies(client: httpx.AsyncClient, publish: Publisher) -> None:
    await _ministry(publish)
    await publish.settled(client)
    answer = await eventually(
        client, f"/units/{VTCCB}/assessments", lambda a: len(a["candidates"]) == 5 and a["counts"]["eligible"] == 3,
        code="CSTDCS", year=2024,
    )
    assert answer["unit_name"] == "Vụ Tổ chức cán bộ"
    assert answer["recipient_kind"] == "individual"
    assert answer["rule_id"] == "CSTDCS.individual.2024-01-01"
    # p-04 transferred in mid-year and p-06 came with the merged Ban; p-05 retired in 2023.
    assert sorted(c["subject_id"] for c in answer["candidates"]) == ["p-01", "p-02", "p-03", "p-04", "p-06"]
    assert answer["eligible"] == ["p-01", "p-02", "p-06"]  # by name: An, Bích, Phúc
    assert answer["counts"] == {"eligible": 3, "ineligible": 1, "undetermined": 1}
    by_id = {c["subject_id"]: c for c in answer["candidates"]}
    assert by_id["p-06"]["unit_id"] == VTCCB
    assert "ldtt.grade" in by_id["p-03"]["failing"] and by_id["p-03"]["outcome"] == "ineligible"
    assert by_id["p-04"]["outcome"] == "undetermined" and "ldtt.grade" in by_id["p-04"]["unknown"]
    for candidate in answer["candidates"]:
        assert candidate["criteria"] and all(line["citation_vi"] for line in candidate["criteria"])
        assert all(line["citation_vi"] in line["explanation_vi"] for line in candidate["criteria"])
        assert candidate["assessment"] is None

    only = await get_ok(client, f"/units/{VTCCB}/assessments", code="CSTDCS", year=2024, outcome="eligible",
                        detail="full")
    assert [c["subject_id"] for c in only["candidates"]] == ["p-01", "p-02", "p-06"]
    for candidate in only["candidates"]:
        assert_cited(candidate["assessment"])

    direct = await get_ok(client, f"/units/{CUC}/assessments", code="CSTDCS", year=2024)
    assert [c["subject_id"] for c in direct["candidates"]] == ["p-07"]
    whole = await get_ok(client, f"/units/{CUC}/assessments", code="CSTDCS", year=2024, include_subunits=True)
    assert [c["subject_id"] for c in whole["candidates"]] == ["p-07", "p-08", "p-09"]
    # In 2023 p-04 was still in the Cục (her unit on 31/12/2023).
    earlier = await get_ok(client, f"/units/{CUC}/assessments", code="LDTT", year=2023)
    assert [c["subject_id"] for c in earlier["candidates"]] == ["p-04", "p-07"]


async def test_collective_titles_use_the_members_figures(client: httpx.AsyncClient, publish: Publisher) -> None:
    await _ministry(publish)
    await publish.settled(client)
    await eventually(client, f"/units/{VTCCB}/assessments", lambda a: len(a["candidates"]) == 5,
                     code="CSTDCS", year=2024)
    for person_id, name in (("p-01", "Nguyễn Văn An"), ("p-02", "Trần Thị Bích"), ("p-06", "Vũ Văn Phúc"),
                            ("p-03", "Lê Văn Cường")):
        await confer(client, f"a-2024-ldtt-{person_id}", "LDTT", 2024, person_id, name, unit_id=VTCCB)

    # Tập thể lao động tiên tiến 2024: unit HTT, ≥ 70% of members LĐTT (4 of 5), nobody at cảnh cáo.
    answer = await get_ok(client, "/assessments", code="TTLDTT", year=2024, unit_id=VTCCB)
    assert answer["outcome"] == "eligible", answer["explanation_en"]
    share = criterion(answer, "ldtt_share")["facts_used"]
    assert share["member_count"] == 5 and share["with_title"] == 4
    assert_cited(answer)

    # A member disciplined at cảnh cáo in 2024 (internal topic) sinks the collective title.
    await publish.send(discipline("p-03", "kl-2024-007", "canh_cao", date(2024, 5, 2), date(2025, 5, 1)))
    barred = await eventually(
        client, "/assessments", lambda a: a["outcome"] == "ineligible", code="TTLDTT", year=2024, unit_id=VTCCB
    )
    assert criterion(barred, "no_member_discipline")["facts_used"]["max_discipline"] == "canh_cao"
    assert_cited(barred)

    # The Cục and its Phòng as collectives: the Cục's members include the Phòng's.
    both = await get_ok(client, f"/units/{CUC}/assessments", code="TTLDXS", year=2024, include_subunits=True,
                        detail="full")
    assert [c["subject_id"] for c in both["candidates"]] == [CUC, PHONG]
    assert both["recipient_kind"] == "collective"
    cuc = both["candidates"][0]["assessment"]
    assert criterion(cuc, "all_completed")["facts_used"]["member_count"] == 3
    # Nobody holds CSTĐCS 2024 there yet: the title needs at least one.
    assert criterion(cuc, "cstdcs_member")["status"] == "failed"

    # BK_BT is given to persons and collectives: recipient_kind chooses, people by default.
    people = await get_ok(client, f"/units/{VTCCB}/assessments", code="BK_BT", year=2024)
    assert people["recipient_kind"] == "individual"
    collective = await get_ok(client, f"/units/{VTCCB}/assessments", code="BK_BT", year=2024,
                              recipient_kind="collective")
    assert [c["subject_id"] for c in collective["candidates"]] == [VTCCB]


async def test_bloc_rankings_decide_who_leads_for_the_emulation_flag(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    from decimal import Decimal

    from tdkt_contracts.catalogue import campaigns as c

    def scored(cluster_id: str, year: int, *ranks: tuple[int, str, str]) -> c.ClusterScored:
        return c.ClusterScored(
            cluster_id=cluster_id, year=year, scored_on=date(year, 12, 18),
            ranking=[c.RankedScore(rank=r, unit_id=uid, score=Decimal(s)) for r, uid, s in ranks],
        )

    await _ministry(publish)
    await publish.settled(client)
    await publish.send(
        scored("khoi-quan-ly-nha-nuoc", 2024, (1, CUC, "96.5"), (2, VTCCB, "94")),
        scored("khoi-quan-ly-nha-nuoc", 2023, (1, CUC, "95"), (1, VTCCB, "95")),  # a tie at the top: no leader yet
    )
    cuc = await eventually(
        client, "/assessments", lambda a: criterion(a, "leads.bloc")["status"] == "passed",
        code="CO_TD_BO", year=2024, unit_id=CUC,
    )
    assert criterion(cuc, "leads.bloc")["facts_used"]["bloc_leader_years"] == [2024]
    assert_cited(cuc)
    vu = await get_ok(client, "/assessments", code="CO_TD_BO", year=2024, unit_id=VTCCB)
    assert criterion(vu, "leads.bloc")["status"] == "failed"

    # A re-scoring of the year replaces the ranking.
    await publish.send(scored("khoi-quan-ly-nha-nuoc", 2024, (1, VTCCB, "97"), (2, CUC, "96.5")))
    await eventually(client, "/assessments", lambda a: criterion(a, "leads.bloc")["status"] == "passed",
                     code="CO_TD_BO", year=2024, unit_id=VTCCB)
    cuc = await get_ok(client, "/assessments", code="CO_TD_BO", year=2024, unit_id=CUC)
    assert criterion(cuc, "leads.bloc")["status"] == "failed"


async def test_the_tree_over_time_renames_moves_and_corrections(client: httpx.AsyncClient, publish: Publisher) -> None:
    await _ministry(publish)
    await publish.send(
        u.UnitRenamed(unit_id=VTCCB, name="Vụ Tổ chức cán bộ và Thi đua", previous_name="Vụ Tổ chức cán bộ",
                      effective_on=date(2025, 3, 1), decision_number="412/QĐ-BCT"),
        u.UnitMoved(unit_id=PHONG, parent_id=VTCCB, previous_parent_id=CUC, effective_on=date(2025, 1, 1),
                    decision_number="1320/QĐ-BCT"),
        u.UnitEvaluationCorrected(unit_id=VTCCB, year=2024, grade="HT", previous_grade="HTT",
                                  reason="Kết luận kiểm tra: chưa đủ tiêu chí", decision_number="210/QĐ-BCT"),
        u.UnitDissolved(unit_id=CUC, effective_on=date(2026, 1, 1), decision_number="3001/QĐ-BCT",
                        reason="Sắp xếp lại tổ chức bộ máy"),
    )
    await publish.settled(client)
    y2024 = await get_ok(client, f"/units/{VTCCB}/assessments", code="LDTT", year=2024, include_subunits=True)
    y2025 = await get_ok(client, f"/units/{VTCCB}/assessments", code="LDTT", year=2025, include_subunits=True)
    assert y2024["unit_name"] == "Vụ Tổ chức cán bộ" and y2025["unit_name"] == "Vụ Tổ chức cán bộ và Thi đua"
    # The Phòng is under the Vụ from 2025: its people count there for 2025, not for 2024.
    assert {"p-08", "p-09"} <= {c["subject_id"] for c in y2025["candidates"]}
    assert not {"p-08", "p-09"} & {c["subject_id"] for c in y2024["candidates"]}
    collectives = await get_ok(client, f"/units/{VTCCB}/assessments", code="TTLDTT", year=2025,
                               include_subunits=True)
    assert [c["subject_id"] for c in collectives["candidates"]] == [VTCCB, PHONG]

    # The unit's 2024 grade was corrected to HT: no longer an advanced collective.
    corrected = await get_ok(client, "/assessments", code="TTLDTT", year=2024, unit_id=VTCCB)
    assert criterion(corrected, "grade")["status"] == "failed"
    assert criterion(corrected, "grade")["facts_used"]["grades"] == {"2024": "HT"}

    # Dissolved from 2026: no longer among the units active at the end of 2026.
    ministry = await get_ok(client, f"/units/{BCT}/assessments", code="TTLDTT", year=2026, include_subunits=True)
    assert CUC not in [c["subject_id"] for c in ministry["candidates"]]
    assert CUC in [c["subject_id"] for c in (await get_ok(
        client, f"/units/{BCT}/assessments", code="TTLDTT", year=2025, include_subunits=True))["candidates"]]
