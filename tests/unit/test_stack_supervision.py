"""The launcher's restart policy: a dead service comes back after a growing pause, until the limit stops the stack.

Real child processes (one that exits at once), a fake clock (``supervise(now=…)``): no Kafka or PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tdkt.stack.launcher import RestartPolicy, Stack, StackConfig
from tdkt.stack.processes import StackError


def _dying_stack(tmp_path: Path, policy: RestartPolicy) -> tuple[Stack, list[subprocess.Popen[bytes]]]:
    stack = Stack(StackConfig(state_dir=tmp_path, services=("units",), restart=policy))
    spawned: list[subprocess.Popen[bytes]] = []

    def spawn(service: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        process.wait()
        spawned.append(process)
        stack.service_processes[service] = process
        return process

    stack._spawn_service = spawn  # type: ignore[method-assign]
    stack.write_state = lambda: None  # type: ignore[method-assign]  (no Kafka, no PostgreSQL to record)
    stack.restarts["units"] = []
    spawn("units")
    return stack, spawned


def test_the_pause_doubles_up_to_its_ceiling() -> None:
    policy = RestartPolicy(first_delay=1.0, max_delay=5.0)
    assert [policy.delay(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_a_dead_service_is_restarted_after_its_pause_and_each_restart_is_recorded(tmp_path: Path) -> None:
    stack, spawned = _dying_stack(tmp_path, RestartPolicy(first_delay=1.0, max_delay=8.0, max_restarts=3))
    stack.supervise(now=100.0)  # noticed: due at 101
    assert len(spawned) == 1
    stack.supervise(now=100.5)
    assert len(spawned) == 1  # still in its pause
    stack.supervise(now=101.0)
    assert len(spawned) == 2
    assert [(r.at, r.exit_code) for r in stack.restarts["units"]] == [(101.0, 3)]
    stack.supervise(now=101.0)  # died again: the next pause is 2 s
    stack.supervise(now=102.9)
    assert len(spawned) == 2
    stack.supervise(now=103.0)
    assert len(spawned) == 3


def test_more_deaths_than_the_limit_within_the_window_stop_the_stack(tmp_path: Path) -> None:
    stack, spawned = _dying_stack(tmp_path, RestartPolicy(first_delay=1.0, max_restarts=2, window=60.0))
    for now in (0.0, 1.0, 1.0, 3.0):
        stack.supervise(now=now)
    assert len(stack.restarts["units"]) == 2
    with pytest.raises(StackError, match="the units service died 3 times within 60 s"):
        stack.supervise(now=3.0)
    assert len(spawned) == 3


def test_restarts_older_than_the_window_no_longer_count(tmp_path: Path) -> None:
    stack, spawned = _dying_stack(tmp_path, RestartPolicy(first_delay=1.0, max_restarts=1, window=10.0))
    stack.supervise(now=0.0)
    stack.supervise(now=1.0)
    assert len(stack.restarts["units"]) == 1
    stack.supervise(now=20.0)  # the first restart is out of the window: one more is allowed, after 1 s again
    stack.supervise(now=21.0)
    assert len(spawned) == 3
