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
block; Times New Roman 13–14 pt on A4. Only the Ministry's own decisions are
produced here: those of the Prime Minister or the President are their
offices' documents.

python-docx writes plain Unicode: names keep their diacritics (NFC, as the
contracts normalise them) and read back exactly.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Literal, NamedTuple

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from pydantic import Field
from tdkt_contracts.catalogue.awards import AwardGranted, AwardKind, Category, TitleConferred
from tdkt_contracts.vocabulary import RecipientKind, Sex

from ..domain.base import DomainModel
from ..domain.bundles import OrgChart
from ..domain.timespan import year_end
from .nomination import NominationState
from .paths import path_for

FONT = "Times New Roman"


class Issuer(DomainModel):
    """Who issues the decision: the heading, the number's symbol and the signer's title."""

    organisation: str = Field(default="BỘ CÔNG THƯƠNG", description="Tên cơ quan ban hành, upper case.")
    parent: str | None = Field(default=None, description="Cơ quan chủ quản, for a unit's decision.")
    symbol: str = Field(default="BCT", description="Ký hiệu: the number reads '…/QĐ-BCT'.")
    place: str = Field(default="Hà Nội", description="Địa danh of the date line.")
    decider_title: str = Field(default="BỘ TRƯỞNG BỘ CÔNG THƯƠNG", description="Who decides, as the decision names it.")
    signer_title: str = Field(
        default="BỘ TRƯỞNG", description="Above the signature, one line each, e.g. 'KT. BỘ TRƯỞNG\\nTHỨ TRƯỞNG'."
    )
    decider_vi: str = Field(default="Bộ trưởng Bộ Công Thương", description="The decider in running text.")
    executors: str = Field(
        default="Chánh Văn phòng Bộ, Vụ trưởng Vụ Tổ chức cán bộ, Thủ trưởng các đơn vị có liên quan",
        description="Who carries out the decision (Điều 3), before the recipients.",
    )
    filing: str = Field(default="Lưu: VT, TCCB.", description="Last line of 'Nơi nhận'.")
    fund: str = Field(default="Quỹ thi đua, khen thưởng của Bộ Công Thương", description="Where the cash comes from.")


MINISTRY = Issuer()
"""The Minister of Industry and Trade (Bộ trưởng Bộ Công Thương)."""


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


class DecisionDocument(DomainModel):
    """Everything the decision and its certificates print."""

    issuer: Issuer = MINISTRY
    decision_number: str | None = Field(default=None, description="None in a draft not yet numbered.")
    decision_date: date | None = Field(default=None, description="None in a draft not yet dated.")
    year: int
    award_code: str
    award_name: str
    award_kind: AwardKind
    category: Category
    recipients: tuple[DocumentRecipient, ...] = Field(min_length=1)
    legal_bases: tuple[str, ...]
    proposed_by: str = Field(default="Vụ trưởng Vụ Tổ chức cán bộ")
    signer_name: str | None = None
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


def _achievement(category: str, year: int) -> str:
    return path_for(category).achievement_vi.format(year=year)


def _document_recipient(
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
        achievement=extra.achievement or _achievement(category, year),
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
            _document_recipient(
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
        _document_recipient(
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


def _two_digits(n: int) -> str:
    # Administrative style writes counts below ten with a leading zero: "02 cá nhân".
    return f"{n:02d}"


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _date_line(place: str, day: date | None) -> str:
    if day is None:
        return f"{place}, ngày      tháng      năm 20   "
    # Day and month below 10 take a leading zero for 1–2 (NĐ 30/2020, Appendix I): "ngày 05 tháng 02".
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


def _number_line(doc: DecisionDocument) -> str:
    if doc.decision_number:
        return f"Số: {doc.decision_number}"
    return f"Số:        /QĐ-{doc.issuer.symbol}"


def _award_phrase(doc: DecisionDocument) -> str:
    return f"danh hiệu {doc.award_name}" if doc.award_kind == "title" else doc.award_name


def _subject_line(doc: DecisionDocument) -> str:
    suffix = f" năm {doc.year}" if doc.award_kind == "title" else ""
    return f"Về việc tặng {_award_phrase(doc)}{suffix}"


ANNEX_KINDS = (
    (RecipientKind.INDIVIDUAL, "CÁ NHÂN", "cá nhân"),
    (RecipientKind.COLLECTIVE, "TẬP THỂ", "tập thể"),
    (RecipientKind.HOUSEHOLD, "HỘ GIA ĐÌNH", "hộ gia đình"),
)
"""The kinds of recipient in the order a decision lists them, with their words."""


def _by_kind(recipients: Sequence[DocumentRecipient]) -> list[tuple[str, str, list[DocumentRecipient]]]:
    """(upper, lower, recipients) of each kind present, in the decision's order."""
    found = [(upper, lower, [r for r in recipients if r.recipient_kind is kind]) for kind, upper, lower in ANNEX_KINDS]
    return [item for item in found if item[2]]


def _counts(recipients: Sequence[DocumentRecipient]) -> str:
    """How many of each kind: "03 cá nhân và 01 tập thể"; of three, "01 cá nhân, 01 tập thể và 01 hộ gia đình"."""
    parts = [f"{_two_digits(len(members))} {lower}" for _, lower, members in _by_kind(recipients)]
    return " và ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def _kinds_upper(recipients: Sequence[DocumentRecipient]) -> str:
    return ", ".join(upper for upper, _, _ in _by_kind(recipients))


def decision_reference(doc: DecisionDocument) -> str:
    """``Quyết định số 1520/QĐ-BCT ngày 20/12/2023``: how a certificate names its decision."""
    number = doc.decision_number or f"      /QĐ-{doc.issuer.symbol}"
    day = doc.decision_date
    when = f"ngày {day.day:02d}/{day.month:02d}/{day.year}" if day else "ngày      /     /       "
    return f"Quyết định số {number} {when}"


# --------------------------------------------------------------------------- python-docx helpers


def _new_document(title: str, doc: DecisionDocument, *, landscape: bool = False) -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    # East-Asian and complex-script slots too, or Word substitutes another font for some characters.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(20)
    else:
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    props = document.core_properties
    props.title = title
    props.author = doc.issuer.organisation
    props.last_modified_by = doc.issuer.organisation
    props.language = "vi-VN"
    if doc.decision_date is not None:
        # Fixed timestamps keep the file the same for the same decision.
        stamp = datetime(doc.decision_date.year, doc.decision_date.month, doc.decision_date.day)
        props.created = props.modified = stamp
    return document


def _para(
    where: DocxDocument | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: Literal["left", "center", "right", "justify"] = "left",
    indent: bool = False,
    space_after: float | None = None,
) -> Paragraph:
    paragraph = where.add_paragraph()
    _runs(paragraph, [(text, bold, italic)], size)
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _runs(paragraph: Paragraph, parts: Sequence[tuple[str, bool, bool]], size: float | None = None) -> None:
    for text, bold, italic in parts:
        if not text:
            continue
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size is not None:
            run.font.size = Pt(size)


def _cell(cell: _Cell, lines: Sequence[tuple[str, bool, bool]], *, size: float = 13, align: str = "center") -> None:
    cell.paragraphs[0].text = ""
    first = True
    for text, bold, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _runs(paragraph, [(text, bold, italic)], size)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.space_after = Pt(0)


def _to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the decision


def render_decision(doc: DecisionDocument) -> bytes:
    """The decision with its annex (danh sách kèm theo), as DOCX bytes; a draft when it has no number yet."""
    subject = _subject_line(doc)
    title = ("Dự thảo quyết định " if doc.is_draft else "Quyết định ") + subject[0].lower() + subject[1:]
    document = _new_document(title, doc)
    if doc.is_draft:
        _para(document, "DỰ THẢO", bold=True, size=12, align="right")
    _heading_block(document, doc)
    _para(document, "QUYẾT ĐỊNH", bold=True, align="center", space_after=0)
    _para(document, _subject_line(doc), bold=True, align="center")
    _para(document, "")
    _para(document, doc.issuer.decider_title, bold=True, align="center")
    for basis in doc.legal_bases:
        _para(document, basis, italic=True, align="justify", indent=True)
    _para(document, f"Theo đề nghị của {doc.proposed_by}.", italic=True, align="justify", indent=True)
    _para(document, "QUYẾT ĐỊNH:", bold=True, align="center")
    for heading, text in decision_articles(doc):
        article = document.add_paragraph()
        _runs(article, [(heading + " ", True, False), (text, False, False)])
        article.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        article.paragraph_format.first_line_indent = Mm(10)
    _signature_block(document, doc)
    _annex(document, doc)
    return _to_bytes(document)


class HeadingTexts(NamedTuple):
    """The heading's words, the same in the DOCX and the PDF."""

    number_line: str
    date_line: str
    subject_line: str


def heading_texts(doc: DecisionDocument) -> HeadingTexts:
    """``Số: 1520/QĐ-BCT``, ``Hà Nội, ngày 20 tháng 12 năm 2024``, ``Về việc tặng …``."""
    return HeadingTexts(_number_line(doc), _date_line(doc.issuer.place, doc.decision_date), _subject_line(doc))


def decision_articles(doc: DecisionDocument) -> list[tuple[str, str]]:
    """The decision's articles (Điều 1–3) as (heading, text): the same words in the DOCX and the PDF."""
    achievement = _achievement(doc.category, doc.year)
    cash = (
        f"Kèm theo {_award_phrase(doc)}, mỗi cá nhân, tập thể được thưởng {_decimal(doc.cash_multiple)} lần "
        "mức lương cơ sở theo quy định của pháp luật về thi đua, khen thưởng"
        if doc.cash_multiple is not None
        else "Tiền thưởng thực hiện theo quy định của pháp luật về thi đua, khen thưởng"
    )
    return [
        ("Điều 1.", f"Tặng {_award_phrase(doc)} cho {_counts(doc.recipients)} có tên trong danh sách kèm theo, "
                    f"{achievement[0].lower()}{achievement[1:]}."),
        ("Điều 2.", f"{cash}; kinh phí chi từ {doc.issuer.fund}."),
        ("Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký. "
                    f"{doc.issuer.executors} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành "
                    "Quyết định này./."),
    ]


def annex_heading(doc: DecisionDocument) -> tuple[str, str, str]:
    """The annex's three heading lines: DANH SÁCH, who receives what, and the decision it goes with."""
    day = doc.decision_date
    when = f"ngày {day.day:02d}/{day.month:02d}/{day.year}" if day else "ngày      /     /       "
    number = doc.decision_number or f"      /QĐ-{doc.issuer.symbol}"
    return (
        "DANH SÁCH",
        f"{_kinds_upper(doc.recipients)} ĐƯỢC TẶNG {_award_phrase(doc).upper()}",
        f"(Kèm theo Quyết định số {number} {when} của {doc.issuer.decider_vi})",
    )


def annex_groups(doc: DecisionDocument) -> list[tuple[str | None, list[DocumentRecipient]]]:
    """The annex's rows: individuals, then collectives, then households; each group labelled (I., II., III.)
    only when more than one kind is present."""
    present = _by_kind(doc.recipients)
    labelled = len(present) > 1
    return [(f"{numeral}. {upper}" if labelled else None, members)
            for numeral, (upper, _, members) in zip(("I", "II", "III"), present, strict=False)]


def annex_closing(doc: DecisionDocument) -> str:
    """The line under the annex's table."""
    return f"Danh sách có {_counts(doc.recipients)}./."


def _heading_block(document: DocxDocument, doc: DecisionDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    issuer_lines = [(doc.issuer.parent, False, False)] if doc.issuer.parent else []
    issuer_lines += [(doc.issuer.organisation, True, False), ("", False, False), (_number_line(doc), False, False)]
    _cell(left, issuer_lines)
    _cell(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
            ("Độc lập - Tự do - Hạnh phúc", True, False),
            ("", False, False),
            (_date_line(doc.issuer.place, doc.decision_date), False, True),
        ],
    )
    _para(document, "")


def _signature_block(document: DocxDocument, doc: DecisionDocument) -> None:
    _para(document, "")
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell(
        left,
        [("Nơi nhận:", True, True), ("- Như Điều 3;", False, False), (f"- {doc.issuer.filing}", False, False)],
        size=11,
        align="left",
    )
    signer_lines = [(line, True, False) for line in doc.issuer.signer_title.split("\n")]
    signer_lines += [("", False, False)] * 4
    signer_lines += [(doc.signer_name or "", True, False)]
    _cell(right, signer_lines)


def _annex(document: DocxDocument, doc: DecisionDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title, whom, reference = annex_heading(doc)
    _para(document, title, bold=True, align="center", space_after=0)
    _para(document, whom, bold=True, align="center", space_after=0)
    _para(document, reference, italic=True, align="center")
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(12), Mm(55), Mm(55), Mm(43))
    for cell, text, width in zip(
        table.rows[0].cells, ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích"), widths, strict=True
    ):
        cell.width = width
        _cell(cell, [(text, True, False)])
    number = 0
    for label, members in annex_groups(doc):
        if label:
            row = table.add_row().cells
            merged = row[0].merge(row[3])
            _cell(merged, [(label, True, False)], align="left")
        for recipient in members:
            number += 1
            row = table.add_row().cells
            for cell, width in zip(row, widths, strict=True):
                cell.width = width
            _cell(row[0], [(str(number), False, False)])
            _cell(row[1], [(recipient.addressed, False, False)], align="left")
            _cell(row[2], [(recipient.where, False, False)], align="left")
            _cell(row[3], [(recipient.achievement, False, False)], size=12, align="left")
    _para(document, annex_closing(doc), italic=True, size=12)


# --------------------------------------------------------------------------- certificates

SHORT_HEADINGS: Mapping[str, str] = {"BK_BT": "BẰNG KHEN", "BK_TTG": "BẰNG KHEN", "GIAY_KHEN": "GIẤY KHEN"}
"""The large word a certificate prints for an award form; others print the award's name."""


def render_certificate(doc: DecisionDocument, recipient: DocumentRecipient) -> bytes:
    """The certificate of one recipient (Bằng khen … tặng Ông/Bà …), as DOCX bytes, landscape A4."""
    document = _new_document(f"{doc.award_name} — {recipient.name}", doc, landscape=True)
    _para(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=14, align="center", space_after=0)
    _para(document, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align="center")
    _para(document, doc.issuer.decider_title, bold=True, size=18, align="center", space_after=0)
    if doc.award_kind == "title":
        _para(document, "tặng danh hiệu", italic=True, size=16, align="center", space_after=0)
        _para(document, doc.award_name.upper(), bold=True, size=28, align="center", space_after=0)
        _para(document, f"Năm {doc.year}", bold=True, size=16, align="center")
    else:
        _para(document, "tặng", italic=True, size=16, align="center", space_after=0)
        _para(document, SHORT_HEADINGS.get(doc.award_code, doc.award_name.upper()), bold=True, size=36, align="center")
    _para(document, recipient.addressed, bold=True, size=24, align="center", space_after=0)
    if recipient.where:
        _para(document, recipient.where, size=16, align="center", space_after=0)
    _para(document, recipient.achievement, italic=True, size=16, align="center")
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell(
        left,
        [
            (decision_reference(doc), False, False),
            (f"về việc tặng {_award_phrase(doc)}", False, True),
            ("Số sổ vàng: ………", False, False),
        ],
        size=12,
    )
    signer_lines = [(_date_line(doc.issuer.place, doc.decision_date), False, True)]
    signer_lines += [(line, True, False) for line in doc.issuer.signer_title.split("\n")]
    signer_lines += [("", False, False)] * 3 + [(doc.signer_name or "", True, False)]
    _cell(right, signer_lines, size=14)
    return _to_bytes(document)


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
