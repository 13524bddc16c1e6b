"""Imports in the portal: the file kept between its dry run and its apply, and the problems' Vietnamese.

The portal has no database; a checked file waits in memory for the person who checked it, bounded in
number, size and time, so "apply" sends exactly the bytes the dry run reported on (no second upload).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 10 * 1024 * 1024
"""The units service's own limit on an import body: a larger file is refused before it is sent."""
KEEP_SECONDS = 30 * 60
"""A checked file waits this long to be applied."""
MAX_DRAFTS = 20
"""Checked files kept at once (all people together); the oldest goes first."""

KINDS_VI = {"units": "Đơn vị", "people": "Cán bộ, công chức, viên chức", "grades": "Kết quả xếp loại hằng năm"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {".xlsx": XLSX, ".csv": "text/csv", ".json": "application/json"}

PROBLEM_VI: dict[str, str] = {
    "missing_column": "Thiếu cột bắt buộc",
    "missing_value": "Ô bắt buộc để trống",
    "invalid_date": "Ngày không hợp lệ (viết dd/mm/yyyy)",
    "invalid_value": "Giá trị không hợp lệ",
    "invalid_text": "Văn bản không hợp lệ (ký tự lạ hoặc lỗi mã hoá tiếng Việt)",
    "invalid_name": "Họ tên hoặc tên không hợp lệ",
    "invalid_id": "Mã không hợp lệ (không dấu cách, không ký tự lạ)",
    "invalid_code": "Mã đơn vị không hợp lệ",
    "duplicate_row": "Trùng với một dòng khác trong tệp",
    "id_taken": "Mã đã dùng cho đối tượng khác",
    "unit_not_found": "Không tìm thấy đơn vị",
    "unit_not_established": "Đơn vị chưa thành lập vào ngày này",
    "unit_dissolved": "Đơn vị đã giải thể",
    "unit_merged": "Đơn vị đã sáp nhập",
    "unit_exists": "Đơn vị đã có với thông tin khác (sửa qua điều chỉnh)",
    "unit_code_taken": "Mã đơn vị đã được dùng",
    "person_exists": "Cán bộ đã có với thông tin khác (sửa qua điều chỉnh)",
    "person_not_found": "Không tìm thấy cán bộ",
    "person_left": "Cán bộ đã nghỉ",
    "grade_exists": "Năm này đã có xếp loại khác (sửa qua điều chỉnh có lý do)",
    "grade_future_year": "Năm xếp loại chưa đến",
    "grade_before_joining": "Năm xếp loại trước khi vào ngành",
    "grade_before_established": "Năm xếp loại trước khi đơn vị thành lập",
    "date_in_future": "Ngày ở tương lai",
    "birth_date_implausible": "Ngày sinh không hợp lý (tuổi khi vào ngành)",
    "move_creates_cycle": "Đơn vị cấp trên tạo vòng lặp",
    "parent_row_invalid": "Dòng của đơn vị cấp trên có lỗi",
    "name_mismatch": "Họ tên không khớp với hồ sơ",
    "effective_date_out_of_order": "Ngày hiệu lực trước thay đổi đã ghi",
    "invalid_period": "Khoảng thời gian không hợp lệ",
}
"""Each problem code of the units import in Vietnamese; the service's own message is shown beside it."""

FILE_VI: dict[str, str] = {
    "invalid_file": "Không đọc được tệp",
    "unsupported_format": "Định dạng không được hỗ trợ: dùng .xlsx, .csv (UTF-8) hoặc .json",
    "payload_too_large": "Tệp quá lớn (tối đa 10 MiB)",
}


def problem_vi(code: str) -> str:
    """The Vietnamese reason of a problem code (an unknown one: a general phrase; the detail follows)."""
    return PROBLEM_VI.get(code, "Dòng không hợp lệ")


def media_type(filename: str) -> str | None:
    """The file's format by its name, as the units service reads it (None: a format it does not take)."""
    dot = filename.rfind(".")
    return MEDIA_TYPES.get(filename[dot:].lower()) if dot >= 0 else None


@dataclass
class Draft:
    """A checked file waiting for its apply."""

    owner: str
    kind: str
    filename: str
    media_type: str
    content: bytes
    report: dict[str, Any]
    draft_id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    checked_at: float = field(default_factory=time.time)
    applied: dict[str, Any] | None = None


class Drafts:
    """The checked files, by id; each seen only by the session that checked it."""

    def __init__(self) -> None:
        self._drafts: dict[str, Draft] = {}

    def keep(self, draft: Draft) -> Draft:
        """Keep ``draft`` (the same person's earlier one is dropped: one file at a time)."""
        self._forget(lambda d: d.owner == draft.owner or time.time() - d.checked_at > KEEP_SECONDS)
        while len(self._drafts) >= MAX_DRAFTS:
            self._drafts.pop(min(self._drafts.values(), key=lambda d: d.checked_at).draft_id)
        self._drafts[draft.draft_id] = draft
        return draft

    def find(self, draft_id: str, owner: str) -> Draft | None:
        found = self._drafts.get(draft_id)
        if found is None or found.owner != owner or time.time() - found.checked_at > KEEP_SECONDS:
            return None
        return found

    def _forget(self, which: Any) -> None:
        for draft_id in [d.draft_id for d in self._drafts.values() if which(d)]:
            self._drafts.pop(draft_id, None)
