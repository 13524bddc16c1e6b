"""The year-end summary: the year's figures and the paragraph the Ministry's report prints. Pure: no I/O
except reading the award order (``award_order.yaml``) once.

For 2023 the source article (Báo Công Thương, 2024) writes::

    năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, Nhà giáo ưu tú cho 3 cá nhân;
    Huân chương Lao động hạng Ba cho 1 tập thể, 3 cá nhân; Bằng khen của Thủ tướng Chính phủ cho 9 cá nhân;
    Kỷ niệm chương “Vì sự nghiệp giáo dục” cho 78 cá nhân.
    Đồng thời, tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 68 tập thể, 214 cá nhân; Chiến sĩ thi đua Bộ
    Công Thương cho 87 cá nhân; Kỷ niệm chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam” cho 83 cá nhân.

(the article's "Nhà giáo uu tú" is a typing slip for "ưu tú"). The figures come
from the ``award_stats`` rows of the year: *proposed* (trình) are the
recipients the Ministry forwarded to other authorities, *granted* (tặng) those
the Ministry conferred itself, *conferred_by_higher* those the other
authorities then conferred. Revoked awards stay counted, as the contract says,
and are shown apart under ``revoked``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from tdkt_contracts.vocabulary import Authority

from .projections.award_stats import StatRow

ORDER_FILE = Path(__file__).resolve().parent / "award_order.yaml"
AUTHORITY_ORDER: tuple[str, ...] = tuple(a.value for a in Authority)


@dataclass(frozen=True)
class OrderEntry:
    """How one award code is ordered and named (see ``award_order.yaml``)."""

    code: str
    name: str
    group: str
    prefix: str | None = None
    section: str = "award"


@dataclass(frozen=True)
class AwardOrder:
    """The configured order of award codes; unknown codes come after, by code."""

    entries: tuple[OrderEntry, ...]
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({e.code: i for i, e in enumerate(self.entries)})

    @property
    def codes(self) -> frozenset[str]:
        """Every configured code."""
        return frozenset(self._index)

    def position(self, code: str) -> tuple[int, str]:
        """Sort key of a code."""
        return (self._index.get(code, len(self.entries)), code)

    def entry(self, code: str) -> OrderEntry | None:
        """The configuration of a code, if any."""
        i = self._index.get(code)
        return self.entries[i] if i is not None else None

    def name(self, code: str, fallback: str | None = None) -> str:
        """The configured name, else the events' name with its quotes made curly, else the code."""
        e = self.entry(code)
        if e is not None:
            return e.name
        return curly_quotes(fallback) if fallback else code

    def section(self, code: str, award_kind: str | None = None) -> str:
        """title or award: the configured section, else the events' kind."""
        e = self.entry(code)
        if e is not None:
            return e.section
        return "title" if award_kind == "title" else "award"


def load_award_order(path: Path | None = None) -> AwardOrder:
    """Read the award order from YAML (``award_order.yaml`` beside this module by default)."""
    return _load(str(path or ORDER_FILE))


@lru_cache(maxsize=4)
def _load(path: str) -> AwardOrder:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = []
    for raw in data["awards"]:
        entries.append(
            OrderEntry(
                code=str(raw["code"]),
                name=str(raw["name"]),
                group=str(raw.get("group") or raw["code"]),
                prefix=raw.get("prefix"),
                section=str(raw.get("section") or "award"),
            )
        )
    codes = [e.code for e in entries]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: a code is listed twice")
    return AwardOrder(tuple(entries))


def curly_quotes(text: str) -> str:
    """Turn straight double quotes into “…” pairs, as Vietnamese print does."""
    out: list[str] = []
    opening = True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def number_vi(n: int) -> str:
    """An integer the Vietnamese way: a dot between thousands (1.234)."""
    return f"{n:,}".replace(",", ".")


@dataclass
class SummaryItem:
    """The count of one award (and one authority) in one flow of a year."""

    award_code: str
    award_name: str
    authority: str
    individuals: int = 0
    collectives: int = 0
    households: int = 0
    revoked: int = 0

    def as_dict(self, flow: str) -> dict[str, Any]:
        """JSON form; a proposal names the authority it went to (``to_authority``)."""
        key = "to_authority" if flow == "proposed" else "authority"
        return {
            "award_code": self.award_code,
            "award_name": self.award_name,
            "individuals": self.individuals,
            "collectives": self.collectives,
            "households": self.households,
            "total": self.individuals + self.collectives + self.households,
            "revoked": self.revoked,
            key: self.authority,
        }


def items_for(
    year: int, flow: str, rows: Iterable[StatRow], names: Mapping[str, str], order: AwardOrder
) -> list[SummaryItem]:
    """The year's items of one flow, one per (award code, authority), in the configured order."""
    found: dict[tuple[str, str], SummaryItem] = {}
    for row in rows:
        k = row.key
        if k.year != year or k.flow != flow:
            continue
        item = found.get((k.award_code, k.authority))
        if item is None:
            item = found[(k.award_code, k.authority)] = SummaryItem(
                k.award_code, order.name(k.award_code, names.get(k.award_code)), k.authority
            )
        if k.recipient_kind == "collective":
            item.collectives += row.count
        elif k.recipient_kind == "household":
            item.households += row.count
        else:
            item.individuals += row.count
        item.revoked += row.revoked
    return sorted(
        found.values(),
        key=lambda i: (
            order.position(i.award_code),
            AUTHORITY_ORDER.index(i.authority) if i.authority in AUTHORITY_ORDER else len(AUTHORITY_ORDER),
            i.authority,
        ),
    )


def _merge_by_code(items: Iterable[SummaryItem]) -> list[SummaryItem]:
    # The paragraph names each award once, whatever authorities it went to.
    merged: dict[str, SummaryItem] = {}
    for item in items:
        m = merged.setdefault(item.award_code, SummaryItem(item.award_code, item.award_name, item.authority))
        m.individuals += item.individuals
        m.collectives += item.collectives
        m.households += item.households
        m.revoked += item.revoked
    return list(merged.values())


def enumerate_vi(items: Iterable[SummaryItem], order: AwardOrder) -> str:
    """"A cho 1 tập thể, 3 cá nhân; B cho 9 cá nhân": the items joined as the report writes them.

    Items of one group are joined by a comma, groups by a semicolon; a group's
    prefix ("danh hiệu") is written once, before its first item.
    """
    parts: list[str] = []
    previous_group: str | None = None
    for item in _merge_by_code(items):
        counts = []
        if item.collectives:
            counts.append(f"{number_vi(item.collectives)} tập thể")
        if item.individuals:
            counts.append(f"{number_vi(item.individuals)} cá nhân")
        if item.households:
            counts.append(f"{number_vi(item.households)} hộ gia đình")
        if not counts:
            continue
        entry = order.entry(item.award_code)
        group = entry.group if entry else f"code:{item.award_code}"
        prefix = entry.prefix if entry else None
        same_group = group == previous_group
        phrase = f"{item.award_name} cho {', '.join(counts)}"
        if prefix and not same_group:
            phrase = f"{prefix} {phrase}"
        if parts:
            parts.append(", " if same_group else "; ")
        parts.append(phrase)
        previous_group = group
    return "".join(parts)


def paragraph_vi(year: int, proposed: list[SummaryItem], granted: list[SummaryItem], order: AwardOrder) -> str:
    """The year's paragraph in the report's style: what the Ministry proposed (trình), then what it granted (tặng)."""
    proposed_text = enumerate_vi(proposed, order)
    granted_text = enumerate_vi(granted, order)
    if proposed_text and granted_text:
        return f"Năm {year}, Bộ đã trình xét tặng {proposed_text}. Đồng thời, tặng {granted_text}."
    if proposed_text:
        return f"Năm {year}, Bộ đã trình xét tặng {proposed_text}."
    if granted_text:
        return f"Năm {year}, Bộ đã tặng {granted_text}."
    return f"Năm {year}, chưa có số liệu khen thưởng."


def paragraph_conferred_vi(year: int, conferred: list[SummaryItem], order: AwardOrder) -> str | None:
    """A sentence on what the higher authorities conferred on the Ministry's proposal, if anything.

    Kept apart from :func:`paragraph_vi`, which reproduces the report's paragraph.
    """
    text = enumerate_vi(conferred, order)
    if not text:
        return None
    return f"Năm {year}, trên cơ sở đề nghị của Bộ, cấp có thẩm quyền đã quyết định tặng {text}."


def year_summary(
    year: int, rows: Iterable[StatRow], names: Mapping[str, str], order: AwardOrder | None = None
) -> dict[str, Any]:
    """The year-end summary: the three flows' figures and the Vietnamese paragraph."""
    order = order or load_award_order()
    rows = list(rows)
    proposed = items_for(year, "proposed", rows, names, order)
    granted = items_for(year, "granted", rows, names, order)
    conferred = items_for(year, "conferred", rows, names, order)

    def totals(items: list[SummaryItem]) -> dict[str, int]:
        return {
            "individuals": sum(i.individuals for i in items),
            "collectives": sum(i.collectives for i in items),
            "households": sum(i.households for i in items),
            "revoked": sum(i.revoked for i in items),
        }

    return {
        "year": year,
        "proposed": [i.as_dict("proposed") for i in proposed],
        "granted": [i.as_dict("granted") for i in granted],
        "conferred_by_higher": [i.as_dict("conferred") for i in conferred],
        "totals": {"proposed": totals(proposed), "granted": totals(granted), "conferred_by_higher": totals(conferred)},
        # The Ministry's report speaks of what the Minister granted; titles unit heads
        # granted in their own power (Lao động tiên tiến, Giấy khen …) stay in the figures.
        "paragraph_vi": paragraph_vi(year, proposed, [i for i in granted if i.authority == "minister"], order),
        "paragraph_conferred_vi": paragraph_conferred_vi(year, conferred, order),
    }
