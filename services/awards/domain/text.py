"""Numbers written the Vietnamese way (decimal comma) and the English way."""

from __future__ import annotations


def num_en(value: float) -> str:
    """12.5 → '12.5', 20.0 → '20'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def num_vi(value: float) -> str:
    """12.5 → '12,5', 20.0 → '20'."""
    return num_en(value).replace(".", ",")


def pct_en(share: float) -> str:
    """0.6 → '60%', 0.7143 → '71.4%'."""
    return f"{num_en(round(share * 100, 1))}%"


def pct_vi(share: float) -> str:
    """0.6 → '60%', 0.7143 → '71,4%'."""
    return pct_en(share).replace(".", ",")


DISCIPLINE_EN = {
    "khien_trach": "reprimand",
    "canh_cao": "warning",
    "ha_bac_luong": "salary downgrade",
    "giang_chuc": "demotion",
    "cach_chuc": "dismissal from post",
    "buoc_thoi_viec": "forced resignation",
}
"""English names of the discipline forms (DisciplineForm values)."""

LEVEL_EN = {"co_so": "grassroots", "bo": "ministry", "toan_quoc": "national"}
"""English names of recognition levels (Level values)."""

INITIATIVE_EN = {"sang_kien": "initiative", "de_tai": "research work"}
"""English names of initiative kinds (InitiativeKind values)."""
