"""The reporting service's part: wait until its year-end summary shows what was played, then read it.

The reporting service builds its answers from Kafka, so it is *eventually*
current: the scenario polls ``GET /summaries/{year}`` until the figures equal
the plan's (or a timeout passes, with a message naming the figures that
differ), then reads the 2024 targets from its movements read model.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from tdkt.demo_data.article import ARTICLE_2023, TARGETS_2024
from tdkt.demo_data.model import ArticleCount, Ministry
from tdkt.demo_data.verify import planned_flows

from .client import Services
from .progress import Reporter


class FiguresNotReached(TimeoutError):
    """The reporting service did not show the expected figures in time."""


def summary_figures(summary: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:
    """(code, flow) → (individuals, collectives) of a summary: what was proposed, and what the Minister granted
    (the flows the year-end paragraph names; titles unit heads grant are left out, as the paragraph does)."""
    figures: dict[tuple[str, str], tuple[int, int]] = {}
    for item in summary.get("proposed", []):
        key = (item["award_code"], "proposed")
        ind, col = figures.get(key, (0, 0))
        figures[key] = (ind + item["individuals"], col + item["collectives"])
    for item in summary.get("granted", []):
        if item.get("authority") != "minister":
            continue
        key = (item["award_code"], "granted")
        ind, col = figures.get(key, (0, 0))
        figures[key] = (ind + item["individuals"], col + item["collectives"])
    return figures


def summary_flows(summary: dict[str, Any]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(code, flow, authority) → (individuals, collectives) of every flow of a summary."""
    flows: dict[tuple[str, str, str], tuple[int, int]] = {}
    for section, flow, key in (("proposed", "proposed", "to_authority"), ("granted", "granted", "authority"),
                               ("conferred_by_higher", "conferred", "authority")):
        for item in summary.get(section, []):
            flows[(item["award_code"], flow, item[key])] = (item["individuals"], item["collectives"])
    return flows


def article_figures(counts: tuple[ArticleCount, ...] = ARTICLE_2023) -> dict[tuple[str, str], tuple[int, int]]:
    """The article's figures in the same shape."""
    return {(c.code, c.flow): (c.individuals, c.collectives) for c in counts}


async def wait_for_summary(api: Services, ministry: Ministry, reporter: Reporter, *, year: int = 2023,
                           timeout: float = 180.0) -> dict[str, Any]:
    """Poll ``GET /summaries/{year}`` until every flow of the year equals the plan's (what was proposed,
    granted by the Minister and by unit heads, conferred by the higher authorities); the summary."""
    wanted = planned_flows(ministry, year)
    total = sum(i + c for i, c in wanted.values())
    with reporter.step(f"Báo cáo {year} (reporting)", total=total) as step:
        deadline = time.monotonic() + timeout
        shown = 0
        while True:
            summary = await api.reporting.get(f"/summaries/{year}")
            found = summary_flows(summary)
            counted = sum(min(found.get(k, (0, 0))[0], i) + min(found.get(k, (0, 0))[1], c)
                          for k, (i, c) in wanted.items())
            step.advance(counted - shown)
            shown = counted
            if found == wanted:
                step.note(f"{summary['as_of'].get('events_applied', '?')} sự kiện đã áp dụng")
                return summary
            if time.monotonic() > deadline:
                raise FiguresNotReached(
                    f"GET /summaries/{year} did not show the figures played within {timeout:.0f} s; "
                    "still different:\n  " + "\n  ".join(_flow_differences(found, wanted))
                    + f"\n(read model as of {summary.get('as_of')})")
            await asyncio.sleep(1.0)


def _flow_differences(found: dict[tuple[str, str, str], tuple[int, int]],
                      wanted: dict[tuple[str, str, str], tuple[int, int]]) -> list[str]:
    return [f"{' '.join(k)}: {found.get(k, (0, 0))} (expected {wanted.get(k, (0, 0))}) [individuals, collectives]"
            for k in sorted(set(found) | set(wanted)) if found.get(k, (0, 0)) != wanted.get(k, (0, 0))]


@dataclass(frozen=True)
class TargetStatus:
    """A 2024 target as the reporting service shows it."""

    target_id: str
    description: str
    threshold_percent: float
    numerator: int | None
    denominator: int | None
    share_percent: float | None
    status: str  # open | met | missed


async def targets_status(api: Services, reporter: Reporter, *, year: int = 2024,
                         timeout: float = 60.0) -> list[TargetStatus]:
    """The year's targets from the reporting service, once it has their final outcome (or the latest numbers)."""
    wanted = {t.target_id for t in TARGETS_2024}
    with reporter.step(f"Chỉ tiêu {year} (targets)", total=len(wanted)) as step:
        deadline = time.monotonic() + timeout
        while True:
            answer = await api.reporting.get("/targets", year=year, limit=100)
            items = {t["target_id"]: t for t in answer.get("items", []) if t["target_id"] in wanted}
            final = [t for t in items.values() if t.get("status") in ("met", "missed")]
            if len(final) == len(wanted) or time.monotonic() > deadline:
                step.advance(len(items))
                step.note(", ".join(f"{t.get('status')}" for t in items.values()))
                return [
                    TargetStatus(
                        target_id=t["target_id"], description=t.get("description") or "",
                        threshold_percent=float(t.get("threshold_percent") or 0),
                        numerator=t.get("numerator"), denominator=t.get("denominator"),
                        share_percent=float(t["share_percent"]) if t.get("share_percent") is not None else None,
                        status=t.get("status") or "open",
                    )
                    for t in sorted(items.values(), key=lambda t: t["target_id"])
                ]
            await asyncio.sleep(1.0)
