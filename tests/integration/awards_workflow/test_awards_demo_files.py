"""The demo's dossier files through the real awards service: what the law asks is uploaded once, as PDFs."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import httpx
import pypdf
import pytest

from kernel.auth import Role
from tdkt.demo_data.model import Candidate, Nomination
from tdkt.scenario.awards_steps import attach_files
from tdkt.scenario.client import Service

from ..awards.support import Publisher
from .test_awards_dossier_returns import NID, PATH, _eligible_pair

pytestmark = pytest.mark.integration


async def test_the_demo_attaches_every_file_the_law_asks_and_a_replay_adds_none(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await _eligible_pair(client, publish)
    awards = Service("awards", client, lambda role, _actor: auth_keys.token(role.value, subject="vtdkt"),
                     Role.EMULATION_OFFICE)
    plan = Nomination(NID, "BK_BT", 2023, "merit", "u-vtccb",
                      (Candidate("c-1", "individual", "p-tuyet"), Candidate("c-2", "individual", "p-hung")),
                      date(2024, 1, 8), "ministry")
    view = (await client.get(PATH)).json()
    assert (await client.get(f"{PATH}/dossier")).json()["completeness"]["missing"]

    await attach_files(SimpleNamespace(awards=awards), plan, view, "Vụ Tổ chức cán bộ")  # type: ignore[arg-type]
    dossier = (await client.get(f"{PATH}/dossier")).json()
    assert dossier["completeness"]["missing"] == [] and dossier["completeness"]["complete"] is True
    kinds = sorted((d["kind"], d["candidate_id"]) for d in dossier["documents"])
    assert kinds == [("bao_cao_thanh_tich", "c-1"), ("bao_cao_thanh_tich", "c-2"), ("bien_ban_hoi_dong", None),
                     ("to_trinh", None)]
    report = next(d for d in dossier["documents"] if d["candidate_id"] == "c-2")
    content = (await client.get(report["versions"][0]["download"])).content
    text = pypdf.PdfReader(io.BytesIO(content), strict=True).pages[0].extract_text()
    assert "BÁO CÁO THÀNH TÍCH – ĐẶNG QUỐC HƯNG" in text and "Vụ Tổ chức cán bộ" in text, text

    # Played again (a resumed demo): nothing is missing, nothing is uploaded twice.
    await attach_files(SimpleNamespace(awards=awards), plan, view, "Vụ Tổ chức cán bộ")  # type: ignore[arg-type]
    again = (await client.get(f"{PATH}/dossier")).json()
    assert [len(d["versions"]) for d in again["documents"]] == [1, 1, 1, 1]
