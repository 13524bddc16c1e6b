"""The office's pages over in-memory services: an import's dry run lists each bad row (row, column, value,
Vietnamese reason) and offers no apply; a good file's apply sends the same bytes with the form's key; a
movement form refused for a bad date keeps the input; a target's id comes from the form's rendering; the
checked files are kept per session, one each."""

from __future__ import annotations

import re
from typing import Any

from services.portal.imports import Draft, Drafts, problem_vi

from .signed_in import signed_in_client

BAD_ROW = {"row": 3, "column": "Ngày sinh", "value": "31/02/1990", "code": "invalid_date", "message": "not a real date"}


class Services:
    """The units and campaigns services as far as these pages use them: what was sent is kept."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []

    async def import_file(self, token: str, kind: str, content: bytes, mime: str, filename: str, *, dry_run: bool,
                          idempotency_key: str | None = None) -> dict[str, Any]:
        self.sent.append((kind, content, mime, dry_run, idempotency_key))
        bad = b"bad" in content
        return {"ok": not bad, "rows": 2, "new": 1 if bad else 2, "unchanged": 0, "invalid": int(bad), "events": 2,
                "ignored_columns": [], "errors": [BAD_ROW] if bad else [], "elapsed_ms": {"total_ms": 900}}

    async def command(self, token: str, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        self.sent.append((path, body, key))
        return {}

    async def movement(self, token: str, movement_id: str) -> dict[str, Any]:
        return {"movement": {"movement_id": movement_id, "title": "Phong trào", "period_start": "2025-01-01",
                             "launched_on": "2025-01-01", "status": "active", "criteria": "c"},
                "targets": [], "registrations": [], "reviews": [], "pledges": [], "as_of": None}

    async def unread(self, token: str) -> int:
        return 0


async def test_a_dry_run_lists_every_bad_row_and_a_good_file_is_applied_as_checked() -> None:
    client, services, csrf = signed_in_client(Services())
    async with client:
        checked = await client.post("/imports", data={"csrf": csrf, "kind": "people"},
                                    files={"file": ("can_bo.xlsx", b"bad rows", "application/octet-stream")})
        page = (await client.get(checked.headers["location"])).text
        row = re.search(r'data-testid="import-errors".*?<tbody><tr>(.*?)</tr>', page, re.S)
        assert row is not None
        assert re.findall(r"<td[^>]*>(.*?)(?:<br>|</td>)", row.group(1))[:4] == \
            ["3", "Ngày sinh", "31/02/1990", "Ngày không hợp lệ (viết dd/mm/yyyy)"]
        assert "/apply" not in page  # nothing to apply while a row is bad

        checked = await client.post("/imports", data={"csrf": csrf, "kind": "people"},
                                    files={"file": ("can_bo.xlsx", b"good rows", "application/octet-stream")})
        page = (await client.get(checked.headers["location"])).text
        action = re.search(r'action="(/imports/[^"]+/apply)"', page)
        key = re.search(r'action="/imports/[^"]+/apply".*?name="idempotency_key" value="([^"]+)"', page, re.S)
        assert action and key
        applied = await client.post(action.group(1), data={"csrf": csrf, "idempotency_key": key.group(1)})
        assert "Đã ghi 2 dòng mới" in (await client.get(applied.headers["location"])).text
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert services.sent[-1] == ("people", b"good rows", xlsx, False, key.group(1))
    assert [s[3] for s in services.sent] == [True, True, False]


async def test_a_file_of_another_format_is_refused_before_anything_is_sent() -> None:
    client, services, csrf = signed_in_client(Services())
    async with client:
        answer = await client.post("/imports", data={"csrf": csrf, "kind": "people"},
                                   files={"file": ("can_bo.txt", b"x", "text/plain")})
    assert answer.status_code == 422 and "Định dạng không được hỗ trợ" in answer.text
    assert services.sent == []


async def test_a_movement_form_with_a_bad_date_keeps_the_input_and_a_target_is_named_by_its_form() -> None:
    client, services, csrf = signed_in_client(Services())
    launch = {"csrf": csrf, "idempotency_key": "k" * 24, "movement_id": "pt-so-2025", "title": "Chuyển đổi số",
              "launched_by": "bo", "kind": "chuyen_de", "criteria": "c", "launched_on": "01/01/2025",
              "period_start": "01/01/2025", "all_units": "1", "registration_deadline": "31/02/2025"}
    target = {"csrf": csrf, "idempotency_key": "AbC-123_xyz456789", "target_year": "2025", "metric":
              "units_graded_good_or_better", "threshold_percent": "90,5", "description": "d", "set_on": "02/01/2025"}
    async with client:
        refused = await client.post("/movements/new", data=launch)
        assert refused.status_code == 422 and 'value="Chuyển đổi số"' in refused.text
        assert 'data-testid="error-registration_deadline"' in refused.text
        assert services.sent == []
        await client.post("/movements/pt-so-2025/targets", data=target)
        await client.post("/movements/pt-so-2025/targets", data=target)  # sent again: the same command
    (path, body, key), again = services.sent
    assert path == "/targets" and key == "AbC-123_xyz456789" and again == (path, body, key)
    assert body["target_id"] == "ct-abc123xyz456" and body["threshold_percent"] == 90.5
    assert body["set_on"] == "2025-01-02" and body["year"] == 2025


def test_checked_files_are_kept_per_session_one_each() -> None:
    drafts = Drafts()
    first = drafts.keep(Draft("s1", "people", "a.xlsx", "x", b"1", {}))
    other = drafts.keep(Draft("s2", "people", "b.xlsx", "x", b"2", {}))
    assert drafts.find(first.draft_id, "s2") is None  # another session's file is not found
    second = drafts.keep(Draft("s1", "units", "c.xlsx", "x", b"3", {}))
    assert drafts.find(first.draft_id, "s1") is None and drafts.find(second.draft_id, "s1") is second
    assert drafts.find(other.draft_id, "s2") is other
    assert problem_vi("unit_not_found") == "Không tìm thấy đơn vị" and problem_vi("new_code") == "Dòng không hợp lệ"
