"""The awards service's part: the council, the facts recorded from files, and the award history replayed
through the workflow — nomination, public notice, council vote, then the Minister's or a unit head's grant,
or the proposal to a higher authority and its decision. The 2023 round of the Ministry (the nominations the
Minister decides or proposes upward) carries its dossiers' files: every document the law asks, as small
generated PDFs (:mod:`tdkt.demo_data.dossier_pdf`), uploaded after the submission as the unit sends them.

Every path the scenario uses is in :data:`ROUTES`, so that a change of the
workflow's HTTP API is a change of one table.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from kernel.auth import Role
from tdkt.demo_data.calendar import HOLIDAYS
from tdkt.demo_data.dossier_pdf import document_pdf
from tdkt.demo_data.generator import COUNCIL_ID
from tdkt.demo_data.model import Ministry, Nomination

from .client import ServiceError, Services, in_parallel
from .progress import Reporter

ROUTES = {
    "council": "/councils/{council_id}",
    "holidays": "/holidays/{year}",
    "quota": "/quotas/{award_code}/{year}",
    "supplements": "/people/{person_id}/supplements",
    "attestations": "/attestations",
    "prior_awards": "/held-awards",
    "submit": "/nominations",
    "nomination": "/nominations/{nomination_id}",
    "open_notice": "/nominations/{nomination_id}/notices",
    "close_notice": "/nominations/{nomination_id}/notices/close",
    "vote": "/nominations/{nomination_id}/votes",
    "grant": "/nominations/{nomination_id}/grants",
    "forward": "/nominations/{nomination_id}/proposals",
    "higher_decision": "/proposals/{proposal_id}/decisions",
    "unit_assessments": "/units/{unit_id}/assessments",
    "dossier": "/nominations/{nomination_id}/dossier",
    "dossier_documents": "/nominations/{nomination_id}/dossier/documents",
}
"""The awards service's routes the scenario calls."""

DOSSIER = (
    ("submission_letter", "Tờ trình đề nghị khen thưởng", "TTr"),
    ("achievement_report", "Báo cáo thành tích", "BC"),
    ("review_minutes", "Biên bản họp xét khen thưởng", "BB"),
)
"""Law Art. 84.1: submission, achievement report, minutes of the review (the short paths need the first two)."""


# ====================================================================== the council


@dataclass(frozen=True)
class Composition:
    """The Ministry's council as a decision composed it from a date."""

    effective_on: date
    decision_number: str
    members: tuple[tuple[str, str, str], ...]  # (member_id, name, role)


def council_compositions(ministry: Ministry) -> list[Composition]:
    """The Hội đồng Thi đua – Khen thưởng Bộ Công Thương: chaired by the Minister, with the heads of the
    units that serve it (Tổ chức cán bộ as standing member, the Office, Inspectorate, Finance, the union …).

    Recomposed when the Minister changed (April 2021), so votes of 2018–2020 count against the first."""
    wanted = ("VTCCB", "VPB", "TTRA", "VKHTC", "VPC", "VKHCN", "CDBCT", "TCQLTT", "CXNK", "BAOCT")
    heads: list[tuple[str, str, str]] = []
    for code in wanted:
        unit = next((u for u in ministry.units if u.code == code), None)
        if unit is None:
            continue
        head = next((p for p in ministry.people if p.unit_id == unit.unit_id), None)
        if head is None:
            continue
        role = "standing_member" if code == "VTCCB" else "member"
        heads.append((head.person_id, head.full_name, role))
    vice = heads[:1]
    rest = heads[1:]
    return [
        Composition(date(2017, 1, 10), "125/QĐ-BCT",
                    (("bt-tran-tuan-anh", "Trần Tuấn Anh", "chair"), *vice, *rest)),
        Composition(date(2021, 5, 12), "1052/QĐ-BCT",
                    (("bt-nguyen-hong-dien", "Nguyễn Hồng Diên", "chair"), *vice, *rest)),
    ]


async def set_up_council(api: Services, ministry: Ministry, reporter: Reporter) -> list[Composition]:
    """``PUT /councils/{id}`` for each composition, and ``PUT /holidays/{year}`` for the years with a notice."""
    compositions = council_compositions(ministry)
    with reporter.step("Hội đồng TĐKT, ngày lễ (council)", total=len(compositions) + len(HOLIDAYS)) as step:
        for year, days in HOLIDAYS.items():
            await api.awards.put(ROUTES["holidays"].format(year=year),
                                 {"days": [{"day": d.isoformat(), "name": n} for d, n in days]})
            step.advance()
        for c in compositions:
            await api.awards.put(ROUTES["council"].format(council_id=COUNCIL_ID), {
                "name": "Hội đồng Thi đua - Khen thưởng Bộ Công Thương",
                "members": [{"member_id": m, "name": n, "role": r} for m, n, r in c.members],
                "effective_on": c.effective_on.isoformat(), "decision_number": c.decision_number,
                "default_share": 0.5,
            })
            step.advance()
        step.note(f"{len(compositions[-1].members)} thành viên")
    return compositions


def composition_on(compositions: list[Composition], day: date) -> Composition:
    """The composition in force on a meeting day."""
    return [c for c in compositions if c.effective_on <= day][-1]


# ====================================================================== facts from the files


async def record_file_facts(api: Services, ministry: Ministry, reporter: Reporter) -> None:
    """What the nomination files attest that no other context publishes: teaching and education years
    (Nhà giáo, Kỷ niệm chương giáo dục), hazardous years (Kỷ niệm chương ngành), attested achievements, and the
    awards decided before the rules this system holds (the start of the Labour Orders' chains)."""
    total = len(ministry.supplements) + len(ministry.attestations) + len(ministry.legacy_awards)
    with reporter.step("Hồ sơ bổ sung (file facts)", total=total) as step:
        async def supplement(s) -> None:  # type: ignore[no-untyped-def]
            await api.awards.put(ROUTES["supplements"].format(person_id=s.person_id), {
                "education_joined_on": s.education_joined_on.isoformat() if s.education_joined_on else None,
                "teaching_years": s.teaching_years, "hazardous_service_years": s.hazardous_service_years,
                "recorded_on": s.recorded_on.isoformat(), "reference": s.reference,
            })

        async def attestation(a) -> None:  # type: ignore[no-untyped-def]
            await api.awards.post(ROUTES["attestations"], {
                "recipient_kind": a.recipient_kind, "subject_id": a.subject_id, "key": a.key, "year": a.year,
                "reference": a.reference,
            })

        async def prior(a) -> None:  # type: ignore[no-untyped-def]
            await api.awards.post(ROUTES["prior_awards"], {
                "recipient_kind": a.recipient_kind, "subject_id": a.subject_id, "award_code": a.code,
                "year": a.year, "authority": a.authority, "decision_number": a.decision_number,
                "decision_date": a.decided_on.isoformat(),
            })

        for items, action in ((ministry.supplements, supplement), (ministry.attestations, attestation),
                              (ministry.legacy_awards, prior)):
            await in_parallel(items, action, on_done=lambda _: step.advance())
        step.note(f"{len(ministry.supplements)} bổ sung, {len(ministry.attestations)} xác nhận, "
                  f"{len(ministry.legacy_awards)} khen thưởng trước 2017")


# ====================================================================== waiting for the replica


async def wait_for_facts(api: Services, ministry: Ministry, reporter: Reporter, *, timeout: float = 180.0) -> None:
    """Wait until the awards service's replica of the units context holds what was imported and posted.

    The replica follows Kafka, so it is eventually current. The check asks the engine itself, unit-wide at
    the Ministry: everyone's grade of the last year is known, and for each year, exactly the authors of that
    year's initiatives have one (none is used yet). In a replay after a partial run whose history had begun,
    some initiatives are used already: then no one but an author has one.
    """
    resumed = await _history_started(api, ministry)
    root = ministry.root.unit_id
    last_year = max(y for _, y in ministry.grades)
    authors: dict[int, set[str]] = defaultdict(set)
    for i in ministry.initiatives:
        authors[i.year].update(i.author_ids)
    years = sorted(authors)
    with reporter.step("Đồng bộ khen thưởng (awards replica)", total=1 + len(years)) as step:
        deadline = time.monotonic() + timeout
        pending: list[Any] = [("grades", last_year), *(("initiatives", y) for y in years)]
        while pending:
            kind, year = pending[0]
            if kind == "grades":
                answer = await _unit_assessments(api, root, "LDTT", year)
                ok = answer is not None and answer["counts"].get("undetermined", 1) == 0 \
                    and len(answer["candidates"]) == sum(1 for (_, y) in ministry.grades if y == year)
            else:
                answer = await _unit_assessments(api, root, "CSTDCS", year, detail=True)
                holders = _initiative_holders(answer) if answer is not None else None
                ok = holders is not None and (holders <= authors[year] if resumed else holders == authors[year])
            if ok:
                pending.pop(0)
                step.advance()
                continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"the awards service's replica did not catch up within {timeout:.0f} s "
                                   f"({kind} of {year})")
            await asyncio.sleep(1.0)
        step.note(f"{len(ministry.people)} cán bộ, {len(ministry.initiatives)} sáng kiến")


async def _unit_assessments(api: Services, unit_id: str, code: str, year: int, *, detail: bool = False) -> Any:
    try:
        return await api.awards.get(ROUTES["unit_assessments"].format(unit_id=unit_id), code=code, year=year,
                                    include_subunits="true")
    except ServiceError as error:
        if error.status == 404:  # the Ministry itself is not replicated yet
            return None
        raise


async def _history_started(api: Services, ministry: Ministry) -> bool:
    """The first nomination of the plan is recorded: a partial run played part of the history."""
    if not ministry.nominations:
        return False
    first = min(ministry.nominations, key=lambda n: (n.year, n.phase))
    try:
        await api.awards.get(ROUTES["nomination"].format(nomination_id=first.nomination_id))
    except ServiceError as error:
        if error.status == 404:
            return False
        raise
    return True


def _initiative_holders(answer: dict[str, Any]) -> set[str]:
    held = set()
    for c in answer["candidates"]:
        for line in c["criteria"]:
            if line["id"] == "initiative" and line["status"] == "passed":
                held.add(c["subject_id"])
    return held


# ====================================================================== the history


class CandidateReturned(RuntimeError):
    """The workflow returned a candidate the plan holds eligible: the facts differ from the plan's."""


async def play_history(api: Services, ministry: Ministry, reporter: Reporter, *, compositions: list[Composition],
                       concurrency: int = 6) -> None:
    """Every nomination of the plan, year by year: first the unit heads' titles (Lao động tiên tiến, then
    Chiến sĩ thi đua cơ sở, per unit), then the Ministry's round, whose chains read them."""
    by_phase: dict[tuple[int, int], list[Nomination]] = defaultdict(list)
    for n in ministry.nominations:
        by_phase[(n.year, n.phase)].append(n)
    total = sum(len(n.candidates) for n in ministry.nominations)
    with reporter.step("Khen thưởng 2017–2023 (awards)", total=total) as step:
        for (year, phase), nominations in sorted(by_phase.items()):
            step.note(f"{year}: {'cấp đơn vị' if phase == 0 else 'cấp Bộ'}")
            if phase == 0:
                # Lao động tiên tiến before Chiến sĩ thi đua cơ sở in each unit (the 15 % counts the former).
                chains: dict[str, list[Nomination]] = defaultdict(list)
                for n in nominations:
                    chains[n.submitting_unit_id].append(n)

                async def unit_chain(ns: list[Nomination]) -> None:
                    ldtt = 0
                    for n in ns:
                        if n.code == "CSTDCS":
                            await _cap_cstdcs(api, ministry, n, ldtt)
                        await play(api, n, compositions, unit_name=ministry.unit(n.submitting_unit_id).name)
                        if n.code == "LDTT":
                            ldtt += len(n.candidates)
                        step.advance(len(n.candidates))

                await in_parallel(list(chains.values()), unit_chain, limit=concurrency)
            else:
                async def one(n: Nomination) -> None:
                    await play(api, n, compositions, unit_name=ministry.unit(n.submitting_unit_id).name)

                await in_parallel(nominations, one, limit=concurrency,
                                  on_done=lambda n: step.advance(len(n.candidates)))
        step.note(f"{len(ministry.nominations)} hồ sơ đề nghị")


async def _cap_cstdcs(api: Services, ministry: Ministry, n: Nomination, ldtt: int) -> None:
    """Before 2024, Chiến sĩ thi đua cơ sở for at most 15 % of the unit's Lao động tiên tiến (NĐ 91/2017 Art. 9.3):
    recorded as the unit's quota for the year, so the service itself holds the grant to it."""
    unit = ministry.unit(n.submitting_unit_id)
    if unit.parent_id is None:
        # The Ministry's own office: a quota on the Ministry would count every unit's titles (its subtree).
        return
    await api.awards.put(ROUTES["quota"].format(award_code="CSTDCS", year=n.year), {
        "unit_id": unit.unit_id, "max_count": math.floor(0.15 * ldtt),
        "label": f"15% số cá nhân đạt Lao động tiên tiến năm {n.year} của {unit.name} (NĐ 91/2017 Điều 9 khoản 3)",
    })


async def play(api: Services, n: Nomination, compositions: list[Composition], *, unit_name: str = "") -> None:
    """One nomination through the workflow, from submission to the decision (2023's Ministry round: with its
    dossier's files, :func:`attach_files`).

    Played again (the scenario was interrupted, or runs on a stack that holds part of it), the nomination
    is read back and only the acts not yet recorded are sent.
    """
    nid = n.nomination_id
    view = await api.awards.post(ROUTES["submit"], {
        "nomination_id": nid, "year": n.year, "award_code": n.code, "category": n.category,
        "submitting_unit_id": n.submitting_unit_id, "movement_id": n.movement_id,
        "candidates": [{"candidate_id": c.candidate_id, "recipient_kind": c.recipient_kind,
                        "subject_id": c.subject_id} for c in n.candidates],
        "documents": _dossier(n),
        "submitted_on": n.submitted_on.isoformat(),
    })
    if view is None:  # nomination_exists: resume it
        view = await api.awards.get(ROUTES["nomination"].format(nomination_id=nid))
    _all_eligible(n, view)
    if n.year in FILED_YEARS and n.level != "unit":
        await attach_files(api, n, view, unit_name)
    candidate_ids = [c.candidate_id for c in n.candidates]
    if n.notice is not None and not any(x.get("closed_on") for x in view.get("notices", [])):
        if not view.get("notices"):
            view = await api.awards.post(ROUTES["open_notice"].format(nomination_id=nid), {
                "candidate_ids": candidate_ids, "opened_on": n.notice.opened_on.isoformat(),
            })
        closes_on = view["notices"][-1]["closes_on"]
        view = await api.awards.post(ROUTES["close_notice"].format(nomination_id=nid), {
            "closed_on": closes_on, "comments": [],
        })
    if n.voted_on is not None and not all(c.get("votes") for c in view["candidates"]):
        council = composition_on(compositions, n.voted_on)
        absent = council.members[-1][0]  # one member is away and votes in writing, as the minutes record
        view = await api.awards.post(ROUTES["vote"].format(nomination_id=nid), {
            "council_id": COUNCIL_ID, "voted_on": n.voted_on.isoformat(),
            "results": [{"candidate_id": cid,
                         "ballots": [{"member_id": m, "approve": True, "in_writing": m == absent}
                                     for m, _, _ in council.members]}
                        for cid in candidate_ids],
        }, role=Role.COUNCIL_MEMBER) or view
    if n.grant is not None and any(c["status"] == "eligible" for c in view["candidates"]):
        await api.awards.post(ROUTES["grant"].format(nomination_id=nid), {
            "candidate_ids": [c["candidate_id"] for c in view["candidates"] if c["status"] == "eligible"],
            "authority": n.grant.authority, "decision_number": n.grant.decision_number,
            "decision_date": n.grant.decision_date.isoformat(), "signer": n.grant.signer,
        }, role=Role.APPROVER, actor=_decider(n))
    if n.forward is not None:
        f = n.forward
        proposals = view.get("proposals") or []
        if not proposals:
            proposal = await api.awards.post(ROUTES["forward"].format(nomination_id=nid), {
                "candidate_ids": candidate_ids, "submission_number": f.submission_number,
                "forwarded_on": f.forwarded_on.isoformat(), "to_body": f.to_body,
            }, role=Role.APPROVER)
        else:
            proposal = proposals[0]
        if not proposal.get("decisions"):
            await api.awards.post(ROUTES["higher_decision"].format(proposal_id=proposal["proposal_id"]), {
                "decided_by": f.decided_by, "decision_number": f.decision_number,
                "decision_date": f.decision_date.isoformat(), "signer": f.signer,
                "outcomes": [{"candidate_id": cid, "outcome": "conferred"} for cid in candidate_ids],
                "recorded_on": (f.decision_date + timedelta(days=3)).isoformat(),
            })


FILED_YEARS = frozenset({2023})
"""The years whose Ministry-level dossiers carry their files (the unit-level titles' stay in the units)."""

KIND_TITLES = {
    "to_trinh": "Tờ trình đề nghị khen thưởng",
    "bao_cao_thanh_tich": "Báo cáo thành tích",
    "bien_ban_hoi_dong": "Biên bản họp Hội đồng Thi đua – Khen thưởng",
    "chung_nhan_sang_kien": "Giấy chứng nhận sáng kiến",
    "xac_nhan_dot_xuat": "Xác nhận thành tích đột xuất",
    "other": "Tài liệu khác",
}


async def attach_files(api: Services, n: Nomination, view: dict[str, Any], unit_name: str) -> None:
    """Upload every file the nomination's dossier still lacks by the law (the service says which: its
    completeness), each a small PDF naming the unit, the award and, where the law asks one per candidate,
    the candidate. Read first, so a replay uploads only what is still missing."""
    nid = n.nomination_id
    dossier = await api.awards.get(ROUTES["dossier"].format(nomination_id=nid))
    names = {c["candidate_id"]: c["display_name"] for c in view["candidates"]}
    award = f"{view['award_name']} năm {n.year}"
    for gap in dossier["completeness"]["missing"]:
        kind, cid = gap["kind"], gap["candidate_id"]
        whom = f" – {names.get(cid, cid)}" if cid else ""
        title = f"{KIND_TITLES.get(kind, gap['label_vi'])}{whom}"
        body = "\n".join([
            f"Đơn vị: {unit_name or n.submitting_unit_id}",
            f"Đề nghị: {award}" + (f" cho {names.get(cid, cid)}" if cid else f", {len(n.candidates)} đề nghị"),
            f"Hồ sơ số {nid}, nhận ngày {n.submitted_on:%d/%m/%Y}.",
            f"Căn cứ: {gap['citation']}.",
            "(Tài liệu mẫu do kịch bản trình diễn tạo ra.)",
        ])
        fields = {"kind": kind, "title": title}
        if cid:
            fields["candidate_id"] = cid
        file_name = f"{kind}{'-' + cid if cid else ''}-{nid}.pdf"
        content, content_type = _multipart(fields, file_name, document_pdf(title, body))
        await api.awards.request("POST", ROUTES["dossier_documents"].format(nomination_id=nid), content=content,
                                 headers={"content-type": content_type}, role=Role.EMULATION_OFFICE)


def _multipart(fields: dict[str, str], file_name: str, pdf: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with a boundary drawn from its content: the same upload is the same bytes
    (and so the same Idempotency-Key) in a retry and in a replay."""
    boundary = f"tdkt-{hashlib.sha256(pdf + repr(sorted(fields.items())).encode()).hexdigest()[:32]}"
    request = httpx.Request("POST", "http://scenario.invalid/", data=fields,
                            files={"file": (file_name, pdf, "application/pdf")},
                            headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    return request.read(), request.headers["content-type"]


def _decider(n: Nomination) -> tuple[str, str] | None:
    """Who signs a grant: the Minister (the approver's usual actor), or the head of the submitting unit."""
    assert n.grant is not None
    if n.grant.authority == "unit_head":
        return f"thu-truong-{n.submitting_unit_id}", n.grant.signer
    return None


def _dossier(n: Nomination) -> list[dict[str, Any]]:
    short = n.category in ("one_off", "foreign")
    unit = n.submitting_unit_id.removeprefix("u-").upper()
    return [{"kind": kind, "title": title, "reference": f"{n.submitted_on:%d%m}/{suffix}-{unit}"}
            for kind, title, suffix in (DOSSIER[:2] if short else DOSSIER)]


def _all_eligible(n: Nomination, view: dict[str, Any]) -> None:
    """Every candidate passed the engine on arrival; a returned one means the facts differ from the plan's."""
    returned = [c for c in view["candidates"] if c["status"] in ("returned", "ineligible")]
    if returned:
        reasons = "; ".join(f"{c['subject_id']} ({c['display_name']}): {' / '.join(c['reasons'])}"
                            for c in returned[:5])
        raise CandidateReturned(f"{n.nomination_id} ({n.code} {n.year}): {len(returned)} candidate(s) returned — "
                                f"{reasons}")
