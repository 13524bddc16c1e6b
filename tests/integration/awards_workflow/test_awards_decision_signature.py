"""A decision signed by the approver (PAdES, the local test CA's certificate, from its PKCS#12 file or from a
SoftHSM2 token holding the same key): the signed PDF kept and its hash recorded (an event); the verification
endpoint and poppler's ``pdfsig`` find it valid, then not after one byte. A token that is not there: 503."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import httpx
import pytest

from kernel.settings import Settings
from services.awards.app import build
from services.awards.settings import AwardsSettings
from services.awards.signing import SigningKeys
from tdkt.stack.signing_ca import SIGNER_NAME, make_signing_files

from ...signing_token import approver_token
from ..awards.support import Publisher, unit, unit_grade
from .support import grant, nomination, nominee, ok

pytestmark = pytest.mark.integration

VTCCB, KH = "u-vtccb", "u-vtccb-kh"
PATH = "/decisions/BCT/2023/1520"


def _with(settings: Settings, **signing: object) -> AwardsSettings:
    return AwardsSettings(**{name: getattr(settings, name) for name in Settings.model_fields}, **signing)


@pytest.fixture
async def signing_service(start_service):  # type: ignore[no-untyped-def]
    """Start the awards service; its signing key released after the test (PKCS#11 logs in once per process:
    a token session left open would let the next one in without its PIN)."""
    opened: list[SigningKeys | None] = []

    def build_keeping(settings: AwardsSettings):  # type: ignore[no-untyped-def]
        app, service = build(settings)
        opened.append(app.state.signing_keys)
        return app, service

    async def start(settings: AwardsSettings) -> httpx.AsyncClient:
        return await start_service(build_keeping, settings)

    yield start
    for keys in opened:
        if keys is not None:
            keys.close()


@pytest.fixture(params=["pkcs12", "pkcs11"])
async def client(request: pytest.FixtureRequest, settings: Settings, signing_service,  # type: ignore[no-untyped-def]
                 tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> httpx.AsyncClient:
    """The awards service signing with the local stack's test CA's approver key: its PKCS#12 file, or the token."""
    if request.param == "pkcs11":
        token = approver_token(tmp_path_factory)[1]
        return await signing_service(_with(
            settings, signing_pkcs11_module=token.module, signing_pkcs11_token_label=token.token_label,
            signing_pkcs11_key_label=token.key_label, signing_pkcs11_pin_file=token.pin))
    files = make_signing_files(tmp_path / "signing")
    return await signing_service(_with(settings, signing_pkcs12_file=files.pkcs12,
                                       signing_password_file=files.password))


def _one_byte_changed(data: bytes) -> bytes:
    at = data.index(b"stream", len(data) // 4) + 20
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


async def _verify(client: httpx.AsyncClient, data: bytes) -> dict:
    response = await client.post("/signatures/verification", content=data, headers={"content-type": "application/pdf"})
    assert response.status_code == 200, response.text
    return response.json()


async def test_sign_keep_record_and_verify(client: httpx.AsyncClient, publish: Publisher, tmp_path: Path) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(KH, "VTCCB-KH", "Phòng Kế hoạch", kind="phong", parent_id=VTCCB),
        unit_grade(KH, 2022, "HTXS"), unit_grade(KH, 2023, "HTXS"),
    )
    await publish.settled(client)
    await ok(client, "/nominations", nomination("n-2023-bkbt", "BK_BT", 2023, VTCCB, [nominee("c-1", KH, "collective")],
                                                submitted_on=date(2023, 12, 5)))
    await ok(client, "/nominations/n-2023-bkbt/grants", grant(["c-1"], "1520/QĐ-BCT", date(2023, 12, 20)))

    response = await client.get(f"{PATH}/decision.signed.pdf")
    assert response.status_code == 404 and response.json()["code"] == "decision_not_signed"
    signed = await ok(client, f"{PATH}/signature")
    assert signed["decision_id"] == "qd-BCT-2023-1520" and signed["signer"] == SIGNER_NAME
    again = await client.post(f"{PATH}/signature")
    assert again.status_code == 409 and again.json()["code"] == "decision_already_signed"

    trail = await ok(client, f"/audit/{signed['decision_id']}", status=200, method="get")
    assert [e["event_type"] for e in trail["entries"]] == ["vn.tdkt.awards.decision.signed"]

    pdf = await client.get(signed["path"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == signed["sha256"]

    good = await _verify(client, pdf.content)
    assert good["ministry_signed"] and good["intact"] and good["trusted"] and good["recorded"], good
    assert good["signer"] == SIGNER_NAME and good["decision_id"] == "qd-BCT-2023-1520" and not good["problems"]
    changed = _one_byte_changed(pdf.content)
    bad = await _verify(client, changed)
    assert not bad["ministry_signed"] and not bad["intact"] and not bad["recorded"] and bad["problems"], bad
    unsigned = await _verify(client, (await client.get(f"{PATH}/decision.pdf")).content)
    assert not unsigned["ministry_signed"] and not unsigned["signed"], unsigned
    response = await client.post("/signatures/verification", content=b"PK\x03\x04 not a pdf",
                                 headers={"content-type": "application/pdf"})
    assert response.status_code == 422 and response.json()["code"] == "not_a_pdf"

    if shutil.which("pdfsig"):  # the independent verifier (poppler-utils; scripts/setup installs it)
        for name, data, expected in (("signed.pdf", pdf.content, "Signature is Valid."),
                                     ("changed.pdf", changed, "Digest Mismatch.")):
            (tmp_path / name).write_bytes(data)
            report = subprocess.run(["pdfsig", str(tmp_path / name)], capture_output=True, text=True, timeout=60)
            assert f"Signature Validation: {expected}" in report.stdout, report.stdout


async def test_without_a_certificate_signing_says_so(settings: Settings, start_service) -> None:  # type: ignore[no-untyped-def]
    plain = await start_service(build, settings)
    response = await plain.post(f"{PATH}/signature")
    assert response.status_code == 422 and response.json()["code"] == "signing_not_configured", response.text


async def test_a_token_not_there_answers_503_and_changes_nothing(  # type: ignore[no-untyped-def]
        settings: Settings, signing_service, publish: Publisher, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The service starts without its token (the rest of it works); signing answers 503 with the common error
    body and records nothing; verification still answers, against the trust file."""
    files, token = approver_token(tmp_path_factory)
    client = await signing_service(_with(
        settings, signing_pkcs11_module=token.module, signing_pkcs11_token_label="tdkt-not-plugged-in",
        signing_pkcs11_key_label=token.key_label, signing_pkcs11_pin_file=token.pin,
        signing_trust_file=files.ca_certificate))
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       unit(KH, "VTCCB-KH", "Phòng Kế hoạch", kind="phong", parent_id=VTCCB),
                       unit_grade(KH, 2022, "HTXS"), unit_grade(KH, 2023, "HTXS"))
    await publish.settled(client)
    await ok(client, "/nominations", nomination("n-2023-bkbt", "BK_BT", 2023, VTCCB, [nominee("c-1", KH, "collective")],
                                                submitted_on=date(2023, 12, 5)))
    await ok(client, "/nominations/n-2023-bkbt/grants", grant(["c-1"], "1520/QĐ-BCT", date(2023, 12, 20)))

    response = await client.post(f"{PATH}/signature")
    assert response.status_code == 503, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "signing_unavailable", body
    assert "'tdkt-not-plugged-in'" in body["message"] and response.headers["retry-after"] == "30", body
    assert body["details"] == {"token": "label 'tdkt-not-plugged-in'"}
    trail = await client.get("/audit/qd-BCT-2023-1520")  # no event on the decision's signature stream
    assert trail.status_code == 404 and trail.json()["code"] == "record_not_found", trail.text
    assert (await client.get(f"{PATH}/decision.signed.pdf")).status_code == 404

    unsigned = (await client.get(f"{PATH}/decision.pdf")).content
    answer = await _verify(client, unsigned)
    assert not answer["ministry_signed"] and not answer["signed"], answer
