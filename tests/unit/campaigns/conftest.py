"""Fixtures of the campaigns unit tests; builders live in campaigns_testkit.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # campaigns_testkit, whatever the import mode

import campaigns_testkit as kit  # noqa: E402


@pytest.fixture
def movement():
    """An open movement over three listed units, 2024–2025, yearly deadline 31 March."""
    return kit.launched_movement()


@pytest.fixture
def closed_movement():
    return kit.closed(kit.launched_movement())


@pytest.fixture
def replica():
    """The 2024 replica described in campaigns_testkit.sample_replica."""
    return kit.sample_replica()
