"""Procedure as data (issue #19.14): the pre-2024 15 % cap on Chiến sĩ thi đua cơ sở as a check, and the
council's quorum. Before the change the cap was only a note and there was no quorum at all."""

from __future__ import annotations

from datetime import date

import pytest
from awards_testkit import IND, catalogue

from services.awards.domain.procedure_checks import quorum_check, share_quota_checks


def _cstdcs(year: int):  # noqa: ANN202
    return catalogue().entry("CSTDCS").rule_for(IND, date(year, 12, 31))


# (article, LĐTT holders in the unit, CSTĐCS granted, met)
CAP_ROWS = [
    ("ND91-2017-Art9.3-three-of-twenty", 20, 3, True),
    ("ND91-2017-Art9.3-four-of-twenty", 20, 4, False),
    ("ND91-2017-Art9.3-rounded-down", 19, 3, False),  # 15 % of 19 is 2.85: two at most
    ("ND91-2017-Art9.3-none-without-ldtt", 0, 1, False),
]


@pytest.mark.parametrize(("article", "ldtt", "granted", "met"), CAP_ROWS, ids=[r[0] for r in CAP_ROWS])
def test_the_15_percent_cap_before_2024_is_a_check(article: str, ldtt: int, granted: int, met: bool) -> None:
    (check,) = share_quota_checks(catalogue(), _cstdcs(2023), granted, {"LDTT": ldtt})
    assert check.met is met and check.refuses is (not met)  # [S]: a secondary source, so it may refuse
    assert check.citation.text_vi == "Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3"
    assert check.limit == int(ldtt * 15 // 100)


@pytest.mark.parametrize("year", [2024, 2026])
def test_no_cap_from_2024(year: int) -> None:
    """Law 2022 Art. 23: the cap is gone (rules.md §3a)."""
    assert share_quota_checks(catalogue(), _cstdcs(year), 50, {"LDTT": 10}) == []


def test_a_missing_base_count_is_an_error_not_a_pass() -> None:
    with pytest.raises(KeyError):
        share_quota_checks(catalogue(), _cstdcs(2023), 1, {})


# (members, present, met)
QUORUM_ROWS = [(9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False), (3, 2, True)]


@pytest.mark.parametrize(("members", "present", "met"), QUORUM_ROWS)
@pytest.mark.parametrize("year", [2023, 2024, 2026])
def test_council_quorum_two_thirds_of_all_members(year: int, members: int, present: int, met: bool) -> None:
    check = quorum_check(catalogue(), catalogue().rule_set_at(date(year, 12, 31)), members, present)
    assert check is not None and check.met is met
    assert check.limit == -(-2 * members // 3)
    # [U]: the two thirds come from another ministry's council regulation, so a short quorum only warns
    assert not check.confirmed and check.refuses is False
    assert ("không đủ số thành viên dự họp" in check.detail_vi) is (not met)


def test_quorum_rejects_impossible_attendance() -> None:
    rule_set = catalogue().rule_set_at(date(2024, 12, 31))
    with pytest.raises(ValueError, match="between 0"):
        quorum_check(catalogue(), rule_set, 9, 10)


def test_a_confirmed_quorum_refuses_and_a_legal_change_is_a_data_change() -> None:
    from awards_testkit import raw_parts

    from services.awards.domain import parse_catalogue

    parts = raw_parts()
    rule_sets = next(content for name, content in parts if name == "_rule_sets.yaml")["rule_sets"]
    rule_sets[-1]["council_quorum"].update(confidence="C", numerator=3, denominator=4)
    changed = parse_catalogue(parts)
    check = quorum_check(changed, changed.rule_set_at(date(2026, 12, 31)), 8, 5)
    assert check is not None and check.limit == 6 and check.met is False and check.refuses is True


# ---------------------------------------------------------------- Giấy khen by issuer (Law 2022 Art. 75, 80)
ISSUER_ROWS = [
    ("Art80-legal-entity-head", "legal_entity_head", 2024, True, "Luật Thi đua, khen thưởng 2022, Điều 80"),
    ("Art80-enterprise-director", "enterprise_director", 2026, True, "Luật Thi đua, khen thưởng 2022, Điều 80"),
    ("Art75-board-chair", "board_chair", 2026, True, "Luật Thi đua, khen thưởng 2022, Điều 75"),
    ("old-law-board-chair-not-read", "board_chair", 2023, False, None),
]


@pytest.mark.parametrize(("article", "issuer", "year", "met", "cited"), ISSUER_ROWS, ids=[r[0] for r in ISSUER_ROWS])
def test_giay_khen_names_who_may_sign_it(article: str, issuer: str, year: int, met: bool, cited: str | None) -> None:
    from tdkt_contracts.vocabulary import RecipientKind

    from services.awards.domain.procedure_checks import issuer_check
    from services.awards.domain.vocabulary import IssuerKind

    for kind in (RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE):
        version = catalogue().entry("GIAY_KHEN").rule_for(kind, date(year, 12, 31))
        check = issuer_check(catalogue(), version, IssuerKind(issuer))
        assert check is not None and check.met is met
        if cited:
            assert check.citation.text_vi == cited
        if not met:  # the pre-2024 list is [U]: a signer outside it is a warning, not a refusal
            assert check.refuses is False and "không được ký tặng" in check.detail_vi


def test_a_code_without_issuers_is_signed_by_its_authority() -> None:
    from services.awards.domain.procedure_checks import issuer_check
    from services.awards.domain.vocabulary import IssuerKind

    assert issuer_check(catalogue(), _cstdcs(2024), IssuerKind.BOARD_CHAIR) is None


def test_a_signer_outside_a_confirmed_list_is_refused() -> None:
    from awards_testkit import award, raw_parts
    from tdkt_contracts.vocabulary import RecipientKind

    from services.awards.domain import parse_catalogue
    from services.awards.domain.procedure_checks import issuer_check
    from services.awards.domain.vocabulary import IssuerKind

    parts = raw_parts()
    latest = award(parts, "GIAY_KHEN")["rules"][2]
    latest["issuers"] = [i for i in latest["issuers"] if i["kind"] != "board_chair"]
    changed = parse_catalogue(parts)
    version = changed.entry("GIAY_KHEN").rule_for(RecipientKind.INDIVIDUAL, date(2026, 12, 31))
    check = issuer_check(changed, version, IssuerKind.BOARD_CHAIR)
    assert check is not None and check.met is False and check.refuses is True


# ---------------------------------------------------------------- dossier documents (Law 2022 Art. 84)
# Before: three documents for every merit file, hard-coded in the workflow; no certificate for the
# emulation-fighter titles (84.1.d), no attestation for a one-off achievement (84.2).
DOSSIER_ROWS = [
    ("Art84.1-a-b-c", "LDTT", "merit", 2026,
     ["submission_letter", "achievement_report", "review_minutes"],
     "Luật Thi đua, khen thưởng 2022, Điều 84, điểm a khoản 1"),
    ("Art84.1.d-cstdcs", "CSTDCS", "merit", 2024,
     ["submission_letter", "achievement_report", "review_minutes", "certification"], None),
    ("ND98-Art33-cstd-tq-vote-minutes", "CSTD_TQ", "merit", 2024,
     ["submission_letter", "achievement_report", "review_minutes", "certification", "vote_minutes"], None),
    ("Art84.2-one-off", "BK_BT", "one_off", 2026, ["submission_letter", "achievement_report", "certification"], None),
    ("foreign-short-dossier", "HC_HUU_NGHI", "foreign", 2026, ["submission_letter", "achievement_report"], None),
]


@pytest.mark.parametrize(("article", "code", "category", "year", "kinds", "first_citation"), DOSSIER_ROWS,
                         ids=[r[0] for r in DOSSIER_ROWS])
def test_dossier_documents_per_award_kind(
    article: str, code: str, category: str, year: int, kinds: list[str], first_citation: str | None
) -> None:
    from services.awards.domain.procedure_checks import required_documents
    from services.awards.domain.vocabulary import CommendationCategory

    needed = required_documents(catalogue(), code, CommendationCategory(category), year)
    assert [d.kind for d in needed] == kinds
    if first_citation:
        assert needed[0].citation.text_vi == first_citation
    by_kind = {d.kind: d for d in needed}
    if "certification" in by_kind and category == "merit":
        assert by_kind["certification"].citation.text_vi == "Luật Thi đua, khen thưởng 2022, Điều 84, điểm d khoản 1"


def test_the_pre_2024_dossier_is_unconfirmed() -> None:
    from services.awards.domain.procedure_checks import required_documents
    from services.awards.domain.vocabulary import CommendationCategory

    needed = required_documents(catalogue(), "CSTDCS", CommendationCategory.MERIT, 2023)
    assert [d.kind for d in needed][-1] == "certification" and not any(d.confirmed for d in needed)


def test_a_dossier_rule_names_known_documents_and_codes() -> None:
    from awards_testkit import raw_parts

    from services.awards.domain import CatalogueError, parse_catalogue

    for change, fragment in ((("document", "fax"), "unknown document kind"), (("award_codes", ["NOPE"]), "unknown code")):
        parts = raw_parts()
        rules = next(content for name, content in parts if name == "_dossier_requirements.yaml")["requirements"]
        rules[0][change[0]] = change[1]
        with pytest.raises(CatalogueError, match=fragment):
            parse_catalogue(parts)
