"""The compose deployment, running (brought up by scripts/test-compose, which sets TDKT_COMPOSE_PROJECT):
a small scenario through the HTTP APIs, the reporting service's answer, the grant mailed to the nominating
unit's officer through the SMTP sink, the events on Kafka, a person signing in to the portal at Keycloak, then
a service container and the broker restarted — a command accepted while the broker is down included — and
nothing lost; last, the backup and restore of deploy/README.md: every database dumped, PostgreSQL started on a
fresh volume, the dumps restored, and every part answers as before.

The tests run in file order and build on each other (one deployment, one story); outside scripts/test-compose
they are skipped, since they need the Docker engine and the built images.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import TopicAuthorizationFailedError, for_code

from kernel.auth import mint_token
from kernel.kafka_auth import KafkaCredentials, client_options

from .stack import ComposeStack, types

pytestmark = [
    pytest.mark.skipif("TDKT_COMPOSE_PROJECT" not in os.environ,
                       reason="needs the compose deployment scripts/test-compose brings up"),
    # A bound for the restarts and the restore on a loaded machine (Keycloak's start is most of it).
    pytest.mark.timeout(1800),
]

PUBLIC = ("tdkt.units.events", "tdkt.campaigns.events", "tdkt.awards.events")
INTERNAL = ("tdkt.units.internal", "tdkt.campaigns.internal", "tdkt.awards.internal")
BCT, VTCCB = "u-bct", "u-vtccb"
HUONG, HUNG = "p-huong", "p-hung"
OFFICER = {"account": "officer-vtccb", "email": "canbo.vtccb@moit.gov.vn", "display_name": "Trịnh Văn Bình"}
"""The unit officer of the nominating unit, whom the notifications service tells of the grant."""
DOSSIER = [
    {"kind": "submission_letter", "title": "Tờ trình đề nghị khen thưởng", "reference": "45/TTr-VTCCB"},
    {"kind": "achievement_report", "title": "Báo cáo thành tích của cá nhân, tập thể"},
]


@pytest.fixture(scope="module")
def stack() -> ComposeStack:
    return ComposeStack.from_environment()


def ok(client: httpx.Client, path: str, body: Any, status: int = 201) -> dict[str, Any]:
    """A command that must be answered with ``status``; its answer."""
    response = client.post(path, json=body)
    assert response.status_code == status, (path, response.status_code, response.text)
    return response.json()


def eventually(what: str, check: Callable[[], Any], timeout: float = 300) -> Any:
    """Poll ``check`` until it returns something truthy (the services are eventually consistent); fail naming
    ``what`` and the last answer. A bound on waiting, not an assertion on speed."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except httpx.HTTPError as error:  # a restarting container: not an answer yet
            last = error
        else:
            if last:
                return last
        time.sleep(1)
    raise AssertionError(f"{what}: not so after {timeout:.0f} s (last: {last!r})")


def person_awards(stack: ComposeStack, person_id: str) -> list[dict[str, Any]]:
    """The awards the reporting service lists for ``person_id`` (none while it does not know them)."""
    with stack.client("reporting") as reporting:
        response = reporting.get(f"/people/{person_id}/awards")
    return response.json()["items"] if response.status_code == 200 else []


def grant_one_off(stack: ComposeStack, nomination_id: str, person_id: str, number: str) -> dict[str, Any]:
    """A one-off Bằng khen của Bộ trưởng for ``person_id``: the file's finding recorded (once the awards service
    knows the person from the units' events), the nomination submitted, then granted by the Minister."""
    body = {"nomination_id": nomination_id, "year": 2024, "award_code": "BK_BT", "category": "one_off",
            "submitting_unit_id": VTCCB, "movement_id": None, "documents": DOSSIER, "submitted_on": "2024-09-12",
            "candidates": [{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": person_id}]}
    with stack.client("awards") as awards:
        finding = {"recipient_kind": "individual", "subject_id": person_id, "key": "one_off_achievement",
                   "year": 2024, "reference": "Tờ trình 45/TTr-VTCCB"}
        eventually(f"the awards service knows {person_id}",
                   lambda: awards.post("/attestations", json=finding).status_code == 201)
        submitted = ok(awards, "/nominations", body)
        assert submitted["eligible"] == ["c-1"], submitted
        granted = ok(awards, f"/nominations/{nomination_id}/grants", {
            "candidate_ids": ["c-1"], "authority": "minister", "decision_number": number,
            "decision_date": "2024-09-16", "signer": "Bộ trưởng Nguyễn Hồng Diên"})
    [candidate] = granted["candidates"]
    assert candidate["status"] == "granted", granted
    return granted


def all_on_kafka(stack: ComposeStack) -> list[dict[str, str]]:
    """Every record of the contexts' topics, once every stored event reached Kafka (the relays may lag)."""
    missing: dict[str, set[str]] = {}

    def complete() -> list[dict[str, str]] | None:
        stored = stack.stored_events()
        records = stack.kafka_records(*PUBLIC, *INTERNAL)
        on_kafka: dict[str, set[str]] = {}
        for record in records:
            on_kafka.setdefault(record["topic"], set()).add(record["id"])
        missing.clear()
        missing.update({t: ids - on_kafka.get(t, set()) for t, ids in stored.items() if ids - on_kafka.get(t, set())})
        return None if missing else records
    try:
        return eventually("every stored event is on Kafka", complete, timeout=300)
    except AssertionError as error:
        raise AssertionError(f"{error}; missing on Kafka: {missing}") from None


def test_the_administrator_records_the_nominating_units_officer_as_a_recipient(stack: ComposeStack) -> None:
    with stack.client("notifications") as notifications:
        response = notifications.put(f"/recipients/{OFFICER['account']}", json={
            "email": OFFICER["email"], "role": "unit_officer", "display_name": OFFICER["display_name"],
            "unit_id": VTCCB})
        assert response.status_code in (200, 201), response.text
        listed = notifications.get("/recipients").json()
    assert OFFICER["email"] in str(listed), listed


def test_a_small_story_through_the_apis_reaches_reporting(stack: ComposeStack) -> None:
    with stack.client("units") as units:
        ok(units, "/units", {"unit_id": BCT, "code": "BCT", "name": "Bộ Công Thương", "kind": "bo",
                             "parent_id": None, "effective_on": "2015-01-01"})
        ok(units, "/units", {"unit_id": VTCCB, "code": "VTCCB", "name": "Vụ Tổ chức cán bộ", "kind": "vu",
                             "parent_id": BCT, "effective_on": "2015-01-01"})
        for person_id, name, sex in ((HUONG, "Nguyễn Thị Hương", "female"), (HUNG, "Đặng Quốc Hưng", "male")):
            ok(units, "/people", {"person_id": person_id, "full_name": name, "sex": sex,
                                  "date_of_birth": "1985-04-12", "sector_joined_on": "2015-09-01",
                                  "unit_id": VTCCB, "position": "Chuyên viên", "staff_category": "cong_chuc",
                                  "union_member": True})
        ok(units, "/evaluations", {"subject": "person", "subject_id": HUONG, "year": 2023, "grade": "HTXS"})
        person = units.get(f"/people/{HUONG}").json()
        assert person["full_name"] == "Nguyễn Thị Hương" and person["grades"][0]["grade"] == "HTXS", person
    grant_one_off(stack, "n-2024-compose-1", HUONG, "1890/QĐ-BCT")
    [award] = eventually("reporting lists Hương's award", lambda: person_awards(stack, HUONG))
    assert award["award_code"] == "BK_BT" and award["year"] == 2024, award
    with stack.client("reporting") as reporting:
        tree = reporting.get("/units/tree").json()
    assert "Vụ Tổ chức cán bộ" in str(tree), tree


def test_the_grant_is_mailed_once_to_the_nominating_units_officer(stack: ComposeStack) -> None:
    def mailed() -> list[Any]:
        return [m for m in stack.mails() if m["To"] and OFFICER["email"] in str(m["To"])]
    [mail] = eventually("the grant's mail reached the SMTP sink", mailed)
    assert str(mail["Subject"]).startswith("Đề nghị được chấp thuận: Nguyễn Thị Hương"), mail["Subject"]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "1890/QĐ-BCT" in body.get_content(), mail
    # Once: the same notice, whichever event or redelivery says it, is one mail — and one unread notification.
    token = mint_token(stack.private_key, subject=OFFICER["account"], roles=["unit_officer"], unit_id=VTCCB,
                       issuer=stack.issuer, audience="tdkt")
    with httpx.Client(base_url=stack.url("notifications"), headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as notifications:
        mine = notifications.get("/notifications").json()
    assert mine["unread"] == 1 and "1890/QĐ-BCT" in str(mine["items"]), mine
    assert len(mailed()) == 1


def _browser(base_url: str) -> httpx.Client:
    """An HTTP client that keeps cookies as a browser does for a loopback http address: Keycloak marks its
    sign-in cookies Secure (SameSite=None), which browsers still send to http://127.0.0.1 and Python's cookie
    jar does not."""
    client = httpx.Client(base_url=base_url, timeout=60)

    def loopback_is_trustworthy(response: httpx.Response) -> None:
        for cookie in client.cookies.jar:
            if cookie.domain == "127.0.0.1":
                cookie.secure = False
    client.event_hooks["response"] = [loopback_is_trustworthy]
    return client


def _sign_in(portal: httpx.Client, login: str, password: str) -> httpx.Response:
    """The authorization-code flow as a browser goes through it: the portal sends it to Keycloak's login page,
    the form is posted there, Keycloak sends it back to the portal's callback, which opens the session."""
    page = portal.get("/auth/login", params={"next": "/units"}, follow_redirects=True)
    assert page.status_code == 200 and "kc-form-login" in page.text, (page.url, page.text[:500])
    [action] = re.findall(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', page.text, flags=re.S) or \
        re.findall(r'<form[^>]*action="([^"]+)"[^>]*id="kc-form-login"', page.text, flags=re.S)
    return portal.post(html.unescape(action), data={"username": login, "password": password, "credentialId": ""},
                       follow_redirects=True)


def test_a_person_signs_in_to_the_portal_through_keycloak_and_sees_the_units(stack: ComposeStack) -> None:
    """Keycloak's realm (imported at start from the local stack's generator, passwords from the secrets) signs
    the office's officer in; the portal calls the units service with her token, which the service verifies
    with the realm's published keys."""
    logins = dict(line.split(" ", 1) for line in stack.secret("keycloak_users").splitlines())
    with _browser(stack.url("portal")) as portal:
        wrong = _sign_in(portal, "vanphong", logins["vanphong"] + "x")
        assert "kc-form-login" in wrong.text and "tdkt_portal" not in portal.cookies, wrong.text[:300]
        page = _sign_in(portal, "vanphong", logins["vanphong"])
        assert page.status_code == 200 and page.url.path == "/units", (page.url, page.text[:500])
        assert "tdkt_portal" in portal.cookies
        assert "Trần Thị Thu Hà" in page.text and "Vụ Tổ chức cán bộ" in page.text, page.text[:2000]


def test_the_events_are_on_kafka_exactly_as_stored(stack: ComposeStack) -> None:
    records = all_on_kafka(stack)
    counted = types(records)
    assert counted["unit.established"] == 2 and counted["person.enrolled"] == 2, counted
    assert counted["person.evaluation-recorded"] == 1 and counted["award.granted"] == 1, counted
    assert {r["topic"] for r in records if r["type"].endswith("person.profile-recorded")} <= {"tdkt.units.internal"}


async def _subscriber_reads(stack: ComposeStack, topic: str) -> int:
    """How many records the subscriber reads from ``topic`` over the published port (raises if refused)."""
    options = client_options(KafkaCredentials("subscriber", stack.secret("kafka_subscriber_password")))
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap(), request_timeout_ms=10000, **options)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if described["error_code"]:  # e.g. 29, topic authorization failed: the grants say no
        raise for_code(described["error_code"])(f"describing {topic}")
    partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka_bootstrap(), enable_auto_commit=False,
                                request_timeout_ms=10000, **options)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        read = 0
        while read < sum(ends.values()):
            batches = await asyncio.wait_for(consumer.getmany(*partitions, timeout_ms=1000), timeout=30)
            read += sum(len(records) for records in batches.values())
        return read
    finally:
        with contextlib.suppress(asyncio.CancelledError):  # aiokafka 0.14's stop(), as in kafka_dump.py
            await asyncio.wait_for(consumer.stop(), timeout=10)


async def test_a_subscribing_system_outside_reads_the_public_topics_and_not_the_internal_one(
    stack: ComposeStack,
) -> None:
    """The published port is the EXTERNAL listener, advertised under the host's address: a system outside
    compose's network logs in as `subscriber` and reads what its grants allow, and nothing else."""
    stored = stack.stored_events()
    assert await _subscriber_reads(stack, "tdkt.units.events") == len(stored["tdkt.units.events"]) == 5
    with pytest.raises(TopicAuthorizationFailedError):  # discipline and profiles: not for other systems
        await _subscriber_reads(stack, "tdkt.units.internal")


def test_a_service_and_the_broker_restart_without_losing_an_event(stack: ComposeStack) -> None:
    before = {(r["topic"], r["id"]) for r in all_on_kafka(stack)}
    stack.compose("restart", "awards")
    stack.compose("stop", "kafka")
    # With the broker down, a command is still taken: its event waits in the units' outbox.
    with stack.client("units") as units:
        ok(units, "/evaluations", {"subject": "person", "subject_id": HUNG, "year": 2023, "grade": "HTT"})
    stack.compose("start", "kafka")
    stack.wait_healthy("kafka", "units", "campaigns", "awards", "reporting", "notifications", "portal")
    # The restarted awards service kept its nominations and takes new ones; reporting still has the first.
    with stack.client("awards") as awards:
        kept = awards.get("/nominations/n-2024-compose-1").json()
    assert kept["candidates"][0]["status"] == "granted", kept
    grant_one_off(stack, "n-2024-compose-2", HUNG, "1891/QĐ-BCT")
    [award] = eventually("reporting lists Hưng's award", lambda: person_awards(stack, HUNG))
    assert award["award_code"] == "BK_BT", award
    assert [a["award_code"] for a in person_awards(stack, HUONG)] == ["BK_BT"]
    after = all_on_kafka(stack)
    assert before <= {(r["topic"], r["id"]) for r in after}, "an event published before the restarts is gone"
    counted = types(after)
    assert counted["person.evaluation-recorded"] == 2 and counted["award.granted"] == 2, counted
    # The notifications service read on through the broker's restart: the second grant is mailed too, once.
    mailed = eventually("the second grant's mail reached the SMTP sink", lambda: [
        m for m in stack.mails() if "1891/QĐ-BCT" in m.get_body(preferencelist=("plain",)).get_content()])
    assert len(mailed) == 1 and OFFICER["email"] in str(mailed[0]["To"]), mailed


RESTORED = ("units", "campaigns", "awards", "reporting", "notifications", "keycloak")
"""Every database of the deployment (deploy/README.md, "Back up and restore")."""


def _answers(stack: ComposeStack) -> dict[str, Any]:
    """What the parts answer about the story: the check that a restore gave back the same."""
    officer = mint_token(stack.private_key, subject=OFFICER["account"], roles=["unit_officer"], unit_id=VTCCB,
                         issuer=stack.issuer, audience="tdkt")
    with stack.client("units") as units, stack.client("awards") as awards:
        # A fixed day: "today" (the default) is Hà Nội's date, which may turn while the restore runs.
        found = {"person": units.get(f"/people/{HUONG}").json(),
                 "tree": units.get("/units/tree", params={"as_of": "2024-12-31"}).json(),
                 "nomination": awards.get("/nominations/n-2024-compose-2").json()}
    with httpx.Client(base_url=stack.url("notifications"), headers={"Authorization": f"Bearer {officer}"},
                      timeout=30) as notifications:
        found["notifications"] = notifications.get("/notifications").json()["items"]
    found["awards"] = {person: person_awards(stack, person) for person in (HUONG, HUNG)}
    return found


def test_every_database_is_backed_up_and_restored_on_a_fresh_volume(stack: ComposeStack) -> None:
    before = _answers(stack)
    assert before["awards"][HUNG] and len(before["notifications"]) == 2, before
    # Online, as the superuser: the roles are remade by the first start, from the same secrets.
    dumps = {name: stack.postgres(f"pg_dump -U postgres -Fc tdkt_{name}") for name in RESTORED}
    assert all(dumps.values()), {name: len(dump) for name, dump in dumps.items()}
    stack.compose("stop", "--timeout", "30")
    stack.compose("rm", "-f", "postgres")
    volume = f"{stack.project}_postgres-data"
    subprocess.run(["docker", "volume", "rm", volume], check=True, capture_output=True, timeout=60)
    stack.compose("up", "-d", "--no-build", "--wait", "--wait-timeout", "600", "postgres", timeout=900)
    tables = stack.postgres("psql -U postgres -At -d tdkt_units -c "
                            "'SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()'")
    assert tables.strip() == b"0", f"the new volume's units database has {tables!r} tables"
    for name, dump in dumps.items():
        stack.postgres(f"pg_restore -U postgres --clean --if-exists --exit-on-error -d tdkt_{name}", stdin=dump)
    stack.compose("up", "-d", "--no-build", "--wait", "--wait-timeout", "900", timeout=1200)
    def same() -> dict[str, Any] | None:
        found = _answers(stack)
        return found if found == before else None
    assert eventually("every part answers as before the restore", same) == before
    # The relays' checkpoints came back with their events: nothing is missing on Kafka, nothing published twice.
    records = all_on_kafka(stack)
    assert types(records)["award.granted"] == 2, types(records)
    # Keycloak's database too: the same person signs in with the same password.
    logins = dict(line.split(" ", 1) for line in stack.secret("keycloak_users").splitlines())
    with _browser(stack.url("portal")) as portal:
        page = _sign_in(portal, "vanphong", logins["vanphong"])
        assert page.status_code == 200 and "Vụ Tổ chức cán bộ" in page.text, (page.url, page.text[:500])
