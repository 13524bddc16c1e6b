"""A household (hộ gia đình) as a candidate: the engine's facts from what its nomination states (pure).

A household has no record in the units context (no person, no unit): like a
foreign recipient it is named by the nomination under its own id, and the
submitting unit proposes it. Unlike a foreign recipient it is assessed by the
engine — on the contributions the nomination states (Law 2022 Art. 74, 75).
"""

from __future__ import annotations

from ..domain.facts import HouseholdContribution, HouseholdFacts
from .commands import Nominee


def household_facts(nominee: Nominee, unit_id: str) -> HouseholdFacts | None:
    """The engine's facts of a household nominee proposed by ``unit_id``; None for a nominee that is not a
    household or gives no name (the decision refuses it: ``display_name_required``).

    Holds are known to be none: the Ministry keeps no disciplinary, inspection or
    investigation file on a household; a complaint about it reaches the office as
    a comment during the public notice, which holds the candidate in the workflow
    until its result is recorded. Titles and findings are not loaded (no household
    criterion reads them).
    """
    stated = nominee.household
    if stated is None or nominee.display_name is None:
        return None
    return HouseholdFacts(
        household_id=nominee.subject_id,
        name=nominee.display_name,
        address=stated.address,
        unit_id=unit_id,
        holds=[],
        contributions=[
            HouseholdContribution(kind=c.kind, year=c.year, description=c.description, value_vnd=c.value_vnd)
            for c in stated.contributions
        ],
    )
