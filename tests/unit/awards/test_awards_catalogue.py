"""Loading the catalogue validates every entry; broken data is refused with a clear error."""

from __future__ import annotations

import copy
import unicodedata
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from awards_testkit import award, raw_parts
from tdkt_contracts.vocabulary import Authority, RecipientKind

from services.awards.domain import CatalogueError, Confidence, CriterionKind, DecisionRoute, parse_catalogue
from services.awards.domain.criteria import COMBINATORS, PARAMS
from services.awards.domain.evaluators import EVALUATORS
from services.awards.domain.loader import CATALOGUE_DIR

BRIEF_CODES = {
    "AHLD",  # issue #19: award kinds a ministry proposes every year
    "HC_DUNG_CAM",
    "HC_SAO_VANG",
    "HC_HO_CHI_MINH",
    "HC_DOC_LAP_1",
    "HC_DOC_LAP_2",
    "HC_DOC_LAP_3",
    "HC_DAI_DOAN_KET",
    "HC_HUU_NGHI",
    "HUY_CHUONG_HUU_NGHI",
    "TTND",
    "TTUT",
    "NNND",
    "NNUT",
    "GT_HCM",
    "GT_NHA_NUOC",
    "LDTT",
    "CSTDCS",
    "CSTD_BO",
    "CSTD_TQ",
    "BK_BT",
    "BK_TTG",
    "HCLD_3",
    "HCLD_2",
    "HCLD_1",
    "NGND",
    "NGUT",
    "GIAY_KHEN",
    "KNC_CT",
    "KNC_GD",
    "TTLDTT",
    "TTLDXS",
    "CO_TD_BO",
    "CO_TD_CP",
}


def refused(parts: list[tuple[str, Any]], *fragments: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(parts)
    assert caught.value.code == "invalid_catalogue"
    for fragment in fragments:
        assert fragment in caught.value.message


# ------------------------------------------------------------------ the packaged data


def test_catalogue_holds_every_code_of_the_brief(catalogue) -> None:
    assert set(catalogue.codes) == BRIEF_CODES


def test_both_recipient_kinds_share_one_code_where_the_law_has_both(catalogue) -> None:
    kinds = {RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE}
    both = {c for c, e in catalogue.entries.items() if kinds <= set(e.recipients)}
    assert both == {"BK_BT", "BK_TTG", "HCLD_3", "HCLD_2", "HCLD_1", "GIAY_KHEN", "AHLD"} | {
        "HC_SAO_VANG", "HC_HO_CHI_MINH", "HC_DOC_LAP_1", "HC_DOC_LAP_2", "HC_DOC_LAP_3", "HC_HUU_NGHI"
    }


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_every_entry_has_a_rule_for_each_rule_set(catalogue, year: int) -> None:
    for entry in catalogue.entries.values():
        for kind in entry.recipients:
            assert entry.rule_for(kind, date(year, 12, 31)) is not None, (entry.code, kind, year)


def test_three_rule_sets_coexist_without_gaps(catalogue) -> None:
    ids = [s.id for s in sorted(catalogue.rule_sets, key=lambda s: s.valid_from)]
    assert ids == ["LAW2013_ND91", "LAW2022_ND98", "LAW2022_ND152"]
    assert catalogue.rule_set_at(date(2023, 12, 31)).id == "LAW2013_ND91"
    assert catalogue.rule_set_at(date(2024, 1, 1)).id == "LAW2022_ND98"
    assert catalogue.rule_set_at(date(2025, 7, 1)).id == "LAW2022_ND152"


def test_windows_of_a_code_and_recipient_never_overlap(catalogue) -> None:
    for entry in catalogue.entries.values():
        for kind in entry.recipients:
            versions = sorted(entry.rules_for(kind), key=lambda v: v.valid_from)
            for earlier, later in pairwise(versions):
                assert earlier.valid_to is not None and earlier.valid_to < later.valid_from


def test_every_rule_and_criterion_cites_a_known_document_and_an_article(catalogue) -> None:
    for entry in catalogue.entries.values():
        for version in entry.rules:
            for source in version.sources():
                assert source.doc in catalogue.documents
                assert source.article.strip()
                assert catalogue.cite(source).text_vi.startswith(catalogue.documents[source.doc].short_vi)


def test_thresholds_are_in_range(catalogue) -> None:
    for entry in catalogue.entries.values():
        for version in entry.rules:
            if version.council_vote:
                assert version.council_vote.share in (0.8, 0.9)
            for spec in version.all_criteria():
                share = getattr(spec.params, "min_share", None)
                assert share is None or 0 < share <= 1


def test_council_votes_follow_rules_md_section_4(catalogue) -> None:
    votes = {
        (c, v.valid_from.year): v.council_vote.share
        for c, e in catalogue.entries.items()
        for v in e.rules
        if v.council_vote
    }
    assert {votes[("CSTD_BO", 2024)], votes[("CSTD_TQ", 2024)]} == {0.9}
    assert {votes[("CSTDCS", 2024)], votes[("CO_TD_BO", 2024)], votes[("CO_TD_CP", 2024)]} == {0.8}


def test_orders_and_state_honorary_titles_require_public_notice(catalogue) -> None:
    for code in ("HCLD_3", "HCLD_2", "HCLD_1", "NGND", "NGUT", "AHLD", "HC_DUNG_CAM", "HC_SAO_VANG", "HC_HO_CHI_MINH",
                 "HC_DOC_LAP_1", "HC_DOC_LAP_2", "HC_DOC_LAP_3", "HC_DAI_DOAN_KET", "TTND", "TTUT", "NNND", "NNUT"):
        for version in catalogue.entries[code].rules:
            assert version.public_notice is not None and version.public_notice.working_days == 10


def test_decisions_and_routes(catalogue) -> None:
    def route(code: str) -> tuple[Authority, DecisionRoute]:
        v = catalogue.entries[code].rules[-1]
        return v.authority, v.route

    assert route("CSTD_BO") == (Authority.MINISTER, DecisionRoute.MINISTRY_DECIDES)
    assert route("BK_TTG") == (Authority.PRIME_MINISTER, DecisionRoute.PROPOSE_UPWARD)
    assert route("NGND") == (Authority.PRESIDENT, DecisionRoute.PROPOSE_UPWARD)
    assert route("KNC_GD") == (Authority.OTHER_MINISTRY, DecisionRoute.PROPOSE_UPWARD)
    assert "Giáo dục" in catalogue.entries["KNC_GD"].rules[-1].submit_to_vi
    assert route("LDTT") == (Authority.UNIT_HEAD, DecisionRoute.UNIT_DECIDES)


def test_cash_multiples_from_decree_152(catalogue) -> None:
    cash = {
        (c, v.recipient): v.cash.multiple
        for c, e in catalogue.entries.items()
        for v in e.rules
        if v.cash and v.valid_from == date(2025, 7, 1)
    }
    ind, col = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE
    assert cash[("CSTD_TQ", ind)] == 4.5 and cash[("CSTD_BO", ind)] == 3.0
    assert cash[("CSTDCS", ind)] == 1.0 and cash[("LDTT", ind)] == 0.3
    assert cash[("TTLDXS", col)] == 1.5 and cash[("TTLDTT", col)] == 0.8
    assert cash[("CO_TD_CP", col)] == 12 and cash[("CO_TD_BO", col)] == 8
    assert (cash[("HCLD_1", col)], cash[("HCLD_2", col)], cash[("HCLD_3", col)]) == (18, 15, 9)
    assert cash[("BK_TTG", col)] == 7 and cash[("BK_BT", col)] == 3 and cash[("GIAY_KHEN", col)] == 0.6
    assert ("BK_BT", ind) not in cash  # individual amounts were not captured (rules.md §2)


def test_every_rule_applies_the_hold_rule(catalogue) -> None:
    for entry in catalogue.entries.values():
        for version in entry.rules:
            kinds = [c.kind for c in version.criteria]
            assert kinds.count(CriterionKind.NO_PENDING_HOLD) == 1, version.id


def test_unconfirmed_marks_set_the_confirmed_flag(catalogue) -> None:
    bk_ttg = catalogue.entries["BK_TTG"].rules[0]
    assert bk_ttg.confidence is Confidence.UNCONFIRMED and not bk_ttg.confirmed
    assert all(not c.confirmed for c in bk_ttg.criteria if c.kind is not CriterionKind.NO_PENDING_HOLD)
    assert catalogue.entries["LDTT"].rules[1].confirmed


def test_every_leaf_kind_has_an_evaluator() -> None:
    leaves = set(PARAMS) - COMBINATORS - {CriterionKind.MEETS_CRITERIA_OF}
    assert leaves == set(EVALUATORS)


def test_catalogue_text_is_nfc() -> None:
    for path in CATALOGUE_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path.name


def test_every_vietnamese_text_has_diacritics(catalogue) -> None:
    plain = [
        spec.vi
        for entry in catalogue.entries.values()
        for version in entry.rules
        for spec in version.all_criteria()
        if spec.vi == unicodedata.normalize("NFKD", spec.vi).encode("ascii", "ignore").decode()
    ]
    assert plain == []


# ------------------------------------------------------------------ refusing broken data


def test_overlapping_windows_are_refused() -> None:
    parts = raw_parts()
    award(parts, "LDTT")["rules"][0]["valid_to"] = date(2024, 3, 31)
    refused(parts, "LDTT/individual", "overlaps")


def test_unknown_document_is_refused() -> None:
    parts = raw_parts()
    award(parts, "LDTT")["rules"][1]["criteria"][0]["source"]["doc"] = "LUAT_2099"
    refused(parts, "unknown legal document 'LUAT_2099'")


def test_missing_article_is_refused() -> None:
    parts = raw_parts()
    award(parts, "LDTT")["rules"][1]["criteria"][0]["source"]["article"] = ""
    refused(parts, "article")


def test_share_above_one_is_refused() -> None:
    parts = raw_parts()
    award(parts, "TTLDTT")["rules"][1]["criteria"][1]["params"]["min_share"] = 1.5
    refused(parts, "min_share")


def test_vote_share_above_one_is_refused() -> None:
    parts = raw_parts()
    award(parts, "CSTD_BO")["rules"][1]["council_vote"]["share"] = 1.2
    refused(parts, "council_vote.share")


def test_unknown_criterion_kind_is_refused() -> None:
    parts = raw_parts()
    award(parts, "LDTT")["rules"][1]["criteria"][0]["kind"] = "looks_good"
    refused(parts, "looks_good")


def test_unknown_code_in_params_is_refused() -> None:
    parts = raw_parts()
    award(parts, "CSTD_BO")["rules"][1]["criteria"][0]["params"]["codes"] = ["CSTDCS_X"]
    refused(parts, "unknown code 'CSTDCS_X'")


def test_person_criterion_in_a_collective_rule_is_refused() -> None:
    parts = raw_parts()
    rule = award(parts, "TTLDTT")["rules"][1]
    rule["criteria"].insert(
        0,
        {
            **copy.deepcopy(award(parts, "TTLDTT")["rules"][1]["criteria"][0]),
            "id": "teaching",
            "kind": "teaching_years",
            "params": {"min_years": 5},
        },
    )
    refused(parts, "teaching_years does not apply to collective")


def test_meets_criteria_cycle_is_refused() -> None:
    parts = raw_parts()
    ldtt = award(parts, "LDTT")["rules"][1]
    ldtt["criteria"].append(
        {**copy.deepcopy(ldtt["criteria"][0]), "id": "loop", "kind": "meets_criteria_of", "params": {"code": "CSTDCS"}}
    )
    refused(parts, "cycle")


def test_route_must_fit_the_authority() -> None:
    parts = raw_parts()
    award(parts, "BK_TTG")["rules"][0]["route"] = "ministry_decides"
    refused(parts, "does not fit authority")


def test_unknown_shared_criterion_is_refused() -> None:
    parts = raw_parts()
    award(parts, "LDTT")["rules"][1]["criteria"][1] = {"use": "hold_1999"}
    refused(parts, "hold_1999")


def test_code_defined_twice_is_refused() -> None:
    parts = raw_parts()
    parts.append(("copy.yaml", {"award": copy.deepcopy(award(parts, "LDTT"))}))
    refused(parts, "defined twice")


def test_a_legal_change_is_a_data_change() -> None:
    """A hypothetical decree from 2027 raising the TTLĐTT threshold to 80%: data only."""
    from awards_testkit import members, unit
    from tdkt_contracts.vocabulary import Grade

    from services.awards.domain import assess

    parts = raw_parts()
    ttldtt = award(parts, "TTLDTT")
    ttldtt["rules"][2]["valid_to"] = date(2026, 12, 31)
    new = copy.deepcopy(ttldtt["rules"][2])
    new["valid_from"], new["valid_to"] = date(2027, 1, 1), None
    new["criteria"][1]["params"]["min_share"] = 0.8
    ttldtt["rules"].append(new)
    changed = parse_catalogue(parts)
    facts = unit(grades={2026: Grade.GOOD, 2027: Grade.GOOD}, members=[members(2026, ldtt=7), members(2027, ldtt=7)])
    assert assess(changed, "TTLDTT", 2026, facts).eligible
    later = assess(changed, "TTLDTT", 2027, facts)
    assert not later.eligible and later.failing() == ["ldtt_share"]
    assert later.rule.rule_id == "TTLDTT.collective.2027-01-01"


def test_reuse_policy_is_data() -> None:
    """rules.md §9.9 is open: switching CSTĐ Bộ to 'across_kind_only' lets a title's initiative serve another title."""
    from awards_testkit import recipe, initiative, IND
    from tdkt_contracts.vocabulary import Level

    from services.awards.domain import assess

    parts = raw_parts()
    award(parts, "CSTD_BO")["rules"][0]["criteria"][1]["params"]["reuse"] = "across_kind_only"
    relaxed = parse_catalogue(parts)
    used_for_title = recipe("CSTD_BO", IND, 2023).model_copy(
        update={"initiatives": [initiative("SK-BO", 2022, Level.MINISTRY, used_for=("CSTDCS", 2022))]}
    )
    used_for_award = used_for_title.model_copy(
        update={"initiatives": [initiative("SK-BO", 2022, Level.MINISTRY, used_for=("BK_BT", 2022))]}
    )
    assert assess(relaxed, "CSTD_BO", 2023, used_for_title).eligible
    assert not assess(relaxed, "CSTD_BO", 2023, used_for_award).eligible


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    from services.awards.domain import load_catalogue

    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path)
