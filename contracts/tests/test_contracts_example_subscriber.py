"""The example subscriber (contracts/examples/print_events.py) formats what it receives.

No Kafka here: the script is imported (it has no side effects on import) and
its formatting function is given records like the ones aiokafka yields.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from contracts_support import CONTRACTS, SCRATCH_TYPE
from tdkt_contracts import Envelope


@pytest.fixture(scope="module")
def script() -> ModuleType:
    path = CONTRACTS / "examples" / "print_events.py"
    spec = importlib.util.spec_from_file_location("tdkt_example_print_events", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class FakeRecord:
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    topic: str = "tdkt.scratch.events"
    partition: int = 0
    offset: int = 41


def _v1_record() -> FakeRecord:
    envelope = Envelope(
        id=uuid.uuid4(),
        source="/tdkt/scratch",
        type=SCRATCH_TYPE,
        schema_version=1,
        subject="m-042",
        time=datetime(2025, 1, 15, 2, 30, tzinfo=UTC),
        data={"member_id": "m-042", "full_name": "Trần Thị Thu Hà", "unit": "Cục Công nghiệp"},
    )
    _, value, headers = envelope.to_kafka()
    return FakeRecord(value, headers)


def test_importing_does_not_run_anything(script: ModuleType) -> None:
    assert callable(script.main) and callable(script.format_record)
    assert "aiokafka" not in vars(script)  # the Kafka client is only needed to consume


def test_an_event_is_printed_with_time_type_version_subject_and_data(script: ModuleType, scratch_events: Any) -> None:
    text = script.format_record(_v1_record())
    first, _, rest = text.partition("\n")
    assert first == f"2025-01-15T02:30:00Z  {SCRATCH_TYPE} v1 (read as v2)  subject=m-042"
    assert "Trần" in rest and "\\u" not in rest  # Vietnamese unescaped
    assert json.loads(rest)["middle_name"] == "Thị Thu"


def test_an_unreadable_message_gives_one_clear_line(script: ModuleType, scratch_events: Any) -> None:
    good = _v1_record()
    cases = {
        "not a tdkt event": FakeRecord(b"{}", [("ce_specversion", b"0.3")]),
        "not UTF-8 JSON": FakeRecord(b"\xff", good.headers),
        "unknown event type": FakeRecord(
            good.value, [(n, b"vn.tdkt.scratch.thing.unheard-of" if n == "ce_type" else v) for n, v in good.headers]
        ),
        "does not match its schema": FakeRecord(
            b'{"member_id": "m-1"}', [(n, b"2" if n == "ce_schemaversion" else v) for n, v in good.headers]
        ),
        "KeyError": FakeRecord(b'{"member_id": "m-1"}', good.headers),  # the v1 upcaster finds no full_name
    }
    for expected, record in cases.items():
        line = script.format_record(record)
        assert line.startswith("!! tdkt.scratch.events[0]@41: cannot read this message: "), line
        assert expected in line, line
        assert "\n" not in line


def test_default_topics_are_the_public_ones(script: ModuleType) -> None:
    from tdkt_contracts import all_models

    assert script.public_topics() == sorted({m.topic() for m in all_models() if m.audience == "public"})
    assert all(topic.endswith(".events") for topic in script.public_topics())


def test_command_line(script: ModuleType) -> None:
    args = script.parse_args(
        ["--bootstrap-servers", "k:9092", "--topic", "a", "--topic", "b", "--from-beginning", "--group", "g"]
    )
    assert (args.bootstrap_servers, args.topics, args.from_beginning, args.group) == ("k:9092", ["a", "b"], True, "g")
    defaults = script.parse_args([])
    assert defaults.topics is None and not defaults.from_beginning and defaults.group is None


def test_script_runs_as_a_program_with_help() -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, str(CONTRACTS / "examples" / "print_events.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "--from-beginning" in result.stdout
