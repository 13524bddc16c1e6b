"""How the scenario shows its progress: a rich display on a terminal, plain lines in a log, or nothing.

A step is opened with its label and the number of things it will do, advanced
as they are done and closed with a short note ("1 000 people", "skipped: …").
The timings of every step are kept, whatever the display, for the summary the
demo prints and the e2e test's report.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Column


@dataclass
class StepTiming:
    """How long a step took, and what it says it did."""

    label: str
    seconds: float
    note: str = ""


class Step(Protocol):
    """An open step."""

    def advance(self, n: int = 1) -> None: ...
    def total(self, n: int) -> None: ...
    def note(self, text: str) -> None: ...


class Reporter(Protocol):
    """What the scenario reports to."""

    timings: list[StepTiming]

    def step(self, label: str, total: int | None = None) -> AbstractContextManager[Step]: ...
    def info(self, text: str) -> None: ...


@dataclass
class _Counter:
    label: str
    done: int = 0
    count: int | None = None
    text: str = ""

    def advance(self, n: int = 1) -> None:
        self.done += n

    def total(self, n: int) -> None:
        self.count = n

    def note(self, text: str) -> None:
        self.text = text


@dataclass
class PlainReporter:
    """One line per step when it ends (logs, CI, tests); ``quiet`` keeps only the timings."""

    quiet: bool = False
    timings: list[StepTiming] = field(default_factory=list)

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[_Counter]:
        counter = _Counter(label, count=total)
        started = time.perf_counter()
        yield counter
        elapsed = time.perf_counter() - started
        self.timings.append(StepTiming(label, elapsed, counter.text))
        if not self.quiet:
            done = f" {counter.done}/{counter.count}" if counter.count else ""
            print(f"[{elapsed:6.1f} s] {label}{done}{' — ' + counter.text if counter.text else ''}", flush=True)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


class _RichStep:
    def __init__(self, progress: Progress, task: int) -> None:
        self.progress, self.task = progress, task

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)  # type: ignore[arg-type]

    def total(self, n: int) -> None:
        self.progress.update(self.task, total=n)  # type: ignore[arg-type]

    def note(self, text: str) -> None:
        self.progress.update(self.task, note=text)  # type: ignore[arg-type]


class RichReporter:
    """A live display: one bar per step, with counts, elapsed time and a note."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self.timings: list[StepTiming] = []
        # The note takes what is left of the line and is cut with "…"; counts and times are never cut.
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}", table_column=Column(no_wrap=True)),
            BarColumn(bar_width=20),
            MofNCompleteColumn(table_column=Column(no_wrap=True, min_width=11)),
            TimeElapsedColumn(table_column=Column(no_wrap=True, min_width=7)),
            TextColumn("[dim]{task.fields[note]}", table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis")),
            console=self.console,
            expand=True,
        )

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[_RichStep]:
        task = self.progress.add_task(label, total=total or 1, note="")
        handle = _RichStep(self.progress, task)  # type: ignore[arg-type]
        started = time.perf_counter()
        outcome: str | None = "failed"
        try:
            yield handle
            outcome = None
        except asyncio.CancelledError:
            outcome = "interrupted"
            raise
        finally:
            elapsed = time.perf_counter() - started
            t = next(x for x in self.progress.tasks if x.id == task)
            if outcome:
                self.progress.update(task, description=f"[red]{label} — {outcome}[/]")  # type: ignore[arg-type]
            else:
                self.progress.update(task, completed=t.total)  # type: ignore[arg-type]
            self.timings.append(StepTiming(label, elapsed, t.fields.get("note", "")))

    def info(self, text: str) -> None:
        self.progress.console.print(text)
