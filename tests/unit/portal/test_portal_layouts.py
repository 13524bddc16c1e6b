"""The certificate layouts' pages over an in-memory awards service that validates a layout with the service's
own model: the form shows the layout in force, a bad box is refused next to its field in Vietnamese with the
input kept and nothing recorded, a good one is recorded with the form's key; the calibration page, a decision's
certificates and a proposal's tờ trình are streamed through the portal; a nomination's page links them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
from pydantic import ValidationError

from services.awards.workflow.certificate_layout import DEFAULT_LAYOUT, CertificateLayout
from services.portal import forms
from services.portal.backends.base import BackendError, Refused
from services.portal.formats import decision_path
from services.portal.routes.layouts import layout_body

from .signed_in import signed_in_client
from .test_portal_nomination_pages import BALLOT_VI, CANDIDATES, COUNCIL, DOSSIER, ENV, NOMINATION, REQUEST, SESSION
from .test_portal_nomination_pages import FORM_NAMES, PER_CANDIDATE

PDF = b"%PDF-1.7 calibration"


class File:
    """A streamed answer as the awards backend gives it (httpx.Response's part the portal uses)."""

    def __init__(self, content: bytes, name: str) -> None:
        self.content = content
        self.headers = {"content-type": "application/pdf", "content-disposition": f'attachment; filename="{name}"',
                        "content-length": str(len(content))}
        self.closed = False

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        yield self.content

    async def aclose(self) -> None:
        self.closed = True


class Awards:
    """The awards service as far as these pages use it: layouts validated by the service's model and kept."""

    def __init__(self) -> None:
        self.layouts: dict[str, dict[str, Any]] = {}
        self.sent: list[tuple[str, dict[str, Any], str]] = []
        self.files: list[str] = []
        self.refusal: BackendError | None = None

    async def catalogue(self, token: str) -> dict[str, Any]:
        return {"awards": [{"code": "BK_BT", "name_vi": "Bằng khen của Bộ trưởng"},
                           {"code": "CSTD_CS", "name_vi": "Chiến sĩ thi đua cơ sở"}]}

    async def get(self, token: str, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        _, _, code, issuer = path.split("/")
        recorded = self.layouts.get(path)
        return {"award_code": code, "issuer": issuer, "default": recorded is None,
                "layout": recorded or DEFAULT_LAYOUT.model_dump(mode="json")}

    async def put(self, token: str, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        self.sent.append((path, body, key))
        if self.refusal:
            raise self.refusal
        try:
            layout = CertificateLayout.model_validate(body)
        except ValidationError as error:  # as kernel/http.py answers a request the model refuses
            problems = [{"where": ".".join(["body", *map(str, e["loc"])]), "problem": e["msg"]} for e in error.errors()]
            raise BackendError("awards", 422, "invalid_request", "the request is not valid", {"errors": problems})
        self.layouts[path] = layout.model_dump(mode="json")
        return {}

    async def file(self, token: str, path: str) -> File:
        self.files.append(path)
        return File(PDF, path.rsplit("/", 1)[-1])

    async def unread(self, token: str) -> int:
        return 0


def _posted(layout: dict[str, Any], csrf: str, key: str = "k-1", **changes: str) -> dict[str, str]:
    """The form as the page renders it for ``layout``, with ``changes``."""
    values = {"csrf": csrf, "idempotency_key": key, "page_width_mm": str(layout["page_width_mm"]),
              "page_height_mm": str(layout["page_height_mm"])}
    for name, box in layout["fields"].items():
        values |= {f"{name}.printed": "1", f"{name}.font": box["font"], f"{name}.align": box["align"]}
        values |= {f"{name}.{m}": str(box[m]) for m in ("x_mm", "y_mm", "width_mm", "height_mm", "size_pt")}
        values |= {f"{name}.{flag}": "1" for flag in ("bold", "italic") if box[flag]}
    return values | changes


def test_the_form_gives_the_layout_as_the_api_takes_it() -> None:
    errors: dict[str, str] = {}
    body = layout_body({"page_width_mm": "297", "page_height_mm": "210", "recipient_name.printed": "1",
                        "recipient_name.x_mm": "40,5", "recipient_name.y_mm": "92", "recipient_name.width_mm": "217",
                        "recipient_name.height_mm": "14", "recipient_name.size_pt": "24", "recipient_name.bold": "1",
                        "recipient_name.font": "sans", "recipient_name.align": "left",
                        "unit_name.x_mm": "1"}, errors)  # unit_name not ticked: not printed
    assert errors == {}
    assert body == {"page_width_mm": 297.0, "page_height_mm": 210.0, "fields": {"recipient_name": {
        "x_mm": 40.5, "y_mm": 92.0, "width_mm": 217.0, "height_mm": 14.0, "size_pt": 24.0, "bold": True,
        "italic": False, "font": "sans", "align": "left"}}}
    CertificateLayout.model_validate(body)  # the awards service's model takes it
    bad: dict[str, str] = {}
    layout_body({"page_width_mm": "rộng", "page_height_mm": "210", "achievement.printed": "1",
                 "achievement.x_mm": "", "achievement.y_mm": "1", "achievement.width_mm": "1",
                 "achievement.height_mm": "1", "achievement.size_pt": "12"}, bad)
    assert bad == {"page_width_mm": "Phải là số.", "achievement.x_mm": "Phải là số."}


async def test_the_office_opens_a_layout_is_refused_next_to_the_field_fixes_it_and_saves() -> None:
    client, awards, csrf = signed_in_client(Awards(), awards=True)
    default = DEFAULT_LAYOUT.model_dump(mode="json")
    async with client:
        listing = (await client.get("/certificate-layouts")).text
        assert re.findall(r'href="/certificate-layouts/([^"/]+)/BCT" data-testid="layout-link"', listing) == [
            "BK_BT", "CSTD_CS"]
        page = (await client.get("/certificate-layouts/BK_BT/BCT")).text
        assert "đang dùng bố cục mặc định" in page
        assert 'name="unit_name.y_mm" type="text" value="107"' in page
        assert re.search(r'id="recipient_name.bold" name="recipient_name.bold" value="1" checked', page)
        assert 'href="/certificate-layouts/BK_BT/BCT/calibration.pdf"' in page

        too_big = await client.post("/certificate-layouts/BK_BT/BCT", data=_posted(default, csrf, **{
            "unit_name.size_pt": "100"}))
        assert too_big.status_code == 422
        assert 'data-testid="error-unit_name.size_pt">Phải nhỏ hơn hoặc bằng 72.' in too_big.text
        assert 'name="unit_name.size_pt" type="text" value="100" aria-invalid="true"' in too_big.text
        off_page = await client.post("/certificate-layouts/BK_BT/BCT", data=_posted(default, csrf, key="k-2", **{
            "achievement.x_mm": "200"}))
        assert off_page.status_code == 422
        assert 'data-testid="error-achievement.x_mm">Ô vượt ra ngoài trang phôi' in off_page.text
        no_name = _posted(default, csrf, key="k-3")
        del no_name["recipient_name.printed"]
        refused = await client.post("/certificate-layouts/BK_BT/BCT", data=no_name)
        assert 'data-testid="error-recipient_name.printed">Bố cục phải in họ và tên' in refused.text
        assert awards.layouts == {}  # nothing recorded

        fixed = _posted(default, csrf, key="k-4", **{"unit_name.size_pt": "18", "unit_name.align": "left"})
        del fixed["register_number.printed"]
        saved = await client.post("/certificate-layouts/BK_BT/BCT", data=fixed)
        assert saved.status_code == 303 and saved.headers["location"] == "/certificate-layouts/BK_BT/BCT?saved=1"
        assert awards.sent[-1][0] == "/certificate-layouts/BK_BT/BCT" and awards.sent[-1][2] == "k-4"
        recorded = awards.layouts["/certificate-layouts/BK_BT/BCT"]
        assert recorded["fields"]["unit_name"]["size_pt"] == 18 and recorded["fields"]["unit_name"]["align"] == "left"
        assert "register_number" not in recorded["fields"]
        again = (await client.get(saved.headers["location"])).text
        assert "Bố cục đã ghi cho phôi này." in again and 'data-testid="saved"' in again
        assert 'name="unit_name.size_pt" type="text" value="18"' in again
        assert not re.search(r'name="register_number.printed" value="1" checked', again)
        forged = await client.post("/certificate-layouts/BK_BT/BCT", data={**fixed, "csrf": "x"})
        assert forged.status_code == 403 and len(awards.sent) == 4  # sent nothing


async def test_another_roles_save_is_refused_above_the_form_in_vietnamese() -> None:
    client, awards, csrf = signed_in_client(Awards(), awards=True)
    awards.refusal = Refused("awards", 403, "forbidden", "emulation_office only")
    async with client:
        answer = await client.post("/certificate-layouts/BK_BT/BCT", data=_posted(
            DEFAULT_LAYOUT.model_dump(mode="json"), csrf, **{"unit_name.size_pt": "17"}))
    assert answer.status_code == 403
    assert 'data-testid="form-error">Vai trò của bạn không được thực hiện thao tác này.' in answer.text
    assert 'name="unit_name.size_pt" type="text" value="17"' in answer.text and awards.layouts == {}


async def test_the_documents_stream_through_the_portal_with_their_names() -> None:
    client, awards, _ = signed_in_client(Awards(), awards=True)
    async with client:
        calibration = await client.get("/certificate-layouts/BK_BT/BCT/calibration.pdf")
        certificates = await client.get("/decisions/BCT/2023/1520/certificates.pdf")
        submission = await client.get("/proposals/p-7/submission.pdf")
        docx = await client.get("/proposals/p-7/submission.docx")
        unknown = await client.get("/proposals/p-7/submission.odt")
    assert calibration.content == PDF and calibration.headers["content-type"] == "application/pdf"
    assert 'filename="calibration.pdf"' in calibration.headers["content-disposition"]
    assert certificates.content == PDF
    assert submission.content == PDF and docx.status_code == 200
    assert unknown.status_code == 422  # only DOCX or PDF: nothing asked of the service
    assert awards.files == ["/certificate-layouts/BK_BT/BCT/calibration.pdf",
                            "/decisions/BCT/2023/1520/certificates.pdf", "/proposals/p-7/submission.pdf",
                            "/proposals/p-7/submission.docx"]


def test_a_decision_is_addressed_by_issuer_year_and_number() -> None:
    assert decision_path("1520/QĐ-BCT", "2023-05-04") == "/decisions/BCT/2023/1520"
    assert decision_path("15/QĐ-VTCCB", "2024-01-02") == "/decisions/VTCCB/2024/15"
    assert decision_path("QĐ cũ số 7", "2020-01-01") is None and decision_path("1/QĐ-BCT", None) is None
    assert decision_path("1/QĐ-BCT", "") is None and decision_path(None, "2020-01-01") is None


def test_a_nomination_links_its_tờ_trình_and_its_certificates() -> None:
    decided = [{**CANDIDATES[0], "status": "granted", "decision": {
        "decision_number": "1520/QĐ-BCT", "decision_date": "2023-05-04", "signer": "Bộ trưởng",
        "conferred_by_ministry": True, "revoked": False}}, CANDIDATES[1]]
    proposal = {"proposal_id": "p-7", "submission_number": "512/TTr-BCT", "to_body": "Thủ tướng Chính phủ",
                "to_authority": "prime_minister", "recipients": []}
    all_forms = {k: forms.Form() for k in FORM_NAMES}
    all_forms.update({f"{a}:{c['candidate_id']}": forms.Form() for c in CANDIDATES for a in PER_CANDIDATE})
    html = ENV.get_template("nomination.html").render(
        request=REQUEST, session=SESSION, n={**NOMINATION, "candidates": decided, "proposals": [proposal]},
        dossier=DOSSIER, audit={"entries": []}, council=COUNCIL, forms=all_forms, refused=None, today="01/12/2026",
        unit=None, BALLOT_VI=BALLOT_VI, answered_at=datetime(2026, 12, 1, 9, 0), signer="")
    assert 'href="/proposals/p-7/submission.docx" data-testid="submission-docx"' in html
    assert 'href="/proposals/p-7/submission.pdf" data-testid="submission-pdf"' in html
    assert html.count('href="/decisions/BCT/2023/1520/certificates.pdf"') == 1
