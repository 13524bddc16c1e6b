"""What the README says about who reads which topic is what the code subscribes to and what the broker grants.

Three places say it: each service's consumers (the topics its handlers
subscribe to), the broker's grants (``tdkt/stack/kafka_acls.py``, least
privilege: a service may read exactly what it consumes) and the README's
services table ("reads from Kafka"). They drifted once (the README said only
awards read the discipline topic while campaigns was granted it too).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from kernel.auth import generate_key_pair
from kernel.settings import Settings
from tdkt.stack.kafka_acls import PUBLIC_TOPICS, READS
from tdkt.stack.launcher import SERVICES

README = Path(__file__).resolve().parents[2] / "README.md"
INTERNAL = "tdkt.units.internal"


@pytest.fixture(scope="module")
def subscriptions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    _private, public = generate_key_pair(Path(tmp_path_factory.mktemp("keys")))
    settings = Settings(database_url="postgresql://127.0.0.1:1/none", auth_public_key_file=public)
    found = {}
    for name in SERVICES:
        _app, service = importlib.import_module(f"services.{name}.app").build(settings)
        found[name] = {topic for handler in service.handlers for topic in handler.topics}
    return found


def readme_reads() -> dict[str, str]:
    """The "reads from Kafka" cell of each service's row in the README's services table."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (\w+) \(`services/\w+`\) \|.*\| ([^|]*) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


def test_every_service_is_granted_exactly_the_topics_it_consumes(subscriptions: dict[str, set[str]]) -> None:
    assert set(READS) == set(SERVICES)
    for name, topics in subscriptions.items():
        assert topics == set(READS[name]), f"{name}: consumes {sorted(topics)}, granted {sorted(READS[name])}"


def test_the_readme_says_who_reads_what(subscriptions: dict[str, set[str]]) -> None:
    cells = readme_reads()
    assert set(SERVICES) <= set(cells), f"services missing from the README's table: {set(SERVICES) - set(cells)}"
    for name, topics in subscriptions.items():
        cell = cells[name]
        assert (cell == "—") == (not topics), f"{name}: README says {cell!r}, consumes {sorted(topics)}"
        assert ("internal" in cell) == (INTERNAL in topics), f"{name}: README says {cell!r}, consumes {sorted(topics)}"
        if set(PUBLIC_TOPICS) <= topics:
            assert "every public topic" in cell, f"{name}: README says {cell!r}"
