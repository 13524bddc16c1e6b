"""Query tables the units service keeps for itself (see :mod:`.tables`)."""

from .tables import (
    TABLES_SQL,
    aggregate_of,
    initiatives_of,
    load_initiatives,
    load_people,
    load_tree,
    load_units,
    people_ever_in,
    people_for_year,
    project,
    read_event,
    rebuild,
)

__all__ = [
    "TABLES_SQL",
    "aggregate_of",
    "initiatives_of",
    "load_initiatives",
    "load_people",
    "load_tree",
    "load_units",
    "people_ever_in",
    "people_for_year",
    "project",
    "read_event",
    "rebuild",
]
