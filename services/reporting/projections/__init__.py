"""The reporting service's read models: one event handler each, each in a schema of its own.

======================  =====================================  ==========================================
read model              consumer (group)                       schema
======================  =====================================  ==========================================
``award_stats``         ``reporting-award-stats``              ``<schema>_rm_award_stats``
``award_history``       ``reporting-award-history``            ``<schema>_rm_award_history``
``movements``           ``reporting-movements``                ``<schema>_rm_movements``
``unit_tree``           ``reporting-unit-tree``                ``<schema>_rm_unit_tree``
======================  =====================================  ==========================================
"""

from __future__ import annotations

from .award_history import AwardHistory
from .award_stats import AwardStats, AwardStatsFold, StatKey, StatRow, counted_facts
from .base import Projection, qualified, schema_for, table_checksums
from .movements import Movements
from .unit_tree import UnitTree

PROJECTIONS: tuple[type[Projection], ...] = (AwardStats, AwardHistory, Movements, UnitTree)
READ_MODELS: tuple[str, ...] = tuple(p.model for p in PROJECTIONS)
"""Names of the read models, as the API and ``tdkt rebuild`` take them."""


def read_models(service_schema: str) -> dict[str, Projection]:
    """One handler per read model, for a service whose schema is ``service_schema``."""
    return {p.model: p(service_schema) for p in PROJECTIONS}


__all__ = [
    "PROJECTIONS",
    "READ_MODELS",
    "AwardHistory",
    "AwardStats",
    "AwardStatsFold",
    "Movements",
    "Projection",
    "StatKey",
    "StatRow",
    "UnitTree",
    "counted_facts",
    "qualified",
    "read_models",
    "schema_for",
    "table_checksums",
]
