"""Fixtures of the awards workflow tests; the in-memory world lives in awards_workflow_testkit.py."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # awards_workflow_testkit, whatever the import mode

import awards_workflow_testkit as wk  # noqa: E402

from services.awards.domain import Catalogue  # noqa: E402

TODAY = date(2025, 3, 31)
"""Late enough for the 2024 round (NĐ 98/2023 rules) to be decided, and for its higher decisions to come back."""


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The packaged catalogue."""
    return wk.kit.catalogue()


@pytest.fixture
def world(catalogue: Catalogue) -> wk.World:
    """An empty world on TODAY."""
    return wk.World(catalogue, TODAY)
