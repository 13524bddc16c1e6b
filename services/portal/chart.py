"""The home page's chart, drawn on the server as SVG: no script, no library, readable without colour."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .formats import number


@dataclass(frozen=True)
class Bar:
    label: str
    individuals: int
    collectives: int
    href: str


def bars_svg(title: str, groups: list[tuple[str, list[Bar]]], width: int = 720) -> str:
    """Horizontal bars, one per award, grouped (granted / proposed / conferred): individuals and collectives
    side by side, each with its number written out; a <title> and a <desc> for screen readers."""
    row, gap, left, right = 22, 26, 300, 70
    rows = sum(len(bars) for _, bars in groups)
    height = 30 + rows * (2 * row + 6) + len(groups) * gap
    biggest = max([max(b.individuals, b.collectives) for _, bars in groups for b in bars] + [1])
    scale = (width - left - right) / biggest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">' + escape("; ".join(
            f"{b.label}: {b.individuals} cá nhân, {b.collectives} tập thể" for _, bars in groups for b in bars
        )) + "</desc>",
        f'<g class="legend"><rect x="{left}" y="4" width="14" height="14" class="ind"/>'
        f'<text x="{left + 20}" y="16">Cá nhân</text>'
        f'<rect x="{left + 110}" y="4" width="14" height="14" class="col"/>'
        f'<text x="{left + 130}" y="16">Tập thể</text></g>',
    ]
    y = 30
    for heading, bars in groups:
        y += gap
        parts.append(f'<text x="4" y="{y - 8}" class="group">{escape(heading)}</text>')
        for bar in bars:
            parts.append(f'<a href="{escape(bar.href)}"><text x="4" y="{y + row}" class="label">'
                         f'{escape(_short(bar.label))}</text></a>')
            for offset, value, kind in ((0, bar.individuals, "ind"), (row, bar.collectives, "col")):
                w = max(value * scale, 1 if value else 0)
                parts.append(f'<rect x="{left}" y="{y + offset}" width="{w:.1f}" height="{row - 4}" class="{kind}"/>')
                parts.append(f'<text x="{left + w + 6:.1f}" y="{y + offset + row - 8}" class="value">'
                             f'{number(value)}</text>')
            y += 2 * row + 6
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, size: int = 44) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
