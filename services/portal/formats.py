"""How the portal writes numbers, dates and labels for Vietnamese readers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

VIETNAM = timezone(timedelta(hours=7), "ICT")

ROLE_VI = {
    "unit_officer": "Cán bộ thi đua đơn vị",
    "emulation_office": "Thường trực Hội đồng TĐKT",
    "council_member": "Thành viên Hội đồng TĐKT",
    "approver": "Người có thẩm quyền quyết định",
    "reader": "Người xem",
    "administrator": "Quản trị hệ thống",
}
AUTHORITY_VI = {
    "minister": "Bộ trưởng", "unit_head": "Thủ trưởng đơn vị", "president": "Chủ tịch nước",
    "prime_minister": "Thủ tướng Chính phủ", "other_ministry": "Bộ, ngành khác", "government": "Chính phủ",
}
FLOW_VI = {"granted": "Bộ tặng / đơn vị tặng", "proposed": "Trình cấp trên", "conferred": "Cấp trên đã tặng"}
STATUS_VI = {
    "met": "Đạt", "missed": "Không đạt", "open": "Đang thực hiện", "active": "Đang diễn ra", "closed": "Đã kết thúc",
    "achieved": "Hoàn thành", "partly_achieved": "Hoàn thành một phần", "not_achieved": "Chưa hoàn thành",
    "passed": "Đạt", "failed": "Không đạt", "unknown": "Chưa đủ dữ liệu", "eligible": "Đủ điều kiện",
    "not_eligible": "Chưa đủ điều kiện", "submitted": "Đã đăng ký", "withdrawn": "Đã rút",
    "signed": "Đã ký", "mid_reviewed": "Đã sơ kết", "final_reviewed": "Đã tổng kết",
}
RECIPIENT_VI = {"individual": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}


def number(value: Any, decimals: int = 0) -> str:
    """1234567.5 → "1.234.567,5" (dot between thousands, comma before decimals)."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value: Any) -> str:
    return "—" if value is None else f"{number(value, 1)}%"


def day(value: Any) -> str:
    """An ISO date (or datetime) → dd/mm/yyyy."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def moment(value: Any) -> str:
    """An ISO timestamp → "dd/mm/yyyy HH:MM" in Hà Nội time."""
    if not value:
        return "—"
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def parse_day(text: str | None) -> date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) → a date; ValueError saying what is expected otherwise."""
    if not text:
        return None
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"ngày không hợp lệ: {text!r} (viết theo dạng dd/mm/yyyy)")


def options(items: list[dict[str, Any]], value_key: str, label_key: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a select or checkboxes, from a service's list of records."""
    return [(str(i[value_key]), str(i.get(label_key) or i[value_key])) for i in items]


def label(table: dict[str, str], value: Any) -> str:
    return table.get(str(value), str(value)) if value is not None else "—"


def now_vn() -> datetime:
    return datetime.now(VIETNAM)


_DECISION_NUMBER = re.compile(r"^(?P<serial>[0-9]{1,6}[a-z]?)/QĐ-(?P<issuer>[^/\s]{1,32})$")


def decision_path(decision_number: str | None, decision_date: Any) -> str | None:
    """Where the awards service files a decision: ``/decisions/BCT/2023/1520`` for ``1520/QĐ-BCT`` dated in 2023
    (numbers restart every year in each issuer's register); None for a number in another shape or no date."""
    found = _DECISION_NUMBER.match(unicodedata.normalize("NFC", (decision_number or "").strip()))
    when = decision_date if isinstance(decision_date, date) or not decision_date else parse_day(str(decision_date))
    if found is None or not when:
        return None
    return f"/decisions/{quote(found['issuer'])}/{when.year}/{found['serial']}"
