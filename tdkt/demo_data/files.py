"""The generated units, people and grades as the spreadsheets an office would import.

Columns are the Vietnamese headers of the units importer
(``services/units/README.md``, "Bulk import"); dates are ``dd/mm/yyyy``;
files are "CSV UTF-8" as Excel saves them (with a byte-order mark), so the
same files open in Excel and go through ``tdkt import`` unchanged. Grades
come one file per year (``xep_loai_2023.csv``), as offices keep them, which
also keeps each import's transaction a modest size.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Ministry

_SEX = {"male": "Nam", "female": "Nữ"}
_CATEGORY = {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức", "nguoi_lao_dong": "Người lao động"}
_KIND = {
    "bo": "Bộ", "vu": "Vụ", "tong_cuc": "Tổng cục", "cuc": "Cục", "van_phong": "Văn phòng", "thanh_tra": "Thanh tra",
    "vien": "Viện", "truong": "Trường", "tong_cong_ty": "Tổng công ty", "tap_doan": "Tập đoàn",
    "bao_tap_chi": "Báo, tạp chí", "cong_doan": "Công đoàn", "trung_tam": "Trung tâm", "phong": "Phòng", "khac": "Khác",
}


def _grade_basis(year: int) -> str:
    """The decree the year's grading followed: NĐ 56/2015 (amended by NĐ 88/2017) until 2019, NĐ 90/2020
    from 2020, amended by NĐ 48/2023 from 2023."""
    if year <= 2019:
        return "Nghị định 56/2015/NĐ-CP, Nghị định 88/2017/NĐ-CP"
    if year <= 2022:
        return "Nghị định 90/2020/NĐ-CP"
    return "Nghị định 90/2020/NĐ-CP, Nghị định 48/2023/NĐ-CP"


@dataclass(frozen=True)
class ImportFile:
    """One file for ``POST /imports/{kind}``."""

    kind: str  # "units" | "people" | "grades"
    filename: str
    content: bytes
    rows: int


def _day(d: date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def import_files(ministry: Ministry) -> list[ImportFile]:
    """The files to import, in order: units, people, then grades year by year."""
    code_of = {u.unit_id: u.code for u in ministry.units}
    units = [
        [str(i + 1), u.code, u.unit_id, u.name, _KIND[u.kind], code_of.get(u.parent_id or "", ""),
         _day(u.established_on), u.decision_number or ""]
        for i, u in enumerate(ministry.units)
    ]
    files = [ImportFile("units", "don_vi.csv", _csv(
        ["STT", "Mã đơn vị", "Mã định danh", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Ngày thành lập",
         "Số quyết định"], units), len(units))]
    people = [
        [str(i + 1), p.person_id, p.full_name, _SEX[p.sex], _day(p.date_of_birth), _day(p.sector_joined_on),
         code_of[p.unit_id], p.position, _CATEGORY[p.staff_category], "x" if p.union_member else ""]
        for i, p in enumerate(ministry.people)
    ]
    files.append(ImportFile("people", "can_bo.csv", _csv(
        ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh (dd/mm/yyyy)", "Ngày vào ngành", "Mã đơn vị",
         "Chức vụ", "Loại cán bộ", "Đoàn viên công đoàn"], people), len(people)))
    names = {p.person_id: p.full_name for p in ministry.people}
    years = sorted({y for _, y in ministry.grades} | {y for _, y in ministry.unit_grades})
    for year in years:
        rows: list[list[str]] = []
        for (uid, y), grade in ministry.unit_grades.items():
            if y == year:
                rows.append(["Tập thể", "", code_of[uid], "", str(year), grade, "", _grade_basis(year)])
        for (pid, y), grade in ministry.grades.items():
            if y == year:
                rows.append(["Cá nhân", pid, "", names[pid], str(year), grade, "", _grade_basis(year)])
        files.append(ImportFile("grades", f"xep_loai_{year}.csv", _csv(
            ["Đối tượng", "Mã cán bộ", "Mã đơn vị", "Họ và tên", "Năm", "Xếp loại", "Số quyết định", "Căn cứ"],
            rows), len(rows)))
    return files


def write_import_files(ministry: Ministry, directory: Path) -> list[Path]:
    """Write :func:`import_files` into ``directory``; the paths written, in import order."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for f in import_files(ministry):
        path = directory / f.filename
        path.write_bytes(f.content)
        written.append(path)
    return written
