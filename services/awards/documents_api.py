"""DOCX documents of the Ministry's decisions: the draft decision, the decision as granted, the certificates.

The texts are built by the pure :mod:`.workflow.documents`; this module
loads what they print beyond the events — the honorific (Ông / Bà, from the
person's sex), the position and the unit's name on the day, from the units
replica — and picks the issuer: the Minister, or the head of the submitting
unit for what the law leaves to a unit head (Giấy khen, Lao động tiên tiến,
Chiến sĩ thi đua cơ sở).

Only decisions the Ministry takes are produced: for an award the Ministry
forwards upward (Huân chương, Bằng khen của Thủ tướng, NGND …) the decision
is the higher authority's own document (422 ``not_ministry_decision``).

Decision numbers contain a slash (``3456/QĐ-BCT``): the routes take the
number as the rest of the path, e.g.
``GET /decisions/3456/QĐ-BCT/certificates.docx`` (percent-encode the "Đ").
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from datetime import date
from typing import Annotated
from urllib.parse import quote

import asyncpg
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from tdkt_contracts.catalogue.awards import AwardGranted, TitleConferred
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.errors import Conflict, DomainError, NotFound
from kernel.limits import BUSY, Gate, distinct_capped, off_loop

from .facts_loader import OrgChart, name_key
from .workflow import (
    MINISTRY,
    AwardState,
    Code,
    DecisionDocument,
    Issuer,
    NominationState,
    RecipientDetails,
    decision_from_awards,
    decision_from_nomination,
    honorific,
    procedures_for,
    render_certificate,
    render_decision,
)
from .workflow.commands import MAX_CANDIDATES
from .workflow.nomination import CandidateStatus
from .workflow_handlers import WorkflowHandlers, read_streams

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NOT_MINISTRY_DECISION = "not_ministry_decision"
DECISION_NOT_FOUND = "decision_not_found"
DECISION_AMBIGUOUS = "decision_ambiguous"
NOTHING_TO_DECIDE = "nothing_to_decide"

HEAD_TITLES = {
    "vu": "VỤ TRƯỞNG",
    "cuc": "CỤC TRƯỞNG",
    "tong_cuc": "TỔNG CỤC TRƯỞNG",
    "van_phong": "CHÁNH VĂN PHÒNG",
    "thanh_tra": "CHÁNH THANH TRA",
    "vien": "VIỆN TRƯỞNG",
    "truong": "HIỆU TRƯỞNG",
    "trung_tam": "GIÁM ĐỐC",
    "phong": "TRƯỞNG PHÒNG",
}
"""The head of a unit by its kind, as a unit's decision names its signer; others: Thủ trưởng."""


# --------------------------------------------------------------------------- pure helpers


def unit_issuer(chart: OrgChart, unit_id: str | None, day: date) -> Issuer:
    """The issuer of a unit head's decision (Giấy khen, LĐTT, CSTĐCS): the unit, under the Ministry."""
    unit = chart.get(unit_id) if unit_id else None
    if unit is None:
        return Issuer(
            organisation="ĐƠN VỊ",
            parent="BỘ CÔNG THƯƠNG",
            symbol="ĐV",
            decider_title="THỦ TRƯỞNG ĐƠN VỊ",
            signer_title="THỦ TRƯỞNG",
            decider_vi="Thủ trưởng đơn vị",
        )
    name = unit.name_on(day)
    head = HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG")
    return Issuer(
        organisation=name.upper(),
        parent="BỘ CÔNG THƯƠNG",
        symbol=unit.code,
        decider_title=f"{head} {name.upper()}",
        signer_title=head,
        decider_vi=f"{head.capitalize()} {name}",
        executors=f"Thủ trưởng các phòng, bộ phận thuộc {name}",
        filing="Lưu: VT.",
        fund=f"Quỹ thi đua, khen thưởng của {name}",
    )


def merge_docx(parts: Sequence[bytes], title: str) -> bytes:
    """One DOCX holding ``parts`` one after another, each from a new page (one file to print).

    The parts come from the same builder (same styles, one section each,
    no images), so their bodies can be copied as they are.
    """
    document = Document(io.BytesIO(parts[0]))
    body = document.element.body
    end = body.find(qn("w:sectPr"))
    for data in parts[1:]:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for child in Document(io.BytesIO(data)).element.body.iterchildren():
            if child.tag != qn("w:sectPr"):
                end.addprevious(copy.deepcopy(child))
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_response(data: bytes, filename: str) -> Response:
    """A DOCX download; the file name in ASCII and, for Vietnamese, RFC 5987."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.docx"
    return Response(
        content=data,
        media_type=DOCX,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        },
    )


def _slug(number: str) -> str:
    return number.replace("/", "-")


# --------------------------------------------------------------------------- loading


async def recipient_details(
    handlers: WorkflowHandlers,
    conn: asyncpg.Connection,
    chart: OrgChart,
    recipients: Sequence[tuple[RecipientKind, str]],
    year: int,
    day: date,
) -> tuple[dict[str, RecipientDetails], dict[str, str]]:
    """What the documents print beyond the events: Ông / Bà and the position of people, the parent of units."""
    people = await handlers.loader.people(conn, [s for k, s in recipients if k is RecipientKind.INDIVIDUAL])
    details = {b.person_id: RecipientDetails(honorific=honorific(b.sex), position=b.position_in(year)) for b in people}
    for kind, subject in recipients:
        unit = chart.get(subject) if kind is RecipientKind.COLLECTIVE else None
        parent = chart.get(unit.parent_on(day) or "") if unit else None
        if parent is not None:
            details[subject] = RecipientDetails(unit_name=parent.name_on(day))
    unit_names = {u.unit_id: u.name_on(day) for u in chart.units()}
    return details, unit_names


async def decision_awards(
    handlers: WorkflowHandlers, conn: asyncpg.Connection, number: str, award_code: str | None
) -> list[AwardGranted | TitleConferred]:
    """The award events of the Ministry's decision ``number`` (one code), or the refusal saying why not."""
    rows = await conn.fetch(
        "SELECT award_id, award_code, conferred_by_ministry FROM held_awards WHERE decision_number = $1 "
        "AND ($2::text IS NULL OR award_code = $2) ORDER BY award_id",
        number,
        award_code,
    )
    if not rows:
        raise NotFound(DECISION_NOT_FOUND, f"No award was conferred by decision {number!r}", decision_number=number)
    ours = [r for r in rows if r["conferred_by_ministry"]]
    if not ours:
        raise DomainError(
            NOT_MINISTRY_DECISION,
            f"Decision {number} was taken by a higher authority; its documents are that authority's own",
            decision_number=number,
        )
    codes = sorted({r["award_code"] for r in ours})
    if len(codes) > 1:
        raise DomainError(
            DECISION_AMBIGUOUS,
            f"Decision {number} confers several codes ({', '.join(codes)}); ask for one with award_code",
            decision_number=number,
            award_codes=codes,
        )
    streams = await read_streams(conn, [r["award_id"] for r in ours])
    found = [e for s in streams.values() for e in s.events if isinstance(e, AwardGranted | TitleConferred)]
    # Award ids say nothing about order; the annex lists people as lists do, by given name (tên).
    return sorted(found, key=lambda e: name_key(e.recipient.display_name))


async def _issuer_of(
    handlers: WorkflowHandlers, conn: asyncpg.Connection, chart: OrgChart, event: AwardGranted | TitleConferred
) -> Issuer:
    if event.authority is not Authority.UNIT_HEAD:
        return MINISTRY
    unit_id = event.recipient.unit_id
    if event.nomination_id:
        nomination = (await read_streams(conn, [event.nomination_id]))[event.nomination_id]
        state = NominationState.replay(nomination.events, event.nomination_id)
        unit_id = state.submitting_unit_id or unit_id
    return unit_issuer(chart, unit_id, event.decision_date)


async def decision_document(
    handlers: WorkflowHandlers, conn: asyncpg.Connection, number: str, award_code: str | None
) -> DecisionDocument:
    """The decision ``number`` as granted, with the recipients' details from the replica."""
    events = await decision_awards(handlers, conn, number, award_code)
    chart = await handlers.loader.chart(conn)
    first = events[0]
    details, unit_names = await recipient_details(
        handlers, conn, chart, [(e.recipient.recipient_kind, e.recipient.subject_id) for e in events],
        first.year, first.decision_date,
    )
    issuer = await _issuer_of(handlers, conn, chart, first)
    try:
        return decision_from_awards(events, issuer=issuer, details=details, unit_names=unit_names)
    except ValueError as error:  # same number, different dates or categories: two decisions share a number
        raise DomainError(DECISION_AMBIGUOUS, f"Decision {number}: {error}", decision_number=number) from None


# --------------------------------------------------------------------------- routes


def router(handlers: WorkflowHandlers) -> APIRouter:
    """The document routes."""
    # A decision's annex or certificates run to hundreds of pages: a few documents at a time, one per person.
    documents = Gate("document", total=2, per_person=1)
    api = APIRouter(tags=["documents"], dependencies=[Depends(documents.dependency())], responses=BUSY)

    @api.get(
        "/nominations/{nomination_id}/draft-decision.docx",
        summary="Dự thảo quyết định khen thưởng (DOCX) — the draft decision for a nomination",
        description=(
            "The decision to sign, marked DỰ THẢO and without a number, with its annex (danh sách kèm theo): "
            "by default every candidate assessed eligible and not yet decided, or those named by `candidate_id`. "
            "Issued by the Minister, or by the head of the submitting unit for what the law leaves to a unit "
            "head. 422 `not_ministry_decision` for an award the Ministry forwards upward; 422 "
            "`nothing_to_decide` when no candidate is open."
        ),
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "nomination_not_found, unknown_candidate"}},
    )
    async def draft_decision(
        nomination_id: Annotated[str, Path(min_length=1, max_length=64)],
        candidate_id: Annotated[
            list[str] | None, Query(description="Candidates to include; default: those eligible.")
        ] = None,
    ) -> Response:
        today = handlers.today()

        async def work(conn: asyncpg.Connection) -> DecisionDocument:
            file = await handlers.load(conn, nomination_id)
            state = file.state
            handlers.require_nomination(state, nomination_id)
            ids = candidate_id or [c.candidate_id for c in state.candidates if c.status is CandidateStatus.ELIGIBLE]
            ids = distinct_capped(ids, limit=MAX_CANDIDATES, field="candidate_id")
            chosen = []
            for cid in ids:
                cand = state.candidate(cid)
                if cand is None:
                    raise NotFound(Code.UNKNOWN_CANDIDATE, f"Candidate {cid!r} is not in nomination {nomination_id!r}",
                                   nomination_id=nomination_id, candidate_id=cid)
                chosen.append(cand)
            if not chosen:
                raise DomainError(NOTHING_TO_DECIDE, "No candidate of this nomination is open for a decision",
                                  nomination_id=nomination_id)
            procedures = procedures_for(handlers.catalogue, state.award_code, state.year)
            used = [procedures[c.candidate.recipient_kind] for c in chosen]
            if any(not p.ministry_decides for p in used):
                raise DomainError(
                    NOT_MINISTRY_DECISION,
                    f"{state.award_name} is decided by {used[0].authority_vi}: the Ministry forwards it (trình), "
                    "it issues no decision",
                    award_code=state.award_code,
                )
            cash = {p.cash_multiple.value if p.cash_multiple else None for p in used}
            chart = await handlers.loader.chart(conn)
            details, unit_names = await recipient_details(
                handlers, conn, chart, [(c.candidate.recipient_kind, c.candidate.subject_id) for c in chosen],
                state.year, today,  # names and units as they stand when the decision is signed
            )
            unit_head = all(p.authority is Authority.UNIT_HEAD for p in used)
            return decision_from_nomination(
                state,
                [c.candidate_id for c in chosen],
                cash_multiple=cash.pop() if len(cash) == 1 else None,
                issuer=unit_issuer(chart, state.submitting_unit_id, today) if unit_head else MINISTRY,
                details=details,
                unit_names=unit_names,
                drafted_on=today,
            )

        doc = await handlers.read(work)
        return docx_response(await off_loop(render_decision, doc), f"du-thao-quyet-dinh-{nomination_id}.docx")

    @api.get(
        "/decisions/{decision_number:path}/decision.docx",
        summary="Quyết định khen thưởng (DOCX) — the Ministry's decision as granted, with its annex",
        description="`award_code` chooses when one number confers several codes (`decision_ambiguous`).",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def decision(
        decision_number: str,
        award_code: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        doc = await handlers.read(lambda conn: decision_document(handlers, conn, decision_number, award_code))
        return docx_response(await off_loop(render_decision, doc), f"quyet-dinh-{_slug(decision_number)}.docx")

    @api.get(
        "/decisions/{decision_number:path}/certificates.docx",
        summary="Bằng khen, giấy chứng nhận (DOCX) — every certificate of a decision, one per page",
        description="One certificate per recipient, in the annex's order; revoked awards get none.",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def certificates(
        decision_number: str,
        award_code: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        async def work(conn: asyncpg.Connection) -> tuple[DecisionDocument, set[str]]:
            doc = await decision_document(handlers, conn, decision_number, award_code)
            ids = [r.award_id for r in doc.recipients if r.award_id]
            events = await handlers.award_events(conn, ids)
            revoked = {a for a in ids if AwardState.replay([e for e in events if e.subject() == a], a).revoked}
            return doc, revoked

        doc, revoked = await handlers.read(work)
        kept = [r for r in doc.recipients if r.award_id not in revoked]
        if not kept:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Every award of decision {decision_number} was revoked",
                           decision_number=decision_number)
        data = await off_loop(lambda: merge_docx([render_certificate(doc, r) for r in kept],
                                                 f"{doc.award_name} — Quyết định số {decision_number}"))
        return docx_response(data, f"bang-khen-{_slug(decision_number)}.docx")

    @api.get(
        "/awards/{award_id}/certificate.docx",
        summary="Bằng khen, giấy chứng nhận của một người (DOCX) — one recipient's certificate",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "award_not_found"}},
    )
    async def certificate(award_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Response:
        async def work(conn: asyncpg.Connection) -> tuple[DecisionDocument, AwardState]:
            events = await handlers.award_events(conn, [award_id])
            award = AwardState.replay(events, award_id)
            if not award.exists:
                raise NotFound(Code.AWARD_NOT_FOUND, f"Award {award_id!r} does not exist", award_id=award_id)
            return await decision_document(handlers, conn, award.decision_number, award.award_code), award

        doc, award = await handlers.read(work)
        if award.revoked:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Award {award_id} was revoked on {award.revoked_on}",
                           award_id=award_id)
        recipient = next(r for r in doc.recipients if r.award_id == award_id)
        return docx_response(await off_loop(render_certificate, doc, recipient), f"bang-khen-{award_id}.docx")

    return api


__all__ = ["DOCX", "decision_document", "merge_docx", "recipient_details", "router", "unit_issuer"]
