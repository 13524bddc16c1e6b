"""Who reads why a candidate went back to its unit: the office's note, and the engine's reasons."""

from __future__ import annotations

from tdkt_contracts.catalogue.awards import CriterionOutcome

from kernel.auth import Role
from kernel.privacy import categories
from services.awards.domain import CriterionKind
from services.awards.personal_data import withhold_outcomes

DISCIPLINE_FAILED = CriterionOutcome(
    criterion_id="no-discipline", status="failed", citation="NĐ 98/2023, Điều 4",
    explanation_vi="Đang trong thời gian thi hành kỷ luật.", explanation_en="Under discipline.",
    kind=CriterionKind.NO_DISCIPLINE.value,
)
NOTE = "Báo cáo thành tích thiếu chữ ký của thủ trưởng đơn vị; đề nghị bổ sung."

OWN_UNIT_OFFICER = categories([Role.UNIT_OFFICER], own_unit=True)
OTHER_UNIT_OFFICER = categories([Role.UNIT_OFFICER], own_unit=False)
READER = categories([Role.READER], own_unit=False)
OFFICE = categories([Role.EMULATION_OFFICE], own_unit=False)


def test_the_offices_note_reaches_the_officer_who_must_fix_the_dossier() -> None:
    for seen in (OWN_UNIT_OFFICER, OFFICE):
        assert withhold_outcomes([], [NOTE], seen, office_note=True)[1] == [NOTE]


def test_the_offices_note_is_not_shown_to_who_does_not_see_the_persons_grades() -> None:
    for seen in (READER, OTHER_UNIT_OFFICER):
        assert withhold_outcomes([], [NOTE], seen, office_note=True)[1] != [NOTE]


def test_the_engines_reasons_stay_cut_by_their_criterion_even_for_the_own_units_officer() -> None:
    """A reason explaining a discipline criterion is not the office's note: the unit officer does not read it."""
    criteria, reasons = withhold_outcomes([DISCIPLINE_FAILED], [DISCIPLINE_FAILED.explanation_vi],
                                          OWN_UNIT_OFFICER, office_note=False)
    assert criteria == [] and DISCIPLINE_FAILED.explanation_vi not in reasons
    # the office's note on the same candidate still shows, while the criterion stays withheld
    criteria, reasons = withhold_outcomes([DISCIPLINE_FAILED], [NOTE], OWN_UNIT_OFFICER, office_note=True)
    assert criteria == [] and reasons == [NOTE]
