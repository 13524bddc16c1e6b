"""One message per notification kind, in Vietnamese: a subject line and a text (NFC, dates dd/mm/yyyy).

The same words serve the in-app notification and the e-mail; the e-mail adds
a greeting with the person's name and the link to the portal (:func:`mail_body`).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .model import Kind


def vn_date(value: date) -> str:
    """A date as people in Việt Nam write it: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def nfc(text: str) -> str:
    """Composed form: a decomposed diacritic from an event's data is stored and mailed composed."""
    return unicodedata.normalize("NFC", text)


SUBJECTS: dict[Kind, str] = {
    Kind.AWARD_GRANTED: "Khen thưởng: {recipient} được tặng {award}",
    Kind.NOMINATION_RETURNED: "Trả lại hồ sơ: {candidate} — {award}",
    Kind.NOMINATION_REJECTED: "Không khen thưởng: {candidate} — {award}",
    Kind.NOMINATION_GRANTED: "Đề nghị được chấp thuận: {candidate} — {award}",
    Kind.VOTE_WAITING: "Chờ Hội đồng bình xét: {award} năm {year} của {unit}",
    Kind.DEADLINE_SOON: "Sắp đến hạn ({due}): {what}",
}

TEXTS: dict[Kind, str] = {
    Kind.AWARD_GRANTED: (
        "{recipient} ({unit}) được tặng {award} năm {year} theo Quyết định số {decision} "
        "ngày {decided}."
    ),
    Kind.NOMINATION_RETURNED: (
        "Hồ sơ đề nghị {award} năm {year} của {candidate} do {unit} trình đã được trả lại "
        "ngày {on} để hoàn thiện. Lý do: {reasons}"
    ),
    Kind.NOMINATION_REJECTED: (
        "{candidate}, được {unit} đề nghị {award} năm {year}, không được khen thưởng "
        "(quyết định ngày {on}). Lý do: {reason}"
    ),
    Kind.NOMINATION_GRANTED: (
        "{candidate}, được {unit} đề nghị, đã được tặng {award} năm {year} theo Quyết định số "
        "{decision} ngày {decided}."
    ),
    Kind.VOTE_WAITING: (
        "Hồ sơ đề nghị {award} năm {year} của {unit} có ứng viên đủ điều kiện, "
        "chờ Hội đồng Thi đua – Khen thưởng bình xét và biểu quyết."
    ),
    Kind.DEADLINE_SOON: "{what}: hạn cuối là ngày {due} (còn {days} ngày).",
}


SUBJECT_MAX = 250
"""Characters of a subject line at most (cut with "…"): it stays one line of a mail header."""


def render(kind: Kind, **values: object) -> tuple[str, str]:
    """The subject and text of ``kind`` with ``values`` filled in, NFC."""
    subject = nfc(SUBJECTS[kind].format(**values))
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject, nfc(TEXTS[kind].format(**values))


def mail_body(display_name: str, text: str, link: str) -> str:
    """The e-mail's plain text: greeting, the notification's text, where to see it, who sent it."""
    return nfc(
        f"Kính gửi {display_name},\n\n{text}\n\nXem chi tiết: {link}\n\n"
        "—\nHệ thống Thi đua – Khen thưởng. Thư được gửi tự động, vui lòng không trả lời.\n"
    )
