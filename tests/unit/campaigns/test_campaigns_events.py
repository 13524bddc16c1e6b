"""The campaigns context's public events: naming, documentation, examples, JSON."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from campaigns_testkit import ARTICLE
from pydantic import ValidationError
from tdkt_contracts import all_models, latest_version, parse
from tdkt_contracts.base import TYPE_PATTERN
from tdkt_contracts.catalogue import campaigns
from tdkt_contracts.catalogue.campaigns import (
    PLEDGE_2024_CLAUSES,
    MovementLaunched,
    PledgeSigned,
    TargetProgressed,
    TrainingCompletionReported,
    UnitScope,
)

MODELS = [m for m in all_models() if m.context == "campaigns"]
EXPECTED_TYPES = {
    "vn.tdkt.campaigns.movement.launched",
    "vn.tdkt.campaigns.movement.amended",
    "vn.tdkt.campaigns.movement.reviewed",
    "vn.tdkt.campaigns.movement.closed",
    "vn.tdkt.campaigns.target.set",
    "vn.tdkt.campaigns.target.progressed",
    "vn.tdkt.campaigns.target.met",
    "vn.tdkt.campaigns.target.missed",
    "vn.tdkt.campaigns.year.closed",
    "vn.tdkt.campaigns.training.reported",
    "vn.tdkt.campaigns.registration.submitted",
    "vn.tdkt.campaigns.registration.withdrawn",
    "vn.tdkt.campaigns.pledge.signed",
    "vn.tdkt.campaigns.pledge.reviewed",
    "vn.tdkt.campaigns.cluster.formed",
    "vn.tdkt.campaigns.cluster.membership-changed",
    "vn.tdkt.campaigns.cluster.lead-assigned",
    "vn.tdkt.campaigns.cluster.scored",
}


def test_the_catalogue_holds_every_campaigns_event():
    assert {m.event_type for m in MODELS} == EXPECTED_TYPES


def test_every_type_is_documented_in_the_module_docstring():
    doc = campaigns.__doc__ or ""
    for event_type in EXPECTED_TYPES:
        assert f"``{event_type.removeprefix('vn.tdkt.campaigns.')}``" in doc


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.event_type)
def test_naming(model):
    assert TYPE_PATTERN.match(model.event_type)
    # year.closed v2 made its key field text (year_id "2024") like the Kafka key; v1 stays for replays.
    assert model.event_version in ((1, 2) if model.event_type == "vn.tdkt.campaigns.year.closed" else (1,))
    assert model.topic() == "tdkt.campaigns.events"
    fact = model.event_type.rsplit(".", 1)[1]
    aggregate = model.event_type.split(".")[3]
    # ClassName = Aggregate + Fact in camel case (cluster.lead-assigned -> ClusterLeadAssigned),
    # except where the aggregate is implied (TrainingCompletionReported, TargetSet …).
    assert model.__name__[0].isupper()
    assert aggregate.split("-")[0] in model.__name__.lower() or fact.replace("-", "") in model.__name__.lower()
    assert model.subject_field in model.model_fields


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.event_type)
def test_every_field_is_described(model):
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.event_type)
def test_example_validates_and_round_trips(model):
    examples = model.model_config["json_schema_extra"]["examples"]
    assert len(examples) == 1
    event = model.model_validate(examples[0])
    wire = event.model_dump_json()
    assert model.model_validate_json(wire) == event
    newest = parse(model.event_type, model.event_version, json.loads(wire))
    # A superseded version (year.closed v1) is upcast to the newest model: same event, same key.
    if model.event_version == latest_version(model.event_type):
        assert newest == event
    else:
        assert newest.subject() == event.subject()
    assert event.subject()
    # the example is NFC already (what the base model would make of it)
    text = json.dumps(examples[0], ensure_ascii=False, default=str)
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.event_type)
def test_json_schema_is_generated(model):
    schema = model.model_json_schema()
    assert schema["examples"]


def test_percent_is_a_json_number_and_reads_back_exactly():
    event = TargetProgressed.model_validate(TargetProgressed.model_config["json_schema_extra"]["examples"][0])
    data = json.loads(event.model_dump_json())
    assert data["share_percent"] == 94.51 and data["threshold_percent"] == 95
    assert TargetProgressed.model_validate(data).share_percent == Decimal("94.51")


def test_text_is_nfc_normalised_and_trimmed():
    example = dict(MovementLaunched.model_config["json_schema_extra"]["examples"][0])
    decomposed = unicodedata.normalize("NFD", "  Ngành Công Thương chung sức xây dựng nông thôn mới ")
    event = MovementLaunched.model_validate({**example, "title": decomposed})
    assert event.title == "Ngành Công Thương chung sức xây dựng nông thôn mới"


def test_the_2024_pledge_example_has_the_article_s_five_contents():
    example = PledgeSigned.model_config["json_schema_extra"]["examples"][0]
    event = PledgeSigned.model_validate(example)
    assert [c.number for c in event.clauses] == [1, 2, 3, 4, 5]
    assert [p.name for p in event.parties] == ["Lãnh đạo Bộ Công Thương", "Công đoàn Bộ Công Thương"]


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is not beside the project")
def test_the_five_clauses_are_copied_verbatim_from_the_article():
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    openings = ["Thứ nhất, ", "Thứ hai, ", "Thứ ba, ", "Thứ tư, ", "Thứ năm, "]
    for opening, clause in zip(openings, PLEDGE_2024_CLAUSES, strict=True):
        text = clause["text"]
        sentence = opening + text[0].lower() + text[1:]
        assert sentence in article, f"clause {clause['number']} differs from the article"


class TestInvariants:
    def test_scope_is_all_or_a_list(self):
        assert UnitScope(all_units=True).includes("anything")
        assert UnitScope(unit_ids=["a"]).within(UnitScope(all_units=True))
        assert not UnitScope(all_units=True).within(UnitScope(unit_ids=["a"]))
        for bad in ({}, {"all_units": True, "unit_ids": ["a"]}, {"unit_ids": ["a", "a"]}, {"unit_ids": [""]}):
            with pytest.raises(ValidationError):
                UnitScope.model_validate(bad)

    def test_period_cannot_end_before_it_starts(self):
        example = dict(MovementLaunched.model_config["json_schema_extra"]["examples"][0])
        with pytest.raises(ValidationError):
            MovementLaunched.model_validate({**example, "period_end": "2023-12-31"})

    def test_yearly_deadline_is_a_real_day(self):
        example = dict(MovementLaunched.model_config["json_schema_extra"]["examples"][0])
        for bad in ("3-31", "02-30", "13-01", "31/03"):
            with pytest.raises(ValidationError):
                MovementLaunched.model_validate({**example, "annual_registration_deadline": bad})
        assert MovementLaunched.model_validate({**example, "annual_registration_deadline": "02-29"})

    def test_training_report_cannot_count_more_than_headcount(self):
        with pytest.raises(ValidationError):
            TrainingCompletionReported(
                report_id="u/2024/t",
                unit_id="u",
                year=2024,
                training_code="t",
                completed=11,
                headcount=10,
                reported_on=date(2024, 12, 1),
            )

    def test_pledge_needs_two_parties_and_a_clause(self):
        example = dict(PledgeSigned.model_config["json_schema_extra"]["examples"][0])
        with pytest.raises(ValidationError):
            PledgeSigned.model_validate({**example, "parties": example["parties"][:1]})
        with pytest.raises(ValidationError):
            PledgeSigned.model_validate({**example, "clauses": []})
