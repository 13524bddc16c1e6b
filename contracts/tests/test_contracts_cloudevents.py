"""What ``Envelope.to_kafka`` puts on the wire is valid CloudEvents 1.0 in Kafka binary mode.

References: CloudEvents 1.0.2 core spec (attribute naming, required
attributes, RFC 3339 time) and its Kafka protocol binding (binary content
mode: ``ce_`` prefixed headers, ``content-type`` for datacontenttype).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from tdkt_contracts import Envelope, EventPayload, all_models
from tdkt_contracts.base import TYPE_PATTERN
from tdkt_contracts.envelope import HEADERS
from tdkt_contracts.generate import example_payloads, headers_schema, source_for

# RFC 3339 section 5.6 date-time.
RFC3339 = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"  # full-date
    r"T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"  # partial-time (60: leap second)
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"  # time-offset
)
# Attribute names: lower-case ASCII letters and digits; SHOULD NOT exceed 20 characters.
ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")
CORE_ATTRIBUTES = {"id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time"}
CE_REQUIRED = {"ce_specversion", "ce_id", "ce_source", "ce_type"}
TDKT_REQUIRED = {"ce_time", "ce_subject", "ce_schemaversion"}
VIETNAM = timezone(timedelta(hours=7))

MODELS = list(all_models())


KafkaRecord = tuple[bytes, bytes, list[tuple[str, bytes]]]


def _record(model: type[EventPayload], data: dict[str, Any], **metadata: Any) -> KafkaRecord:
    payload = model.model_validate(data)
    envelope = Envelope(
        id=uuid.uuid4(),
        source=source_for(model.context),
        type=model.event_type,
        schema_version=model.event_version,
        subject=payload.subject(),
        time=metadata.pop("time", datetime(2025, 6, 1, 9, 30, 15, 123456, tzinfo=VIETNAM)),
        data=payload.model_dump(mode="json"),
        **metadata,
    )
    return envelope.to_kafka()


def check_headers(key: bytes, headers: list[tuple[str, bytes]]) -> dict[str, str]:
    names = [name for name, _ in headers]
    assert len(names) == len(set(names)), f"duplicate headers: {names}"
    text = {name: value.decode("utf-8") for name, value in headers}  # strict UTF-8

    assert text["ce_specversion"] == "1.0"
    missing = (CE_REQUIRED | TDKT_REQUIRED) - set(text)
    assert not missing, f"missing headers {missing}"
    assert all(value for value in text.values()), "no header may be empty"

    assert str(uuid.UUID(text["ce_id"])) == text["ce_id"].lower()
    assert RFC3339.match(text["ce_time"]), text["ce_time"]
    assert datetime.fromisoformat(text["ce_time"]).tzinfo is not None
    assert TYPE_PATTERN.match(text["ce_type"]), text["ce_type"]
    assert re.match(r"^/[a-z0-9/_-]+$", text["ce_source"]), text["ce_source"]  # a URI-reference
    assert re.match(r"^[1-9][0-9]*$", text["ce_schemaversion"])
    assert text["content-type"] == "application/json; charset=utf-8"
    assert key.decode("utf-8") == text["ce_subject"], "the Kafka key is the subject"

    for name in names:
        if name == "content-type":
            continue
        assert name.startswith("ce_"), f"unexpected header {name}"
        assert ATTRIBUTE_NAME.match(name.removeprefix("ce_")), f"{name}: not a valid CloudEvents attribute name"

    # The headers schema published in asyncapi.json accepts them.
    validator = Draft202012Validator(headers_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not list(validator.iter_errors(text))
    return text


def test_every_header_name_is_a_valid_attribute_name() -> None:
    # Also the optional ones the examples may not set.
    for header in HEADERS.values():
        assert header.startswith("ce_")
        attribute = header.removeprefix("ce_")
        assert ATTRIBUTE_NAME.match(attribute), f"{header}: lower-case letters and digits, at most 20"
        if attribute not in CORE_ATTRIBUTES:
            assert attribute not in {"data", "specversion"}, f"{header} shadows a reserved name"


@pytest.mark.parametrize("model", MODELS, ids=[f"{m.event_type}.v{m.event_version}" for m in MODELS])
def test_headers_of_every_event_type(model: type[EventPayload]) -> None:
    for data in example_payloads(model):
        key, _, headers = _record(model, data)
        check_headers(key, headers)


def test_headers_with_every_optional_attribute(scratch_events: Any) -> None:
    v2 = scratch_events[1]
    data = example_payloads(v2)[0]
    key, _, headers = _record(
        v2,
        data,
        stream_version=7,
        correlation_id="flow-2025-0001",
        causation_id=str(uuid.uuid4()),
        actor_id="u-000987",
        actor_role="thu_truong_don_vi",
    )
    text = check_headers(key, headers)
    optional = ("stream_version", "correlation_id", "causation_id", "actor_id", "actor_role")
    assert {HEADERS[field] for field in optional} <= set(text)
    assert text["ce_streamversion"] == "7"


def test_optional_attributes_are_left_out_not_sent_empty(scratch_events: Any) -> None:
    v2 = scratch_events[1]
    _, _, headers = _record(v2, example_payloads(v2)[0])
    names = {name for name, _ in headers}
    assert not names & {"ce_correlationid", "ce_causationid", "ce_actorid", "ce_actorrole", "ce_streamversion"}


def test_time_is_sent_in_utc(scratch_events: Any) -> None:
    v2 = scratch_events[1]
    vietnam_morning = datetime(2025, 6, 1, 9, 30, 15, 123456, tzinfo=VIETNAM)
    _, _, headers = _record(v2, example_payloads(v2)[0], time=vietnam_morning)
    sent = dict(headers)["ce_time"].decode()
    assert sent == "2025-06-01T02:30:15.123456Z"
    assert datetime.fromisoformat(sent) == vietnam_morning.astimezone(UTC)
