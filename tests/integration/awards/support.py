"""Helpers for the awards service's integration tests.

- :class:`Publisher` puts the units and campaigns contexts' events on Kafka the
  way their relays do: real contract models in CloudEvents envelopes, keyed by
  the aggregate id, with per-stream versions.
- :func:`confer` / :func:`revoke` write award history through the path the
  workflow uses: the kernel's unit of work appends the awards event and
  ``project_history`` updates the local tables in the same transaction.
- Builders of the events the tests need, with Vietnamese content.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue import awards as a
from tdkt_contracts.catalogue import campaigns as c
from tdkt_contracts.catalogue import units as u

from kernel.eventstore import Metadata
from kernel.unit_of_work import Transactions, UnitOfWork
from services.awards.projections import project_history

from ..kernel.support import wait_until


class Publisher:
    """Produces contract events onto a test's prefixed topics, numbering each stream like an event store."""

    def __init__(self, bootstrap_servers: str, prefix: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.prefix = prefix
        self.versions: dict[str, int] = defaultdict(int)
        self.published: dict[str, int] = defaultdict(int)  # messages per logical topic
        self.producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        self.producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, enable_idempotence=True)
        await self.producer.start()

    async def stop(self) -> None:
        if self.producer:
            await self.producer.stop()

    def envelope(self, event: EventPayload) -> Envelope:
        """The envelope the event's context would publish it in."""
        subject = event.subject()
        self.versions[subject] += 1
        return Envelope(
            id=uuid.uuid4(),
            source=f"/tdkt/{event.context}",
            type=event.event_type,
            schema_version=event.event_version,
            subject=subject,
            time=datetime.now(UTC),
            stream_version=self.versions[subject],
            correlation_id="test-awards",
            data=event.model_dump(mode="json"),
        )

    async def send(self, *events: EventPayload) -> list[Envelope]:
        """Publish events in order (each on its context's topic); returns their envelopes."""
        envelopes = [self.envelope(e) for e in events]
        await self.resend(*envelopes, topics=[e.topic() for e in events])
        return envelopes

    async def resend(self, *envelopes: Envelope, topics: list[str] | None = None) -> None:
        """Publish envelopes as they are (a relay re-sending after a crash: same ce_id, new offset)."""
        assert self.producer is not None
        for i, envelope in enumerate(envelopes):
            topic = topics[i] if topics else _topic_of(envelope)
            key, value, headers = envelope.to_kafka()
            await self.producer.send_and_wait(self.prefix + topic, value=value, key=key, headers=headers)
            self.published[topic] += 1

    async def settled(self, client: httpx.AsyncClient, timeout: float = 30.0) -> None:
        """Wait until the service's replicas have consumed everything published so far.

        Events of different subjects travel on different partitions, so one visible
        effect proves nothing about the others: count what the consumers took in.
        """
        wanted = {
            "awards-units-replica": self.published["tdkt.units.events"] + self.published["tdkt.units.internal"],
            "awards-campaigns-replica": self.published["tdkt.campaigns.events"],
        }

        async def done() -> bool:
            consumers = (await client.get("/health")).json()["consumers"]
            return all(consumers[name]["applied"] + consumers[name]["duplicates"] >= n for name, n in wanted.items())

        await wait_until(done, timeout=timeout)


def _topic_of(envelope: Envelope) -> str:
    return envelope.payload().topic()


# ------------------------------------------------------------------ HTTP


async def get_ok(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    """GET that must answer 200; the JSON body."""
    response = await client.get(path, params=params)
    assert response.status_code == 200, (path, params, response.text)
    return response.json()


async def eventually(
    client: httpx.AsyncClient, path: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30.0,
    **params: Any,
) -> dict[str, Any]:
    """Poll a query until its 200 answer satisfies ``predicate`` (the replica is eventually consistent)."""
    seen: dict[str, Any] = {}

    async def ready() -> bool:
        response = await client.get(path, params=params)
        if response.status_code != 200:
            seen["last"] = response.text
            return False
        seen["last"] = body = response.json()
        return predicate(body)

    try:
        await wait_until(ready, timeout=timeout, interval=0.2)
    except AssertionError:
        raise AssertionError(f"{path} {params} never satisfied the condition; last answer: {seen.get('last')}") from None
    return seen["last"]


def criterion(assessment: dict[str, Any], path: str) -> dict[str, Any]:
    """The criterion result at ``path`` in an assessment's JSON."""

    def walk(items: list[dict[str, Any]]) -> dict[str, Any] | None:
        for item in items:
            if item["id"] == path:
                return item
            found = walk(item["children"])
            if found:
                return found
        return None

    found = walk(assessment["criteria"])
    assert found is not None, (path, [c["id"] for c in assessment["criteria"]])
    return found


def every_criterion(assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Every criterion result of an assessment's JSON, children included."""
    out: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out.append(item)
            walk(item["children"])

    walk(assessment["criteria"])
    return out


def assert_cited(assessment: dict[str, Any]) -> None:
    """Every criterion names the article it applied, in its citation and in its explanation."""
    for item in every_criterion(assessment):
        citation = item["citation"]
        assert citation["article"].strip() and citation["text_vi"].strip() and citation["text_en"].strip(), item["id"]
        assert citation["text_vi"] in item["explanation_vi"], (item["id"], item["explanation_vi"])
        assert citation["text_en"] in item["explanation_en"], (item["id"], item["explanation_en"])
    assert assessment["rule"]["citation"]["text_vi"] in assessment["explanation_vi"]


# ------------------------------------------------------------------ award history (the workflow's path)


async def confer(
    client: httpx.AsyncClient,
    award_id: str,
    code: str,
    year: int,
    subject_id: str,
    display_name: str,
    *,
    recipient_kind: str = "individual",
    kind: str = "title",
    category: str = "merit",
    initiative_ids: tuple[str, ...] = (),
    unit_id: str | None = None,
) -> None:
    """Record a conferral as the workflow will: append the event and update the tables in one transaction."""
    service = client.service  # type: ignore[attr-defined]
    fields: dict[str, Any] = dict(
        award_id=award_id,
        year=year,
        award_code=code,
        award_name=service_name(code),
        category=category,
        recipient=a.Recipient(
            candidate_id="c-1", recipient_kind=recipient_kind, subject_id=subject_id, display_name=display_name,
            unit_id=unit_id,
        ),
        authority="unit_head" if code in ("LDTT", "CSTDCS", "TTLDTT") else "minister",
        conferred_by_ministry=True,
        decision_number=f"{100 + year % 100}/QĐ-BCT",
        decision_date=date(year, 12, 28),
        initiative_ids=list(initiative_ids),
    )
    event = a.TitleConferred(**fields) if kind == "title" else a.AwardGranted(**fields)
    await append(service, event, Metadata(actor_id="test-office", actor_role="thi_dua_khen_thuong"))


async def revoke(client: httpx.AsyncClient, award_id: str, reason: str = "Hồ sơ kê khai không trung thực.") -> None:
    """Revoke a held award through the same path."""
    service = client.service  # type: ignore[attr-defined]
    event = a.AwardRevoked(award_id=award_id, reason=reason, decision_number="215/QĐ-BCT", revoked_on=date(2025, 3, 5))
    await append(service, event, Metadata(actor_id="test-office"))


async def append(service: Any, event: EventPayload, metadata: Metadata) -> None:
    """Append one awards event to its stream (at the version read) and project it, in one transaction."""

    async def work(uow: UnitOfWork) -> None:
        await uow.stream(event.subject())
        await uow.append([event])

    await Transactions(service.running_pool, service.store, project=project_history).run(work, metadata)


def service_name(code: str) -> str:
    from services.awards.domain import default_catalogue

    return default_catalogue().entry(code).name_vi


# ------------------------------------------------------------------ builders


def unit(unit_id: str, code: str, name: str, *, kind: str = "vu", parent_id: str | None = "u-bct",
         on: date = date(2015, 1, 1)) -> u.UnitEstablished:
    return u.UnitEstablished(unit_id=unit_id, code=code, name=name, kind=kind, parent_id=parent_id, effective_on=on,
                             decision_number="1850/QĐ-BCT")


def enrol(person_id: str, full_name: str, unit_id: str, *, sex: str = "male", joined: date = date(2005, 1, 1),
          born: date = date(1980, 5, 19), position: str = "Chuyên viên chính",
          on: date = date(2015, 1, 1)) -> u.PersonEnrolledV1:
    """An enrolment as version 1 carried it (profile included): the replica reads history like this."""
    return u.PersonEnrolledV1(person_id=person_id, full_name=full_name, sex=sex, date_of_birth=born,
                            sector_joined_on=joined, unit_id=unit_id, position=position, staff_category="cong_chuc",
                            union_member=True, effective_on=on)


def grade(person_id: str, year: int, value: str, unit_id: str) -> u.PersonEvaluationRecorded:
    return u.PersonEvaluationRecorded(person_id=person_id, year=year, grade=value, unit_id=unit_id,
                                      decision_number=f"{year % 100}/QĐ-{unit_id.upper()}",
                                      legal_basis="NĐ 90/2020/NĐ-CP")


def regrade(person_id: str, year: int, value: str, previous: str, unit_id: str) -> u.PersonEvaluationCorrected:
    return u.PersonEvaluationCorrected(person_id=person_id, year=year, grade=value, previous_grade=previous,
                                       unit_id=unit_id, reason="Kết luận kiểm tra: chưa đủ tiêu chí xếp loại",
                                       decision_number=f"1{year % 100}/QĐ-{unit_id.upper()}")


def unit_grade(unit_id: str, year: int, value: str) -> u.UnitEvaluationRecorded:
    return u.UnitEvaluationRecorded(unit_id=unit_id, year=year, grade=value, decision_number="95/QĐ-BCT")


def initiative(initiative_id: str, year: int, authors: list[str], unit_id: str, *, level: str = "co_so",
               kind: str = "sang_kien") -> u.InitiativeRecognized:
    return u.InitiativeRecognized(initiative_id=initiative_id, kind=kind, level=level, year=year,
                                  title="Số hóa quy trình xét tặng danh hiệu thi đua", decision_number="1120/QĐ-BCT",
                                  decided_on=date(year, 11, 20), author_ids=authors, unit_id=unit_id)


def discipline(person_id: str, discipline_id: str, form: str, starts: date, ends: date | None) -> u.DisciplineImposed:
    return u.DisciplineImposed(person_id=person_id, discipline_id=discipline_id, form=form,
                               reason="Vi phạm quy chế làm việc, chậm trễ xử lý hồ sơ",
                               decision_number="77/QĐ-VTCCB", decided_on=starts, starts_on=starts, ends_on=ends)


def discipline_ended(person_id: str, discipline_id: str, ended: date, ending: str) -> u.DisciplineEnded:
    return u.DisciplineEnded(person_id=person_id, discipline_id=discipline_id, ended_on=ended, ending=ending,
                             note="Quyết định hủy bỏ quyết định kỷ luật số 12/QĐ-BCT")


def registration(unit_id: str, year: int, individuals: dict[str, list[str]],
                 collective: list[str] | None = None) -> c.RegistrationSubmitted:
    movement = f"pt-{year}-thuong-xuyen"
    return c.RegistrationSubmitted(
        registration_id=f"{movement}/{unit_id}/{year}", movement_id=movement, unit_id=unit_id, year=year,
        collective_titles=collective or [],
        individuals=[c.IndividualRegistration(person_id=p, titles=t) for p, t in individuals.items()],
        submitted_on=date(year, 2, 20), deadline=date(year, 3, 31),
    )
