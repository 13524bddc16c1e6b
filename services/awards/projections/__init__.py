"""Local tables of the awards service: replicas of other contexts' facts, and its own history.

- :mod:`.units_replica`: people, units, grades, discipline, initiatives (from the units context);
- :mod:`.campaigns_replica`: registrations and bloc rankings (from the campaigns context);
- :mod:`.history`: titles and awards held, revocations, and the facts recorded from files,
  written by the awards context itself in its command transactions.

- :mod:`.reference`: the workflow's reference data (holidays, quotas, the council's compositions);
- :mod:`.tables`: every table of the service's own schema, declared once;
- :mod:`.dossier`: the bytes of the dossiers' files (primary storage, not a projection);
- :mod:`.inbox`: each nomination's stage, for the office's list by state.

The facts the eligibility engine needs are read back from all of them by
:mod:`.facts` (:class:`~.facts.FactsLoader`).
"""

from collections.abc import Sequence

import asyncpg

from kernel.eventstore import RecordedEvent

from . import history, reference
from .campaigns_replica import CAMPAIGNS_REPLICA_SQL, CampaignsReplica
from .history import (
    project_history,
    rebuild_history,
    record_attestation,
    record_conferred,
    record_hold,
    record_revoked,
    record_supplements,
)
from .dossier import DOSSIER_SQL, project_dossier
from .inbox import INBOX_SQL, project_inbox
from .tables import TABLES_SQL
from .units_replica import UNITS_REPLICA_SQL, UnitsReplica

__all__ = [
    "CAMPAIGNS_REPLICA_SQL",
    "DOSSIER_SQL",
    "INBOX_SQL",
    "TABLES_SQL",
    "UNITS_REPLICA_SQL",
    "CampaignsReplica",
    "UnitsReplica",
    "history",
    "project",
    "project_history",
    "rebuild_history",
    "record_attestation",
    "record_conferred",
    "record_hold",
    "record_revoked",
    "record_supplements",
    "reference",
    "replica_schemas",
]


def replica_schemas(service_schema: str) -> tuple[str, str]:
    """The schemas of the units and campaigns replicas, beside the service's own schema."""
    return f"{service_schema}_units_replica", f"{service_schema}_campaigns_replica"


async def project(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """The handlers' projection, in the command's transaction: the held awards, who has each dossier, and
    each nomination's stage (after the assignments: the inbox reads them)."""
    await project_history(conn, recorded)
    await project_dossier(conn, recorded)
    await project_inbox(conn, recorded)
