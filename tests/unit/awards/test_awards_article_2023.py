"""The source article's 2023 awards (moit-emulation-2024.txt) are grantable under the rules in force in 2023.

"năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, Nhà giáo ưu tú cho 3 cá nhân;
Huân chương Lao động hạng Ba cho 1 tập thể, 3 cá nhân; Bằng khen của Thủ tướng Chính phủ cho 9 cá nhân;
Kỷ niệm chương 'Vì sự nghiệp giáo dục' cho 78 cá nhân. Đồng thời, tặng Bằng khen của Bộ trưởng Bộ Công
Thương cho 68 tập thể, 214 cá nhân; Chiến sĩ thi đua Bộ Công Thương cho 87 cá nhân; Kỷ niệm chương
'Vì sự nghiệp phát triển ngành Công Thương Việt Nam' cho 83 cá nhân."

The facts below are the README recipes written out for 2023, so a data generator can copy them.
"""

from __future__ import annotations

from datetime import date

import pytest
from awards_testkit import attested, check, grades, initiative, person, titles, unit
from tdkt_contracts.vocabulary import Grade, Level, Sex

from services.awards.domain import DecisionRoute, Registration

ARTICLE_2023 = {
    "NGND": person(teaching_years=25, titles=titles("NGUT", 2017)),
    "NGUT": person(teaching_years=18),
    "HCLD_3/individual": person(
        grades={**grades(range(2019, 2024), Grade.GOOD), 2021: Grade.EXCELLENT},
        titles=titles("BK_TTG", 2018) + titles("CSTDCS", 2019, 2021, 2023),
    ),
    "HCLD_3/collective": unit(
        grades={**grades(range(2019, 2024), Grade.GOOD), 2023: Grade.EXCELLENT}, titles=titles("BK_TTG", 2017)
    ),
    "BK_TTG/individual": person(
        grades=grades(range(2019, 2024)),
        titles=titles("BK_BT", 2018),
        initiatives=[initiative(f"SK-{y}", y) for y in range(2019, 2024)],
    ),
    "KNC_GD": person(sex=Sex.FEMALE, education_joined_on=date(2007, 9, 5)),
    "BK_BT/individual": person(grades=grades([2022, 2023]), titles=titles("CSTDCS", 2022, 2023)),
    "BK_BT/collective": unit(grades=grades([2022, 2023])),
    "CSTD_BO": person(
        grades=grades(range(2021, 2024)),
        titles=titles("LDTT", 2021, 2022, 2023) + titles("CSTDCS", 2021, 2022, 2023),
        initiatives=[initiative("SK-2022-BO", 2022, Level.MINISTRY)],
        registrations=[Registration(year=2023, code="CSTD_BO")],
    ),
    "KNC_CT": person(sex=Sex.FEMALE, sector_joined_on=date(2008, 7, 1)),
}


@pytest.mark.parametrize("key", sorted(ARTICLE_2023))
def test_awards_of_2023_are_grantable(key: str) -> None:
    code = key.split("/")[0]
    result = check(code, 2023, ARTICLE_2023[key], as_of=date(2023, 11, 1))
    assert result.eligible, result.explanation_en
    assert result.rule.rule_set_id == "LAW2013_ND91"
    assert result.rule.valid_to == date(2023, 12, 31)


def test_who_decides_the_2023_awards() -> None:
    routes = {key: check(key.split("/")[0], 2023, facts).procedure.route for key, facts in ARTICLE_2023.items()}
    proposed = {k for k, r in routes.items() if r is DecisionRoute.PROPOSE_UPWARD}
    assert proposed == {"NGND", "NGUT", "HCLD_3/individual", "HCLD_3/collective", "BK_TTG/individual", "KNC_GD"}


def test_the_2023_verdicts_say_which_rules_are_unconfirmed() -> None:
    assert check("NGND", 2023, ARTICLE_2023["NGND"]).unconfirmed
    knc_ct = check("KNC_CT", 2023, ARTICLE_2023["KNC_CT"])
    assert {i.ref for i in knc_ct.unconfirmed_items} == {"once"}
    assert check("BK_BT", 2023, attested_only()).eligible


def attested_only():
    """Bằng khen Bộ trưởng for an attested one-off achievement, no titles at all."""
    return person(attestations=[attested("one_off_achievement", 2023)])
