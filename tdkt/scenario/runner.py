"""The scenario: the article's story played through the services' HTTP APIs, in the order it happened.

1. **Units** — the tree, the staff and their 2017–2024 grades are imported as an office would upload its
   spreadsheets; discipline decisions and recognised initiatives are recorded one by one.
2. **Campaigns, 2023** — the movements the article names (Government, Prime Minister, the Ministry's
   responses, the Ministry's 2023 movement) and the units' registrations.
3. **Awards** — the Ministry's council, the facts only nomination files carry, then every nomination of
   2017–2023 (unit heads' titles, the Ministry's rounds, the proposals upward and the decisions that came
   back), so that 2023 ends with the article's figures, every award checked by the engine on arrival.
4. **Campaigns, 2024** — the conference: the 2023 movement reviewed and closed, the union's 2024 movement,
   the pledge with the article's five contents, the three targets; then 2024's results and the year's close.
5. **Reporting** — wait until ``GET /summaries/2023`` shows the figures, read the 2024 targets.

Nothing is written to a database or a topic directly: every fact enters through a service's API, and the
reporting service learns it from Kafka.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tdkt.demo_data import DEFAULT_STAFF, Ministry, generate_ministry
from tdkt.demo_data.verify import planned_flows

from . import awards_steps, campaigns_steps, reporting_steps, units_steps
from .client import Services, Signer
from .progress import PlainReporter, Reporter, StepTiming
from .reporting_steps import TargetStatus, summary_flows


@dataclass
class ScenarioResult:
    """What the scenario played and what the reporting service then showed."""

    ministry: Ministry
    summary: dict[str, Any]
    targets: list[TargetStatus]
    pledge: dict[str, Any] = field(default_factory=dict)
    """The 2024 pledge as the campaigns service holds it (parties, clauses with the final review's results)."""
    timings: list[StepTiming] = field(default_factory=list)
    seconds: float = 0.0
    already_played: bool = False


@dataclass(frozen=True)
class ScenarioOptions:
    """The size of the generated ministry and how much history is replayed."""

    seed: int = 2024
    staff: int = DEFAULT_STAFF
    history_from: int = 2019
    background: bool = True
    concurrency: int = 6
    summary_timeout: float = 300.0


async def play_scenario(urls: Mapping[str, str], sign: Signer, options: ScenarioOptions = ScenarioOptions(), *,
                        reporter: Reporter | None = None, ministry: Ministry | None = None,
                        today: date | None = None) -> ScenarioResult:
    """Play the story against the services at ``urls`` (``stack.service_urls``), acting through tokens
    ``sign`` mints; the result once the reporting service shows it. Played again on a stack that already
    holds it, it only reads the results."""
    reporter = reporter or PlainReporter()
    started = time.perf_counter()
    if ministry is None:
        with reporter.step("Sinh dữ liệu (generate)") as step:
            ministry = generate_ministry(options.seed, staff=options.staff, history_from=options.history_from,
                                         background=options.background)
            step.note(f"{len(ministry.units)} đơn vị, {len(ministry.people)} cán bộ, "
                      f"{len(ministry.nominations)} hồ sơ khen thưởng (seed {options.seed})")
    async with Services(urls, sign) as api:
        played = await _already_played(api, ministry)
        if not played:
            await units_steps.import_records(api, ministry, reporter)
            await units_steps.record_disciplines(api, ministry, reporter, today=today or date.today())
            await units_steps.record_initiatives(api, ministry, reporter)
            await campaigns_steps.launch_movements_2023(api, ministry, reporter)
            await campaigns_steps.register_2023(api, ministry, reporter)
            compositions = await awards_steps.set_up_council(api, ministry, reporter)
            await awards_steps.wait_for_facts(api, ministry, reporter)  # file facts name known people and units
            await awards_steps.record_file_facts(api, ministry, reporter)
            await awards_steps.play_history(api, ministry, reporter, compositions=compositions,
                                            concurrency=options.concurrency)
            await campaigns_steps.close_2023(api, reporter)
            await campaigns_steps.conference_2024(api, ministry, reporter)
            await campaigns_steps.results_2024(api, ministry, reporter)
        summary = await reporting_steps.wait_for_summary(api, ministry, reporter, timeout=options.summary_timeout)
        targets = await reporting_steps.targets_status(api, reporter)
        pledge = await api.campaigns.get(f"/pledges/{campaigns_steps.PLEDGE_ID}")
    return ScenarioResult(ministry, summary, targets, pledge=pledge, timings=list(reporter.timings),
                          seconds=time.perf_counter() - started, already_played=played)


async def _already_played(api: Services, ministry: Ministry) -> bool:
    """Every 2023 flow is already the plan's (the demo was run before on this stack)."""
    summary = await api.reporting.get("/summaries/2023")
    return summary_flows(summary) == planned_flows(ministry, 2023)
