"""Who may act in the awards workflow (kernel.auth); queries are open to every role.

A unit officer submits nominations for their unit and the units under it;
the emulation office (the council's secretariat) runs the notices, keeps the
reference data and the file facts and records what higher authorities
decided; council members vote (the secretariat may record the minutes); the
approver grants, declines, forwards upward and revokes.
"""

from __future__ import annotations

from kernel.auth import AccessTable, Role, Scope, rule

from .handlers import AwardsHandlers
from .projections import UnitsReplica

OFFICE = Role.EMULATION_OFFICE
APPROVER = Role.APPROVER
NOMINATION = "/nominations/{nomination_id}"
DOSSIER_READERS = (Role.UNIT_OFFICER, OFFICE, APPROVER, Role.COUNCIL_MEMBER)

ACCESS = AccessTable({
    "POST /nominations": rule(Role.UNIT_OFFICER, OFFICE, scope=Scope("submitting_unit_id")),
    # The unit resubmits what the office returned: its officer only for their units' nominations (the handler checks
    # the nomination's submitting unit; the path names no unit).
    f"POST {NOMINATION}/candidates/{{candidate_id}}/resubmit": rule(Role.UNIT_OFFICER, OFFICE,
                                                                  note="unit officer: own units"),
    f"POST {NOMINATION}/candidates/{{candidate_id}}/returns": rule(OFFICE),
    # A whole dossier: the office returns it; the unit's officer (own units, checked by the handler against the
    # nomination's submitting unit) or the office resubmits it.
    f"POST {NOMINATION}/returns": rule(OFFICE),
    f"POST {NOMINATION}/resubmit": rule(Role.UNIT_OFFICER, OFFICE, note="unit officer: own units"),
    f"POST {NOMINATION}/notices": rule(OFFICE),
    f"POST {NOMINATION}/notices/close": rule(OFFICE),
    f"POST {NOMINATION}/notices/comment-results": rule(OFFICE),
    f"POST {NOMINATION}/votes": rule(Role.COUNCIL_MEMBER, OFFICE),
    f"POST {NOMINATION}/grants": rule(APPROVER),
    f"POST {NOMINATION}/rejections": rule(APPROVER),
    f"POST {NOMINATION}/proposals": rule(APPROVER),
    "POST /proposals/{proposal_id}/decisions": rule(OFFICE),
    "POST /awards/{award_id}/revocations": rule(APPROVER),
    "POST /decisions/{issuer}/{year}/{number}/signature": rule(APPROVER),
    "POST /signatures/verification": rule(*Role, note="a check, changes nothing"),
    "PUT /holidays/{year}": rule(OFFICE),
    "PUT /quotas/{award_code}/{year}": rule(OFFICE),
    "PUT /rounds/{year}/{category}": rule(OFFICE),
    "PUT /certificate-layouts/{award_code}/{issuer}": rule(OFFICE),
    "PUT /councils/{council_id}": rule(OFFICE),
    "PUT /people/{person_id}/supplements": rule(OFFICE),
    "POST /attestations": rule(OFFICE),
    "POST /held-awards": rule(OFFICE),
    # The dossier's files: a unit officer only for their units' nominations, checked by the handler against the
    # nomination's submitting unit (the path names no unit). Files name people: not for every reader (NĐ 13/2023).
    f"POST {NOMINATION}/dossier/documents": rule(Role.UNIT_OFFICER, OFFICE, note="unit officer: own units"),
    f"POST {NOMINATION}/dossier/override": rule(OFFICE),
    f"POST {NOMINATION}/dossier/assignments": rule(OFFICE),
    "GET /my/dossiers": rule(OFFICE),
    f"GET {NOMINATION}/dossier": rule(*DOSSIER_READERS, note="unit officer: own units"),
    f"GET {NOMINATION}/dossier/documents/{{document_id}}/versions/{{version}}/content": rule(
        *DOSSIER_READERS, note="unit officer: own units"
    ),
})


class ChartScope:
    """A unit officer's scope over this service's replica of the units tree."""

    def __init__(self, handlers: AwardsHandlers) -> None:
        self.handlers = handlers

    async def within(self, unit_id: str, root_id: str) -> bool:
        async def work(conn) -> bool:  # type: ignore[no-untyped-def]
            chart = await self.handlers.loader.chart(conn)
            return root_id in chart and unit_id in chart.subtree(root_id, self.handlers.today())

        return await self.handlers.read(work)

    async def unit_of_person(self, person_id: str) -> str | None:
        return None  # no awards command is scoped by a person

    async def catch_up(self) -> None:
        """Wait for the units replica to hold what the units service published (kernel.freshness)."""
        await self.handlers.service.catch_up(UnitsReplica.name)
