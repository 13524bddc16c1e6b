"""Local tables of the campaigns service: its query tables (:mod:`.tables`) and the
replica of the units context's facts (:mod:`.replica`)."""

from .replica import REPLICA_SQL
from .tables import QUERY_TABLES_SQL, project, rebuild

__all__ = ["QUERY_TABLES_SQL", "REPLICA_SQL", "project", "rebuild"]
