"""The tờ trình (submission upward) as DOCX and PDF, read back with python-docx and pypdf: Nghị định 30/2020's
parts in their order, the addressee the law's procedure gives, the council's vote, the list of recipients."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from awards_workflow_testkit import World, ballots, person
from pypdf import PdfReader
from tdkt_contracts.vocabulary import Authority, RecipientKind

from services.awards.workflow import (
    ClosePublicNotice,
    ForwardProposal,
    OpenPublicNotice,
    RecipientDetails,
    decide_close_notice,
    decide_forward,
    decide_open_notice,
    docx_text,
)
from services.awards.workflow.admin_layout import BOTTOM_MM, LEFT_MM, QUOC_HIEU, TIEU_NGU, TOP_MM
from services.awards.workflow.submission import (
    HOME_AFFAIRS,
    SubmissionDocument,
    addressee,
    render_submission,
    render_submission_pdf,
    submission_from_proposal,
)

from test_awards_decision_pdf import MM, _horizontal_lines, _texts

YEAR = 2024
FORWARDED = date(2024, 12, 20)
DETAILS = {
    "p-huong": RecipientDetails(honorific="Bà", position="Chuyên viên chính", unit_name="Vụ Tổ chức cán bộ"),
    "p-tuyet": RecipientDetails(honorific="Bà", position="Phó Vụ trưởng", unit_name="Vụ Tổ chức cán bộ"),
}
SUBJECT = "Về việc đề nghị tặng danh hiệu Chiến sĩ thi đua toàn quốc năm 2024"
MEETING = ("Ngày 10/12/2024, Hội đồng Thi đua – Khen thưởng Bộ Công Thương đã họp xét, có 09/11 thành viên dự họp, "
           "02 thành viên vắng mặt gửi phiếu bằng văn bản; đã bỏ phiếu đối với 02 trường hợp")
PROPOSED = ("Bộ Công Thương kính đề nghị Thủ tướng Chính phủ xem xét, tặng danh hiệu Chiến sĩ thi đua toàn quốc cho "
            "02 cá nhân có tên trong danh sách kèm theo")


@pytest.fixture
def submission(world: World) -> SubmissionDocument:
    """Two people forwarded to the Prime Minister for Chiến sĩ thi đua toàn quốc after the notice and the vote."""
    world.submit("n-tq", "CSTD_TQ", YEAR, [("c-1", person("p-huong", "CSTD_TQ", YEAR)),
                                           ("c-2", person("p-tuyet", "CSTD_TQ", YEAR))],
                 submitted_on=date(2024, 11, 1))
    opened = OpenPublicNotice(nomination_id="n-tq", candidate_ids=["c-1", "c-2"], opened_on=date(2024, 11, 18))
    world.run(decide_open_notice, world.nomination("n-tq"), opened, procedures=world.procedures("n-tq"),
              today=world.today)
    world.run(decide_close_notice, world.nomination("n-tq"),
              ClosePublicNotice(nomination_id="n-tq", closed_on=date(2024, 11, 29)), today=world.today)
    # Nine members at the meeting, two absent voting in writing: 10 and 11 of 11 in favour.
    world.vote("n-tq", date(2024, 12, 10), {"c-1": ballots(approve=8, written=2, against=1),
                                            "c-2": ballots(approve=9, written=2)})
    forward = ForwardProposal(nomination_id="n-tq", candidate_ids=["c-1", "c-2"], submission_number="1234/TTr-BCT",
                              forwarded_on=FORWARDED)
    [forwarded] = world.run(decide_forward, world.nomination("n-tq"), forward, procedures=world.procedures("n-tq"),
                            today=world.today)
    return submission_from_proposal(world.proposal(forwarded.proposal_id), world.nomination("n-tq"),
                                    details=DETAILS)


def _in_order(text: str, parts: list[str]) -> None:
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, (part, text[at:at + 300])
        at = found


def test_the_docx_has_the_decrees_parts_in_order(submission: SubmissionDocument) -> None:
    text = docx_text(render_submission(submission))
    assert unicodedata.is_normalized("NFC", text)
    _in_order(text, [
        "BỘ CÔNG THƯƠNG", "Số: 1234/TTr-BCT", QUOC_HIEU, TIEU_NGU, "Hà Nội, ngày 20 tháng 12 năm 2024",
        "TỜ TRÌNH", SUBJECT, "Kính gửi: Thủ tướng Chính phủ.",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP",  # the decree in force on the day forwarded
        MEETING, PROPOSED, "Hồ sơ gửi kèm (Điều 84 Luật Thi đua, khen thưởng) gồm:",
        "Bộ Công Thương kính trình Thủ tướng Chính phủ xem xét, quyết định./.",
        "Nơi nhận:", "- Như trên;", f"- {HOME_AFFAIRS};", "- Lưu: VT, TCCB.", "BỘ TRƯỞNG",
        "DANH SÁCH", "CÁ NHÂN ĐỀ NGHỊ TẶNG DANH HIỆU CHIẾN SĨ THI ĐUA TOÀN QUỐC",
        "(Kèm theo Tờ trình số 1234/TTr-BCT ngày 20/12/2024 của Bộ Công Thương)",
        "STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Tóm tắt thành tích", "Phiếu đồng ý",
        "Bà Nguyễn Thị Hương", "Chuyên viên chính, Vụ Tổ chức cán bộ",
        "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2024", "10/11 (90,9%)",
        "Bà Lê Thị Ánh Tuyết", "Phó Vụ trưởng, Vụ Tổ chức cán bộ", "11/11 (100,0%)",
        "Danh sách có 02 cá nhân./.",
    ])


def test_the_pdf_reads_the_same_parts_on_a4_within_the_margins(submission: SubmissionDocument) -> None:
    pdf = PdfReader(io.BytesIO(render_submission_pdf(submission)))
    first, *rest = pdf.pages
    height = float(first.mediabox.height)
    assert (round(float(first.mediabox.width) / MM), round(height / MM)) == (210, 297)
    for page in pdf.pages:
        for text, x, y in _texts(page):
            assert x >= LEFT_MM * MM - 0.5 and BOTTOM_MM * MM <= y <= height - TOP_MM * MM, (text, x / MM, y / MM)
        for font in page["/Resources"]["/Font"].values():  # every font embedded
            assert "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    page_one = unicodedata.normalize("NFC", first.extract_text())
    _in_order(" ".join(page_one.split()), [
        "BỘ CÔNG THƯƠNG", QUOC_HIEU, "TỜ TRÌNH", SUBJECT, "Kính gửi: Thủ tướng Chính phủ.", "Căn cứ Luật",
        "Ngày 10/12/2024, Hội đồng Thi đua – Khen thưởng", "kính đề nghị Thủ tướng Chính phủ xem xét",
        "kính trình Thủ tướng Chính phủ xem xét, quyết định./.", "Nơi nhận:",
    ])
    annex = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in rest))
    _in_order(annex, ["DANH SÁCH", "Phiếu", "Bà Nguyễn Thị Hương", "10/11 (90,9%)", "Bà Lê Thị Ánh Tuyết",
                      "11/11 (100,0%)", "Danh sách có 02 cá nhân./."])
    # The heading as the decision's: the Quốc hiệu on one line, the rules under the tiêu ngữ and the trích yếu.
    texts = _texts(first)
    assert [t[0] for t in texts].count(QUOC_HIEU) == 1
    motto_y = next(t for t in texts if t[0] == TIEU_NGU)[2]
    subject_y = min(t[2] for t in texts if t[0] in SUBJECT and len(t[0]) > 10)  # its last line, when it wraps
    addressee_y = next(t for t in texts if t[0].startswith("Kính gửi:"))[2]
    lines = _horizontal_lines(pdf, first)
    assert any(0 < motto_y - y < 5 * MM for _, _, y in lines), lines
    centre = (LEFT_MM + (210 - LEFT_MM - 15) / 2) * MM
    under_subject = [(x1, x2) for x1, x2, y in lines if addressee_y < y < subject_y]
    assert len(under_subject) == 1 and abs((under_subject[0][0] + under_subject[0][1]) / 2 - centre) < 1, lines
    # "Nơi nhận" on the left half, the signer's title on the right, side by side.
    receivers = next(t for t in texts if t[0] == "Nơi nhận:")
    signer = next(t for t in texts if t[0] == "BỘ TRƯỞNG")
    assert receivers[1] < centre < signer[1] and abs(receivers[2] - signer[2]) < 3 * MM


def test_the_same_proposal_gives_the_same_files(submission: SubmissionDocument) -> None:
    assert render_submission_pdf(submission) == render_submission_pdf(submission)
    assert docx_text(render_submission(submission)) == docx_text(render_submission(submission))


@pytest.mark.parametrize(
    ("authority", "to_body", "to", "via", "then_to"),
    [
        (Authority.PRIME_MINISTER, "Thủ tướng Chính phủ (qua Bộ Nội vụ)", "Thủ tướng Chính phủ", HOME_AFFAIRS, None),
        (Authority.PRESIDENT, "Chủ tịch nước (Thủ tướng Chính phủ trình, qua Bộ Nội vụ)", "Thủ tướng Chính phủ",
         HOME_AFFAIRS, "Chủ tịch nước"),
        (Authority.PRESIDENT, "Chủ tịch nước, qua Hội đồng xét tặng cấp Nhà nước (Bộ Giáo dục và Đào tạo thường trực)",
         "Hội đồng xét tặng cấp Nhà nước", None, "Chủ tịch nước"),
        (Authority.PRESIDENT, "Hội đồng Xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cấp Nhà nước",
         "Hội đồng Xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cấp Nhà nước", None, "Chủ tịch nước"),
        (Authority.OTHER_MINISTRY, "Bộ trưởng Bộ Giáo dục và Đào tạo", "Bộ trưởng Bộ Giáo dục và Đào tạo", None, None),
        # The Central emulation council is no addressee: the Prime Minister is, through the Ministry of Home Affairs.
        (Authority.PRIME_MINISTER, "Hội đồng Thi đua – Khen thưởng Trung ương", "Thủ tướng Chính phủ", HOME_AFFAIRS,
         None),
    ],
)
def test_the_addressee_follows_the_procedure(
    authority: Authority, to_body: str, to: str, via: str | None, then_to: str | None
) -> None:
    found = addressee(authority, to_body)
    assert (found.to, found.via, found.then_to) == (to, via, then_to)


def test_the_presidents_award_goes_through_the_prime_minister(submission: SubmissionDocument) -> None:
    labour = submission.model_copy(update={
        "award_code": "HCLD_3", "award_name": "Huân chương Lao động hạng Ba", "award_kind": "award",
        "to_authority": Authority.PRESIDENT, "to_body": "Chủ tịch nước (Thủ tướng Chính phủ trình, qua Bộ Nội vụ)",
    })
    text = docx_text(render_submission(labour))
    _in_order(text, ["Về việc đề nghị tặng Huân chương Lao động hạng Ba", "Kính gửi: Thủ tướng Chính phủ.",
                     "kính đề nghị Thủ tướng Chính phủ xem xét, trình Chủ tịch nước tặng Huân chương Lao động hạng Ba",
                     "kính trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước quyết định./."])
    # Another ministry's medal: addressed to that ministry, nothing through the Ministry of Home Affairs.
    medal = labour.model_copy(update={"to_authority": Authority.OTHER_MINISTRY,
                                      "to_body": "Bộ trưởng Bộ Giáo dục và Đào tạo"})
    text = docx_text(render_submission(medal))
    assert "Kính gửi: Bộ trưởng Bộ Giáo dục và Đào tạo." in text and HOME_AFFAIRS not in text


def test_without_a_vote_nothing_is_invented(world: World, submission: SubmissionDocument) -> None:
    proposal = world.proposal(submission.proposal_id)
    bare = submission_from_proposal(proposal, None)  # the nomination's stream not at hand: no vote to report
    text = docx_text(render_submission(bare))
    assert "đã họp xét" not in text and "(90,9%)" not in text
    assert "Nguyễn Thị Hương" in text and "Bà Nguyễn Thị Hương" not in text  # no honorific without the details
    rows = [line for line in text.splitlines() if line == "—"]
    assert len(rows) == 2  # the votes' column says there was none, for both
    with pytest.raises(ValueError, match="not forwarded"):
        submission_from_proposal(world.proposal("pr-none"), None)


def test_a_long_list_runs_over_pages_with_its_header_and_groups(submission: SubmissionDocument) -> None:
    [first, second] = submission.recipients
    unit = first.model_copy(update={"recipient": first.recipient.model_copy(update={
        "candidate_id": "c-u", "recipient_kind": RecipientKind.COLLECTIVE, "name": "Phòng Tổng hợp",
        "honorific": None})})
    many = [line.model_copy(update={"recipient": line.recipient.model_copy(update={"candidate_id": f"c-{i}-{n}"})})
            for i in range(30) for n, line in enumerate((first, second))]
    long = submission.model_copy(update={"recipients": (*many, unit)})
    pdf = PdfReader(io.BytesIO(render_submission_pdf(long)))
    annex = [unicodedata.normalize("NFC", p.extract_text()) for p in pdf.pages[1:]]
    assert len(annex) >= 2 and all("Phiếu" in page for page in annex)  # the header on every page of the list
    text = "\n".join(annex)
    assert text.count("Bà Nguyễn Thị Hương") == 30 and text.count("11/11 (100,0%)") == 30
    _in_order(text, ["I. CÁ NHÂN", "Bà Lê Thị Ánh Tuyết", "II. TẬP THỂ", "Phòng Tổng hợp",
                     "Danh sách có 60 cá nhân và 01 tập thể./."])
