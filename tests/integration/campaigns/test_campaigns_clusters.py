"""Clusters and blocs (cụm, khối thi đua) through the API: membership, rotating lead,
scores and ranking, a pledge among members; and the query tables rebuilt from the
event store give the same answers."""

from __future__ import annotations

import pytest
from tdkt_contracts.catalogue.campaigns import PLEDGE_2024_CLAUSES

from services.campaigns.app import build
from services.campaigns.projections import rebuild

from .support import campaigns_settings, ok, refused

pytestmark = pytest.mark.integration

CLUSTER = "cum-vien-nghien-cuu"
MEMBERS = ["vien-ccs", "vien-nang-luong", "vien-hoa-chat", "vien-co-khi"]


async def test_cluster_year_and_rebuild(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, campaigns_settings(settings))
    ok(await client.post("/clusters", json={
        "cluster_id": CLUSTER, "name": "Cụm thi đua các Viện nghiên cứu thuộc Bộ Công Thương", "kind": "cum",
        "members": MEMBERS, "from_year": 2024, "formed_on": "2024-01-10"}), 201)
    lead = ok(await client.post(f"/clusters/{CLUSTER}/lead", json={
        "cluster_id": CLUSTER, "year": 2024, "unit_id": "vien-nang-luong", "assigned_on": "2024-01-10"}))
    assert lead["stream_version"] == 2 and lead["events"][0]["type"] == "vn.tdkt.campaigns.cluster.lead-assigned"
    refused(await client.post(f"/clusters/{CLUSTER}/lead", json={
        "cluster_id": CLUSTER, "year": 2025, "unit_id": "vien-nang-luong", "assigned_on": "2025-01-05"}),
        422, "lead_not_rotated")

    ok(await client.post("/pledges", json={
        "pledge_id": "gu-2024-cum-vien", "title": "Giao ước thi đua Cụm các Viện năm 2024", "year": 2024,
        "cluster_id": CLUSTER,
        "parties": [{"name": "Viện Nghiên cứu Chiến lược, Chính sách Công Thương", "unit_id": "vien-ccs"},
                    {"name": "Viện Năng lượng", "unit_id": "vien-nang-luong"}],
        "clauses": PLEDGE_2024_CLAUSES[:2],
        "signatories": [
            {"full_name": "Trần Văn A", "position": "Viện trưởng",
             "party": "Viện Nghiên cứu Chiến lược, Chính sách Công Thương"},
            {"full_name": "Lê Thị B", "position": "Viện trưởng", "party": "Viện Năng lượng"}],
        "signed_on": "2024-02-01"}), 201)
    refused(await client.post("/pledges", json={
        "pledge_id": "gu-2024-ngoai-cum", "title": "Giao ước", "year": 2024, "cluster_id": CLUSTER,
        "parties": [{"name": "Viện Năng lượng", "unit_id": "vien-nang-luong"},
                    {"name": "Cục Xuất nhập khẩu", "unit_id": "cuc-xnk"}],
        "clauses": PLEDGE_2024_CLAUSES[:1],
        "signatories": [{"full_name": "Lê Thị B", "position": "Viện trưởng", "party": "Viện Năng lượng"},
                        {"full_name": "Phạm C", "position": "Cục trưởng", "party": "Cục Xuất nhập khẩu"}],
        "signed_on": "2024-02-01"}), 422, "party_not_in_cluster")

    ok(await client.post(f"/clusters/{CLUSTER}/scores", json={
        "cluster_id": CLUSTER, "year": 2024, "scored_on": "2024-12-18", "scores": [
            {"unit_id": "vien-ccs", "score": 96.5, "women_share_percent": 55},
            {"unit_id": "vien-hoa-chat", "score": 96.5, "women_share_percent": 72},
            {"unit_id": "vien-nang-luong", "score": 94},
            {"unit_id": "vien-co-khi", "score": 90.25}]}))
    ok(await client.post(f"/clusters/{CLUSTER}/membership", json={
        "cluster_id": CLUSTER, "year": 2025, "add": ["vien-dau-khi"], "remove": ["vien-co-khi"],
        "changed_on": "2025-01-05", "reason": "Sắp xếp lại các đơn vị sự nghiệp công lập thuộc Bộ"}))
    refused(await client.post(f"/clusters/{CLUSTER}/membership", json={
        "cluster_id": CLUSTER, "year": 2024, "add": ["vien-dau-khi"], "changed_on": "2025-01-05"}),
        422, "membership_year_before_last_change")

    ranking = ok(await client.get(f"/clusters/{CLUSTER}/ranking", params={"year": 2024}))
    assert [(r["rank"], r["unit_id"]) for r in ranking["ranking"]] == [
        (1, "vien-hoa-chat"), (2, "vien-ccs"), (3, "vien-nang-luong"), (4, "vien-co-khi")]
    assert ranking["ranking"][0]["women_preferred"] is True
    assert ranking["leaders"] == ["vien-hoa-chat"] and ranking["lead_unit_id"] == "vien-nang-luong"
    next_year = ok(await client.get(f"/clusters/{CLUSTER}/ranking", params={"year": 2025}))
    assert "vien-dau-khi" in next_year["members"] and not next_year["scored"]
    refused(await client.get(f"/clusters/{CLUSTER}/ranking"), 422, "invalid_request")

    # A member not named as a party still sees its cluster's pledge.
    overview = ok(await client.get("/units/vien-hoa-chat/overview"))
    assert [p["pledge_id"] for p in overview["pledges"]] == ["gu-2024-cum-vien"]
    assert ok(await client.get("/units/cuc-xnk/overview")) == {"unit_id": "cuc-xnk", "registrations": [], "pledges": []}

    # The query tables are derived: rebuilt from the event store, they answer the same.
    async with client.service.pool.acquire() as conn:
        streams = await rebuild(conn)
    assert streams == 2
    assert ok(await client.get(f"/clusters/{CLUSTER}/ranking", params={"year": 2024})) == ranking
    assert ok(await client.get("/units/vien-hoa-chat/overview")) == overview
