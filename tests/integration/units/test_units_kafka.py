"""The units service's events reach Kafka with their contracts: CloudEvents headers,
the aggregate id as key, Vietnamese intact, discipline, a person's profile (birth date,
sex, union membership) and who acted on the internal topic only."""

from __future__ import annotations

import json

import httpx
import pytest
from kernel.settings import Settings
from tdkt_contracts import from_kafka

from tests.integration.kernel.support import consume

from .support import NEW_NAME, enrol, ministry, ok

pytestmark = pytest.mark.integration

PUBLIC = "tdkt.units.events"
INTERNAL = "tdkt.units.internal"


async def test_events_reach_kafka_with_their_contracts(client: httpx.AsyncClient, settings: Settings,
                                                       auth_keys) -> None:  # type: ignore[no-untyped-def]
    await ministry(client)  # 5 units
    headers = {"x-correlation-id": "dot-thi-dua-2024", **auth_keys.headers("administrator", subject="vtdkt-01")}
    await client.post("/people", json=enrol("p-huong", "u-vtdkt", "Nguyễn Thị Hương"), headers=headers)
    await ok(client, "/units/rename", {"unit_id": "u-vtdkt", "name": NEW_NAME, "effective_on": "2023-03-01"})
    await ok(client, "/evaluations", {"subject": "person", "subject_id": "p-huong", "year": 2023, "grade": "HTXS"})
    await ok(client, "/evaluations/corrections", {"subject": "person", "subject_id": "p-huong", "year": 2023,
                                                  "grade": "HTT", "reason": "Điều chỉnh theo rà soát"})
    await ok(client, "/disciplines", {"person_id": "p-huong", "discipline_id": "kl-1", "form": "khien_trach",
                                      "reason": "Vi phạm quy chế làm việc", "decision_number": "12/QĐ-KL",
                                      "decided_on": "2024-02-01"})
    await ok(client, "/disciplines/end", {"person_id": "p-huong", "discipline_id": "kl-1", "ended_on": "2024-09-01",
                                          "ending": "het_thoi_han"})
    await ok(client, "/initiatives", {"initiative_id": "sk-1", "kind": "de_tai", "level": "bo", "year": 2023,
                                      "title": "Nghiên cứu đổi mới công tác thi đua", "decision_number": "9/QĐ",
                                      "decided_on": "2023-12-01", "author_ids": ["p-huong"], "unit_id": "u-vtdkt"})

    prefix = settings.topic_prefix
    records = await consume(settings.kafka_bootstrap_servers, [prefix + PUBLIC, prefix + INTERNAL], expected=13)
    assert len(records) == 13
    public = [r for r in records if r.topic == prefix + PUBLIC]
    internal = [r for r in records if r.topic == prefix + INTERNAL]
    assert sorted(dict(r.headers)["ce_type"].decode() for r in internal) == [
        "vn.tdkt.units.person.discipline-ended", "vn.tdkt.units.person.discipline-imposed",
        "vn.tdkt.units.person.profile-recorded"]
    assert not any(b"discipline" in dict(r.headers)["ce_type"] for r in public)
    assert sorted({dict(r.headers)["ce_type"].decode() for r in public}) == [
        "vn.tdkt.units.initiative.recognized", "vn.tdkt.units.person.enrolled",
        "vn.tdkt.units.person.evaluation-corrected", "vn.tdkt.units.person.evaluation-recorded",
        "vn.tdkt.units.unit.established", "vn.tdkt.units.unit.renamed"]

    for record in records:
        envelope = from_kafka(record.value, record.headers)
        event = envelope.payload()  # validates the data against its contract
        assert envelope.source == "/tdkt/units"
        assert record.key.decode() == envelope.subject == event.subject()
        assert envelope.schema_version == event.event_version and envelope.stream_version is not None
        # Who acted goes to tdkt's own services only.
        assert ("ce_actorid" in dict(record.headers)) is (record.topic == prefix + INTERNAL), record.topic
        assert dict(record.headers)["content-type"] == b"application/json; charset=utf-8"

    enrolled = next(r for r in public if dict(r.headers)["ce_type"] == b"vn.tdkt.units.person.enrolled")
    assert "Nguyễn Thị Hương".encode() in enrolled.value  # UTF-8 on the wire, not \u escapes
    assert json.loads(enrolled.value)["full_name"] == "Nguyễn Thị Hương"
    assert dict(enrolled.headers)["ce_correlationid"] == b"dot-thi-dua-2024"
    assert dict(enrolled.headers)["ce_schemaversion"] == b"2"
    assert not {"sex", "date_of_birth", "union_member"} & set(json.loads(enrolled.value))
    profile = next(r for r in internal if dict(r.headers)["ce_type"] == b"vn.tdkt.units.person.profile-recorded")
    assert json.loads(profile.value) == {"person_id": "p-huong", "sex": "female", "date_of_birth": "1985-04-12",
                                         "union_member": True}
    assert dict(profile.headers)["ce_actorid"] == b"vtdkt-01"
    renamed = next(r for r in public if dict(r.headers)["ce_type"] == b"vn.tdkt.units.unit.renamed")
    assert json.loads(renamed.value)["name"] == NEW_NAME

    # One aggregate's events keep their order on its partition.
    person = [from_kafka(r.value, r.headers) for r in records if r.key == b"p-huong"]
    for topic_records in (public, internal):
        versions = [from_kafka(r.value, r.headers).stream_version for r in topic_records if r.key == b"p-huong"]
        assert versions == sorted(versions)
    assert sorted(e.stream_version for e in person) == [1, 2, 3, 4, 5, 6]
