"""Text at the running units, campaigns and awards services: names are names, every text is bounded.

Refused with 422 and nothing written: full-width Latin letters in a person's name, a Cyrillic look-alike
inside a unit's name, right-to-left overrides and zero-width characters in titles and text, a 100,000-
character movement title, look-alikes in a council's names. Accepted: real Vietnamese names with every
diacritic, sent decomposed (NFD) and stored composed (NFC).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx
import pytest

from services.awards.app import build as build_awards
from services.campaigns.app import build as build_campaigns
from services.units.app import build as build_units

from ..campaigns.support import campaigns_settings, event_count

pytestmark = pytest.mark.integration

VIETNAMESE_NAMES = [
    "Nguyễn Thị Ánh Tuyết", "Đặng Quốc Hưng", "Trịnh Xuân Ưng", "Lê Thị Hải Yến", "Phạm Ngọc Ẩn",
    "Hoàng Thị Mỹ Duyên", "Võ Thị Ngọc Hường", "Bùi Đức Thưởng", "H'Hen Niê", "Ưng Hoàng Phúc",
]
FULL_WIDTH = "Ｎguyễn Văn Ａn"
CYRILLIC_O = "\u043e"  # looks like the Latin o
RLO, ZWSP, ZWJ = "\u202e", "\u200b", "\u200d"


async def _refused(client: httpx.AsyncClient, path: str, body: dict[str, Any], code_part: str) -> dict[str, Any]:
    pool = client.service.pool  # type: ignore[attr-defined]
    before = await event_count(pool)
    answer = await client.post(path, json=body)
    assert answer.status_code == 422, (path, answer.status_code, answer.text[:400])
    assert code_part in answer.text, (code_part, answer.text[:400])
    assert await event_count(pool) == before, "a refused command wrote something"
    return answer.json()


def _person(person_id: str, full_name: str) -> dict[str, Any]:
    return {"person_id": person_id, "full_name": full_name, "sex": "female", "date_of_birth": "1985-03-02",
            "sector_joined_on": "2008-09-01", "unit_id": "u-vtccb", "position": "Chuyên viên chính",
            "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}


def _unit(unit_id: str, name: str) -> dict[str, Any]:
    return {"unit_id": unit_id, "code": unit_id.upper().replace("-", ""), "name": name, "kind": "vu",
            "parent_id": None, "effective_on": "2015-01-01"}


async def test_names_and_text_at_the_units_service(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build_units, settings)
    assert (await client.post("/units", json=_unit("u-vtccb", "Vụ Tổ chức cán bộ"))).status_code == 201
    await _refused(client, "/units", _unit("u-vtdkt", f"Vụ Thi đua - Khen thưởng c{CYRILLIC_O}ng"), "invalid_name")
    await _refused(client, "/units", _unit("u-vp", f"Văn phòng Bộ{ZWSP}"), "invalid_text")
    await _refused(client, "/units", _unit("u-vp", f"Văn phòng {RLO}Bộ"), "invalid_text")
    await _refused(client, "/units", _unit("u-vp", "Văn phòng Bộ " * 30_000), "2–255 characters")
    body = await _refused(client, "/people", _person("p-fw", FULL_WIDTH), "invalid_name")
    assert "full-width" in body["message"] or "full-width" in str(body["details"])
    await _refused(client, "/people", _person("p-cy", f"Nguyễn Văn T{CYRILLIC_O}àn"), "invalid_name")
    await _refused(client, "/people", _person("p-zw", f"Nguyễn{ZWJ} Văn An"), "invalid_text")
    for i, name in enumerate(VIETNAMESE_NAMES):
        decomposed = unicodedata.normalize("NFD", name)
        assert decomposed != name or name.isascii()
        answer = await client.post("/people", json=_person(f"p-{i}", decomposed))
        assert answer.status_code == 201, (name, answer.text[:300])
        stored = (await client.get(f"/people/p-{i}")).json()["full_name"]
        assert stored == name and unicodedata.is_normalized("NFC", stored)


def _movement(**over: Any) -> dict[str, Any]:
    return {"movement_id": "pt-van-hoa-cong-so", "title": "Thi đua thực hiện văn hóa công sở", "launched_by": "bo",
            "kind": "chuyen_de", "scope": {"all_units": True}, "period_start": "2024-01-01",
            "period_end": "2024-12-31", "criteria": "Thực hiện văn hóa công sở.\nGiữ gìn kỷ cương.",
            "launched_on": "2024-01-15", **over}


async def test_titles_and_text_at_the_campaigns_service(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build_campaigns, campaigns_settings(settings))
    # The services answer invalid_request here, naming the field and the problem.
    await _refused(client, "/movements", _movement(title="Thi đua " * 12_500), "1–500 characters")  # 100,000
    await _refused(client, "/movements", _movement(title=f"Thi đua {RLO}văn hóa"), "invisible format character")
    await _refused(client, "/movements", _movement(criteria=f"Nội dung{ZWSP} ẩn"), "invisible format character")
    await _refused(client, "/movements", _movement(decision_ref="x" * 10_001), "1–255 characters")
    await _refused(client, "/pledges", {
        "pledge_id": "gu-2024", "title": "Giao ước thi đua năm 2024", "year": 2024, "signed_on": "2024-01-26",
        "parties": [{"name": f"C{CYRILLIC_O}ng đoàn Bộ Công Thương"}], "clauses": [{"number": 1, "text": "Nội dung"}],
        "signatories": []}, "several scripts (CYRILLIC, LATIN)")
    decomposed = unicodedata.normalize("NFD", "Thi đua thực hiện văn hóa công sở")
    answer = await client.post("/movements", json=_movement(title=decomposed))
    assert answer.status_code == 201, answer.text[:300]


async def test_council_names_at_the_awards_service(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build_awards, settings)

    def council(name: str, member: str) -> dict[str, Any]:
        return {"name": name, "effective_on": "2024-01-02", "decision_number": "12/QĐ-BCT",
                "members": [{"member_id": "m-01", "name": member, "role": "chair"}]}

    for body, code in ((council("Hội đồng Thi đua – Khen thưởng Bộ", FULL_WIDTH), "full-width"),
                       (council(f"Hội đồng Thi đua{RLO} – Khen thưởng", "Nguyễn Hồng Diên"), "invisible format"),
                       (council(f"Hội đồng Thi đua – Khen thưởng B{CYRILLIC_O}", "Nguyễn Hồng Diên"), "scripts")):
        answer = await client.put("/councils/hd-tdkt-bct", json=body)
        assert answer.status_code == 422 and code in answer.text, answer.text[:400]
    assert (await client.get("/councils/hd-tdkt-bct")).status_code == 404
    answer = await client.put("/councils/hd-tdkt-bct", json=council(
        "Hội đồng Thi đua – Khen thưởng Bộ Công Thương", unicodedata.normalize("NFD", "Nguyễn Hồng Diên")))
    assert answer.status_code in (200, 201), answer.text[:300]
