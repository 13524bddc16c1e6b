"""The units context's public events: catalogue, examples, wire round trip, NFC."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tdkt_contracts import EventPayload, all_models, latest_version, parse
from tdkt_contracts.base import TYPE_PATTERN
from tdkt_contracts.catalogue import units as catalogue
from tdkt_contracts.catalogue.units import (
    UNITS_EVENTS,
    DisciplineEnded,
    DisciplineImposed,
    PersonEnrolled,
    PersonProfileRecorded,
    moved_to_internal,
)

EXPECTED_TYPES = {
    "vn.tdkt.units.unit.established",
    "vn.tdkt.units.unit.renamed",
    "vn.tdkt.units.unit.moved",
    "vn.tdkt.units.unit.merged",
    "vn.tdkt.units.unit.dissolved",
    "vn.tdkt.units.unit.evaluation-recorded",
    "vn.tdkt.units.unit.evaluation-corrected",
    "vn.tdkt.units.person.enrolled",
    "vn.tdkt.units.person.transferred",
    "vn.tdkt.units.person.left",
    "vn.tdkt.units.person.evaluation-recorded",
    "vn.tdkt.units.person.evaluation-corrected",
    "vn.tdkt.units.person.profile-recorded",
    "vn.tdkt.units.person.discipline-imposed",
    "vn.tdkt.units.person.discipline-ended",
    "vn.tdkt.units.initiative.recognized",
}


def examples(model: type[EventPayload]) -> list[dict]:
    return model.model_config["json_schema_extra"]["examples"]  # type: ignore[index]


def test_every_issue_event_is_in_the_catalogue() -> None:
    assert {m.event_type for m in UNITS_EVENTS} == EXPECTED_TYPES
    registered = {m.event_type for m in all_models() if m.context == "units"}
    assert registered == EXPECTED_TYPES
    for model in UNITS_EVENTS:
        assert latest_version(model.event_type) == model.event_version
    # Version 2 of the enrolment left the profile (birth date, sex, union membership) for the internal topic.
    assert {m.event_type: m.event_version for m in UNITS_EVENTS if m.event_version != 1} == {
        "vn.tdkt.units.person.enrolled": 2}


@pytest.mark.parametrize("model", UNITS_EVENTS, ids=lambda m: m.event_type)
def test_naming_and_metadata(model: type[EventPayload]) -> None:
    assert TYPE_PATTERN.match(model.event_type)
    assert model.event_type.startswith("vn.tdkt.units.")
    aggregate = model.event_type.split(".")[3]
    assert model.subject_field == f"{aggregate}_id"
    assert model.subject_field in model.model_fields
    assert model.context == "units"
    assert model.__doc__


@pytest.mark.parametrize("model", UNITS_EVENTS, ids=lambda m: m.event_type)
def test_every_field_is_described(model: type[EventPayload]) -> None:
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("model", UNITS_EVENTS, ids=lambda m: m.event_type)
def test_example_validates_and_round_trips(model: type[EventPayload]) -> None:
    found = examples(model)
    assert len(found) >= 1
    for example in found:
        event = model.model_validate(example)
        # JSON text, unescaped Vietnamese, back to an equal model
        text = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
        assert model.model_validate_json(text) == event
        assert model.model_validate_json(event.model_dump_json()) == event
        # through the registry, as a consumer does
        assert parse(model.event_type, model.event_version, json.loads(text)) == event
        # the example covers every field and is real Vietnamese content
        assert set(example) == set(model.model_fields)
        assert event.subject() == example[model.subject_field]
        assert not text.isascii() or model is PersonProfileRecorded  # a profile has no text


def test_examples_are_vietnamese() -> None:
    text = json.dumps([examples(m) for m in UNITS_EVENTS], ensure_ascii=False)
    for phrase in ("Vụ Tổ chức cán bộ", "Nguyễn Thị Hương", "Số hóa quy trình", "QĐ-BCT"):
        assert phrase in text


@pytest.mark.parametrize("model", UNITS_EVENTS, ids=lambda m: m.event_type)
def test_json_schema_is_generated(model: type[EventPayload]) -> None:
    schema = model.model_json_schema()
    assert schema["examples"] == examples(model)
    assert set(schema["required"]) <= set(schema["properties"])


def test_discipline_is_internal_and_the_rest_public() -> None:
    for model in UNITS_EVENTS:
        internal = model in (DisciplineImposed, DisciplineEnded, PersonProfileRecorded)
        assert model.audience == ("internal" if internal else "public")
        assert model.topic() == ("tdkt.units.internal" if internal else "tdkt.units.events")


def test_a_version_1_enrolment_is_read_as_version_2_and_its_profile() -> None:
    v1 = {**examples(PersonEnrolled)[0], "sex": "female", "date_of_birth": "1985-04-12", "union_member": True}
    assert parse(PersonEnrolled.event_type, 1, dict(v1)) == PersonEnrolled.model_validate(examples(PersonEnrolled)[0])
    assert moved_to_internal(PersonEnrolled.event_type, 1, v1) == [PersonProfileRecorded.model_validate(
        {"person_id": v1["person_id"], "sex": "female", "date_of_birth": "1985-04-12", "union_member": True})]
    assert moved_to_internal(PersonEnrolled.event_type, 2, examples(PersonEnrolled)[0]) == []


def test_unknown_fields_are_ignored_when_reading_so_old_readers_survive_additions() -> None:
    data = dict(examples(PersonEnrolled)[0], salary=10_000_000)
    event = PersonEnrolled.model_validate(data)
    assert "salary" not in event.model_dump()


def test_event_text_is_nfc_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    assert decomposed != "Nguyễn Thị Hương"
    data = dict(examples(PersonEnrolled)[0], full_name=f"  {decomposed} ")
    event = PersonEnrolled.model_validate(data)
    assert event.full_name == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", event.full_name)


def test_enum_labels_for_local_vocabularies() -> None:
    assert catalogue.LeaveReason.RETIRED.label_vi == "Nghỉ hưu"
    assert catalogue.DisciplineEnding.ANNULLED.value == "huy_bo"
