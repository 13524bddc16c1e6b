"""The compatibility rules, on schemas built from small throwaway models.

Each case is "published" versus "current" JSON Schema of the same version.
The models are plain ``ContractModel`` subclasses (like the real events, but
not registered), so the schemas have the shapes pydantic really produces:
``$defs`` with ``$ref``, ``anyOf`` with ``null`` for optionals, enums,
formats and ``additionalProperties: false``; the nested-object cases use
``EventPayload`` / ``EventPart``, which leave it open as the real events do.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Optional

import pytest
from pydantic import Field
from tdkt_contracts import ContractModel, EventPart, EventPayload
from tdkt_contracts.compat import breaking_changes, closed_objects


class Rank(StrEnum):
    FIRST = "hang_nhat"
    SECOND = "hang_nhi"
    THIRD = "hang_ba"


class RankWithoutThird(StrEnum):
    FIRST = "hang_nhat"
    SECOND = "hang_nhi"


class RankWithFourth(StrEnum):
    FIRST = "hang_nhat"
    SECOND = "hang_nhi"
    THIRD = "hang_ba"
    FOURTH = "hang_tu"


class Address(ContractModel):
    province: str = Field(description="Tỉnh, thành phố.")
    commune: str = Field(description="Xã, phường.")


class Published(ContractModel):
    """Huân chương Lao động was awarded."""

    award_id: str = Field(max_length=64, description="Id of the award.")
    recipient_name: str = Field(description="Họ và tên.")
    count: int = Field(ge=0, description="How many times.")
    rank: Rank = Field(description="Hạng.")
    awarded_on: date = Field(description="Ngày quyết định.")
    address: Address = Field(description="Địa chỉ.")
    note: str | None = Field(default=None, description="Ghi chú.")


def schema(model: type[ContractModel]) -> dict[str, Any]:
    return model.model_json_schema()


PUBLISHED = schema(Published)


def changes_to(current: type[ContractModel]) -> list[str]:
    return breaking_changes(PUBLISHED, schema(current))


# --------------------------------------------------------------------------- breaking


def test_removed_field() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == ["(root): property 'recipient_name' removed"]


def test_removed_optional_field() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: date
        address: Address

    assert changes_to(Current) == ["(root): property 'note' removed"]


def test_renamed_field() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        full_name: str
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == [
        "(root): property 'recipient_name' removed (renamed to 'full_name'?)",
        "(root): new property 'full_name' is required (events published before lack it)",
    ]


def test_type_change_int_to_str() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: str
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == ["count: type changed from integer to string"]


def test_new_required_field() -> None:
    class Current(Published):
        decision_number: str = Field(description="Số quyết định.")

    assert changes_to(Current) == [
        "(root): new property 'decision_number' is required (events published before lack it)"
    ]


def test_enum_value_removed() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: int = Field(ge=0)
        rank: RankWithoutThird
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == ['rank: enum values removed: "hang_ba"']


def test_format_changed() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: datetime
        address: Address
        note: str | None = None

    assert changes_to(Current) == ['awarded_on: format changed from "date" to "date-time"']


def test_nested_object_in_defs_is_compared() -> None:
    class NewAddress(ContractModel):
        province: int
        district: str

    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: date
        address: NewAddress
        note: str | None = None

    assert changes_to(Current) == [
        "address.province: type changed from string to integer",
        "address: property 'commune' removed (renamed to 'district'?)",
        "address: new property 'district' is required (events published before lack it)",
    ]


def test_optional_field_made_required_and_required_made_optional() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str = "?"
        count: int = Field(ge=0)
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None

    assert changes_to(Current) == [
        "(root): property 'recipient_name' is no longer required",
        "(root): property 'note' is now required",
    ]


def test_field_made_nullable_is_a_type_change() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: Optional[int] = Field(ge=0)  # noqa: UP045 - the spelling does not matter
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == ["count: type changed from integer to integer | null"]


def test_constraint_tightened() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=32)
        recipient_name: str = Field(min_length=2)
        count: int = Field(ge=1)
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == [
        "award_id: maxLength tightened from 64 to 32",
        "recipient_name: minLength tightened from none to 2",
        "count: minimum tightened from 0 to 1",
    ]


def test_additional_properties_tightened() -> None:
    published = {"type": "object", "properties": {"a": {"type": "string"}}}
    for current_extra in (False, {"type": "string"}):
        current = {**published, "additionalProperties": current_extra}
        assert len(breaking_changes(published, current)) == 1
        assert "additionalProperties tightened" in breaking_changes(published, current)[0]


def test_additional_properties_values_compared() -> None:
    published = {"type": "object", "additionalProperties": {"type": "integer"}}
    current = {"type": "object", "additionalProperties": {"type": "string"}}
    assert breaking_changes(published, current) == ["*: type changed from integer to string"]


def test_items_of_arrays_compared() -> None:
    class Published(ContractModel):
        members: list[Address]

    class NewAddress(ContractModel):
        province: str

    class Current(ContractModel):
        members: list[NewAddress]

    assert breaking_changes(schema(Published), schema(Current)) == ["members[]: property 'commune' removed"]


def test_key_and_topic_may_not_move() -> None:
    published = {**PUBLISHED, "x-topic": "tdkt.awards.events", "x-subject-field": "award_id"}
    current = {**PUBLISHED, "x-topic": "tdkt.awards.internal", "x-subject-field": "recipient_name"}
    found = breaking_changes(published, current)
    assert len(found) == 2
    assert found[0].startswith("(root): topic") and found[1].startswith("(root): key field")


# --------------------------------------------------------------------------- not breaking


def test_identical() -> None:
    assert changes_to(Published) == []


def test_new_optional_field() -> None:
    class Current(Published):
        ribbon_colour: str | None = Field(default=None, description="Màu dải băng.")

    assert changes_to(Current) == []


def test_description_and_title_changes() -> None:
    class RenamedAddress(ContractModel):
        """A different docstring: the $defs key changes too."""

        province: str = Field(description="Province or centrally run city (tỉnh, thành phố trực thuộc TW).")
        commune: str = Field(description="Commune, ward or special zone (xã, phường, đặc khu).")

    class Current(ContractModel):
        """A completely new description of the event."""

        award_id: str = Field(max_length=64, description="Mã khen thưởng.")
        recipient_name: str = Field(description="Full name of the recipient.")
        count: int = Field(ge=0, title="Số lần", description="Số lần được khen.")
        rank: Rank = Field(description="Rank of the medal.")
        awarded_on: date = Field(description="Decision date.")
        address: RenamedAddress = Field(description="Where the recipient lives.")
        note: str | None = Field(default=None, description="Free text.")

    assert changes_to(Current) == []


def test_enum_value_added() -> None:
    class Current(ContractModel):
        award_id: str = Field(max_length=64)
        recipient_name: str
        count: int = Field(ge=0)
        rank: RankWithFourth
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == []


def test_constraint_loosened_and_additional_properties_opened() -> None:
    class Current(ContractModel, extra="allow"):
        award_id: str = Field(max_length=128)
        recipient_name: str
        count: int
        rank: Rank
        awarded_on: date
        address: Address
        note: str | None = None

    assert changes_to(Current) == []


def test_recursive_models_terminate() -> None:
    class Node(ContractModel):
        name: str
        children: list[Node] = []
        parent: Node | None = None

    class Node2(ContractModel):
        name: int
        children: list[Node2] = []
        parent: Node2 | None = None

    Node.model_rebuild()
    Node2.model_rebuild()
    assert breaking_changes(schema(Node), schema(Node)) == []
    assert breaking_changes(schema(Node), schema(Node2)) == ["name: type changed from string to integer"]


@pytest.mark.parametrize("keyword", ["examples", "title", "description", "default", "x-enum-labels-vi"])
def test_annotations_are_ignored(keyword: str) -> None:
    current = {**PUBLISHED, keyword: "something else"}
    assert breaking_changes(PUBLISHED, current) == []


def test_the_generator_refuses_to_overwrite_a_schema_incompatibly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tdkt_contracts import generate
    from tdkt_contracts.catalogue.units import PersonEnrolledV1 as PersonEnrolled

    generate.write(tmp_path, [PersonEnrolled])
    [path] = list(tmp_path.glob("schemas/*/v1.json"))
    published = json.loads(path.read_text())
    published["properties"]["retired_field"] = {"type": "string", "description": "was published"}
    published.setdefault("required", []).append("retired_field")
    path.write_text(json.dumps(published))
    try:
        generate.write(tmp_path, [PersonEnrolled])
    except generate.BreakingChange as refused:
        assert "retired_field" in str(refused)
    else:
        raise AssertionError("a breaking regeneration was written")
    assert "retired_field" in path.read_text()  # nothing was overwritten
    generate.write(tmp_path, [PersonEnrolled], allow_breaking=True)
    assert "retired_field" not in path.read_text()


# --------------------------------------------------------------------------- nested objects


class OpenAddress(EventPart):
    province: str = Field(description="Tỉnh, thành phố.")
    commune: str = Field(description="Xã, phường.")


class OpenPublished(EventPayload):
    award_id: str
    address: OpenAddress
    members: list[OpenAddress] = []


def test_nested_object_opened_is_compatible() -> None:
    class Closed(ContractModel):
        award_id: str
        address: Address
        members: list[Address] = []

    assert '"additionalProperties": false' in json.dumps(schema(Closed))
    assert breaking_changes(schema(Closed), schema(OpenPublished)) == []


def test_nested_object_closed_is_breaking() -> None:
    class Current(EventPayload):
        award_id: str
        address: Address
        members: list[Address] = []

    # One $def shared by two properties is reported once, at the first place it is used.
    assert breaking_changes(schema(OpenPublished), schema(Current)) == [
        "address: additionalProperties tightened: extra properties were allowed, now forbidden",
    ]


def test_nested_property_removed_or_retyped_is_breaking() -> None:
    class NewAddress(EventPart):
        province: int

    class Current(EventPayload):
        award_id: str
        address: NewAddress
        members: list[NewAddress] = []

    assert breaking_changes(schema(OpenPublished), schema(Current)) == [
        "address.province: type changed from string to integer",
        "address: property 'commune' removed",
    ]


def test_closed_objects_are_found_at_any_depth() -> None:
    class Closed(EventPayload):
        address: Address

    assert closed_objects(schema(Closed)) == ["#/$defs/Address"]
    assert closed_objects(schema(OpenPublished)) == []


def test_event_parts_ignore_unknown_fields_when_reading() -> None:
    read = OpenPublished.model_validate({"award_id": "a-1", "address": {"province": "Hà Nội", "commune": "Ba Đình",
                                                                        "postcode": "100000"}})
    assert read.address == OpenAddress(province="Hà Nội", commune="Ba Đình")
