"""Fixtures of the awards unit tests; builders and recipes live in awards_testkit.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # awards_testkit, whatever the import mode

import awards_testkit as kit

from services.awards.domain import Catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The packaged catalogue."""
    return kit.catalogue()
