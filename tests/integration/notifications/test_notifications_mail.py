"""Notifications end to end: the awards workflow's commands through its real API, the notifications service as a
process of its own, the local stack's real SMTP server (STARTTLS, login) keeping each message as a file.

Each expected e-mail arrives once — also after the notifications service is killed with SIGKILL mid-stream and
restarted, after the SMTP server was down for a while (with a second SIGKILL meanwhile), and after every awards
event is delivered again — and each person reads their own notifications with their own token.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import asyncpg
import httpx
import pytest
from tdkt_contracts import from_kafka
from tdkt_contracts.catalogue.campaigns import MovementLaunched

from kernel.db import quote_ident
from tdkt.stack.processes import free_port
from tdkt.stack.smtp import SmtpServer

from ..awards.support import Publisher, confer, enrol, initiative, registration, unit
from ..awards_workflow.support import ballots, grant, nomination, nominee, ok, set_council
from ..kernel.support import consume, wait_until
from .support import Mail, NotificationsProcess, received

pytestmark = pytest.mark.integration

VTCCB, PHONG = "u-vtccb", "u-vtccb-th"
AWARD = "Chiến sĩ thi đua Bộ Công Thương"
PEOPLE = {  # account (the tokens' sub) → recipient
    "acc-vtccb": {"email": "canbo.vtccb@tdkt.local", "role": "unit_officer", "display_name": "Đỗ Văn Hùng",
                  "unit_id": VTCCB},
    "acc-phong": {"email": "canbo.phong@tdkt.local", "role": "unit_officer", "display_name": "Hoàng Thị Mai",
                  "unit_id": PHONG},
    "acc-hoidong": {"email": "hoidong@tdkt.local", "role": "council_member", "display_name": "Lê Minh Tuấn"},
    "acc-vanphong": {"email": "vanphong@tdkt.local", "role": "emulation_office", "display_name": "Trần Thị Thu Hà"},
}
ROLE = {account: person["role"] for account, person in PEOPLE.items()}


async def _facts(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB),
        enrol("p-huong", "Nguyễn Thị Hương", VTCCB, sex="female"),
        enrol("p-minh", "Đỗ Văn Minh", PHONG),
        enrol("p-tuan", "Phạm Văn Tuấn", PHONG),
        enrol("p-lan", "Trần Thị Lan", VTCCB, sex="female"),
        initiative("sk-bo-2022-huong", 2022, ["p-huong"], VTCCB, level="bo"),
        initiative("sk-bo-2022-minh", 2022, ["p-minh"], PHONG, level="bo"),
        initiative("sk-bo-2022-tuan", 2022, ["p-tuan"], PHONG, level="bo"),
        registration(VTCCB, 2024, {"p-huong": ["CSTDCS", "CSTD_BO"]}),
    )
    await publish.settled(client)
    for person, name, unit_id in (("p-huong", "Nguyễn Thị Hương", VTCCB), ("p-minh", "Đỗ Văn Minh", PHONG),
                                  ("p-tuan", "Phạm Văn Tuấn", PHONG)):
        for year in (2021, 2022, 2023):  # entered from the files: these tell nobody
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name, unit_id=unit_id)
    await confer(client, "a-2023-cstdcs-p-lan", "CSTDCS", 2023, "p-lan", "Trần Thị Lan", unit_id=VTCCB)


async def _mail_status(url: str, schema: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(f"SELECT status, count(*) AS n FROM {quote_ident(schema)}.mails GROUP BY status")
    finally:
        await conn.close()
    return {r["status"]: r["n"] for r in rows}


async def _unconfirmed(url: str, schema: str) -> set[tuple[str, str]]:
    """The mails a SIGKILL caught inside the at-most-once window (the server may or may not have them)."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(f"SELECT to_address, subject FROM {quote_ident(schema)}.mails "
                                "WHERE status = 'unconfirmed'")
    finally:
        await conn.close()
    return {(r["to_address"], r["subject"]) for r in rows}


def _pairs(mails: list[Mail]) -> Counter[tuple[str, str]]:
    return Counter((m.to, m.subject) for m in mails)


async def test_each_notification_is_mailed_once_through_kills_an_smtp_outage_and_redelivery(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str, schema: str, auth_keys,  # type: ignore[no-untyped-def]
) -> None:
    home = Path(tempfile.mkdtemp(prefix="tdkt-notifications-"))
    smtp = SmtpServer(home / "smtp", free_port(), "mat-khau-thu-9Xq")
    smtp.start()
    own_schema = f"{schema}_n"  # its own tables: no service reads another's
    notifications = NotificationsProcess.for_test(
        bootstrap_servers=real_stack.bootstrap_servers, database_url=real_stack.database_url, schema=own_schema,
        topic_prefix=topic_prefix, public_key=auth_keys.public, smtp=smtp, log_file=home / "notifications.log")
    notifications.start()
    admin = notifications.client(auth_keys.token())
    try:
        for account, person in PEOPLE.items():
            answer = await admin.put(f"/recipients/{account}", json=person)
            assert answer.status_code == 200, answer.text
            assert answer.json()["created"] is True
        refused = await admin.put("/recipients/acc-x", json={**PEOPLE["acc-vtccb"], "email": "không phải thư"})
        assert refused.status_code == 422 and refused.json()["code"] in ("invalid_request", "invalid_email")
        async with notifications.client(auth_keys.token("reader", subject="acc-x")) as reader:
            assert (await reader.get("/recipients")).status_code == 403  # e-mail addresses: the administrator's

        # 1. Submission: Lan is returned to the Vụ; Hương, Minh and Tuấn are eligible and wait for the council.
        await _facts(client, publish)
        members = await set_council(client, 10)
        path = "/nominations/n-2023-cstdbo"
        submitted = await ok(client, "/nominations", nomination(
            "n-2023-cstdbo", "CSTD_BO", 2023, VTCCB,
            [nominee("c-1", "p-huong"), nominee("c-2", "p-minh"), nominee("c-3", "p-lan"), nominee("c-4", "p-tuan")],
            submitted_on=date(2023, 12, 8)))
        assert submitted["returned"] == ["c-3"]
        # A movement whose registrations close in two days (Hà Nội's calendar), as the campaigns context says.
        due = datetime.now(timezone(timedelta(hours=7))).date() + timedelta(days=2)
        await publish.send(MovementLaunched(
            movement_id="m-vhcs", title="Thi đua thực hiện văn hóa công sở", launched_by="bo", kind="chuyen_de",
            scope={"all_units": True, "unit_ids": []}, period_start=date(2024, 1, 1), criteria="Văn hóa công sở.",
            launched_on=date(2024, 1, 15), registration_deadline=due))
        # Mid-stream: the events are arriving, mails are being sent. No stop, no goodbye.
        await wait_until(lambda: _any_mail(smtp), timeout=120)
        notifications.kill()
        notifications.start()
        deadline_subject = f"Sắp đến hạn ({due:%d/%m/%Y}): Hạn đăng ký thi đua phong trào “Thi đua thực hiện văn hóa công sở”"
        first = {
            ("canbo.vtccb@tdkt.local", f"Trả lại hồ sơ: Trần Thị Lan — {AWARD}"),
            ("hoidong@tdkt.local", f"Chờ Hội đồng bình xét: {AWARD} năm 2023 của Vụ Tổ chức cán bộ"),
            ("canbo.vtccb@tdkt.local", deadline_subject),
            ("canbo.phong@tdkt.local", deadline_subject),
        }
        await wait_until(lambda: _has(smtp, first, real_stack.database_url, own_schema), timeout=120)

        # 2. The SMTP server goes down; the council votes, the Minister grants Hương and Minh and declines Tuấn.
        smtp.stop()
        vote = {"council_id": "hd-tdkt-bct", "voted_on": "2023-12-20", "results": [
            {"candidate_id": "c-1", "ballots": ballots(members, approve=9, against=1)},
            {"candidate_id": "c-2", "ballots": ballots(members, approve=9)},
            {"candidate_id": "c-4", "ballots": ballots(members, approve=8)},
        ]}
        await ok(client, f"{path}/votes", vote)
        await ok(client, f"{path}/grants", grant(["c-1", "c-2"], "3456/QĐ-BCT", date(2023, 12, 28)))
        await ok(client, f"{path}/rejections", {
            "candidate_ids": ["c-4"], "authority": "minister", "decided_on": "2023-12-28",
            "reason": "Không đạt tỷ lệ phiếu đồng ý của Hội đồng (dưới 90%)."})
        officer = notifications.client(auth_keys.token("unit_officer", subject="acc-vtccb", unit_id=VTCCB))

        async def stored_while_down() -> bool:
            mine = (await officer.get("/notifications")).json()
            return mine["total"] == 5  # returned, deadline, two grants, a rejection — no mail yet for the last 3

        await wait_until(stored_while_down, timeout=120, interval=0.3)
        await wait_until(lambda: _failed_attempts(notifications), timeout=30, interval=0.3)
        notifications.kill()  # a second SIGKILL, while mails wait for the server
        notifications.start()
        await wait_until(lambda: _failed_attempts(notifications), timeout=30, interval=0.3)
        status = await _mail_status(real_stack.database_url, own_schema)
        # The four wait for the server (one may still be claimed by the killed sender until its lease ends).
        assert status.get("pending", 0) + status.get("sending", 0) == 4 and not status.get("failed"), status
        smtp.start()  # back on the same address
        second = {
            ("canbo.vtccb@tdkt.local", f"Đề nghị được chấp thuận: Nguyễn Thị Hương — {AWARD}"),
            ("canbo.vtccb@tdkt.local", f"Đề nghị được chấp thuận: Đỗ Văn Minh — {AWARD}"),
            ("canbo.phong@tdkt.local", f"Khen thưởng: Đỗ Văn Minh được tặng {AWARD}"),
            ("canbo.vtccb@tdkt.local", f"Không khen thưởng: Phạm Văn Tuấn — {AWARD}"),
        }
        await wait_until(lambda: _has(smtp, first | second, real_stack.database_url, own_schema), timeout=120,
                         interval=0.3)

        # 3. Every awards event delivered again (the relay re-sending: same ids, new offsets): nothing new.
        async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
            stored = await conn.fetchval("SELECT count(*) FROM events")
        records = await consume(real_stack.bootstrap_servers,
                                [topic_prefix + "tdkt.awards.events", topic_prefix + "tdkt.awards.internal"], stored)
        assert len(records) == stored
        before = await _duplicates(notifications)
        await publish.resend(*[from_kafka(r.value, r.headers) for r in records],
                             topics=[r.topic.removeprefix(topic_prefix) for r in records])

        async def all_skipped() -> bool:
            return await _duplicates(notifications) >= before + stored

        await wait_until(all_skipped, timeout=300, interval=0.3)  # a bound for a loaded machine
        status = await _mail_status(real_stack.database_url, own_schema)
        # The first SIGKILL came as a mail landed: one mail may have been inside the window, then unconfirmed
        # (never sent again). Every other mail is sent; none failed, none waits.
        assert status.get("sent", 0) + status.get("unconfirmed", 0) == 8 and status.get("unconfirmed", 0) <= 1, status
        mails = received(smtp)
        # Each once, nothing else. A mail the first SIGKILL caught inside the window is unconfirmed and never
        # sent again: the server kept it (then it is here once), or the kill cut its transfer (then it is lost,
        # as documented) — never twice.
        lost = (first | second) - set(_pairs(mails))
        assert lost <= await _unconfirmed(real_stack.database_url, own_schema), lost
        assert _pairs(mails) == Counter((first | second) - lost), _pairs(mails)
        assert len({m.message_id for m in mails}) == len(mails) == 8 - len(lost)
        # The return's mail, unless it was the one the first SIGKILL caught (then it is in ``lost``, checked above).
        returned = next((m for m in mails if m.subject.startswith("Trả lại hồ sơ")), None)
        assert returned is not None or any(subject.startswith("Trả lại hồ sơ") for _, subject in lost), lost
        if returned is not None:
            assert "Kính gửi Đỗ Văn Hùng" in returned.body
            assert "http://portal.test/nominations/n-2023-cstdbo" in returned.body

        # 4. Each person reads their own, with their own token; read/unread.
        mine = (await officer.get("/notifications")).json()
        assert mine["total"] == 5 and mine["unread"] == 5
        assert {n["kind"] for n in mine["items"]} == {"nomination_returned", "deadline_soon", "nomination_granted",
                                                       "nomination_rejected"}
        one = mine["items"][0]["notification_id"]
        marked = await officer.post(f"/notifications/{one}/read")
        assert marked.status_code == 200 and marked.json()["read"] is True
        assert (await officer.get("/notifications/unread-count")).json() == {"unread": 4}
        assert (await officer.get("/notifications", params={"unread": "true"})).json()["total"] == 4
        async with notifications.client(auth_keys.token("council_member", subject="acc-hoidong")) as member:
            theirs = (await member.get("/notifications")).json()
            assert [n["kind"] for n in theirs["items"]] == ["vote_waiting"]
            stolen = await member.post(f"/notifications/{one}/read")  # another's: as if it did not exist
            assert stolen.status_code == 404 and stolen.json()["code"] == "notification_not_found"
            assert (await member.post("/notifications/read-all")).json() == {"marked": 1}
            assert (await member.get("/notifications/unread-count")).json() == {"unread": 0}
        assert (await officer.get("/notifications/unread-count")).json() == {"unread": 4}
        await officer.aclose()
    finally:
        await admin.aclose()
        notifications.stop()
        smtp.stop()


async def _any_mail(smtp: SmtpServer) -> bool:
    return bool(list(smtp.maildir.glob("*.eml")))


async def _has(smtp: SmtpServer, wanted: set[tuple[str, str]], url: str, schema: str) -> bool:
    """Every wanted mail arrived, or is unconfirmed (a SIGKILL inside the at-most-once window)."""
    missing = wanted - set(_pairs(received(smtp)))
    return not missing or missing <= await _unconfirmed(url, schema)


async def _health(notifications: NotificationsProcess) -> dict:  # type: ignore[type-arg]
    async with httpx.AsyncClient(timeout=10) as http:
        return (await http.get(f"{notifications.url}/health")).json()


async def _failed_attempts(notifications: NotificationsProcess) -> bool:
    return (await _health(notifications))["mail"]["failed_attempts"] > 0


async def _duplicates(notifications: NotificationsProcess) -> int:
    return int((await _health(notifications))["consumers"]["notifications-events"]["duplicates"])
