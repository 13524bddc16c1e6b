"""Awards decided outside the workflow, entered from the files: the pure decision."""

from __future__ import annotations

from datetime import date

import pytest
from tdkt_contracts.catalogue.awards import AwardGranted, Recipient, TitleConferred

from kernel.errors import DomainError
from services.awards.domain import Catalogue
from services.awards.workflow import (
    RecordPriorAward,
    decide_record_prior,
    prior_award_id,
    title_and_award_history,
)

TODAY = date(2025, 3, 31)
MAI = Recipient(candidate_id="p-mai", recipient_kind="individual", subject_id="p-mai",
                display_name="Đỗ Thị Mai", unit_id="u-vtccb")


def command(**overrides: object) -> RecordPriorAward:
    body = {"recipient_kind": "individual", "subject_id": "p-mai", "award_code": "BK_TTG", "year": 2016,
            "authority": "prime_minister", "decision_number": "712/QĐ-TTg", "decision_date": "2017-05-12"}
    return RecordPriorAward.parse({**body, **overrides})


def decide(catalogue: Catalogue, cmd: RecordPriorAward, **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {"recipient": MAI, "stream_version": 0, "held": [], "today": TODAY, **kw}
    return decide_record_prior(cmd, entry=catalogue.entry(cmd.award_code), **args)  # type: ignore[arg-type]


def test_an_award_form_from_a_higher_authority_is_entered_as_granted_elsewhere(catalogue: Catalogue) -> None:
    [event] = decide(catalogue, command())
    assert isinstance(event, AwardGranted)
    assert event.award_id == prior_award_id("individual", "p-mai", "BK_TTG", 2016)
    assert event.award_name == "Bằng khen của Thủ tướng Chính phủ"
    assert event.conferred_by_ministry is False and event.nomination_id is None and event.proposal_id is None
    assert event.initiative_ids == [] and event.recipient == MAI


def test_a_title_decided_by_a_unit_head_is_the_ministrys_own(catalogue: Catalogue) -> None:
    [event] = decide(catalogue, command(award_code="CSTDCS", year=2015, authority="unit_head",
                                        decision_number="12/QĐ-VTCCB", decision_date="2015-12-20"))
    assert isinstance(event, TitleConferred) and event.conferred_by_ministry is True


def test_the_same_award_is_entered_once(catalogue: Catalogue) -> None:
    first = decide(catalogue, command())
    with pytest.raises(DomainError) as again:
        decide(catalogue, command(decision_number="713/QĐ-TTg"), stream_version=1)
    assert again.value.code == "award_already_recorded" and again.value.status == 409
    held = title_and_award_history(first)
    with pytest.raises(DomainError) as clash:  # held from the workflow under another id
        decide(catalogue, command(), held=[h.model_copy(update={"award_id": "a-other"}) for h in held])
    assert clash.value.details["award_id"] == "a-other"
    revoked = [h.model_copy(update={"award_id": "a-other", "revoked": True}) for h in held]
    assert decide(catalogue, command(), held=revoked)  # a revoked one is no longer held


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"award_code": "LDTT", "recipient_kind": "collective"}, "wrong_recipient_kind"),
        ({"decision_date": "2025-04-01"}, "date_in_future"),
    ],
)
def test_refusals(catalogue: Catalogue, overrides: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        decide(catalogue, command(**overrides))
    assert refused.value.code == code


def test_a_decision_before_its_year_is_not_a_valid_command() -> None:
    with pytest.raises(DomainError) as refused:
        command(decision_date="2015-12-31")
    assert refused.value.code == "invalid_command"
    assert "before the achievement year" in refused.value.message


def test_ids_differ_by_recipient_kind_code_and_year() -> None:
    ids = {prior_award_id(k, "x", c, y) for k in ("individual", "collective") for c in ("BK_BT", "BK_TTG")
           for y in (2015, 2016)}
    assert len(ids) == 8
