"""The priority on ties (issue #19, "the priority for women and for collectives with at least 70 % women"):
NĐ 152/2025 Art. 4.6 as the legal review reads it [S]. A ranking the council applies among equal achievements,
shown with the assessment and its article; it never changes eligibility. Before the change no assessment said
it: a woman and a man with the same record got the same answer, and the council had no cited rule to rank them.
"""

from __future__ import annotations

import pytest
from awards_testkit import COL, IND, check, recipe
from tdkt_contracts.vocabulary import Sex

from services.awards.domain import UnitFacts

ART_4_6 = "Nghị định 152/2025/NĐ-CP, Điều 4, khoản 6"


def _person(code: str, year: int, sex: Sex | None):  # noqa: ANN202
    return recipe(code, IND, year).model_copy(update={"sex": sex})


def _collective(code: str, year: int, share: float | None) -> UnitFacts:
    facts = recipe(code, COL, year)
    assert isinstance(facts, UnitFacts)
    members = [m.model_copy(update={"women_share": share}) if m.year == year else m for m in facts.members]
    return facts.model_copy(update={"members": members})


# (article, code, year, facts, priority expected)
ROWS = [
    ("ND152-Art4.6-woman", "LDTT", 2026, lambda: _person("LDTT", 2026, Sex.FEMALE), True),
    ("ND152-Art4.6-man", "LDTT", 2026, lambda: _person("LDTT", 2026, Sex.MALE), False),
    ("ND152-Art4.6-sex-unknown", "LDTT", 2026, lambda: _person("LDTT", 2026, None), False),
    ("ND152-Art4.6-woman-ministry-fighter", "CSTD_BO", 2026, lambda: _person("CSTD_BO", 2026, Sex.FEMALE), True),
    ("ND98-no-tie-rule-read", "LDTT", 2024, lambda: _person("LDTT", 2024, Sex.FEMALE), False),
    ("ND152-Art4.6-collective-70-percent", "TTLDTT", 2026, lambda: _collective("TTLDTT", 2026, 0.7), True),
    ("ND152-Art4.6-collective-69-percent", "TTLDTT", 2026, lambda: _collective("TTLDTT", 2026, 0.69), False),
    ("ND152-Art4.6-collective-share-unknown", "TTLDTT", 2026, lambda: _collective("TTLDTT", 2026, None), False),
]


@pytest.mark.parametrize(("article", "code", "year", "facts", "priority"), ROWS, ids=[r[0] for r in ROWS])
def test_the_priority_on_ties_is_shown_with_its_article(
    article: str, code: str, year: int, facts, priority: bool  # noqa: ANN001
) -> None:
    result = check(code, year, facts())
    assert (result.tie_priority is not None) is priority
    if priority:
        assert result.tie_priority.citation.text_vi == ART_4_6 and result.tie_priority.confirmed
        assert result.tie_priority.text_vi.startswith("Được ưu tiên khi có nhiều trường hợp thành tích như nhau")


def test_the_priority_never_changes_eligibility() -> None:
    woman, man = check("LDTT", 2026, _person("LDTT", 2026, Sex.FEMALE)), check("LDTT", 2026, _person("LDTT", 2026, Sex.MALE))
    assert woman.outcome is man.outcome and [r.status for r in woman.results()] == [r.status for r in man.results()]
