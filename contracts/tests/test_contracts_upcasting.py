"""Old versions stay readable: an event published as v1 is read as the v2 model.

Uses the throwaway ``vn.tdkt.scratch.member.registered`` type (see
``contracts_support``): v2 splits v1's ``full_name`` into family, middle and
given name and renames ``unit`` to ``unit_name``.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from contracts_support import SCRATCH_TYPE
from tdkt_contracts import Envelope, UnknownEventType, from_kafka, latest_version, parse
from tdkt_contracts.catalogue.campaigns import YearClosed

# As a v1 subscriber stored it off the wire, years ago: plain JSON data.
OLD_WIRE_DATA = {"member_id": "m-042", "full_name": "Trần Thị Thu Hà", "unit": "Cục Công nghiệp"}


def test_parse_upcasts_v1_data_to_the_v2_model(scratch_events: Any) -> None:
    _, v2 = scratch_events
    assert latest_version(SCRATCH_TYPE) == 2

    event = parse(SCRATCH_TYPE, 1, dict(OLD_WIRE_DATA))

    assert type(event) is v2
    assert event.model_dump() == {
        "member_id": "m-042",
        "family_name": "Trần",
        "middle_name": "Thị Thu",
        "given_name": "Hà",
        "unit_name": "Cục Công nghiệp",
    }


def test_parse_does_not_change_the_callers_data(scratch_events: Any) -> None:
    data = dict(OLD_WIRE_DATA)
    parse(SCRATCH_TYPE, 1, data)
    assert data == OLD_WIRE_DATA


def test_current_version_is_read_as_is(scratch_events: Any) -> None:
    _, v2 = scratch_events
    data = {"member_id": "m-7", "family_name": "Lê", "given_name": "Lợi", "unit_name": "Thanh tra Bộ"}
    assert parse(SCRATCH_TYPE, 2, data) == v2(**data)


def test_a_v1_kafka_message_is_read_as_v2_through_the_envelope(scratch_events: Any) -> None:
    v1, v2 = scratch_events
    # A record exactly as a v1 publisher sent it, decomposed Vietnamese included
    # (some keyboards type the marks as combining characters).
    old = Envelope(
        id=uuid.uuid4(),
        source="/tdkt/scratch",
        type=SCRATCH_TYPE,
        schema_version=1,
        subject="m-042",
        time=datetime(2021, 3, 8, 1, 0, tzinfo=UTC),
        data={**OLD_WIRE_DATA, "full_name": unicodedata.normalize("NFD", OLD_WIRE_DATA["full_name"])},
    )
    key, value, headers = old.to_kafka()
    assert dict(headers)["ce_schemaversion"] == b"1"

    envelope = from_kafka(value, headers)
    event = envelope.payload()

    assert envelope.schema_version == 1  # the envelope says what was sent…
    assert type(event) is v2  # …the payload is what the code works with
    assert (event.family_name, event.middle_name, event.given_name) == ("Trần", "Thị Thu", "Hà")
    assert unicodedata.is_normalized("NFC", event.middle_name)
    assert key == event.subject().encode()


def test_a_version_newer_than_the_catalogue_is_refused(scratch_events: Any) -> None:
    with pytest.raises(UnknownEventType, match="newer than this catalogue"):
        parse(SCRATCH_TYPE, 3, {})


def test_without_an_upcaster_old_data_is_refused_not_misread(scratch_events: Any) -> None:
    from tdkt_contracts import registry

    step = registry._upcasters.pop((SCRATCH_TYPE, 1))
    try:
        with pytest.raises(UnknownEventType, match="no upcaster"):
            parse(SCRATCH_TYPE, 1, dict(OLD_WIRE_DATA))
    finally:
        registry._upcasters[(SCRATCH_TYPE, 1)] = step


def test_unregister_removes_models_and_upcasters(scratch_events: Any) -> None:
    from tdkt_contracts import registry

    v1, v2 = scratch_events
    registry.unregister(SCRATCH_TYPE)
    try:
        assert (SCRATCH_TYPE, 1) not in registry._upcasters
        with pytest.raises(UnknownEventType):
            latest_version(SCRATCH_TYPE)
        with pytest.raises(UnknownEventType):
            registry.unregister(SCRATCH_TYPE)
    finally:
        # Put it back so the fixture's own teardown finds what it registered.
        registry.register(v1)
        registry.register(v2)


def test_year_closed_v1_is_read_with_its_key_as_text() -> None:
    # v1 carried the integer year as its key field while the Kafka key was "2024".
    event = parse("vn.tdkt.campaigns.year.closed", 1, {"year": 2024, "closed_on": "2025-01-10"})
    assert isinstance(event, YearClosed)
    assert (event.year_id, event.year, event.subject()) == ("2024", 2024, "2024")


def test_year_closed_publishers_name_the_year_once() -> None:
    event = YearClosed(year=2024, closed_on=date(2025, 1, 10))
    assert event.model_dump(mode="json") == {"year_id": "2024", "year": 2024, "closed_on": "2025-01-10"}
    with pytest.raises(ValueError, match="is not the year"):
        YearClosed(year_id="2023", year=2024, closed_on=date(2025, 1, 10))
