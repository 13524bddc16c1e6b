"""The catalogue and the API's own documentation, through HTTP."""

from __future__ import annotations

import httpx
import pytest

from .support import get_ok

pytestmark = pytest.mark.integration


async def test_catalogue_lists_every_code_with_windows_sources_and_confirmation(client: httpx.AsyncClient) -> None:
    catalogue = await get_ok(client, "/catalogue")
    codes = [a["code"] for a in catalogue["awards"]]
    assert {"LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ", "TTLDTT", "TTLDXS", "BK_BT", "KNC_CT", "HCLD_3"} <= set(codes)
    assert codes == sorted(codes)
    assert [s["rule_set_id"] for s in catalogue["rule_sets"]] == ["LAW2013_ND91", "LAW2022_ND98", "LAW2022_ND152"]
    documents = {d["id"] for d in catalogue["documents"]}
    for award in catalogue["awards"]:
        assert award["name_vi"] and award["kind_vi"] and award["authorities"] and award["rules"]
        assert set(award["documents"]) <= documents
        for rule in award["rules"]:
            assert rule["valid_from"] and rule["citation"]["text_vi"] and rule["authority_vi"]
            assert isinstance(rule["confirmed"], bool)
    cstdcs = next(a for a in catalogue["awards"] if a["code"] == "CSTDCS")
    assert [(r["valid_from"], r["valid_to"]) for r in cstdcs["rules"]] == [
        ("2017-07-31", "2023-12-31"), ("2024-01-01", "2025-06-30"), ("2025-07-01", None)
    ]
    assert cstdcs["name_vi"] == "Chiến sĩ thi đua cơ sở" and cstdcs["authorities"] == ["unit_head"]
    knc = next(a for a in catalogue["awards"] if a["code"] == "KNC_CT")
    assert knc["confirmed"] is False and [r["confirmed"] for r in knc["rules"]] == [True, False, False]


async def test_one_code_in_full(client: httpx.AsyncClient) -> None:
    award = await get_ok(client, "/catalogue/CSTD_BO")
    assert award["kind"] == "title" and award["recipients"] == ["individual"]
    assert {d["id"] for d in award["cited_documents"]} == set(award["documents"])
    latest = award["rules"][-1]
    assert latest["rule_id"] == "CSTD_BO.individual.2025-07-01"
    assert [c["id"] for c in latest["criteria"]] == ["chain", "initiative", "registration", "no_discipline",
                                                     "no_pending_hold"]
    assert latest["council_vote_share"]["value"] == 0.9 and latest["council_vote_share"]["confirmed"] is False
    assert latest["cash_multiple"]["value"] == 3.0

    def walk(items: list[dict]) -> list[dict]:
        return [x for item in items for x in (item, *walk(item["criteria"]))]

    for rule in award["rules"]:
        for item in walk(rule["criteria"]):
            assert item["citation"]["text_vi"] and item["requirement_vi"] and item["confidence"] in "CSU"


async def test_the_api_documents_itself_with_vietnamese_terms(client: httpx.AsyncClient) -> None:
    spec = await get_ok(client, "/openapi.json")
    assert "thi đua" in spec["info"]["title"]
    operations = [op for path in spec["paths"].values() for op in path.values()]
    for op in operations:
        assert op.get("summary"), op
    ours = {p: spec["paths"][p]["get"] for p in ("/catalogue", "/catalogue/{code}", "/assessments",
                                                 "/units/{unit_id}/assessments", "/forecasts")}
    for path, op in ours.items():
        assert op["description"] and any(ord(ch) > 127 for ch in op["summary"]), path
        assert "200" in op["responses"], path
        if path != "/catalogue":
            assert "404" in op["responses"], path
        if path not in ("/catalogue", "/catalogue/{code}"):
            error = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert error.endswith("/ErrorBody"), path
    params = {p["name"]: p for p in ours["/assessments"]["parameters"]}
    assert {"code", "year", "person_id", "unit_id", "as_of"} <= set(params)
    assert "năm thành tích" in params["year"]["description"]
    assert "candidate_not_found" in ours["/assessments"]["description"]
    health = await get_ok(client, "/health")
    assert health["status"] == "ok"
    assert set(health["consumers"]) == {"awards-units-replica", "awards-campaigns-replica"}
