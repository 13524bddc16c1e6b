"""Who may change the units context's records (kernel.auth); queries are open to every role.

The organisation tree and bulk imports are the administrator's (the Ministry's
organisation department keeps them); a unit officer records the people,
grades, discipline and initiatives of their own unit and the units under it.
"""

from __future__ import annotations

import asyncpg

from kernel.auth import AccessTable, Role, Scope, rule
from kernel.service import Service

OFFICER = Role.UNIT_OFFICER
PERSON = Scope("person_id", "person")

ACCESS = AccessTable({
    "POST /units": rule(),
    "POST /units/rename": rule(),
    "POST /units/move": rule(),
    "POST /units/merge": rule(),
    "POST /units/dissolve": rule(),
    "POST /imports/{kind}": rule(),
    "POST /people": rule(OFFICER, scope=Scope("unit_id")),
    "POST /people/transfer": rule(OFFICER, scope=PERSON),
    "POST /people/leave": rule(OFFICER, scope=PERSON),
    "POST /evaluations": rule(OFFICER, scope=Scope("subject_id", "subject")),
    "POST /evaluations/corrections": rule(OFFICER, scope=Scope("subject_id", "subject")),
    "POST /disciplines": rule(OFFICER, scope=PERSON),
    "POST /disciplines/end": rule(OFFICER, scope=PERSON),
    "POST /initiatives": rule(OFFICER, Role.EMULATION_OFFICE, scope=Scope("unit_id")),
})


class TreeScope:
    """A unit officer's scope over this service's own tree (today's parents) and staff."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def _pool(self) -> asyncpg.Pool:
        assert self.service.pool is not None, "the service is not started"
        return self.service.pool

    async def within(self, unit_id: str, root_id: str) -> bool:
        """``unit_id`` — or the unit it was merged into, which carries its people — is ``root_id`` or under it."""
        return bool(await self._pool().fetchval(
            """
            WITH RECURSIVE up(unit_id, depth) AS (
                SELECT $1::text, 0
                UNION ALL
                SELECT COALESCE(u.merged_into, u.parent_id), up.depth + 1 FROM unit_states u
                JOIN up ON u.unit_id = up.unit_id
                WHERE COALESCE(u.merged_into, u.parent_id) IS NOT NULL AND up.depth < 64
            )
            SELECT EXISTS (SELECT 1 FROM up WHERE unit_id = $2)
            """,
            unit_id, root_id,
        ))

    async def catch_up(self) -> None:
        """Nothing to wait for: these are the service's own facts, read as committed."""

    async def unit_of_person(self, person_id: str) -> str | None:
        """The unit a person is recorded in; its people move with a merge, so :meth:`within` follows it."""
        return await self._pool().fetchval(
            "SELECT unit_id FROM person_states WHERE person_id = $1", person_id
        )
