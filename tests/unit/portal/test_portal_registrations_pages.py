"""A unit's registrations page over in-memory services: the unit and the ticked people of it are registered
in one command with the form's key; a refusal (deadline passed) is said in Vietnamese next to the movement
field with the input kept; a withdrawal names the registration's stream; a training report is sent for the
unit; people found by name outside the unit are not offered."""

from __future__ import annotations

from typing import Any

from services.portal.backends.base import BackendError, Refused

from .signed_in import signed_in_client

UNIT = "dv-xnk"


class Services:
    """The units, reporting and campaigns services as far as this page uses them: what was sent is kept."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []
        self.refusal: BackendError | None = None

    async def unit(self, token: str, unit_id: str) -> dict[str, Any]:
        return {"unit_id": unit_id, "name": "Cục Xuất nhập khẩu", "code": "XNK"}

    async def registrations(self, token: str, unit_id: str, year: int | None = None) -> dict[str, Any]:
        return {"items": [{"registration_id": f"pt-a/{unit_id}/{year}", "movement_id": "pt-a", "unit_id": unit_id,
                           "unit_name": "Cục Xuất nhập khẩu", "year": year, "collective_titles": ["TTLDXS"],
                           "individual_count": 1, "submitted_on": f"{year}-02-03", "status": "submitted"}],
                "total": 1, "as_of": None}

    async def movements(self, token: str, year: int | None = None) -> dict[str, Any]:
        return {"items": [{"movement_id": "pt-a", "title": "Thi đua A", "status": "active"}]}

    async def targets(self, token: str, year: int) -> dict[str, Any]:
        return {"items": [{"target_id": "ct-1", "movement_id": "pt-a", "training_code": "CDS", "description":
                           "Bồi dưỡng chuyển đổi số", "share_percent": 50.0, "numerator": 5, "denominator": 10,
                           "threshold_percent": 90.0, "status": "open"},
                          {"target_id": "ct-2", "movement_id": "pt-a", "training_code": None, "description":
                           "Xếp loại", "share_percent": 1.0, "numerator": 1, "denominator": 1,
                           "threshold_percent": 90.0, "status": "open"}]}

    async def search_people(self, token: str, query: str, limit: int = 50) -> dict[str, Any]:
        return {"items": [{"person_id": "cb-1", "full_name": "Nguyễn Văn An", "unit_id": UNIT},
                          {"person_id": "cb-9", "full_name": "Nguyễn Văn Anh", "unit_id": "dv-khac"}]}

    async def command(self, token: str, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        self.sent.append((path, body, key))
        if self.refusal:
            raise self.refusal
        return {}

    async def unread(self, token: str) -> int:
        return 0


async def test_the_page_lists_the_years_registrations_and_offers_only_the_units_people() -> None:
    client, _, _ = signed_in_client(Services())
    async with client:
        page = (await client.get(f"/units/{UNIT}/registrations", params={"year": 2026, "q": "nguyen van"})).text
    assert 'data-movement="pt-a"' in page and "TTLDXS" in page and "03/02/2026" in page
    assert 'value="cb-1"' in page and 'value="cb-9"' not in page  # a namesake of another unit is not offered
    assert "Bồi dưỡng chuyển đổi số" in page and "Xếp loại" not in page  # only training targets


async def test_the_unit_and_a_person_are_registered_in_one_command_with_the_forms_key() -> None:
    client, services, csrf = signed_in_client(Services())
    form = {"csrf": csrf, "idempotency_key": "key-1", "year": "2026", "movement_id": "pt-a",
            "collective_titles": "ttldxs, CO_TD_BO", "person_id": "cb-1", "person_titles": "LDTT"}
    async with client:
        answer = await client.post(f"/units/{UNIT}/registrations", data=form)
    assert answer.status_code == 303 and answer.headers["location"] == f"/units/{UNIT}/registrations?year=2026"
    assert services.sent == [("/registrations", {
        "movement_id": "pt-a", "unit_id": UNIT, "year": 2026, "collective_titles": ["TTLDXS", "CO_TD_BO"],
        "individuals": [{"person_id": "cb-1", "titles": ["LDTT"]}]}, "key-1")]


async def test_a_refused_registration_is_said_next_to_the_movement_with_the_input_kept() -> None:
    client, services, csrf = signed_in_client(Services())
    services.refusal = BackendError("campaigns", 422, "registration_deadline_passed", "deadline passed",
                                    {"deadline": "2026-03-31"})
    form = {"csrf": csrf, "idempotency_key": "key-2", "year": "2026", "movement_id": "pt-a",
            "collective_titles": "TTLDXS", "person_titles": "LDTT"}
    async with client:
        answer = await client.post(f"/units/{UNIT}/registrations", data=form)
    assert answer.status_code == 422
    assert 'data-testid="error-movement_id"' in answer.text and "Đã quá hạn đăng ký" in answer.text
    assert 'value="TTLDXS"' in answer.text


async def test_a_person_outside_the_officers_units_is_refused_on_the_people_field() -> None:
    client, services, csrf = signed_in_client(Services())
    services.refusal = Refused("campaigns", 403, "outside_unit_scope", "outside", {"field": "individuals"})
    form = {"csrf": csrf, "idempotency_key": "key-3", "year": "2026", "movement_id": "pt-a",
            "person_id": "cb-1", "person_titles": "LDTT"}
    async with client:
        answer = await client.post(f"/units/{UNIT}/registrations", data=form)
    assert answer.status_code == 422 and 'data-testid="error-person_id"' in answer.text


async def test_an_empty_registration_is_refused_before_anything_is_sent() -> None:
    client, services, csrf = signed_in_client(Services())
    async with client:
        answer = await client.post(f"/units/{UNIT}/registrations",
                                   data={"csrf": csrf, "year": "2026", "movement_id": "pt-a"})
    assert answer.status_code == 422 and 'data-testid="error-collective_titles"' in answer.text
    assert services.sent == []


async def test_a_withdrawal_and_a_training_report_name_what_the_campaigns_api_takes() -> None:
    client, services, csrf = signed_in_client(Services())
    async with client:
        await client.post(f"/units/{UNIT}/registrations/withdraw",
                          data={"csrf": csrf, "idempotency_key": "k-w", "movement_id": "pt-a",
                                "registered_unit_id": UNIT, "year": "2026"})
        await client.post(f"/units/{UNIT}/training-reports",
                          data={"csrf": csrf, "idempotency_key": "k-t", "training_year": "2026",
                                "training_code": "CDS", "completed": "8", "headcount": "10"})
    assert services.sent == [
        (f"/registrations/pt-a/{UNIT}/2026/withdraw", {"movement_id": "pt-a", "unit_id": UNIT, "year": 2026}, "k-w"),
        ("/training-reports", {"unit_id": UNIT, "year": 2026, "training_code": "CDS", "completed": 8,
                               "headcount": 10}, "k-t")]
