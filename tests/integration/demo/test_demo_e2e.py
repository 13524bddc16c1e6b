"""End to end: the article's story played through the real stack gives the article's 2023 figures.

A stack of its own (Kafka, PostgreSQL and every service as processes, as ``tdkt demo`` runs them), the
scenario at the smallest size that holds the article's figures, then the reporting service's answers:
``GET /summaries/2023`` must show exactly what the Ministry proposed and granted in 2023, its paragraph
must name every count, and the 2024 targets must have their outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from rich.console import Console

from tdkt.demo import print_results, signer
from tdkt.demo_data import ARTICLE_2023, ARTICLE_PARAGRAPH_2023, MIN_STAFF
from tdkt.scenario import (
    PlainReporter,
    ScenarioOptions,
    ScenarioResult,
    article_figures,
    play_scenario,
    summary_figures,
)
from kernel.auth import Role
from tdkt.stack.launcher import Stack

from ..stacks import own_stack

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

OPTIONS = ScenarioOptions(seed=2024, staff=MIN_STAFF, history_from=2021, background=False, summary_timeout=240)
"""The smallest ministry that holds the article's figures; unit-level titles from 2021 (what the chains need)."""


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """A whole stack of processes in a temporary folder (the session's stack runs no services)."""
    with own_stack("demo e2e") as running:
        yield running


@pytest.fixture(scope="module")
def played(stack: Stack) -> ScenarioResult:
    """The scenario, played once for the module's tests."""
    reporter = PlainReporter()
    result = asyncio.run(play_scenario(stack.service_urls, signer(stack), OPTIONS, reporter=reporter))
    print(f"[demo e2e] scenario in {result.seconds:.1f} s: "
          + ", ".join(f"{t.label} {t.seconds:.1f} s" for t in result.timings))
    return result


def _get(stack: Stack, service: str, path: str) -> dict:
    headers = {"authorization": f"Bearer {stack.token(Role.READER, subject='e2e-reader')}"}
    return httpx.get(f"{stack.service_urls[service]}{path}", timeout=30, headers=headers).json()


def _summary(stack: Stack) -> dict:
    # Read again from the service, not from what the scenario kept: the test checks the live answer.
    return _get(stack, "reporting", "/summaries/2023")


def test_the_2023_figures_are_the_articles(stack: Stack, played: ScenarioResult) -> None:
    summary = _summary(stack)
    assert summary_figures(summary) == article_figures(ARTICLE_2023)
    proposed = {(i["award_code"], i["to_authority"]) for i in summary["proposed"]}
    assert proposed == {("NGND", "president"), ("NGUT", "president"), ("HCLD_3", "president"),
                        ("BK_TTG", "prime_minister"), ("KNC_GD", "other_ministry")}
    assert summary["totals"]["proposed"] == {"individuals": 95, "collectives": 1, "households": 0, "revoked": 0}


def test_the_paragraph_names_every_count_as_the_article_does(stack: Stack, played: ScenarioResult) -> None:
    paragraph = _summary(stack)["paragraph_vi"]
    for count in ("Nhà giáo nhân dân cho 2 cá nhân", "Nhà giáo ưu tú cho 3 cá nhân",
                  "Huân chương Lao động hạng Ba cho 1 tập thể, 3 cá nhân",
                  "Bằng khen của Thủ tướng Chính phủ cho 9 cá nhân",
                  "Kỷ niệm chương “Vì sự nghiệp giáo dục” cho 78 cá nhân",
                  "Bằng khen của Bộ trưởng Bộ Công Thương cho 68 tập thể, 214 cá nhân",
                  "Chiến sĩ thi đua Bộ Công Thương cho 87 cá nhân",
                  "Kỷ niệm chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam” cho 83 cá nhân"):
        assert count in paragraph
    assert paragraph == ARTICLE_PARAGRAPH_2023


def test_what_the_higher_authorities_conferred_is_reported_apart(stack: Stack, played: ScenarioResult) -> None:
    summary = _summary(stack)
    conferred = {i["award_code"]: (i["individuals"], i["collectives"]) for i in summary["conferred_by_higher"]}
    assert conferred == {"NGND": (2, 0), "NGUT": (3, 0), "HCLD_3": (3, 1), "BK_TTG": (9, 0), "KNC_GD": (78, 0)}
    assert "cấp có thẩm quyền đã quyết định tặng" in summary["paragraph_conferred_vi"]


def test_the_2024_targets_are_final_and_met(played: ScenarioResult) -> None:
    by_id = {t.target_id: t for t in played.targets}
    assert set(by_id) == {"ct-2024-don-vi-htt", "ct-2024-cbccvc-htt", "ct-2024-hoc-tap"}
    assert all(t.status == "met" for t in by_id.values()), by_id
    staff = by_id["ct-2024-cbccvc-htt"]
    assert staff.denominator == MIN_STAFF and staff.share_percent is not None and staff.share_percent >= 95


def test_the_pledge_has_the_articles_five_contents(stack: Stack, played: ScenarioResult) -> None:
    pledge = _get(stack, "campaigns", "/pledges/gu-2024-bct-cdbct")
    assert [c["number"] for c in pledge["clauses"]] == [1, 2, 3, 4, 5]
    assert pledge["clauses"][0]["text"].startswith("Vận động cán bộ, công chức, viên chức và người lao động")
    assert set(pledge["parties"]) == {"Lãnh đạo Bộ Công Thương", "Công đoàn Bộ Công Thương"}
    assert pledge["status"] == "final_reviewed" and pledge["result_counts"].get("achieved") == 5


def test_a_second_run_on_the_same_stack_only_reads_the_results(stack: Stack, played: ScenarioResult) -> None:
    again = asyncio.run(play_scenario(stack.service_urls, signer(stack), OPTIONS,
                                      reporter=PlainReporter(quiet=True)))
    assert again.already_played
    assert summary_figures(again.summary) == article_figures(ARTICLE_2023)


def test_the_demo_prints_the_figures_the_pledge_and_the_targets(played: ScenarioResult) -> None:
    console = Console(record=True, width=240, color_system=None)
    print_results(console, played)
    text = console.export_text()
    assert text.count("✓") == len(ARTICLE_2023) and "✗" not in text
    assert ARTICLE_PARAGRAPH_2023 in text
    for number, clause in enumerate(played.pledge["clauses"], start=1):
        assert f"{number}. {clause['text']}" in text
    assert text.count("đạt") >= 3 and "không đạt" not in text


def test_the_council_is_told_of_the_votes_waiting_and_every_mail_arrives_once(stack: Stack, played: ScenarioResult
                                                                              ) -> None:
    import email
    import email.policy
    import time

    import asyncpg

    from tdkt.stack.launcher import database_name

    assert stack.smtp is not None and stack.postgres is not None

    async def mail_status() -> dict[str, int]:
        conn = await asyncpg.connect(stack.postgres.url(database_name("notifications")))  # type: ignore[union-attr]
        try:
            rows = await conn.fetch("SELECT status, count(*) AS n FROM mails GROUP BY status")
        finally:
            await conn.close()
        return {r["status"]: r["n"] for r in rows}

    url = stack.service_urls["notifications"]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # every event consumed, every mail handed over
        consumers = httpx.get(f"{url}/health", timeout=10).json()["consumers"]
        lag = sum(consumers["notifications-events"]["lag"].values())
        status = asyncio.run(mail_status())
        if lag == 0 and not status.get("pending") and not status.get("sending"):
            break
        time.sleep(1)
    headers = {"authorization": f"Bearer {stack.token(Role.COUNCIL_MEMBER, subject='hoidong')}"}
    mine = httpx.get(f"{url}/notifications", params={"limit": 500}, headers=headers, timeout=30).json()
    assert mine["total"] > 0 and {n["kind"] for n in mine["items"]} == {"vote_waiting"}, mine["total"]
    status = asyncio.run(mail_status())
    ids = [str(email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Message-ID"])
           for p in stack.smtp.maildir.glob("*.eml")]
    print(f"[demo e2e] notifications mailed: {status}; the council member's: {mine['total']}")
    assert status == {"sent": len(ids)} and len(set(ids)) == len(ids), status


def test_the_2023_ministry_round_carries_its_dossiers_files(stack: Stack, played: ScenarioResult) -> None:
    import io

    import pypdf

    headers = {"authorization": f"Bearer {stack.token(Role.EMULATION_OFFICE, subject='e2e-office')}"}
    url = stack.service_urls["awards"]
    filed = [n for n in played.ministry.nominations if n.year == 2023 and n.level != "unit"]
    assert filed
    files = 0
    reports = []
    for n in filed:
        dossier = httpx.get(f"{url}/nominations/{n.nomination_id}/dossier", headers=headers, timeout=30).json()
        assert dossier["completeness"]["missing"] == [], (n.nomination_id, dossier["completeness"]["missing"])
        assert {d["versions"][0]["media_type"] for d in dossier["documents"]} == {"application/pdf"}
        files += len(dossier["documents"])
        reports.extend((n, d) for d in dossier["documents"])
    # A file is a real PDF whose text is the nomination's, in Vietnamese: an achievement report (not every kind of
    # dossier asks for one — a one-off award's has its short report and attestation).
    reported = next((n, d) for n, d in reports if d["kind"] == "bao_cao_thanh_tich")
    content = httpx.get(f"{url}{reported[1]['versions'][0]['download']}", headers=headers, timeout=30).content
    text = pypdf.PdfReader(io.BytesIO(content), strict=True).pages[0].extract_text()
    assert "BÁO CÁO THÀNH TÍCH" in text and reported[0].nomination_id in text, text
    print(f"[demo e2e] 2023 Ministry round: {len(filed)} dossiers, {files} files")


@pytest.mark.timeout(1800)  # the scenario (when this test is the first to need it) and 365 downloads, on a busy machine
def test_every_decision_of_the_demo_downloads(stack: Stack, played: ScenarioResult) -> None:
    """Every decision the Ministry or a unit head took in the demo, listed by year, opens by its issuer, year and
    number — even where its number was used again in another year (numbers restart every year)."""
    import io

    from docx import Document

    from services.awards.workflow import docx_text

    headers = {"authorization": f"Bearer {stack.token(Role.READER, subject='e2e-reader')}"}
    url = stack.service_urls["awards"]
    listed = [d for year in range(2010, 2026)
              for d in httpx.get(f"{url}/decisions", params={"year": year}, headers=headers, timeout=30).json()]
    numbers = [d["decision_number"] for d in listed]
    repeated = {n for n in numbers if numbers.count(n) > 1}
    print(f"[demo e2e] {len(listed)} decisions, {len(repeated)} numbers used in more than one year")
    assert listed and all(d["issuer"] for d in listed)
    for d in listed:
        response = httpx.get(f"{url}{d['path']}/decision.docx", params={"award_code": d["award_code"]},
                             headers=headers, timeout=600)
        assert response.status_code == 200, (d, response.text[:300])
        Document(io.BytesIO(response.content))
        assert f"Số: {d['decision_number']}" in docx_text(response.content)
    if repeated:  # the number alone names several decisions: the refusal says where each one is
        number = sorted(repeated)[0]
        response = httpx.get(f"{url}/decisions/{number}/decision.docx", headers=headers, timeout=30)
        assert response.status_code == 422 and response.json()["code"] == "decision_ambiguous"
        assert len(response.json()["details"]["paths"]) == len({d["year"] for d in listed
                                                                if d["decision_number"] == number})


@pytest.mark.timeout(1800)
def test_a_decision_of_the_demo_is_signed_and_pdfsig_says_valid(stack: Stack, played: ScenarioResult,
                                                                tmp_path_factory: pytest.TempPathFactory) -> None:
    """The local stack signs with its own test CA's approver certificate: a 2023 decision of the Minister signed,
    poppler's pdfsig finds the signature valid, and a digest mismatch once one byte changes."""
    import shutil
    import subprocess

    url = stack.service_urls["awards"]
    approver = {"authorization": f"Bearer {stack.token(Role.APPROVER, subject='e2e-approver')}"}
    listed = httpx.get(f"{url}/decisions", params={"year": 2023}, headers=approver, timeout=30).json()
    decision = next(d for d in listed if d["issuer"] == "BCT")
    signed = httpx.post(f"{url}{decision['path']}/signature", params={"award_code": decision["award_code"]},
                        headers=approver, timeout=120)
    assert signed.status_code == 201, signed.text
    pdf = httpx.get(f"{url}{signed.json()['path']}", headers=approver, timeout=30).content
    changed = bytearray(pdf)
    changed[pdf.index(b"stream", len(pdf) // 4) + 20] ^= 0x01
    for data, expected in ((pdf, True), (bytes(changed), False)):
        answer = httpx.post(f"{url}/signatures/verification", content=data, timeout=60,
                            headers={**approver, "content-type": "application/pdf"}).json()
        assert answer["ministry_signed"] is expected, answer
    assert shutil.which("pdfsig"), "poppler-utils is missing: scripts/setup installs it"
    folder = tmp_path_factory.mktemp("signed")
    for name, data, expected in (("signed.pdf", pdf, "Signature is Valid."), ("changed.pdf", bytes(changed),
                                                                               "Digest Mismatch.")):
        (folder / name).write_bytes(data)
        report = subprocess.run(["pdfsig", str(folder / name)], capture_output=True, text=True, timeout=60).stdout
        assert f"Signature Validation: {expected}" in report, report
