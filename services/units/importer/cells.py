"""Converting one cell: text, dates (dd/mm/yyyy, ISO, Excel date cells), years, ids, yes/no, enums.

Labels are matched with :func:`fold_key` (no diacritics, no case, no
punctuation), so "Nữ", "nu", "NỮ" and "female" are one value. A cell that
cannot be converted raises :class:`CellError`, whose code becomes the row's problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from tdkt_contracts.vocabulary import Grade, Sex, StaffCategory, UnitKind

from kernel.ids import canonical_id

from ..domain import EvaluationSubject


class CellError(ValueError):
    """A cell's value cannot be converted; ``code`` is the problem's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fold_key(text: Any) -> str:
    """A header or label reduced for matching: no diacritics, no case, no punctuation,
    no parenthesised notes (``"Ngày sinh (dd/mm/yyyy) *"`` → ``"ngay sinh"``)."""
    value = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = re.sub(r"\(.*?\)", " ", value)
    return re.sub(r"[^0-9a-z]+", " ", value.lower()).strip()


def to_text(cell: Any) -> str | None:
    """A cell as text, None when blank. Whole numbers lose Excel's '.0'."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell)
    return text if text.strip() else None


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?$")


def to_date(cell: Any) -> date:
    """An Excel date cell, ``dd/mm/yyyy`` (also with '.' or '-'), or ISO ``yyyy-mm-dd``."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = to_text(cell)
    assert text is not None
    text = text.strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellError("invalid_date", f"'{text}' is not a date: write dd/mm/yyyy (e.g. 05/09/1985) or yyyy-mm-dd")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("invalid_date", f"'{text}' is not a real calendar date (day {day}, month {month})") from None


def to_year(cell: Any) -> int:
    text = (to_text(cell) or "").strip()
    if not re.fullmatch(r"\d{4}", text) or not 1945 <= int(text) <= 2100:
        raise CellError("invalid_value", f"'{text}' is not a year (1945–2100)")
    return int(text)


def to_id(cell: Any) -> str:
    text = to_text(cell)
    assert text is not None
    return canonical_id(text)  # the form the commands record (kernel.ids): 'P-001' and 'p-001' are one person


_TRUE = {"co", "x", "yes", "y", "true", "1", "dung", "doan vien", "la doan vien"}
_FALSE = {"khong", "no", "n", "false", "0", "sai"}


def to_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    key = fold_key(to_text(cell) or "")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("invalid_value", f"'{to_text(cell)}' is not yes/no: write Có or Không (x or blank)")


def enum_converter(
    values: Mapping[str, Any], what: str, examples: str
) -> Callable[[Any], Any]:
    """A converter accepting any of ``values``' keys compared with :func:`fold_key`."""
    table = {fold_key(k): v for k, v in values.items()}

    def convert(cell: Any) -> Any:
        text = to_text(cell) or ""
        found = table.get(fold_key(text))
        if found is None:
            raise CellError("invalid_value", f"'{text.strip()}' is not a {what}; expected one of: {examples}")
        return found

    return convert


def _labelled(enum: Iterable[Any], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for member in enum:
        table[member.value] = member
        table[member.label_vi] = member
    table.update(extra or {})
    return table


to_sex = enum_converter(_labelled(Sex, {"m": Sex.MALE, "f": Sex.FEMALE, "nam gioi": Sex.MALE, "nu gioi": Sex.FEMALE}),
                        "sex (giới tính)", "Nam, Nữ (male, female)")
to_staff_category = enum_converter(
    _labelled(StaffCategory, {"nld": StaffCategory.WORKER, "lao dong": StaffCategory.WORKER}),
    "staff category", "Cán bộ, Công chức, Viên chức, Người lao động",
)
to_unit_kind = enum_converter(
    _labelled(UnitKind, {"bao": UnitKind.NEWSPAPER, "tap chi": UnitKind.NEWSPAPER}),
    "kind of unit (loại đơn vị)", ", ".join(k.label_vi for k in UnitKind),
)
to_grade = enum_converter(
    _labelled(
        Grade,
        {
            "hoan thanh xuat sac": Grade.EXCELLENT,
            "xuat sac": Grade.EXCELLENT,
            "hoan thanh tot": Grade.GOOD,
            "tot": Grade.GOOD,
            "hoan thanh": Grade.COMPLETED,
            "khong hoan thanh": Grade.NOT_COMPLETED,
        },
    ),
    "grade (xếp loại)", "HTXS, HTT, HT, KHT or their full names (Hoàn thành xuất sắc nhiệm vụ …)",
)
to_subject = enum_converter(
    {
        "person": EvaluationSubject.PERSON, "ca nhan": EvaluationSubject.PERSON,
        "individual": EvaluationSubject.PERSON, "unit": EvaluationSubject.UNIT,
        "tap the": EvaluationSubject.UNIT, "collective": EvaluationSubject.UNIT, "don vi": EvaluationSubject.UNIT,
    },
    "subject", "Cá nhân (person) or Tập thể (unit)",
)
