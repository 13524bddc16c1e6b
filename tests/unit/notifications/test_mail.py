"""The e-mail a notification becomes: UTF-8 headers, the derived Message-ID; the sender's bounded back-off."""

from __future__ import annotations

import email
import email.policy
import unicodedata

from services.notifications.domain import Kind, Notice, Recipient
from services.notifications.mailer import Sender, build_message, compose, message_id
from services.notifications.projections.outbox import PendingMail
from services.notifications.settings import NotificationsSettings


def test_the_message_carries_vietnamese_headers_and_the_notifications_id() -> None:
    subject = ("Sắp đến hạn (03/12/2026): Hạn đăng ký thi đua phong trào “Cán bộ, công chức, viên chức Bộ Công "
               "Thương thi đua thực hiện văn hóa công sở” và phong trào thi đua yêu nước năm 2026")
    notice = Notice("acc", Kind.DEADLINE_SOON, "n-1/c-2/e", subject,
                    "Lý do: thiếu sáng kiến.", "/units/u-1")
    person = Recipient("acc", "canbo.vpb@tdkt.local", "unit_officer", unicodedata.normalize("NFD", "Hoàng Thị Mai"),
                       "u-1")
    mid, subject, body = compose("http://portal.local/")(notice, person)
    assert mid == f"<{notice.notification_id}@notifications.tdkt>" == message_id(notice)
    assert "Kính gửi Hoàng Thị Mai" in body and "http://portal.local/units/u-1" in body
    mail = PendingMail(notice.notification_id, mid, person.email, person.display_name, subject, body, 0)
    raw = build_message(mail, "Thi đua – Khen thưởng <tdkt@moit.gov.vn>").as_bytes()
    assert all(b < 128 for b in raw.split(b"\r\n\r\n", 1)[0])  # headers: ASCII on the wire (RFC 2047)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == subject  # every space kept (a folded encoded subject lost them)
    assert parsed["To"].addresses[0].display_name == "Hoàng Thị Mai"  # composed (NFC)
    assert parsed["From"].addresses[0].display_name == "Thi đua – Khen thưởng"
    assert parsed["Message-ID"] == mid
    assert parsed.get_content_charset() == "utf-8" and "thiếu sáng kiến" in parsed.get_content()


def test_retries_back_off_to_a_bound_and_end() -> None:
    settings = NotificationsSettings(mail_retry_base_s=2, mail_retry_max_s=60, mail_max_attempts=8)
    sender = Sender(settings, lambda: None)
    assert [sender.retry_in(n) for n in range(1, 9)] == [2, 4, 8, 16, 32, 60, 60, None]
