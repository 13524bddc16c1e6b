"""The periodic statistical report on emulation and commendation, as a documented equivalent. Pure.

The Ministry of Home Affairs asks ministries for statistics on emulation and
commendation under Thông tư 02/2023/TT-BNV. The layout of that circular's
forms could not be confirmed from a source available to this project, so this
module does **not** claim to reproduce them: it produces an equivalent table
with the dimensions such a report needs (year × title or award × deciding
authority × individual / collective), with subtotals, in three parts:

A. what the Ministry decided itself (Bộ trưởng, thủ trưởng đơn vị), titles then awards;
B. what the Ministry proposed to higher authorities (trình), by authority;
C. what those authorities conferred on the Ministry's proposal.

Revoked awards stay counted in their year and are shown in their own column.
When the form is confirmed, a mapping from these rows to its cells is all that
is needed: the figures are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tdkt_contracts.vocabulary import Authority

from .exports import Column
from .projections.award_stats import StatRow
from .summary import AUTHORITY_ORDER, AwardOrder, load_award_order

FORM_CODE = "TĐKT-TK-01"
"""Our name for the equivalent form (not a code of Thông tư 02/2023/TT-BNV)."""

FORM_NOTE = (
    "Mẫu tương đương do hệ thống lập: chưa đối chiếu được bố cục biểu mẫu của Thông tư 02/2023/TT-BNV; "
    "số liệu theo năm, danh hiệu/hình thức, cấp quyết định, cá nhân/tập thể."
)

PARTS: tuple[tuple[str, str, str], ...] = (
    ("A", "granted", "Khen thưởng do Bộ quyết định"),
    ("B", "proposed", "Bộ trình cấp trên xét khen thưởng"),
    ("C", "conferred", "Cấp trên quyết định khen thưởng theo đề nghị của Bộ"),
)
SECTIONS: dict[str, str] = {"title": "Danh hiệu thi đua, danh hiệu vinh dự", "award": "Hình thức khen thưởng"}

COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", width=8),
    Column("label", "Danh hiệu / Hình thức", width=60),
    Column("authority_vi", "Cấp quyết định", width=36),
    Column("collectives", "Tập thể", width=10),
    Column("individuals", "Cá nhân", width=10),
    Column("households", "Hộ gia đình", width=12),
    Column("total", "Tổng số", width=10),
    Column("revoked", "Trong đó bị thu hồi", width=14),
)


KIND_COLUMN = {"collective": "collectives", "individual": "individuals", "household": "households"}
"""The report's column for each recipient kind of the contracts."""


def authority_vi(authority: str, to_body: str = "") -> str:
    """The authority's Vietnamese label, with the body addressed for another ministry."""
    try:
        label = Authority(authority).label_vi
    except ValueError:
        label = authority
    if to_body and authority == Authority.OTHER_MINISTRY.value:
        return f"{label} ({to_body})"
    return label


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V"][n - 1]


def annual_report(
    year: int, rows: Iterable[StatRow], names: Mapping[str, str], order: AwardOrder | None = None
) -> dict[str, Any]:
    """The report of ``year``: parts, sections, lines and subtotals, plus the flat rows an export writes."""
    order = order or load_award_order()
    rows = [r for r in rows if r.key.year == year]
    parts: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    for part_code, flow, part_title in PARTS:
        part_rows = [r for r in rows if r.key.flow == flow]
        lines: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in part_rows:
            k = r.key
            line = lines.setdefault(
                (k.award_code, k.authority, k.to_body),
                {
                    "award_code": k.award_code,
                    "label": order.name(k.award_code, names.get(k.award_code)),
                    "section": order.section(k.award_code, k.award_kind),
                    "authority": k.authority,
                    "to_body": k.to_body or None,
                    "authority_vi": authority_vi(k.authority, k.to_body),
                    "collectives": 0,
                    "individuals": 0,
                    "households": 0,
                    "revoked": 0,
                },
            )
            line[KIND_COLUMN.get(k.recipient_kind, "individuals")] += r.count
            line["revoked"] += r.revoked
        ordered = sorted(
            lines.values(),
            key=lambda line: (
                order.position(line["award_code"]),
                AUTHORITY_ORDER.index(line["authority"]) if line["authority"] in AUTHORITY_ORDER else 99,
                line["to_body"] or "",
            ),
        )
        for line in ordered:
            line["total"] = line["collectives"] + line["individuals"] + line["households"]
        sections = []
        flat.append({"kind": "part", "stt": part_code, "label": part_title.upper()})
        for number, (section, section_title) in enumerate(
            [(s, t) for s, t in SECTIONS.items() if any(line["section"] == s for line in ordered)], start=1
        ):
            section_lines = [line for line in ordered if line["section"] == section]
            flat.append({"kind": "section", "stt": _roman(number), "label": section_title})
            for i, line in enumerate(section_lines, start=1):
                flat.append({"kind": "line", "stt": str(i), **line})
            sections.append({"section": section, "title": section_title, "lines": section_lines})
        subtotal = {
            key: sum(line[key] for line in ordered) for key in ("collectives", "individuals", "households", "total", "revoked")
        }
        flat.append({"kind": "subtotal", "stt": "", "label": f"Cộng phần {part_code}", **subtotal})
        parts.append({"part": part_code, "flow": flow, "title": part_title, "sections": sections, "subtotal": subtotal})
    return {
        "year": year,
        "form": FORM_CODE,
        "title": f"BÁO CÁO THỐNG KÊ SỐ LƯỢNG THI ĐUA, KHEN THƯỞNG NĂM {year}",
        "note": FORM_NOTE,
        "parts": parts,
        "rows": flat,
    }


def is_bold(row: Mapping[str, Any]) -> bool:
    """Part, section and subtotal rows are bold in the workbook."""
    return row.get("kind") in {"part", "section", "subtotal"}
