"""An individual recipient's category in the statistical forms 0602/0603 (Thông tư 02/2023/TT-BNV), from the
person's post (chức vụ) on the decision's day and the unit they hold it in.

The units context publishes the post as text ("Phó Vụ trưởng", "Trưởng phòng", "Chuyên viên chính") and the
unit's kind and place in the tree; the five categories follow from them:

- lãnh đạo cấp bộ and above: Bộ trưởng, Thứ trưởng;
- lãnh đạo cấp vụ, sở, ngành and equivalent: the head or a deputy head of a unit directly under the Ministry
  (Vụ trưởng, Cục trưởng, Chánh Văn phòng, Viện trưởng, Hiệu trưởng …);
- doanh nhân: the head or a deputy head of an enterprise (a tổng công ty, a tập đoàn, a company in one);
- other leaders from phó phòng up: the head or a deputy head of any other unit (Trưởng phòng, Trưởng khoa …);
- người trực tiếp công tác …: everyone else.

A post not known (a person the replica has not seen) gives no category: the forms count them as "Chưa phân
loại", never guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeVar

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import AwardGranted, TitleConferred
from tdkt_contracts.vocabulary import PersonCategory, RecipientKind

from ..domain.bundles import OrgChart, PersonBundle

MINISTRY_POSTS = ("bộ trưởng", "thứ trưởng")
HEAD_WORDS = ("trưởng", "chánh", "giám đốc", "tổng biên tập", "chủ tịch", "chủ nhiệm")
"""A post that heads (or, with "phó", deputises for) a unit: Vụ trưởng, Trưởng phòng, Chánh Văn phòng …"""
E = TypeVar("E", bound=EventPayload)
ENTERPRISE_KINDS = frozenset({"tong_cong_ty", "tap_doan"})
MINISTRY_KIND = "bo"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def is_leader_post(position: str) -> bool:
    """The head or a deputy head of a unit ("Phó Trưởng phòng", "Vụ trưởng"), not an assistant to one."""
    post = _norm(position)
    if post.startswith("phó "):
        post = post[4:]
    if post.startswith(("trợ lý", "thư ký")):  # Trợ lý Bộ trưởng, Thư ký Thứ trưởng: staff, not leaders
        return False
    first_words = post.split()[:3]
    return any(word in " ".join(first_words) for word in HEAD_WORDS)


def person_category(position: str | None, unit_id: str | None, chart: OrgChart, day: date) -> PersonCategory | None:
    """The category of a person holding ``position`` in ``unit_id`` on ``day``; None when the post is unknown."""
    if not position:
        return None
    post = _norm(position)
    if post.startswith(MINISTRY_POSTS):
        return PersonCategory.MINISTRY_LEADER
    if not is_leader_post(position):
        return PersonCategory.DIRECT_WORKER
    unit = chart.get(unit_id) if unit_id else None
    if unit is None:
        return PersonCategory.OTHER_LEADER  # a leader of a unit the replica does not know: at least phó phòng
    chain, seen = [unit], {unit.unit_id}
    while (parent_id := chain[-1].parent_on(day)) and parent_id not in seen and (parent := chart.get(parent_id)):
        chain.append(parent)
        seen.add(parent_id)
    if any(u.kind in ENTERPRISE_KINDS for u in chain):
        return PersonCategory.BUSINESS_PERSON
    parent_id = unit.parent_on(day)
    parent = chart.get(parent_id) if parent_id else None
    if parent is None or parent.kind == MINISTRY_KIND:
        return PersonCategory.DEPARTMENT_LEADER
    return PersonCategory.OTHER_LEADER


def with_person_categories(events: Sequence[E], people: Sequence[PersonBundle], chart: OrgChart) -> list[E]:
    """``events`` with each individual's ``recipient.person_category`` filled from their post on the decision's
    day (the other events, and recipients already categorised or not known, unchanged)."""
    bundles: Mapping[str, PersonBundle] = {b.person_id: b for b in people}
    out: list[E] = []
    for event in events:
        if isinstance(event, AwardGranted | TitleConferred) and event.recipient.person_category is None \
                and event.recipient.recipient_kind is RecipientKind.INDIVIDUAL:
            bundle = bundles.get(event.recipient.subject_id)
            posting = bundle.posting_on(event.decision_date) if bundle else None
            position = posting.position if posting else (bundle.position_in(event.year) if bundle else None)
            unit_id = posting.unit_id if posting else event.recipient.unit_id
            category = person_category(position, unit_id, chart, event.decision_date)
            if category is not None:
                recipient = event.recipient.model_copy(update={"person_category": category})
                event = event.model_copy(update={"recipient": recipient})  # type: ignore[assignment]
        out.append(event)
    return out
