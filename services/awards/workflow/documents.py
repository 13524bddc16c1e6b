"""Documents of a decision, generated as DOCX in Vietnamese, ready to be signed.

- :func:`render_decision`: the decision (quyết định khen thưởng) — the draft
  (dự thảo) before it has a number, or the final text — with its annex, the
  list of recipients (STT, Họ và tên / Tên tập thể, Đơn vị, Thành tích);
- :func:`render_certificate` / :func:`render_certificates`: one certificate
  (Bằng khen, Giấy khen, Giấy chứng nhận danh hiệu) per recipient.

They take a :class:`DecisionDocument`, built from a nomination before the
decision (:func:`decision_from_nomination`) or from the award events of a
decision (:func:`decision_from_awards`), and return the file's bytes. No I/O:
the caller stores or sends the bytes.

Layout follows the administrative-document rules (Nghị định 30/2020/NĐ-CP
on văn thư): the issuer and the national motto side by side, number and
place-date line, title, legal bases, articles, recipients and signature
block; Times New Roman 13–14 pt on A4. The heading and the signature block
are those every administrative document shares (:mod:`.admin_layout`; the
tờ trình, :mod:`.submission`, prints them too). Only the Ministry's own decisions are
produced here: those of the Prime Minister or the President are their
offices' documents.

python-docx writes plain Unicode: names keep their diacritics (NFC, as the
contracts normalise them) and read back exactly.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from pydantic import Field
from tdkt_contracts.catalogue.awards import AwardGranted, AwardKind, Category, TitleConferred
from tdkt_contracts.vocabulary import RecipientKind, Sex

from ..domain.base import DomainModel
from ..domain.bundles import OrgChart
from ..domain.timespan import year_end
from .admin_layout import (
    MINISTRY,
    QUOC_HIEU,
    TIEU_NGU,
    Issuer,
    cell,
    date_line,
    docx_bytes,
    docx_heading,
    docx_signature,
    new_docx,
    number_line,
    para,
    runs,
    short_date,
    two_digits,
)
from .nomination import NominationState
from .paths import path_for

class RecipientDetails(DomainModel):
    """What the documents show of a recipient beyond the events: from the units replica or the office."""

    honorific: str | None = Field(default=None, description="'Ông' or 'Bà' for a person (see honorific()).")
    position: str | None = Field(default=None, description="Chức vụ, e.g. 'Chuyên viên chính'.")
    unit_name: str | None = Field(default=None, description="Đơn vị, e.g. 'Vụ Tổ chức cán bộ'.")
    achievement: str | None = Field(default=None, description="Thành tích; by default the path's wording.")


class DocumentRecipient(DomainModel):
    """One line of the annex and one certificate."""

    candidate_id: str
    award_id: str | None = None
    recipient_kind: RecipientKind
    name: str
    honorific: str | None = None
    position: str | None = None
    unit_name: str | None = None
    achievement: str

    @property
    def addressed(self) -> str:
        """'Ông Nguyễn Văn An' for a person with a known honorific; the name otherwise."""
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def where(self) -> str:
        """Position and unit, e.g. 'Chuyên viên chính, Vụ Tổ chức cán bộ'."""
        return ", ".join(p for p in (self.position, self.unit_name) if p)


class AwardDocument(DomainModel):
    """What every document about one title or award prints: who issues it, the award, the legal bases, the signer."""

    issuer: Issuer = MINISTRY
    year: int
    award_code: str
    award_name: str
    award_kind: AwardKind
    category: Category
    legal_bases: tuple[str, ...]
    signer_name: str | None = None


class DecisionDocument(AwardDocument):
    """Everything the decision and its certificates print."""

    decision_number: str | None = Field(default=None, description="None in a draft not yet numbered.")
    decision_date: date | None = Field(default=None, description="None in a draft not yet dated.")
    recipients: tuple[DocumentRecipient, ...] = Field(min_length=1)
    proposed_by: str = Field(default="Vụ trưởng Vụ Tổ chức cán bộ")
    cash_multiple: float | None = None

    @property
    def is_draft(self) -> bool:
        """True until the decision has its number."""
        return self.decision_number is None


def honorific(sex: Sex | str | None) -> str | None:
    """'Ông' for a man, 'Bà' for a woman, None when unknown."""
    if sex is None:
        return None
    return "Ông" if Sex(sex) is Sex.MALE else "Bà"


def default_legal_bases(on: date) -> tuple[str, ...]:
    """The law and decree a decision signed on ``on`` cites (rules.md §1); override for other bases.

    The Ministry's organisation decree is not included: it changed with the
    2025 reorganisation and is the office's to supply.
    """
    if on < date(2024, 1, 1):
        return (
            "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của "
            "Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Thi đua, khen thưởng;",
        )
    decree = (
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
        "một số điều của Luật Thi đua, khen thưởng;"
        if on < date(2025, 7, 1)
        else "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết "
        "Luật Thi đua, khen thưởng;"
    )
    return ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", decree)


# --------------------------------------------------------------------------- building the data


def achievement_text(category: str, year: int) -> str:
    """The achievement a commendation of ``category`` in ``year`` names, in the path's wording."""
    return path_for(category).achievement_vi.format(year=year)


def document_recipient(
    candidate_id: str,
    award_id: str | None,
    kind: RecipientKind,
    name: str,
    subject_id: str,
    unit_id: str | None,
    *,
    category: str,
    year: int,
    details: Mapping[str, RecipientDetails],
    unit_names: Mapping[str, str],
) -> DocumentRecipient:
    """One line of a list: the events' name, and what ``details`` and ``unit_names`` (the units replica) add."""
    extra = details.get(subject_id) or RecipientDetails()
    unit_name = extra.unit_name
    if unit_name is None and unit_id is not None and kind is RecipientKind.INDIVIDUAL:
        unit_name = unit_names.get(unit_id)
    return DocumentRecipient(
        candidate_id=candidate_id,
        award_id=award_id,
        recipient_kind=kind,
        name=name,
        honorific=extra.honorific if kind is RecipientKind.INDIVIDUAL else None,
        position=extra.position,
        unit_name=unit_name,
        achievement=extra.achievement or achievement_text(category, year),
    )


def decision_from_nomination(
    nomination: NominationState,
    candidate_ids: Sequence[str],
    *,
    decision_number: str | None = None,
    decision_date: date | None = None,
    signer_name: str | None = None,
    cash_multiple: float | None = None,
    issuer: Issuer = MINISTRY,
    details: Mapping[str, RecipientDetails] | None = None,
    unit_names: Mapping[str, str] | None = None,
    legal_bases: Sequence[str] | None = None,
    proposed_by: str | None = None,
    drafted_on: date | None = None,
) -> DecisionDocument:
    """The draft decision (dự thảo) for some candidates of a nomination, before the grant.

    ``details`` and ``unit_names`` (by subject id and unit id) come from the
    units replica; without them the annex shows the names only. The legal
    bases default to those in force on the decision date, else on
    ``drafted_on`` (the handler's today), else on 31 December of the year.
    """
    recipients = []
    for cid in candidate_ids:
        cand = nomination.candidate(cid)
        if cand is None:
            raise KeyError(cid)
        c = cand.candidate
        recipients.append(
            document_recipient(
                c.candidate_id,
                None,
                c.recipient_kind,
                c.display_name,
                c.subject_id,
                c.unit_id,
                category=nomination.category,
                year=nomination.year,
                details=details or {},
                unit_names=unit_names or {},
            )
        )
    return DecisionDocument(
        issuer=issuer,
        decision_number=decision_number,
        decision_date=decision_date,
        year=nomination.year,
        award_code=nomination.award_code,
        award_name=nomination.award_name,
        award_kind=nomination.award_kind,
        category=nomination.category,
        recipients=tuple(recipients),
        legal_bases=tuple(legal_bases or default_legal_bases(decision_date or drafted_on or year_end(nomination.year))),
        proposed_by=proposed_by or DecisionDocument.model_fields["proposed_by"].default,
        signer_name=signer_name,
        cash_multiple=cash_multiple,
    )


def decision_from_awards(
    awards: Iterable[AwardGranted | TitleConferred],
    *,
    signer_name: str | None = None,
    issuer: Issuer = MINISTRY,
    details: Mapping[str, RecipientDetails] | None = None,
    unit_names: Mapping[str, str] | None = None,
    legal_bases: Sequence[str] | None = None,
    proposed_by: str | None = None,
) -> DecisionDocument:
    """The decision as granted: the award events of one decision (same number, code and year).

    ``signer_name`` defaults to the events' ``signer``. Raises ValueError
    when the events belong to different decisions.
    """
    events = list(awards)
    if not events:
        raise ValueError("no award events")
    first = events[0]
    keys = {(e.decision_number, e.decision_date, e.award_code, e.year, e.category) for e in events}
    if len(keys) != 1:
        raise ValueError(f"the awards belong to {len(keys)} different decisions")
    recipients = tuple(
        document_recipient(
            e.recipient.candidate_id,
            e.award_id,
            e.recipient.recipient_kind,
            e.recipient.display_name,
            e.recipient.subject_id,
            e.recipient.unit_id,
            category=e.category,
            year=e.year,
            details=details or {},
            unit_names=unit_names or {},
        )
        for e in events
    )
    return DecisionDocument(
        issuer=issuer,
        decision_number=first.decision_number,
        decision_date=first.decision_date,
        year=first.year,
        award_code=first.award_code,
        award_name=first.award_name,
        award_kind="title" if isinstance(first, TitleConferred) else "award",
        category=first.category,
        recipients=recipients,
        legal_bases=tuple(legal_bases or default_legal_bases(first.decision_date)),
        proposed_by=proposed_by or DecisionDocument.model_fields["proposed_by"].default,
        signer_name=signer_name if signer_name is not None else _signer_name(first.signer),
        cash_multiple=first.cash_multiple,
    )


def _signer_name(signer: str | None) -> str | None:
    # The events carry "Bộ trưởng Nguyễn Hồng Diên"; the signature block prints the title above the name.
    if signer is None:
        return None
    for title in ("Bộ trưởng ", "Thứ trưởng ", "Thủ trưởng "):
        if signer.startswith(title):
            return signer[len(title) :]
    return signer


# --------------------------------------------------------------------------- wording


def decimal_vi(value: float) -> str:
    """``1,5``: one decimal, the Vietnamese decimal comma."""
    return f"{value:.1f}".replace(".", ",")


def _number_line(doc: DecisionDocument) -> str:
    return number_line(doc.decision_number, "QĐ", doc.issuer)


def award_phrase(doc: AwardDocument) -> str:
    """``danh hiệu Chiến sĩ thi đua cấp Bộ`` for a title; the award's name otherwise."""
    return f"danh hiệu {doc.award_name}" if doc.award_kind == "title" else doc.award_name


def _subject_line(doc: DecisionDocument) -> str:
    suffix = f" năm {doc.year}" if doc.award_kind == "title" else ""
    return f"Về việc tặng {award_phrase(doc)}{suffix}"


ANNEX_KINDS = (
    (RecipientKind.INDIVIDUAL, "CÁ NHÂN", "cá nhân"),
    (RecipientKind.COLLECTIVE, "TẬP THỂ", "tập thể"),
    (RecipientKind.HOUSEHOLD, "HỘ GIA ĐÌNH", "hộ gia đình"),
)
"""The kinds of recipient in the order a decision (and a tờ trình) lists them, with their words."""


def _by_kind(recipients: Sequence[DocumentRecipient]) -> list[tuple[str, str, list[DocumentRecipient]]]:
    """(upper, lower, recipients) of each kind present, in the decision's order."""
    found = [(upper, lower, [r for r in recipients if r.recipient_kind is kind]) for kind, upper, lower in ANNEX_KINDS]
    return [item for item in found if item[2]]


def recipient_counts(recipients: Sequence[DocumentRecipient]) -> str:
    """How many of each kind: ``03 cá nhân và 01 tập thể``; of three, ``01 cá nhân, 01 tập thể và 01 hộ gia đình``."""
    parts = [f"{two_digits(len(members))} {lower}" for _, lower, members in _by_kind(recipients)]
    return " và ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def kinds_upper(recipients: Sequence[DocumentRecipient]) -> str:
    """``CÁ NHÂN``, ``TẬP THỂ``, ``HỘ GIA ĐÌNH`` or several, as a list's heading names who it holds."""
    return ", ".join(upper for upper, _, _ in _by_kind(recipients))


def decision_reference(doc: DecisionDocument) -> str:
    """``Quyết định số 1520/QĐ-BCT ngày 20/12/2023``: how a certificate names its decision."""
    number = doc.decision_number or f"      /QĐ-{doc.issuer.symbol}"
    day = doc.decision_date
    when = f"ngày {short_date(day)}" if day else "ngày      /     /       "
    return f"Quyết định số {number} {when}"


# --------------------------------------------------------------------------- the decision


def render_decision(doc: DecisionDocument) -> bytes:
    """The decision with its annex (danh sách kèm theo), as DOCX bytes; a draft when it has no number yet."""
    subject = _subject_line(doc)
    title = ("Dự thảo quyết định " if doc.is_draft else "Quyết định ") + subject[0].lower() + subject[1:]
    document = new_docx(title, doc.issuer, doc.decision_date)
    if doc.is_draft:
        para(document, "DỰ THẢO", bold=True, size=12, align="right")
    docx_heading(document, doc.issuer, _number_line(doc), date_line(doc.issuer.place, doc.decision_date))
    para(document, "QUYẾT ĐỊNH", bold=True, align="center", space_after=0)
    para(document, _subject_line(doc), bold=True, align="center")
    para(document, "")
    para(document, doc.issuer.decider_title, bold=True, align="center")
    for basis in doc.legal_bases:
        para(document, basis, italic=True, align="justify", indent=True)
    para(document, f"Theo đề nghị của {doc.proposed_by}.", italic=True, align="justify", indent=True)
    para(document, "QUYẾT ĐỊNH:", bold=True, align="center")
    for heading, text in decision_articles(doc):
        article = document.add_paragraph()
        runs(article, [(heading + " ", True, False), (text, False, False)])
        article.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        article.paragraph_format.first_line_indent = Mm(10)
    docx_signature(document, doc.issuer, doc.signer_name, ("Như Điều 3;", doc.issuer.filing))
    _annex(document, doc)
    return docx_bytes(document)


class HeadingTexts(NamedTuple):
    """The heading's words, the same in the DOCX and the PDF."""

    number_line: str
    date_line: str
    subject_line: str


def heading_texts(doc: DecisionDocument) -> HeadingTexts:
    """``Số: 1520/QĐ-BCT``, ``Hà Nội, ngày 20 tháng 12 năm 2024``, ``Về việc tặng …``."""
    return HeadingTexts(_number_line(doc), date_line(doc.issuer.place, doc.decision_date), _subject_line(doc))


def decision_articles(doc: DecisionDocument) -> list[tuple[str, str]]:
    """The decision's articles (Điều 1–3) as (heading, text): the same words in the DOCX and the PDF."""
    achievement = achievement_text(doc.category, doc.year)
    cash = (
        f"Kèm theo {award_phrase(doc)}, mỗi cá nhân, tập thể được thưởng {decimal_vi(doc.cash_multiple)} lần "
        "mức lương cơ sở theo quy định của pháp luật về thi đua, khen thưởng"
        if doc.cash_multiple is not None
        else "Tiền thưởng thực hiện theo quy định của pháp luật về thi đua, khen thưởng"
    )
    return [
        ("Điều 1.", f"Tặng {award_phrase(doc)} cho {recipient_counts(doc.recipients)} có tên trong danh sách kèm theo, "
                    f"{achievement[0].lower()}{achievement[1:]}."),
        ("Điều 2.", f"{cash}; kinh phí chi từ {doc.issuer.fund}."),
        ("Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký. "
                    f"{doc.issuer.executors} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                    "Quyết định này./."),
    ]


def annex_heading(doc: DecisionDocument) -> tuple[str, str, str]:
    """The annex's three heading lines: DANH SÁCH, who receives what, and the decision it goes with."""
    day = doc.decision_date
    when = f"ngày {short_date(day)}" if day else "ngày      /     /       "
    number = doc.decision_number or f"      /QĐ-{doc.issuer.symbol}"
    return (
        "DANH SÁCH",
        f"{kinds_upper(doc.recipients)} ĐƯỢC TẶNG {award_phrase(doc).upper()}",
        f"(Kèm theo Quyết định số {number} {when} của {doc.issuer.decider_vi})",
    )


def annex_groups(doc: DecisionDocument) -> list[tuple[str | None, list[DocumentRecipient]]]:
    """The annex's rows: individuals, then collectives, then households; each group labelled (I., II., III.)
    only when more than one kind is present."""
    return recipient_groups(doc.recipients)


def recipient_groups(recipients: Sequence[DocumentRecipient]) -> list[tuple[str | None, list[DocumentRecipient]]]:
    """A list's rows by kind, in the decision's order; each group labelled only when more than one kind is present."""
    present = _by_kind(recipients)
    labelled = len(present) > 1
    return [(f"{numeral}. {upper}" if labelled else None, members)
            for numeral, (upper, _, members) in zip(("I", "II", "III"), present, strict=False)]


def annex_closing(doc: DecisionDocument) -> str:
    """The line under the annex's table."""
    return f"Danh sách có {recipient_counts(doc.recipients)}./."


def _annex(document: DocxDocument, doc: DecisionDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title, whom, reference = annex_heading(doc)
    para(document, title, bold=True, align="center", space_after=0)
    para(document, whom, bold=True, align="center", space_after=0)
    para(document, reference, italic=True, align="center")
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(12), Mm(55), Mm(55), Mm(43))
    for head, text, width in zip(
        table.rows[0].cells, ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích"), widths, strict=True
    ):
        head.width = width
        cell(head, [(text, True, False)])
    number = 0
    for label, members in annex_groups(doc):
        if label:
            row = table.add_row().cells
            merged = row[0].merge(row[3])
            cell(merged, [(label, True, False)], align="left")
        for recipient in members:
            number += 1
            row = table.add_row().cells
            for column, width in zip(row, widths, strict=True):
                column.width = width
            cell(row[0], [(str(number), False, False)])
            cell(row[1], [(recipient.addressed, False, False)], align="left")
            cell(row[2], [(recipient.where, False, False)], align="left")
            cell(row[3], [(recipient.achievement, False, False)], size=12, align="left")
    para(document, annex_closing(doc), italic=True, size=12)


# --------------------------------------------------------------------------- certificates

SHORT_HEADINGS: Mapping[str, str] = {"BK_BT": "BẰNG KHEN", "BK_TTG": "BẰNG KHEN", "GIAY_KHEN": "GIẤY KHEN"}
"""The large word a certificate prints for an award form; others print the award's name."""


def render_certificate(doc: DecisionDocument, recipient: DocumentRecipient) -> bytes:
    """The certificate of one recipient (Bằng khen … tặng Ông/Bà …), as DOCX bytes, landscape A4."""
    document = new_docx(f"{doc.award_name} — {recipient.name}", doc.issuer, doc.decision_date, landscape=True)
    para(document, QUOC_HIEU, bold=True, size=14, align="center", space_after=0)
    para(document, TIEU_NGU, bold=True, size=14, align="center")
    para(document, doc.issuer.decider_title, bold=True, size=18, align="center", space_after=0)
    if doc.award_kind == "title":
        para(document, "tặng danh hiệu", italic=True, size=16, align="center", space_after=0)
        para(document, doc.award_name.upper(), bold=True, size=28, align="center", space_after=0)
        para(document, f"Năm {doc.year}", bold=True, size=16, align="center")
    else:
        para(document, "tặng", italic=True, size=16, align="center", space_after=0)
        para(document, SHORT_HEADINGS.get(doc.award_code, doc.award_name.upper()), bold=True, size=36, align="center")
    para(document, recipient.addressed, bold=True, size=24, align="center", space_after=0)
    if recipient.where:
        para(document, recipient.where, size=16, align="center", space_after=0)
    para(document, recipient.achievement, italic=True, size=16, align="center")
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    cell(
        left,
        [
            (decision_reference(doc), False, False),
            (f"về việc tặng {award_phrase(doc)}", False, True),
            ("Số sổ vàng: ………", False, False),
        ],
        size=12,
    )
    signer_lines = [(date_line(doc.issuer.place, doc.decision_date), False, True)]
    signer_lines += [(line, True, False) for line in doc.issuer.signer_title.split("\n")]
    signer_lines += [("", False, False)] * 3 + [(doc.signer_name or "", True, False)]
    cell(right, signer_lines, size=14)
    return docx_bytes(document)


def render_certificates(doc: DecisionDocument) -> list[tuple[DocumentRecipient, bytes]]:
    """One certificate per recipient, in the annex's order."""
    return [(recipient, render_certificate(doc, recipient)) for recipient in doc.recipients]


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX in reading order, one per line: what a reader (or a test) sees."""
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
            continue
        for row in block.rows:
            seen: set[int] = set()
            for cell in row.cells:
                # A merged cell is returned once per grid column it spans; read it once.
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    lines.append(cell.text)
    return "\n".join(lines)


# --------------------------------------------------------------------------- issuers and printing

HEAD_TITLES = {
    "vu": "VỤ TRƯỞNG",
    "cuc": "CỤC TRƯỞNG",
    "tong_cuc": "TỔNG CỤC TRƯỞNG",
    "van_phong": "CHÁNH VĂN PHÒNG",
    "thanh_tra": "CHÁNH THANH TRA",
    "vien": "VIỆN TRƯỞNG",
    "truong": "HIỆU TRƯỞNG",
    "trung_tam": "GIÁM ĐỐC",
    "phong": "TRƯỞNG PHÒNG",
}
"""The head of a unit by its kind, as a unit's decision names its signer; others: Thủ trưởng."""


def unit_issuer(chart: OrgChart, unit_id: str | None, day: date) -> Issuer:
    """The issuer of a unit head's decision (Giấy khen, LĐTT, CSTĐCS): the unit, under the Ministry."""
    unit = chart.get(unit_id) if unit_id else None
    if unit is None:
        return Issuer(
            organisation="ĐƠN VỊ",
            parent="BỘ CÔNG THƯƠNG",
            symbol="ĐV",
            decider_title="THỦ TRƯỞNG ĐƠN VỊ",
            signer_title="THỦ TRƯỞNG",
            decider_vi="Thủ trưởng đơn vị",
            name_vi="Đơn vị",
        )
    name = unit.name_on(day)
    head = HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG")
    return Issuer(
        organisation=name.upper(),
        parent="BỘ CÔNG THƯƠNG",
        symbol=unit.code,
        decider_title=f"{head} {name.upper()}",
        signer_title=head,
        decider_vi=f"{head.capitalize()} {name}",
        name_vi=name,
        executors=f"Thủ trưởng các phòng, bộ phận thuộc {name}",
        filing="Lưu: VT.",
        fund=f"Quỹ thi đua, khen thưởng của {name}",
    )


def merge_docx(parts: Sequence[bytes], title: str) -> bytes:
    """One DOCX holding ``parts`` one after another, each from a new page (one file to print).

    The parts come from the same builder (same styles, one section each,
    no images), so their bodies can be copied as they are.
    """
    document = Document(io.BytesIO(parts[0]))
    body = document.element.body
    end = body.find(qn("w:sectPr"))
    for data in parts[1:]:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for child in Document(io.BytesIO(data)).element.body.iterchildren():
            if child.tag != qn("w:sectPr"):
                end.addprevious(copy.deepcopy(child))
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
