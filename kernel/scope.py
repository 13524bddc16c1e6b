"""A unit officer's scope inside a command: what the HTTP guard cannot check from one field.

The guard (kernel.auth) checks the one unit or person a rule names, before
the command runs, against the service's tree. A command may name more
(a transfer's destination, an initiative's authors, a registration's
people), and the tree may change between the guard and the command; the
handler checks those in the command's own transaction, with the unit the
officer acts for, which :func:`officer_unit` gives it.
"""

from __future__ import annotations

from fastapi import Request

from .auth import Principal, Role
from .errors import Forbidden


def officer_unit(request: Request) -> str | None:
    """The unit of the caller when the command runs in the unit officer's role; None for any other role."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None or principal.role is not Role.UNIT_OFFICER:
        return None
    return principal.unit_id


def outside_scope(officer: str, field: str, outside: list[str]) -> Forbidden:
    """The refusal of a command naming units or people outside the officer's units (403 outside_unit_scope)."""
    return Forbidden(
        "outside_unit_scope",
        f"A unit officer acts only within their unit and the units under it: {field} names "
        f"{', '.join(outside)}, outside unit {officer!r}",
        officer_unit_id=officer, field=field, value=outside,
    )


__all__ = ["officer_unit", "outside_scope"]
