"""Every event model has an example that is valid against its own JSON Schema and
survives the trip through Kafka (to_kafka / from_kafka) with its Vietnamese intact.

jsonschema is a dev dependency of the project; the contracts package itself
never imports it.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from contracts_support import SCRATCH_TYPE
from jsonschema import Draft202012Validator
from pydantic_core import to_jsonable_python
from tdkt_contracts import Envelope, EventPayload, all_models, from_kafka
from tdkt_contracts.generate import event_schema, source_for

MODELS = list(all_models())


def _raw_examples(model: type[EventPayload]) -> list[Any]:
    """The examples as written in the model, in JSON form (dates as text…)."""
    extra = model.model_config.get("json_schema_extra")
    examples = extra.get("examples", []) if isinstance(extra, dict) else model.model_json_schema().get("examples", [])
    return to_jsonable_python(examples)


def _validator(model: type[EventPayload]) -> Draft202012Validator:
    schema = event_schema(model)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]


def _envelope(model: type[EventPayload], payload: EventPayload) -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        source=source_for(model.context),
        type=model.event_type,
        schema_version=model.event_version,
        subject=payload.subject(),
        time=datetime.now(UTC),
        stream_version=1,
        correlation_id=str(uuid.uuid4()),
        actor_id="u-chuyen-vien-01",
        actor_role="can_bo_tdkt",
        data=payload.model_dump(mode="json"),
    )


def check_examples_validate(model: type[EventPayload]) -> None:
    examples = _raw_examples(model)
    assert examples, f"{model.__name__} has no example (model_config json_schema_extra={{'examples': [...]}})"
    validator = _validator(model)
    for index, example in enumerate(examples):
        assert not _errors(validator, example), f"example {index} of {model.__name__}: {_errors(validator, example)}"
        # What a publisher really sends (defaults filled in) must be valid too.
        wire = model.model_validate(example).model_dump(mode="json")
        problems = _errors(validator, wire)
        assert not problems, f"wire form of example {index} of {model.__name__}: {problems}"
    for index, example in enumerate(event_schema(model)["examples"]):
        assert not _errors(validator, example), f"published example {index} of {model.__name__}"


def check_kafka_round_trip(model: type[EventPayload]) -> None:
    for example in _raw_examples(model):
        payload = model.model_validate(example)
        envelope = _envelope(model, payload)
        key, value, headers = envelope.to_kafka()

        text = value.decode("utf-8")  # strict: raises on anything but UTF-8
        assert "\\u" not in text, f"{model.__name__}: Vietnamese must travel unescaped, got {text}"
        for string in _strings(envelope.data):
            assert unicodedata.is_normalized("NFC", string), f"{model.__name__}: {string!r} is not NFC"
            assert json.dumps(string, ensure_ascii=False) in text, f"{model.__name__}: {string!r} altered on the wire"

        back = from_kafka(value, headers)
        assert back == envelope
        assert key == back.subject.encode()
        assert back.payload() == payload
        assert type(back.payload()) is model


@pytest.mark.parametrize("model", MODELS, ids=[f"{m.event_type}.v{m.event_version}" for m in MODELS])
def test_example_is_valid_against_its_own_schema(model: type[EventPayload]) -> None:
    check_examples_validate(model)


@pytest.mark.parametrize("model", MODELS, ids=[f"{m.event_type}.v{m.event_version}" for m in MODELS])
def test_example_round_trips_through_kafka(model: type[EventPayload]) -> None:
    # Only the newest version of a type parses as itself; older ones are upcast.
    from tdkt_contracts import latest_version

    if model.event_version != latest_version(model.event_type):
        pytest.skip("an old version is read as the newest one (see the upcasting tests)")
    check_kafka_round_trip(model)


# The same checks on the throwaway type, so they are exercised whatever the catalogue holds.


def test_scratch_examples_validate(scratch_events: Any) -> None:
    for model in scratch_events:
        check_examples_validate(model)


def test_scratch_round_trip(scratch_events: Any) -> None:
    check_kafka_round_trip(scratch_events[1])


def test_decomposed_vietnamese_arrives_composed(scratch_events: Any) -> None:
    v2 = scratch_events[1]
    decomposed = unicodedata.normalize("NFD", "  Nguyễn Thị Ánh Tuyết ")
    assert not unicodedata.is_normalized("NFC", decomposed)
    family, *_, given = decomposed.split()
    payload = v2(member_id="m-1", family_name=family, given_name=given, unit_name=decomposed)
    _, value, headers = _envelope(v2, payload).to_kafka()
    assert "Nguyễn Thị Ánh Tuyết".encode() in value  # NFC bytes, trimmed
    assert from_kafka(value, headers).payload().unit_name == "Nguyễn Thị Ánh Tuyết"


def test_a_wrong_example_is_caught(scratch_events: Any) -> None:
    v2 = scratch_events[1]
    validator = _validator(v2)
    good = {"member_id": "m-1", "family_name": "Lê", "given_name": "Lợi", "unit_name": "Thanh tra Bộ"}
    assert not _errors(validator, good)
    assert _errors(validator, {**good, "given_name": 5})
    # Readers ignore fields they do not know (a later optional field must not break them).
    assert not _errors(validator, {**good, "extra": 1})
    assert SCRATCH_TYPE in validator.schema["$id"]
