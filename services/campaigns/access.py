"""Who may change the campaigns context's records (kernel.auth); queries are open to every role.

The emulation office (the council's secretariat) runs movements, targets,
pledges, clusters and the year's close; a unit officer registers their own
unit and the units under it, and reports their training.
"""

from __future__ import annotations

from kernel.auth import AccessTable, Role, Scope, rule
from kernel.clock import business_today
from kernel.service import Service

from .domain import TREE_ONLY
from .projections.replica import load_replica
from .subscribers import UnitsReplica

OFFICE = Role.EMULATION_OFFICE
OFFICER = Role.UNIT_OFFICER
UNIT = Scope("unit_id")

ACCESS = AccessTable({
    "POST /movements": rule(OFFICE),
    "PATCH /movements/{movement_id}": rule(OFFICE),
    "POST /movements/{movement_id}/reviews": rule(OFFICE),
    "POST /movements/{movement_id}/close": rule(OFFICE),
    "POST /targets": rule(OFFICE),
    "POST /training-reports": rule(OFFICE, OFFICER, scope=UNIT),
    "POST /years/{year}/close": rule(OFFICE),
    "POST /registrations": rule(OFFICE, OFFICER, scope=UNIT),
    "POST /registrations/{registration_id}/withdraw": rule(OFFICE, OFFICER, scope=UNIT),
    "POST /pledges": rule(OFFICE),
    "POST /pledges/{pledge_id}/reviews": rule(OFFICE),
    "POST /clusters": rule(OFFICE),
    "POST /clusters/{cluster_id}/membership": rule(OFFICE),
    "POST /clusters/{cluster_id}/lead": rule(OFFICE),
    "POST /clusters/{cluster_id}/scores": rule(OFFICE),
})


class ReplicaScope:
    """A unit officer's scope over this service's replica of the units tree."""

    def __init__(self, service: Service) -> None:
        self.service = service

    async def within(self, unit_id: str, root_id: str) -> bool:
        """Whether ``unit_id`` is ``root_id`` or under it today, on the replica as committed."""
        if unit_id == root_id:
            return True
        assert self.service.pool is not None, "the service is not started"
        async with self.service.pool.acquire() as conn, conn.transaction(readonly=True, isolation="repeatable_read"):
            state = await load_replica(conn, TREE_ONLY)  # one snapshot of the units' tables
        return root_id in state.tree.lineage(unit_id, business_today())

    async def unit_of_person(self, person_id: str) -> str | None:
        return None  # no campaigns command is scoped by a person

    async def catch_up(self) -> None:
        """Wait for the units replica to hold what the units service published (kernel.freshness)."""
        await self.service.catch_up(UnitsReplica.name)
