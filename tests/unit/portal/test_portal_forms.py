"""The portal's form helpers: a service's refusal shown next to the field in Vietnamese with the input kept,
the command sent with the form's Idempotency-Key, the CSRF check, the confirmation step's values."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from services.portal import forms
from services.portal.backends.base import Backend, BackendError, Refused
from services.portal.oidc import Tokens
from services.portal.sessions import Session


def _validation(*problems: tuple[str, str]) -> BackendError:
    return BackendError("awards", 422, "invalid_request", "the request is not valid",
                        {"errors": [{"where": w, "problem": p} for w, p in problems]})


def test_a_validation_refusal_lands_on_its_field_in_vietnamese_and_keeps_the_input() -> None:
    posted = {"csrf": "c", "idempotency_key": "k1", "year": "1800", "award_code": "BK_BT", "person_id": ["a", "b"]}
    form = forms.refused(_validation(("body.year", "Input should be greater than or equal to 1990"),
                                     ("body.candidates.0.subject_id", "Field required")),
                         posted, names={"subject_id": "person_id"})
    assert form.errors == {"year": "Phải lớn hơn hoặc bằng 1990.", "person_id": "Bắt buộc nhập."}
    assert form.message is None
    assert form.value("year") == "1800" and form.values_of("person_id") == ["a", "b"]
    assert "csrf" not in form.values and "idempotency_key" not in form.values
    assert form.key != "k1"  # a refused form is a new rendering: its next send is a new command


def test_a_rule_refusal_names_its_field_or_else_stands_above_the_form() -> None:
    rule = BackendError("awards", 422, "date_before_submission", "decided_on 2024-01-01 is before …",
                        {"field": "decided_on"})
    assert forms.refused(rule, {"decided_on": "01/01/2024"}).errors == {
        "decided_on": "Ngày này trước ngày đơn vị trình hồ sơ."}
    unknown = BackendError("awards", 422, "some_new_rule", "A rule the portal has no Vietnamese for", {})
    form = forms.refused(unknown, {"reason": "x"})
    assert form.errors == {} and form.message == "A rule the portal has no Vietnamese for"
    by_code = forms.refused(BackendError("awards", 422, "candidate_outside_unit", "…", {}), {"person_id": "p"},
                            names={"candidate_outside_unit": "person_id"})
    assert by_code.errors == {"person_id": "Người được đề nghị không thuộc đơn vị trình."}


async def test_a_command_carries_the_forms_key_and_a_refusal_keeps_its_details() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/refused":
            return httpx.Response(422, json={"code": "year_in_future", "message": "no", "details": {"field": "year"}})
        if request.url.path == "/forbidden":
            return httpx.Response(403, json={"code": "forbidden", "message": "role", "details": {}})
        return httpx.Response(201, json={"ok": True})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        backend = Backend("http://svc", http)
        assert await backend.post("tok", "/things", {"year": 2024}, idempotency_key="key-1") == {"ok": True}
        assert seen[-1].headers["idempotency-key"] == "key-1" and seen[-1].headers["authorization"] == "Bearer tok"
        assert json.loads(seen[-1].content) == {"year": 2024}
        await backend.upload("tok", "/files", {"kind": "report"}, ("a.pdf", b"%PDF-1.4", "application/pdf"), "key-2")
        assert seen[-1].headers["content-type"].startswith("multipart/form-data")
        assert b'name="kind"' in seen[-1].content and b"%PDF-1.4" in seen[-1].content
        with pytest.raises(BackendError) as refused:
            await backend.put("tok", "/refused", {}, idempotency_key="key-3")
        assert refused.value.status == 422 and refused.value.details == {"field": "year"}
        with pytest.raises(Refused):
            await backend.post("tok", "/forbidden", {}, idempotency_key="key-4")


def test_a_post_without_the_sessions_csrf_token_is_refused() -> None:
    s = Session("sid", Tokens("a", "r", "i", time.time() + 300, {"sub": "u"}))
    app = FastAPI()

    @app.post("/f")
    async def post(request: Request) -> dict[str, object]:
        try:
            return await forms.read(request, s)
        except forms.CsrfRefused as error:
            return {"refused": error.code}

    client = TestClient(app)
    assert client.post("/f", data={"csrf": "wrong", "x": "1"}).json() == {"refused": "csrf_failed"}
    assert client.post("/f", data={"csrf": s.csrf, "x": ["1", "2"], "y": "Đ"}).json() == {
        "csrf": s.csrf, "x": ["1", "2"], "y": "Đ"}


def test_confirmation_needs_the_second_post() -> None:
    assert not forms.confirmed({"reason": "x"})
    assert forms.confirmed({"reason": "x", "confirmed": "1"})


def test_a_refused_field_is_marked_invalid_and_its_message_linked() -> None:
    from services.portal.app import templates

    env = templates().env
    macros = env.get_template("macros.html").make_module({"session": None})
    form = forms.Form(values={"year": "1800"}, errors={"year": "Phải lớn hơn hoặc bằng 1990."})
    html = str(macros.field(form, "year", "Năm", type="number", hint="Năm khen thưởng"))
    assert 'aria-invalid="true"' in html and 'aria-describedby="year-hint year-error"' in html
    assert 'id="year-error"' in html and "Phải lớn hơn hoặc bằng 1990." in html and 'value="1800"' in html
    fresh = str(macros.field(forms.Form(), "year", "Năm", value="2025"))
    assert "aria-invalid" not in fresh and 'value="2025"' in fresh
