"""The demo's scenario survives what the chaos run did to it: an interrupted run is replayed to its end, and a
service killed with SIGKILL in the middle of the award history is restarted by the launcher while the scenario
waits for it — the 2023 figures are still the article's.

A stack of its own, supervised by ``run_foreground`` as ``tdkt demo`` runs it (the secured Kafka, the demo's
default), the smallest ministry that holds the figures.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tdkt.demo import signer
from tdkt.demo_data import ARTICLE_2023, MIN_STAFF
from tdkt.scenario import PlainReporter, ScenarioOptions, ScenarioResult, article_figures, play_scenario, summary_figures
from tdkt.stack.launcher import Stack, StackConfig, run_foreground

from ..stacks import demo_mode

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

OPTIONS = ScenarioOptions(seed=2024, staff=MIN_STAFF, history_from=2021, background=False, summary_timeout=240)
HISTORY = "Khen thưởng 2017–2023 (awards)"


class Interrupted(RuntimeError):
    """The first run is cut short, as a Ctrl-C or a crash of the demo would."""


@dataclass
class AtHistory:
    """A reporter that does ``act`` once, when ``after`` candidates of the award history are done."""

    after: int
    act: Callable[[], None]
    inner: PlainReporter = field(default_factory=lambda: PlainReporter(quiet=True))
    done: bool = False

    @property
    def timings(self):  # type: ignore[no-untyped-def]
        return self.inner.timings

    def info(self, text: str) -> None:
        self.inner.info(text)

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[object]:
        with self.inner.step(label, total) as counter:
            if label == HISTORY:
                advance = counter.advance

                def advancing(n: int = 1) -> None:
                    advance(n)
                    if not self.done and counter.done >= self.after:
                        self.done = True
                        self.act()

                counter.advance = advancing  # type: ignore[method-assign]
            yield counter


@pytest.fixture
def state_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tdkt-demo-restart-"))
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with demo_mode():
        yield path
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    shutil.rmtree(path, ignore_errors=True)


def test_an_interrupted_demo_resumes_and_a_killed_service_comes_back_mid_scenario(state_dir: Path) -> None:
    stack = Stack(StackConfig(state_dir=state_dir, log_format="console", secure_kafka=True))
    done = threading.Event()
    results: dict[str, ScenarioResult] = {}
    killed: list[int] = []

    def interrupt() -> None:
        raise Interrupted("the first run stops in the middle of the award history")

    def kill_awards() -> None:
        killed.append(stack.service_processes["awards"].pid)
        os.kill(killed[0], signal.SIGKILL)

    def on_ready(stack: Stack) -> None:
        try:
            with pytest.raises(Interrupted):
                asyncio.run(play_scenario(stack.service_urls, signer(stack), OPTIONS,
                                          reporter=AtHistory(after=40, act=interrupt)))
            # The replay resumes the history where it stopped; the awards service is killed 40 candidates on.
            reporter = AtHistory(after=80, act=kill_awards)
            results["replay"] = asyncio.run(play_scenario(stack.service_urls, signer(stack), OPTIONS,
                                                          reporter=reporter))
            assert reporter.done
        finally:
            done.set()

    run_foreground(stack, on_ready=on_ready, stop_when=done)
    replay = results["replay"]
    assert not replay.already_played
    assert summary_figures(replay.summary) == article_figures(ARTICLE_2023)
    assert killed and [r.exit_code for r in stack.restarts["awards"]] == [-signal.SIGKILL]
    assert stack.service_processes["awards"].pid != killed[0]
    assert all(not stack.restarts[s] for s in ("units", "campaigns", "reporting"))
    print(f"[demo restart] replay in {replay.seconds:.1f} s: "
          + ", ".join(f"{t.label} {t.seconds:.1f} s" for t in replay.timings))
