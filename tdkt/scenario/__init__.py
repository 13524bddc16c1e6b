"""The scenario driver: the source article's story played through the services' HTTP APIs.

``await play_scenario(stack.service_urls, ScenarioOptions(staff=…))`` generates the ministry
(:mod:`tdkt.demo_data`), sends everything through the units, campaigns and awards APIs, and waits
until the reporting service shows the 2023 figures; see :mod:`.runner` for the steps.
"""

from .progress import PlainReporter, RichReporter, StepTiming
from .reporting_steps import TargetStatus, article_figures, summary_figures, summary_flows
from .runner import ScenarioOptions, ScenarioResult, play_scenario

__all__ = [
    "PlainReporter",
    "RichReporter",
    "ScenarioOptions",
    "ScenarioResult",
    "StepTiming",
    "TargetStatus",
    "article_figures",
    "play_scenario",
    "summary_figures",
    "summary_flows",
]
