"""Whole stacks of processes for the tests that need one of their own (the session's stack runs no services)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tdkt.stack.launcher import Stack, StackConfig

TODAY_HEADER = "TDKT_ALLOW_TODAY_HEADER"


@contextlib.contextmanager
def demo_mode() -> Iterator[None]:
    """The services started meanwhile honour X-Tdkt-Today, as ``tdkt demo``'s do: the scenario files its
    2023 registrations before their 31 March deadline."""
    previous = os.environ.get(TODAY_HEADER)
    os.environ[TODAY_HEADER] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(TODAY_HEADER, None)
        else:
            os.environ[TODAY_HEADER] = previous


@contextlib.contextmanager
def own_stack(label: str, **config: Any) -> Iterator[Stack]:
    """A stack in a temporary folder, in demo mode, removed afterwards (a whole Kafka log and PostgreSQL
    cluster); ``config`` goes to :class:`StackConfig`."""
    state_dir = Path(tempfile.mkdtemp(prefix=f"tdkt-{label.replace(' ', '-')}-"))
    with demo_mode():
        running = Stack(StackConfig(state_dir=state_dir, log_format="console", **config))
        try:
            started = time.perf_counter()
            running.start(progress=lambda line: print(f"[{label} stack] {line}"))
            print(f"[{label} stack] up in {time.perf_counter() - started:.1f} s")
            yield running
        finally:
            running.stop()
            shutil.rmtree(state_dir, ignore_errors=True)
