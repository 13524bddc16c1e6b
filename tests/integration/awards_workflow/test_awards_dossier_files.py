"""A nomination's files against the real stack: typed by content, bounded, versioned, hashed, scoped."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from typing import Any

import asyncpg
import httpx
import pytest

from kernel.auth import Role
from services.awards.app import build
from services.awards.projections.dossier import rebuild_assignments
from services.awards.settings import AwardsSettings

from ..awards.support import Publisher, confer, enrol, unit
from ..kernel.support import wait_until
from .support import ballots, candidate, nomination, nominee, ok, refused, set_council

pytestmark = pytest.mark.integration

VTCCB, VKH = "u-vtccb", "u-vkh"
NID = "n-2024-bkbt-vtccb"
DOCS = f"/nominations/{NID}/dossier/documents"
MAX_FILE = 64 * 1024


def pdf(text: str) -> bytes:
    """A small PDF (the header is what makes it one)."""
    return (f"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n").encode()


def docx(text: str) -> bytes:
    """A minimal Word document: a zip with [Content_Types].xml and word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return out.getvalue()


@pytest.fixture
async def dossier_client(settings, start_service) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """The awards service with a small per-file limit (the per-dossier one: ten files)."""
    limited = AwardsSettings(**{**settings.model_dump(), "dossier_max_file_bytes": MAX_FILE,
                                "dossier_max_bytes": 10 * MAX_FILE})
    return await start_service(build, limited)


async def written(client: httpx.AsyncClient) -> tuple[int, int]:
    """The events and the stored file chunks: what an upload writes."""
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        return await conn.fetchval("SELECT count(*) FROM events"), await conn.fetchval(
            "SELECT count(*) FROM dossier_files")


async def upload(client: httpx.AsyncClient, name: str, content: bytes, headers: dict[str, str] | None = None,
                 *, content_type: str = "application/pdf", **form: str) -> httpx.Response:
    """A multipart upload of one file to the nomination's dossier."""
    return await client.post(DOCS, files={"file": (name, content, content_type)}, data=form, headers=headers)


async def refused_upload(client: httpx.AsyncClient, status: int, code: str, *args: Any, **kw: Any) -> dict[str, Any]:
    """An upload refused with ``status`` and ``code`` that wrote nothing."""
    before = await written(client)
    response = await upload(client, *args, **kw)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["details"], dict), body
    assert await written(client) == before, f"refused with {code} but wrote something"
    return body


async def known(client: httpx.AsyncClient, publish: Publisher) -> None:
    """The replica has taken in what was published, and knows the submitting unit."""
    await publish.settled(client)

    async def unit_known() -> bool:
        return (await client.get(f"/units/{VTCCB}/awards")).status_code == 200

    await wait_until(unit_known, timeout=30)


async def _nomination(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(VKH, "VKH", "Vụ Kế hoạch", parent_id=None),
        enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
    )
    await known(client, publish)
    await ok(client, "/nominations", nomination(NID, "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")],
                                                submitted_on=date(2024, 12, 5)))


async def test_files_typed_by_content_bounded_versioned_and_hashed(  # type: ignore[no-untyped-def]
    dossier_client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    client = dossier_client
    await _nomination(client, publish)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    stranger = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vkh", unit_id=VKH)
    reader = auth_keys.headers(Role.READER.value, subject="reader")

    # The unit's officer attaches the submission letter; the office the candidate's report (DOCX).
    letter = pdf("Tờ trình số 45/TTr-VTCCB đề nghị tặng Bằng khen")
    response = await upload(client, "Tờ trình 45.pdf", letter, officer, kind="to_trinh", title="Tờ trình đề nghị khen thưởng")
    assert response.status_code == 201, response.text
    first = response.json()["document"]
    assert first["kind"] == "to_trinh" and first["kind_vi"] == "Tờ trình" and first["candidate_id"] is None
    v1 = first["versions"][0]
    assert (v1["version"], v1["media_type"], v1["size_bytes"]) == (1, "application/pdf", len(letter))
    assert v1["sha256"] == hashlib.sha256(letter).hexdigest() and v1["file_name"] == "Tờ trình 45.pdf"
    report = docx("Báo cáo thành tích của bà Lê Thị Ánh Tuyết")
    response = await upload(client, "bao-cao.docx", report, content_type="application/octet-stream",
                            kind="bao_cao_thanh_tich", title="Báo cáo thành tích cá nhân", candidate_id="c-1")
    assert response.status_code == 201, response.text
    assert response.json()["document"]["versions"][0]["media_type"].endswith("wordprocessingml.document")

    # The events carry the metadata and hash, never the bytes, on the internal topic.
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        rows = await conn.fetch("SELECT topic, payload FROM events WHERE event_type = "
                                "'vn.tdkt.awards.dossier.document-attached' ORDER BY stream_version")
    assert [r["topic"] for r in rows] == ["tdkt.awards.internal"] * 2
    payload = json.loads(rows[0]["payload"]) if isinstance(rows[0]["payload"], str) else dict(rows[0]["payload"])
    assert payload["sha256"] == v1["sha256"] and payload["size_bytes"] == len(letter)
    assert "Tờ trình số 45" not in json.dumps(payload, ensure_ascii=False)

    # Refused, and nothing written: an executable named .pdf, a zip that is no Word document, too big, empty.
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
    error = await refused_upload(client, 422, "unsupported_file_type", "bao-cao.pdf", exe, officer,
                                 kind="to_trinh", title="Tờ trình")
    assert error["details"]["file_name"] == "bao-cao.pdf"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("payload.sh", "#!/bin/sh\n")
    await refused_upload(client, 422, "unsupported_file_type", "bao-cao.docx", other_zip.getvalue(), officer,
                         kind="bao_cao_thanh_tich", title="Báo cáo")
    big = pdf("x") + b"0" * MAX_FILE
    error = await refused_upload(client, 413, "file_too_large", "scan.pdf", big, officer, kind="other", title="Bản chụp")
    assert error["details"]["max_file_bytes"] == MAX_FILE
    await refused_upload(client, 422, "empty_file", "empty.pdf", b"", officer, kind="other", title="Trống")
    await refused_upload(client, 422, "unknown_document_kind", "x.pdf", letter, officer, kind="giay_phep", title="X")
    await refused_upload(client, 422, "invalid_request", "x.pdf", letter, officer, kind="other", title="Tờ\x00trình")
    await refused_upload(client, 404, "unknown_candidate", "x.pdf", letter, officer, kind="bao_cao_thanh_tich",
                         title="Báo cáo", candidate_id="c-9")
    # Another unit's officer can neither attach nor read; a reader sees no files.
    await refused_upload(client, 403, "outside_unit_scope", "x.pdf", letter, stranger, kind="other", title="X")

    # A replacement is version 2; version 1 is kept and still served as it was.
    fixed = pdf("Tờ trình số 45/TTr-VTCCB (bản sửa)")
    response = await upload(client, "to-trinh-sua.pdf", fixed, officer, kind="to_trinh", title="Tờ trình (bản sửa)",
                            document_id=first["document_id"])
    assert response.status_code == 201, response.text
    versions = response.json()["document"]["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    dossier = (await client.get(f"/nominations/{NID}/dossier", headers=officer)).json()
    assert len(dossier["documents"]) == 2 and dossier["total_bytes"] == len(letter) + len(report) + len(fixed)
    for version, content in ((1, letter), (2, fixed)):
        got = await client.get(versions[2 - version]["download"], headers=officer)
        assert got.status_code == 200 and got.content == content
        assert got.headers["x-content-sha256"] == hashlib.sha256(content).hexdigest()
        assert got.headers["content-type"] == "application/pdf"
    for who, code in ((stranger, "outside_unit_scope"), (reader, "forbidden")):
        for path in (versions[1]["download"], f"/nominations/{NID}/dossier"):
            got = await client.get(path, headers=who)
            assert got.status_code == 403 and got.json()["code"] == code, got.text
    missing = await client.get(f"/nominations/{NID}/dossier/documents/{first['document_id']}/versions/3/content")
    assert missing.status_code == 404 and missing.json()["code"] == "document_not_found"

    # A stored version never changes; bytes changed behind the service's back are refused, never served.
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        with pytest.raises(asyncpg.RaiseError, match="never changes"):
            await conn.execute("UPDATE dossier_files SET chunk = 'x'::bytea WHERE version = 1")
        await conn.execute("ALTER TABLE dossier_files DISABLE TRIGGER dossier_files_no_update")
        await conn.execute("UPDATE dossier_files SET chunk = $1 WHERE version = 1 AND document_id = $2",
                           pdf("forged"), first["document_id"])
    got = await client.get(versions[1]["download"], headers=officer)
    assert got.status_code == 500 and got.json()["code"] == "document_corrupted"


async def test_a_dossier_is_incomplete_until_the_initiative_certificate_is_attached(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       enrol("p-huong", "Nguyễn Thị Hương", VTCCB, sex="female"))
    await known(client, publish)
    members = await set_council(client)
    nid = "n-2025-cstdcs-vtccb"
    path = f"/nominations/{nid}"
    await ok(client, "/nominations", nomination(nid, "CSTDCS", 2025, VTCCB, [nominee("c-1", "p-huong")],
                                                submitted_on=date(2026, 3, 2)))
    found = (await client.get(path)).json()["dossier"]
    assert (found["complete"], found["enforced"], found["may_proceed"]) == (False, True, False)
    assert {(m["requirement"], m["candidate_id"]) for m in found["missing"]} == {
        ("to_trinh", None), ("bao_cao_thanh_tich", "c-1"), ("bien_ban_hoi_dong", None), ("chung_nhan_sang_kien", "c-1")}
    certificate = next(m for m in found["missing"] if m["requirement"] == "chung_nhan_sang_kien")
    assert "Điều 84" in certificate["citation"] and certificate["confidence"] == "C" and certificate["enforced"]

    for kind, candidate_id in (("to_trinh", ""), ("bao_cao_thanh_tich", "c-1"), ("bien_ban_hoi_dong", "")):
        response = await client.post(f"{path}/dossier/documents", files={"file": (f"{kind}.pdf", pdf(kind))},
                                     data={"kind": kind, "title": kind, "candidate_id": candidate_id})
        assert response.status_code == 201, response.text
    found = (await client.get(path)).json()["dossier"]
    assert [(m["requirement"], m["candidate_id"]) for m in found["missing"]] == [("chung_nhan_sang_kien", "c-1")]

    # Neither the council nor the public notice while the certificate is missing; nothing written.
    vote = {"council_id": "hd-tdkt-bct", "voted_on": "2026-03-20",
            "results": [{"candidate_id": "c-1", "ballots": ballots(members, approve=9)}]}
    error = await refused(client, f"{path}/votes", vote, 422, "dossier_incomplete")
    assert error["details"]["missing"] == [{"requirement": "chung_nhan_sang_kien", "kind": "chung_nhan_sang_kien",
                                            "candidate_id": "c-1", "citation": certificate["citation"]}]
    await refused(client, f"{path}/notices", {"candidate_ids": ["c-1"], "opened_on": "2026-03-05"}, 422,
                  "dossier_incomplete")
    # Only the office overrides, with a reason recorded as an event; then the dossier may go on.
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    denied = await client.post(f"{path}/dossier/override", json={"reason": "x"}, headers=officer)
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    reason = "Giấy chứng nhận sáng kiến đang chờ Hội đồng sáng kiến cấp Bộ ký; đơn vị cam kết bổ sung."
    overridden = await ok(client, f"{path}/dossier/override", {"reason": reason})
    assert overridden["completeness"]["may_proceed"] and not overridden["completeness"]["complete"]
    assert overridden["completeness"]["overrides"][0]["reason"] == reason
    assert overridden["recorded"][0]["event_type"] == "vn.tdkt.awards.dossier.completeness-overridden"
    after = await client.post(f"{path}/votes", json=vote)
    assert after.json().get("code") != "dossier_incomplete", after.text
    await refused(client, f"{path}/dossier/override", {"reason": reason}, 422, "override_not_needed")

    # The certificate attached: complete by the law.
    response = await client.post(f"{path}/dossier/documents", files={"file": ("cn.pdf", pdf("Chứng nhận sáng kiến"))},
                                 data={"kind": "chung_nhan_sang_kien", "title": "Giấy chứng nhận sáng kiến",
                                       "candidate_id": "c-1"})
    assert response.status_code == 201, response.text
    found = (await client.get(path)).json()["dossier"]
    assert (found["complete"], found["missing"]) == (True, [])


async def test_the_office_assigns_a_dossier_and_each_specialist_lists_theirs(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await _nomination(client, publish)
    trang = auth_keys.headers(Role.EMULATION_OFFICE.value, subject="cv-trang")
    minh = auth_keys.headers(Role.EMULATION_OFFICE.value, subject="cv-minh")
    body = {"assignee_id": "cv-trang", "assignee_name": "Phạm Thu Trang", "note": "Thẩm định hồ sơ Bằng khen"}
    assigned = await ok(client, f"/nominations/{NID}/dossier/assignments", body)
    assert assigned["assignments"][0]["assignee_name"] == "Phạm Thu Trang"
    assert assigned["recorded"][0]["event_type"] == "vn.tdkt.awards.dossier.assigned"
    mine = (await client.get("/my/dossiers", headers=trang)).json()
    assert [(d["nomination_id"], d["note"]) for d in mine] == [(NID, "Thẩm định hồ sơ Bằng khen")]
    assert (await client.get("/my/dossiers", headers=minh)).json() == []
    await refused(client, f"/nominations/{NID}/dossier/assignments", body, 409, "already_assigned")
    await refused(client, "/nominations/n-nowhere/dossier/assignments", body, 404, "nomination_not_found")
    # Handed over to Minh: his list has it, Trang's no longer; the dossier keeps both rounds.
    await ok(client, f"/nominations/{NID}/dossier/assignments", {"assignee_id": "cv-minh"})
    assert [d["nomination_id"] for d in (await client.get("/my/dossiers", headers=minh)).json()] == [NID]
    assert (await client.get("/my/dossiers", headers=trang)).json() == []
    dossier = (await client.get(f"/nominations/{NID}/dossier")).json()
    assert dossier["assignee_id"] == "cv-minh" and [a["assignee_id"] for a in dossier["assignments"]] == [
        "cv-trang", "cv-minh"]
    # An upload retried with its Idempotency-Key answers the first answer and stores nothing again.
    request = client.build_request("POST", DOCS, files={"file": ("tt.pdf", pdf("Tờ trình"))},
                                   data={"kind": "to_trinh", "title": "Tờ trình"}, headers={"Idempotency-Key": "upload-1"})
    raw = request.read()  # the same bytes twice, as a client's retry sends them
    retried = [await client.post(DOCS, content=raw, headers={"Idempotency-Key": "upload-1",
                                                              "Content-Type": request.headers["content-type"]})
               for _ in range(2)]
    assert [r.status_code for r in retried] == [201, 201] and retried[0].json() == retried[1].json()
    assert len((await client.get(f"/nominations/{NID}/dossier")).json()["documents"]) == 1
    # The list is a projection: rebuilt from the events, it says the same.
    async with client.service.pool.acquire() as conn, conn.transaction():  # type: ignore[attr-defined]
        assert await rebuild_assignments(conn, client.service.store) > 0  # type: ignore[attr-defined]
    assert [d["assignee_id"] for d in (await client.get("/my/dossiers", headers=minh)).json()] == ["cv-minh"]
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    denied = await client.post(f"/nominations/{NID}/dossier/assignments", json=body, headers=officer)
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"


async def test_the_office_returns_a_candidate_with_a_reason_and_the_unit_resubmits(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    await _nomination(client, publish)
    for year in (2022, 2023):  # two years of Chiến sĩ thi đua cơ sở: eligible for the Minister's certificate
        await confer(client, f"a-{year}-cstdcs-tuyet", "CSTDCS", year, "p-tuyet", "Lê Thị Ánh Tuyết")
    nid = "n-2023-bkbt-vtccb"
    path = f"/nominations/{nid}"
    submitted = await ok(client, "/nominations", nomination(nid, "BK_BT", 2023, VTCCB, [nominee("c-1", "p-tuyet")],
                                                            submitted_on=date(2024, 1, 8)))
    assert candidate(submitted, "c-1")["status"] == "eligible", candidate(submitted, "c-1")
    reason = "Báo cáo thành tích chưa có xác nhận của thủ trưởng đơn vị; đề nghị bổ sung."
    returned = await ok(client, f"{path}/candidates/c-1/returns", {"reason": reason, "returned_on": "2024-01-15"},
                        status=200)
    assert candidate(returned, "c-1")["status"] == "returned" and candidate(returned, "c-1")["reasons"] == [reason]
    await refused(client, f"{path}/candidates/c-1/returns", {"reason": reason, "returned_on": "2024-01-16"}, 422,
                  "candidate_not_eligible")
    await refused(client, f"{path}/candidates/c-9/returns", {"reason": reason, "returned_on": "2024-01-16"}, 404,
                  "unknown_candidate")
    await refused(client, f"{path}/candidates/c-1/returns", {"reason": "", "returned_on": "2024-01-16"}, 422,
                  "invalid_request")
    again = await ok(client, f"{path}/candidates/c-1/resubmit", {"resubmitted_on": "2024-01-20"}, status=200)
    assert candidate(again, "c-1")["status"] == "eligible"
    await ok(client, f"{path}/candidates/c-1/returns", {"reason": "Thiếu biên bản họp Hội đồng đơn vị.",
                                                         "returned_on": "2024-01-22"}, status=200)
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        rounds = await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1 AND event_type = "
                                     "'vn.tdkt.awards.nomination.candidate-returned'", nid)
    assert rounds == 2  # every round is kept in the nomination's stream


async def test_an_upload_retried_with_its_idempotency_key_is_stored_once(  # type: ignore[no-untyped-def]
    dossier_client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    client = dossier_client
    await _nomination(client, publish)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    keyed = {**officer, "Idempotency-Key": "upload-to-trinh-1"}
    letter = pdf("Tờ trình số 46/TTr-VTCCB")

    first = await upload(client, "Tờ trình 46.pdf", letter, keyed, kind="to_trinh", title="Tờ trình")
    assert first.status_code == 201, first.text
    before = await written(client)
    # The same form again (httpx draws a new multipart boundary): the first answer, nothing stored again.
    again = await upload(client, "Tờ trình 46.pdf", letter, keyed, kind="to_trinh", title="Tờ trình")
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true", again.text
    assert again.json() == first.json()
    assert await written(client) == before
    # The same key with another file: refused as for any other body, nothing written.
    other = await upload(client, "Tờ trình 46.pdf", pdf("Tờ trình số 47/TTr-VTCCB"), keyed, kind="to_trinh",
                         title="Tờ trình")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused", other.text
    assert await written(client) == before
    dossier = (await client.get(f"/nominations/{NID}/dossier", headers=officer)).json()
    assert [len(d["versions"]) for d in dossier["documents"]] == [1]
