"""The scenario driver: the source article's story played through the services' HTTP APIs.

``await play_scenario(stack.service_urls, sign, ScenarioOptions(staff=…))`` generates the ministry
(:mod:`tdkt.demo_data`), sends everything through the units, campaigns and awards APIs, and waits
until the reporting service shows the 2023 figures; see :mod:`.runner` for the steps. It acts as
the office, the council's secretary and the Minister with tokens ``sign`` mints (:data:`.client.ACTORS`).
"""

from .client import ACTORS, Signer
from .progress import PlainReporter, RichReporter, StepTiming
from .reporting_steps import TargetStatus, article_figures, summary_figures, summary_flows
from .runner import ScenarioOptions, ScenarioResult, play_scenario

__all__ = [
    "ACTORS",
    "PlainReporter",
    "RichReporter",
    "ScenarioOptions",
    "ScenarioResult",
    "Signer",
    "StepTiming",
    "TargetStatus",
    "article_figures",
    "play_scenario",
    "summary_figures",
    "summary_flows",
]
