"""Helpers for the awards workflow's integration tests.

Facts reach the service over Kafka (:class:`..awards.support.Publisher`), the
history that precedes a scenario through :func:`..awards.support.confer`;
everything the workflow does goes through HTTP. :func:`refused` checks that
a refusal wrote nothing (no event, no change to the held awards);
:func:`on_kafka` reads what the relay published on the awards topic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from tdkt_contracts import Envelope, from_kafka

from ..kernel.support import consume

FULL_DOSSIER = [
    {"kind": "submission_letter", "title": "Tờ trình đề nghị khen thưởng", "reference": "45/TTr-VTCCB"},
    {"kind": "achievement_report", "title": "Báo cáo thành tích của cá nhân, tập thể"},
    {"kind": "review_minutes", "title": "Biên bản họp Hội đồng Thi đua – Khen thưởng đơn vị"},
]
SHORT_DOSSIER = FULL_DOSSIER[:2]

MEMBER_NAMES = [
    "Nguyễn Hồng Diên",
    "Trương Thanh Hoài",
    "Phan Thị Thắng",
    "Nguyễn Sinh Nhật Tân",
    "Trần Quốc Toản",
    "Lê Thị Hải Yến",
    "Đỗ Thắng Hải",
    "Vũ Thị Ngọc Ánh",
    "Hoàng Văn Đức",
    "Bùi Thị Thủy",
    "Ngô Quang Huy",
    "Đinh Thị Mỹ Loan",
]
COUNCIL = "hd-tdkt-bct"
MINISTER = "Bộ trưởng Nguyễn Hồng Diên"


async def set_council(
    client: httpx.AsyncClient,
    members: int = 10,
    *,
    council_id: str = COUNCIL,
    effective_on: date = date(2020, 1, 2),
    first: int = 0,
) -> list[str]:
    """Compose the council with ``members`` members from ``effective_on``; their ids."""
    chosen = [(f"m-{i + 1:02d}", MEMBER_NAMES[i]) for i in range(first, first + members)]
    body = {
        "name": "Hội đồng Thi đua – Khen thưởng Bộ Công Thương",
        "effective_on": effective_on.isoformat(),
        "decision_number": "1850/QĐ-BCT",
        "members": [
            {"member_id": mid, "name": name, "role": "chair" if i == 0 else "member"}
            for i, (mid, name) in enumerate(chosen)
        ],
    }
    response = await client.put(f"/councils/{council_id}", json=body)
    assert response.status_code == 200, response.text
    return [mid for mid, _ in chosen]


def ballots(members: list[str], approve: int = 0, written: int = 0, against: int = 0) -> list[dict[str, Any]]:
    """``approve`` members present vote for, ``written`` absent ones for in writing, then ``against``."""
    out = [{"member_id": m, "approve": True} for m in members[:approve]]
    out += [{"member_id": m, "approve": True, "in_writing": True} for m in members[approve : approve + written]]
    out += [{"member_id": m, "approve": False} for m in members[approve + written : approve + written + against]]
    return out


def nominee(candidate_id: str, subject_id: str, kind: str = "individual", name: str | None = None) -> dict[str, Any]:
    """A candidate as the unit puts it forward."""
    found: dict[str, Any] = {"candidate_id": candidate_id, "recipient_kind": kind, "subject_id": subject_id}
    if name is not None:
        found["display_name"] = name
    return found


def nomination(
    nomination_id: str,
    code: str,
    year: int,
    unit_id: str,
    candidates: list[dict[str, Any]],
    *,
    submitted_on: date,
    category: str = "merit",
    movement_id: str | None = None,
    documents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A SubmitNomination body."""
    return {
        "nomination_id": nomination_id,
        "year": year,
        "award_code": code,
        "category": category,
        "submitting_unit_id": unit_id,
        "movement_id": movement_id,
        "candidates": candidates,
        "documents": documents if documents is not None else FULL_DOSSIER,
        "submitted_on": submitted_on.isoformat(),
    }


def grant(candidate_ids: list[str], number: str, on: date, *, authority: str = "minister",
          signer: str = MINISTER) -> dict[str, Any]:
    """A GrantAwards body."""
    return {
        "candidate_ids": candidate_ids,
        "authority": authority,
        "decision_number": number,
        "decision_date": on.isoformat(),
        "signer": signer,
    }


async def ok(client: httpx.AsyncClient, path: str, body: Any = None, *, status: int = 201,
             method: str = "post") -> dict[str, Any]:
    """A request that must succeed with ``status``; the JSON answer."""
    response = await client.request(method, path, json=body)
    assert response.status_code == status, (path, response.status_code, response.text)
    return response.json()


async def snapshot(client: httpx.AsyncClient) -> tuple[Any, ...]:
    """Everything a command may write: the events and the held awards (with revocations)."""
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        events = await conn.fetchval("SELECT count(*) FROM events")
        held = await conn.fetch("SELECT award_id, revoked_on, initiative_ids FROM held_awards ORDER BY award_id")
    return events, [tuple(r) for r in held]


async def refused(
    client: httpx.AsyncClient, path: str, body: Any, status: int, code: str, *, method: str = "post"
) -> dict[str, Any]:
    """A request that must be refused with ``status`` and ``code``, leaving everything as it was."""
    before = await snapshot(client)
    response = await client.request(method, path, json=body)
    assert response.status_code == status, (path, response.status_code, response.text)
    answer = response.json()
    assert answer["code"] == code, answer
    assert answer["message"] and isinstance(answer["details"], dict)
    assert await snapshot(client) == before, f"{path} refused with {code} but wrote something"
    return answer


async def on_kafka(client: httpx.AsyncClient, bootstrap_servers: str, prefix: str) -> list[Envelope]:
    """Every awards event the store holds, read back from Kafka (waits until the relay published them all)."""
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        stored = await conn.fetchval("SELECT count(*) FROM events WHERE topic = 'tdkt.awards.events'")
    records = await consume(bootstrap_servers, [prefix + "tdkt.awards.events"], stored)
    assert len(records) >= stored, f"{len(records)} of {stored} awards events reached Kafka"
    return [from_kafka(r.value, r.headers) for r in records]


def of_type(envelopes: list[Envelope], short: str) -> list[dict[str, Any]]:
    """The data of the envelopes whose type ends with ``short`` (e.g. 'award.title-conferred')."""
    return [e.data for e in envelopes if e.type.endswith(short)]


def candidate(view: dict[str, Any], candidate_id: str) -> dict[str, Any]:
    """A candidate of a NominationView."""
    return next(c for c in view["candidates"] if c["candidate_id"] == candidate_id)


def criterion_status(view_candidate: dict[str, Any], criterion_id: str) -> str:
    """The status of a criterion in a candidate's recorded assessment."""
    return next(c["status"] for c in view_candidate["assessment"]["criteria"] if c["criterion_id"] == criterion_id)
