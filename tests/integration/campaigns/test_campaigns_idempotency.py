"""Retries that never double: the same interim review posted twice with one Idempotency-Key is one review.

The chaos run doubled all six of 2023's interim reviews when the scenario replayed its
requests after a PostgreSQL kill; a review has no natural identity, so only the key can tell.
"""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest

from services.campaigns.app import build

from .support import campaigns_settings, event_count, ok, refused

pytestmark = pytest.mark.integration

MOVEMENT = "pt-thi-dua-2023"
REVIEW = {"movement_id": MOVEMENT, "kind": "interim", "reviewed_on": "2023-06-30", "summary": "Sơ kết 6 tháng"}


async def _launch(client) -> None:  # type: ignore[no-untyped-def]
    ok(await client.post("/movements", json={
        "movement_id": MOVEMENT, "title": "Thi đua hoàn thành thắng lợi nhiệm vụ năm 2023", "launched_by": "bo",
        "kind": "thuong_xuyen", "scope": {"unit_ids": ["u-vtdkt"]}, "period_start": "2023-01-01",
        "period_end": "2023-12-31", "criteria": "Hoàn thành xuất sắc nhiệm vụ.", "launched_on": "2023-01-10",
    }), 201)


async def _reviews(client) -> int:  # type: ignore[no-untyped-def]
    async with client.service.pool.acquire() as conn:
        return int(await conn.fetchval(
            "SELECT count(*) FROM events WHERE stream_id = $1 AND event_type LIKE '%reviewed'", MOVEMENT))


async def test_the_same_key_twice_records_one_review_and_answers_the_same(settings, start_service, auth_keys) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _launch(client)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers=key)
    assert first.status_code in (200, 201), first.text
    events = await event_count(client.service.pool)
    again = await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers=key)
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await event_count(client.service.pool) == events
    assert await _reviews(client) == 1

    # The same key for another request: refused, nothing written.
    other = await client.post(f"/movements/{MOVEMENT}/reviews", json={**REVIEW, "summary": "Sơ kết quý III"},
                              headers=key)
    refused(other, 409, "idempotency_key_reused")
    assert await event_count(client.service.pool) == events

    # Keys belong to the person: another person's same key is their own request.
    someone_else = auth_keys.headers(subject="another-admin")
    mine = await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers={**key, **someone_else})
    assert mine.status_code == first.status_code and "idempotent-replayed" not in mine.headers
    assert await _reviews(client) == 2

    # Without a key nothing tells a retry from a second review: it is recorded again.
    ok(await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW), first.status_code)
    assert await _reviews(client) == 3


async def test_a_refusal_is_not_kept_when_a_retry_may_turn_it_around(settings, start_service) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _launch(client)
    key = {"Idempotency-Key": "retry-after-conflict"}
    stale = await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers={**key, "If-Match": '"7"'})
    refused(stale, 409, "concurrency_conflict")
    # A 409 is not kept: the same key with a current If-Match is a fresh try.
    fresh = await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers={**key, "If-Match": '"1"'})
    assert fresh.status_code in (200, 201), fresh.text
    assert await _reviews(client) == 1


async def test_a_command_that_committed_but_lost_its_answer_is_never_applied_again(settings, start_service) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _launch(client)
    key = {"Idempotency-Key": "lost-answer"}
    ok(await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers=key), 200)
    # What a crash between the command's commit and the keeping of its answer leaves behind.
    async with client.service.pool.acquire() as conn:
        await conn.execute("UPDATE idempotency_keys SET status = NULL, body = NULL, "
                           "created_at = now() - interval '1 hour' WHERE key = 'lost-answer'")
    refused(await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers=key), 409,
            "idempotency_key_applied")
    assert await _reviews(client) == 1


async def test_a_bad_key_is_refused(settings, start_service) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _launch(client)
    refused(await client.post(f"/movements/{MOVEMENT}/reviews", json=REVIEW, headers={"Idempotency-Key": "x" * 201}),
            422, "invalid_idempotency_key")
    assert await _reviews(client) == 0


async def test_a_key_whose_request_died_is_taken_over_after_its_lease(settings, start_service) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _launch(client)
    key = {"Idempotency-Key": "died-with-the-service"}
    body = json.dumps(REVIEW).encode()
    async with client.service.pool.acquire() as conn:
        # What a service killed during the request leaves: a reservation, nothing committed, no answer.
        await conn.execute(
            "INSERT INTO idempotency_keys (subject, key, fingerprint, holder) VALUES ('test-admin', $1, $2, 'dead')",
            key["Idempotency-Key"], _fingerprint(f"/movements/{MOVEMENT}/reviews", body))
    running = await client.post(f"/movements/{MOVEMENT}/reviews", content=body,
                                headers={**key, "content-type": "application/json"})
    refused(running, 409, "idempotency_key_in_progress")
    assert running.headers["retry-after"].isdigit()
    async with client.service.pool.acquire() as conn:
        await conn.execute("UPDATE idempotency_keys SET created_at = now() - interval '1 minute'")
    taken = await client.post(f"/movements/{MOVEMENT}/reviews", content=body,
                              headers={**key, "content-type": "application/json"})
    assert taken.status_code == 200, taken.text
    assert await _reviews(client) == 1
    # The dead request's commit, had it come late, would not count: its holder mark is gone.
    async with client.service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT holder FROM idempotency_keys WHERE key = $1", key["Idempotency-Key"]) != "dead"


def _fingerprint(path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([b"POST", path.encode(), b"", body])).hexdigest()
