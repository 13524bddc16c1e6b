"""The dossier's files, pure: a type found in the content, versions, limits, and completeness by the law."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from tdkt_contracts.catalogue.awards import Candidate, DossierDocumentAttached, NominationSubmitted

from kernel.errors import DomainError
from services.awards.workflow.dossier import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    AttachFile,
    DossierLimits,
    DossierState,
    decide_attach,
    decide_override,
    dossier_id_for,
    sniff_media_type,
)
from services.awards.workflow.dossier_requirements import completeness, load_requirements, require_complete
from services.awards.workflow.nomination import NominationState

TODAY = date(2026, 3, 10)
LIMITS = DossierLimits(max_file_bytes=1000, max_dossier_bytes=2500)


def sniff(content: bytes) -> str | None:
    return sniff_media_type(content[:16], io.BytesIO(content))


def zipped(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def test_the_type_is_the_contents_never_the_name() -> None:
    assert sniff(b"%PDF-1.7\n...") == PDF
    assert sniff(b"\x89PNG\r\n\x1a\n....") == PNG
    assert sniff(b"\xff\xd8\xff\xe0..JFIF") == JPEG
    assert sniff(zipped("[Content_Types].xml", "word/document.xml")) == DOCX
    assert sniff(b"MZ\x90\x00" + b"\x00" * 60) is None  # a Windows executable, whatever it is called
    assert sniff(b"\x7fELF\x02\x01") is None
    assert sniff(zipped("[Content_Types].xml", "xl/workbook.xml")) is None  # a spreadsheet is a zip too
    assert sniff(b"PK\x03\x04 not really a zip") is None
    assert sniff(b"<html><script>") is None


def attach(state: DossierState, size: int, document_id: str = "doc-1", kind: str = "to_trinh",
           candidate_id: str | None = None) -> DossierState:
    cmd = AttachFile("n-1", document_id, kind, candidate_id, "Tờ trình", "tt.pdf", PDF, size, "0" * 64, "officer")
    [event] = decide_attach(state, cmd, candidate_ids={"c-1"}, limits=LIMITS, today=TODAY)
    return state.apply(event)


def test_a_replacement_is_a_new_version_and_every_version_counts_against_the_dossier() -> None:
    state = attach(DossierState(dossier_id_for("n-1")), 900)
    state = attach(state, 800)  # the same document again: version 2, version 1 kept
    assert [(v.document_id, v.version) for v in state.versions] == [("doc-1", 1), ("doc-1", 2)]
    assert state.version("doc-1").version == 2 and state.version("doc-1", 1).size_bytes == 900  # type: ignore[union-attr]
    assert [v.version for v in state.current()] == [2] and state.total_bytes == 1700
    with pytest.raises(DomainError) as file_error:
        attach(state, 1001, "doc-2")
    assert (file_error.value.code, file_error.value.status) == ("file_too_large", 413)
    with pytest.raises(DomainError) as full:
        attach(state, 801, "doc-2")
    assert (full.value.code, full.value.status) == ("dossier_too_large", 413)
    with pytest.raises(DomainError) as changed:
        attach(state, 10, "doc-1", kind="other")
    assert changed.value.code == "document_kind_changed"
    with pytest.raises(DomainError) as unknown:
        attach(state, 10, "doc-3", kind="bao_cao_thanh_tich", candidate_id="c-9")
    assert (unknown.value.code, unknown.value.status) == ("unknown_candidate", 404)


def nomination(code: str, category: str = "merit") -> NominationState:
    return NominationState.replay([NominationSubmitted(
        nomination_id="n-1", year=2025, award_code=code, award_name="x", award_kind="title", category=category,
        submitting_unit_id="u-1", submitted_on=TODAY,
        candidates=[Candidate(candidate_id="c-1", recipient_kind="individual", subject_id="p-1", display_name="An")],
    )], "n-1")


def files(*kinds: tuple[str, str | None]) -> DossierState:
    state = DossierState(dossier_id_for("n-1"))
    for i, (kind, candidate_id) in enumerate(kinds):
        state = state.apply(DossierDocumentAttached(
            dossier_id=state.dossier_id, nomination_id="n-1", document_id=f"d-{i}", version=1, kind=kind,
            candidate_id=candidate_id, title="t", file_name="f.pdf", media_type=PDF, size_bytes=1, sha256="0" * 64,
            attached_on=TODAY))
    return state


def test_the_initiative_certificate_is_required_of_an_emulation_fighter_per_candidate() -> None:
    rules = load_requirements()
    base = [("to_trinh", None), ("bao_cao_thanh_tich", "c-1"), ("bien_ban_hoi_dong", None)]
    found = completeness(rules, nomination("CSTDCS"), files(*base))
    assert [m.key for m in found.missing] == ["c-1: chung_nhan_sang_kien"] and not found.complete
    with pytest.raises(DomainError) as error:
        require_complete(found, "n-1", "the council")
    assert error.value.code == "dossier_incomplete" and "Điều 84" in error.value.details["missing"][0]["citation"]
    # A certificate for another candidate does not count; one for c-1 completes it.
    assert not completeness(rules, nomination("CSTDCS"), files(*base, ("chung_nhan_sang_kien", None))).complete
    assert completeness(rules, nomination("CSTDCS"), files(*base, ("chung_nhan_sang_kien", "c-1"))).complete
    # A Minister's certificate needs no initiative.
    assert completeness(rules, nomination("BK_BT"), files(*base)).complete


def test_an_unconfirmed_requirement_is_reported_but_never_blocks_alone() -> None:
    found = completeness(load_requirements(), nomination("HC_HUU_NGHI", "foreign"), files(("to_trinh", None)))
    assert [m.requirement.id for m in found.missing] == ["bao_cao_tom_tat_doi_ngoai"]
    assert all(m.requirement.confidence == "U" and not m.enforced for m in found.missing)
    assert found.complete and found.blocking == []
    require_complete(found, "n-1", "the council")  # no refusal


def test_a_one_off_dossier_needs_the_attestation_of_the_act() -> None:
    """Law 2022 Art. 84.2 (the legal review's reading, [S]): a short report and the attestation, per candidate."""
    found = completeness(load_requirements(), nomination("BK_BT", "one_off"), files(("to_trinh", None)))
    assert [m.key for m in found.blocking] == ["c-1: bao_cao_tom_tat", "c-1: xac_nhan_dot_xuat"]
    assert {m.requirement.citation for m in found.blocking} == {"Luật Thi đua, khen thưởng 2022, Điều 84, khoản 2"}
    assert {m.requirement.confidence for m in found.blocking} == {"S"}


def test_the_procedure_in_force_on_the_filing_day_decides() -> None:
    """A dossier filed before 2024 falls under NĐ 91/2017's dossier rule, which was not read: reported only."""
    filed_2023 = replace(nomination("CSTDCS"), year=2023, submitted_on=date(2023, 12, 4))
    found = completeness(load_requirements(), filed_2023, files())
    assert {m.requirement.id for m in found.missing} >= {"to_trinh_2017", "chung_nhan_sang_kien_2017"}
    assert found.complete and found.blocking == []


def test_the_two_readers_share_one_table() -> None:
    """The completeness check and the domain's required_documents read the same rows, citations included."""
    from awards_testkit import catalogue

    from services.awards.domain.procedure_checks import required_documents
    from services.awards.domain.vocabulary import CommendationCategory

    law = catalogue()
    rows = {r.id: r for r in load_requirements(law)}
    for needed in required_documents(law, "CSTD_TQ", CommendationCategory.MERIT, 2024):
        assert rows[needed.rule_id].citation == needed.citation.text_vi
        assert (rows[needed.rule_id].confidence != "U") is needed.confirmed


def test_an_override_covers_the_gaps_it_names() -> None:
    rules = load_requirements()
    state = files(("to_trinh", None), ("bien_ban_hoi_dong", None))
    found = completeness(rules, nomination("CSTDCS"), state)
    [event] = decide_override(state, "n-1", [m.key for m in found.blocking], "Chờ ký", by="office", today=TODAY)
    after = completeness(rules, nomination("CSTDCS"), state.apply(event))
    assert after.blocking == [] and not after.complete
    with pytest.raises(DomainError) as error:
        decide_override(state.apply(event), "n-1", [m.key for m in after.blocking], "x", by=None, today=TODAY)
    assert error.value.code == "override_not_needed"
