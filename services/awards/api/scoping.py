"""A unit officer's scope, as the routes pass it to the handlers (which check it against the nomination)."""

from __future__ import annotations

from fastapi import Request

from kernel.auth import Role


def officer_unit(request: Request) -> str | None:
    """The unit a unit officer's request is scoped to; None for the roles that see every dossier."""
    principal = request.state.principal
    if principal.role is not Role.UNIT_OFFICER:
        return None
    return principal.unit_id or ""  # a token naming no unit is inside no unit
