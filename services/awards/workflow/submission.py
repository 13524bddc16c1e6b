"""The tờ trình: the Ministry's submission upward of the candidates it forwards, as DOCX and PDF.

When the Minister forwards candidates for an award beyond the Ministry's power (``ProposalForwarded``,
:mod:`.proposal`), the Ministry sends a tờ trình — the first paper of the file the law asks for (Luật Thi đua,
khen thưởng 2022 Art. 84.1: the tờ trình, the achievement reports, the council's minutes and vote) — with the
list of those it proposes. One administrative document of Nghị định 30/2020/NĐ-CP: the heading, the title and
the signature block are the decision's (:mod:`.admin_layout`); between them, in this order:

1. ``TỜ TRÌNH`` and its trích yếu, ``Về việc đề nghị tặng …``;
2. ``Kính gửi: …``: the Prime Minister for an award of the Prime Minister or the President — a ministry submits
   to the Prime Minister, who submits the President's awards to the President; the file goes to the Ministry
   of Home Affairs (Bộ Nội vụ, Ban Thi đua – Khen thưởng Trung ương), which appraises it (NĐ 98/2023 and NĐ
   152/2025 on the procedure, the addressee the catalogue's ``submit_to`` names) —; the State council the
   proposal names (Nhà giáo nhân dân, ưu tú); the other ministry for its own sector's medal;
3. the legal bases in force on the day forwarded (:func:`~.documents.default_legal_bases`);
4. the council's vote: for each meeting, its date, the members present against all members, the written
   votes, and the share of all members in favour (the workflow's ``CouncilVoted``);
5. what the Ministry proposes, the dossier sent with it, the closing sentence;
6. the signature (the Minister) and "Nơi nhận";
7. the list (danh sách kèm theo): each recipient with position and unit, the achievement, the votes in favour.

The recipients print only what the decision's documents print of them — name, Ông/Bà, position, unit, the
path's achievement wording: identity and awards, which every role sees (kernel.privacy) — and the vote counts,
which are the council's, not a person's. Pure: :func:`submission_from_proposal` builds the data, the render
functions return the file's bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm
from fpdf.enums import Align
from fpdf.fonts import FontFace
from pydantic import Field
from tdkt_contracts.catalogue.awards import CouncilVoted
from tdkt_contracts.vocabulary import Authority

from ..domain.base import DomainModel
from .admin_layout import (
    BODY_PT,
    FAMILY,
    LEFT_MM,
    LINE_MM,
    MINISTRY,
    Issuer,
    cell,
    centred_lines,
    content_width,
    date_line,
    docx_bytes,
    docx_heading,
    docx_signature,
    new_docx,
    new_pdf,
    number_line,
    para,
    pdf_heading,
    pdf_signature,
    pdf_title,
    short_date,
    two_digits,
)
from .documents import (
    AwardDocument,
    DocumentRecipient,
    RecipientDetails,
    achievement_text,
    award_phrase,
    decimal_vi,
    default_legal_bases,
    document_recipient,
    kinds_upper,
    recipient_counts,
    recipient_groups,
)
from .nomination import NominationState
from .proposal import ProposalState

HOME_AFFAIRS = "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)"
"""Where a ministry's file for the Prime Minister or the President goes to be appraised."""
PRIME_MINISTER = "Thủ tướng Chính phủ"
COUNCIL = "Hội đồng Thi đua – Khen thưởng"
STATE_COUNCIL = "hội đồng xét tặng"
"""How a State council of an honorary title is named (case folded)."""


class CouncilVote(DomainModel):
    """The council's vote on one candidate, as the tờ trình reports it."""

    voted_on: date
    members_total: int = Field(ge=1)
    present: int = Field(ge=0, description="Members at the meeting: ballots not sent in writing.")
    written_votes: int = Field(ge=0, description="Absent members' votes sent in writing.")
    votes_for: int = Field(ge=0)

    @classmethod
    def of(cls, event: CouncilVoted) -> CouncilVote:
        """The vote an event recorded."""
        return cls(
            voted_on=event.voted_on,
            members_total=event.members_total,
            present=event.votes_for + event.votes_against - event.written_votes,
            written_votes=event.written_votes,
            votes_for=event.votes_for,
        )

    @property
    def share(self) -> str:
        """``06/10 (60,0%)``: votes in favour against all members, the base of the law's thresholds."""
        percent = decimal_vi(100 * self.votes_for / self.members_total)
        return f"{two_digits(self.votes_for)}/{two_digits(self.members_total)} ({percent}%)"


class ProposedRecipient(DomainModel):
    """One line of the tờ trình's list: the recipient and the council's vote on them (None if none was held)."""

    recipient: DocumentRecipient
    vote: CouncilVote | None = None


class Addressee(DomainModel):
    """Who the tờ trình is addressed to, and the body the file goes through."""

    to: str = Field(description="After 'Kính gửi:'.")
    via: str | None = Field(default=None, description="The body that appraises the file on its way, if any.")
    then_to: str | None = Field(default=None, description="Who decides, when the addressee only submits it on.")


class SubmissionDocument(AwardDocument):
    """Everything the tờ trình prints."""

    proposal_id: str
    submission_number: str = Field(description="As recorded when forwarded: 512/TTr-BCT.")
    forwarded_on: date
    to_authority: Authority
    to_body: str
    recipients: tuple[ProposedRecipient, ...] = Field(min_length=1)

    @property
    def people(self) -> list[DocumentRecipient]:
        """The recipients, in the list's order."""
        return [p.recipient for p in self.recipients]


def addressee(to_authority: Authority, to_body: str) -> Addressee:
    """Who a proposal to ``to_authority`` is addressed to, from the body the proposal names.

    The Prime Minister for his awards and the President's (he submits those on), through the Ministry of Home
    Affairs; a State council when the body names one (``Hội đồng xét tặng …``: Nhà giáo nhân dân, ưu tú); the body named
    for another ministry.
    """
    council = _council_in(to_body)
    then_to = "Chủ tịch nước" if to_authority is Authority.PRESIDENT else None
    if council is not None:
        return Addressee(to=council, then_to=then_to)
    if to_authority in (Authority.PRIME_MINISTER, Authority.PRESIDENT):
        return Addressee(to=PRIME_MINISTER, via=HOME_AFFAIRS, then_to=then_to)
    return Addressee(to=to_body)


def _council_in(to_body: str) -> str | None:
    # "Hội đồng Xét tặng … cấp Nhà nước" as a whole, or "Chủ tịch nước, qua Hội đồng xét tặng cấp Nhà nước (…)":
    # the State councils of the honorary titles (Nhà giáo, Thầy thuốc, Nghệ sĩ nhân dân / ưu tú). The Central
    # emulation council is not one: a ministry's tờ trình goes to the Prime Minister.
    start = to_body.casefold().find(STATE_COUNCIL)
    if start < 0:
        return None
    return to_body[start:].split(" (")[0].rstrip(" ,.;")


def submission_from_proposal(
    proposal: ProposalState,
    nomination: NominationState | None,
    *,
    issuer: Issuer = MINISTRY,
    details: Mapping[str, RecipientDetails] | None = None,
    unit_names: Mapping[str, str] | None = None,
    legal_bases: Sequence[str] | None = None,
    signer_name: str | None = None,
) -> SubmissionDocument:
    """The tờ trình of a forwarded proposal; the votes from its nomination (None: printed without them).

    ``details`` and ``unit_names`` (by subject id and unit id) come from the units replica, as for a decision.
    Raises ValueError for a proposal not forwarded.
    """
    if not proposal.exists or proposal.forwarded_on is None or proposal.to_authority is None:
        raise ValueError(f"proposal {proposal.proposal_id!r} was not forwarded")
    lines = []
    for r in proposal.recipients:
        cand = nomination.candidate(r.candidate_id) if nomination is not None else None
        vote = cand.last_vote if cand is not None else None
        recipient = document_recipient(
            r.candidate_id, None, r.recipient_kind, r.display_name, r.subject_id, r.unit_id,
            category=proposal.category, year=proposal.year, details=details or {}, unit_names=unit_names or {},
        )
        lines.append(ProposedRecipient(recipient=recipient, vote=CouncilVote.of(vote) if vote else None))
    return SubmissionDocument(
        issuer=issuer,
        proposal_id=proposal.proposal_id,
        submission_number=proposal.submission_number,
        forwarded_on=proposal.forwarded_on,
        year=proposal.year,
        award_code=proposal.award_code,
        award_name=proposal.award_name,
        award_kind=proposal.award_kind,
        category=proposal.category,
        to_authority=proposal.to_authority,
        to_body=proposal.to_body,
        recipients=tuple(lines),
        legal_bases=tuple(legal_bases or default_legal_bases(proposal.forwarded_on)),
        signer_name=signer_name,
    )


# --------------------------------------------------------------------------- wording (DOCX and PDF)


def submission_subject(doc: SubmissionDocument) -> str:
    """The trích yếu: ``Về việc đề nghị tặng Huân chương Lao động hạng Ba``."""
    suffix = f" năm {doc.year}" if doc.award_kind == "title" else ""
    return f"Về việc đề nghị tặng {award_phrase(doc)}{suffix}"


def submission_number_line(doc: SubmissionDocument) -> str:
    """``Số: 512/TTr-BCT``."""
    return number_line(doc.submission_number, "TTr", doc.issuer)


def submission_date_line(doc: SubmissionDocument) -> str:
    """``Hà Nội, ngày 20 tháng 9 năm 2025``: the day forwarded."""
    return date_line(doc.issuer.place, doc.forwarded_on)


def council_sentences(doc: SubmissionDocument) -> list[str]:
    """One sentence per council meeting that voted on the proposal's candidates, in the order of the meetings."""
    meetings: dict[tuple[date, int, int, int], list[ProposedRecipient]] = {}
    for line in doc.recipients:
        if line.vote is not None:
            v = line.vote
            meetings.setdefault((v.voted_on, v.members_total, v.present, v.written_votes), []).append(line)
    sentences = []
    for (voted_on, total, present, written), lines in sorted(meetings.items()):
        head = (
            f"Ngày {short_date(voted_on)}, {COUNCIL} {doc.issuer.name_vi} đã họp xét, có {two_digits(present)}/"
            f"{two_digits(total)} thành viên dự họp"
        )
        head += f", {two_digits(written)} thành viên vắng mặt gửi phiếu bằng văn bản" if written else ""
        if len(lines) == 1:
            [line] = lines
            assert line.vote is not None
            tail = (f"; kết quả bỏ phiếu: {line.vote.share} tổng số thành viên Hội đồng đồng ý đề nghị tặng "
                    f"{award_phrase(doc)} cho {line.recipient.addressed}.")
        else:
            tail = (f"; đã bỏ phiếu đối với {two_digits(len(lines))} trường hợp, tỷ lệ phiếu đồng ý trên tổng số "
                    "thành viên Hội đồng của từng trường hợp ghi tại danh sách kèm theo.")
        sentences.append(head + tail)
    return sentences


def proposal_sentence(doc: SubmissionDocument) -> str:
    """What the Ministry asks: ``Bộ Công Thương kính đề nghị Thủ tướng Chính phủ xem xét, trình Chủ tịch nước
    tặng …``."""
    to = addressee(doc.to_authority, doc.to_body)
    act = f"trình {to.then_to} tặng" if to.then_to else "tặng"
    achievement = achievement_text(doc.category, doc.year)
    return (
        f"{doc.issuer.name_vi} kính đề nghị {to.to} xem xét, {act} {award_phrase(doc)} cho "
        f"{recipient_counts(doc.people)} có tên trong danh sách kèm theo, {achievement[0].lower()}{achievement[1:]}."
    )


def dossier_sentence(doc: SubmissionDocument) -> str:
    """The papers sent with it (Luật Thi đua, khen thưởng 2022 Art. 84.1, cited from 2024 when it is in force)."""
    basis = " (Điều 84 Luật Thi đua, khen thưởng)" if doc.forwarded_on >= date(2024, 1, 1) else ""
    return (
        f"Hồ sơ gửi kèm{basis} gồm: danh sách đề nghị khen thưởng; báo cáo thành tích của từng cá nhân, tập thể; "
        f"biên bản họp và kết quả bỏ phiếu của {COUNCIL} {doc.issuer.name_vi}."
    )


def closing_sentence(doc: SubmissionDocument) -> str:
    """``Bộ Công Thương kính trình Thủ tướng Chính phủ xem xét, quyết định./.`` (``…, trình Chủ tịch nước quyết
    định`` for the President's awards)."""
    to = addressee(doc.to_authority, doc.to_body)
    on = f"trình {to.then_to} " if to.then_to else ""
    return f"{doc.issuer.name_vi} kính trình {to.to} xem xét, {on}quyết định./."


def submission_body(doc: SubmissionDocument) -> list[str]:
    """The body's paragraphs after the legal bases, in order: the votes, the proposal, the dossier, the closing."""
    return [*council_sentences(doc), proposal_sentence(doc), dossier_sentence(doc), closing_sentence(doc)]


def sent_to(doc: SubmissionDocument) -> list[str]:
    """"Nơi nhận": the addressee, the body that appraises the file, the Ministry's archive."""
    via = addressee(doc.to_authority, doc.to_body).via
    return ["Như trên;", *([f"{via};"] if via else []), doc.issuer.filing]


def list_heading(doc: SubmissionDocument) -> tuple[str, str, str]:
    """The list's three heading lines: DANH SÁCH, who is proposed for what, and the tờ trình it goes with."""
    return (
        "DANH SÁCH",
        f"{kinds_upper(doc.people)} ĐỀ NGHỊ TẶNG {award_phrase(doc).upper()}",
        f"(Kèm theo Tờ trình số {doc.submission_number} ngày {short_date(doc.forwarded_on)} của {doc.issuer.name_vi})",
    )


LIST_COLUMNS = ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Tóm tắt thành tích", "Phiếu đồng ý")


def list_rows(doc: SubmissionDocument) -> list[tuple[str | None, list[tuple[str, ...]]]]:
    """The list's rows by group (individuals, then collectives): STT, name, position and unit, achievement, votes."""
    votes = {line.recipient.candidate_id: line.vote for line in doc.recipients}
    number = 0
    groups = []
    for label, members in recipient_groups(doc.people):
        rows = []
        for r in members:
            number += 1
            vote = votes[r.candidate_id]
            rows.append((str(number), r.addressed, r.where, r.achievement, vote.share if vote else "—"))
        groups.append((label, rows))
    return groups


def list_closing(doc: SubmissionDocument) -> str:
    """The line under the list."""
    return f"Danh sách có {recipient_counts(doc.people)}./."


def _title(doc: SubmissionDocument) -> str:
    subject = submission_subject(doc)
    return f"Tờ trình {doc.submission_number} — {subject[0].lower()}{subject[1:]}"


# --------------------------------------------------------------------------- DOCX


def render_submission(doc: SubmissionDocument) -> bytes:
    """The tờ trình with its list, as DOCX bytes."""
    document = new_docx(_title(doc), doc.issuer, doc.forwarded_on)
    docx_heading(document, doc.issuer, submission_number_line(doc), submission_date_line(doc))
    para(document, "TỜ TRÌNH", bold=True, align="center", space_after=0)
    para(document, submission_subject(doc), bold=True, align="center")
    para(document, "")
    para(document, f"Kính gửi: {addressee(doc.to_authority, doc.to_body).to}.", align="center")
    para(document, "")
    for basis in doc.legal_bases:
        para(document, basis, italic=True, align="justify", indent=True)
    for paragraph in submission_body(doc):
        para(document, paragraph, align="justify", indent=True)
    docx_signature(document, doc.issuer, doc.signer_name, sent_to(doc))

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title, whom, reference = list_heading(doc)
    para(document, title, bold=True, align="center", space_after=0)
    para(document, whom, bold=True, align="center", space_after=0)
    para(document, reference, italic=True, align="center")
    table = document.add_table(rows=1, cols=len(LIST_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(11), Mm(42), Mm(42), Mm(45), Mm(25))
    for head, text, width in zip(table.rows[0].cells, LIST_COLUMNS, widths, strict=True):
        head.width = width
        cell(head, [(text, True, False)], size=12)
    for label, rows in list_rows(doc):
        if label:
            row = table.add_row().cells
            cell(row[0].merge(row[-1]), [(label, True, False)], align="left")
        for values in rows:
            row = table.add_row().cells
            for column, width, value, align in zip(row, widths, values, ("center", "left", "left", "left", "center"),
                                                   strict=True):
                column.width = width
                cell(column, [(value, False, False)], size=12, align=align)
    para(document, list_closing(doc), italic=True, size=12)
    return docx_bytes(document)


# --------------------------------------------------------------------------- PDF


def render_submission_pdf(doc: SubmissionDocument) -> bytes:
    """The tờ trình with its list, as PDF bytes in Nghị định 30/2020's layout."""
    pdf = new_pdf(_title(doc), doc.issuer, doc.forwarded_on)
    pdf.add_page()
    content = content_width(pdf)
    pdf_heading(pdf, doc.issuer, submission_number_line(doc), submission_date_line(doc))
    pdf_title(pdf, "TỜ TRÌNH", submission_subject(doc))
    centred_lines(pdf, LEFT_MM, content, [(f"Kính gửi: {addressee(doc.to_authority, doc.to_body).to}.", "", BODY_PT)])
    pdf.ln(2)
    with pdf.text_columns(text_align=Align.J, line_height=1.3) as columns:
        pdf.set_font(FAMILY, "I", BODY_PT)
        for basis in doc.legal_bases:
            with columns.paragraph(first_line_indent=10, bottom_margin=1) as paragraph:
                paragraph.write(basis)
    with pdf.text_columns(text_align=Align.J, line_height=1.3) as columns:
        pdf.set_font(FAMILY, "", BODY_PT)
        for text in submission_body(doc):
            with columns.paragraph(first_line_indent=10, bottom_margin=1.5) as paragraph:
                paragraph.write(text)
    pdf_signature(pdf, doc.issuer, doc.signer_name, sent_to(doc))

    pdf.add_page()
    title, whom, reference = list_heading(doc)
    centred_lines(pdf, LEFT_MM, content, [(title, "B", BODY_PT), (whom, "B", BODY_PT), (reference, "I", 12)])
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 11)
    bold = FontFace(emphasis="BOLD")
    # align LEFT: fpdf2 centres a table on the page, not between the margins (30 and 15 mm)
    with pdf.table(col_widths=(11, 40, 40, 49, 25), align="LEFT", headings_style=bold, line_height=5.5,
                   text_align=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER"), repeat_headings=1) as table:
        row = table.row()
        for text in LIST_COLUMNS:
            row.cell(text, align=Align.C)
        for label, rows in list_rows(doc):
            if label:
                table.row().cell(label, colspan=len(LIST_COLUMNS), style=bold)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
    pdf.ln(2)
    pdf.set_font(FAMILY, "I", 12)
    pdf.multi_cell(content, LINE_MM, list_closing(doc))
    return bytes(pdf.output())

