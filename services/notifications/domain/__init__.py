"""The notifications context's pure domain: who is told what about which event (no I/O).

:mod:`.model` holds the values (a recipient, the facts the mapping reads, a
notice, a deadline); :mod:`.mapping` is the table event type → rule that turns
one event into notices (and deadlines); :mod:`.templates` writes each kind's
Vietnamese subject and text.
"""

from .mapping import DEADLINE_DAYS_AHEAD, RULES, deadline_notices, deadlines_for, notices_for
from .model import Deadline, Facts, Kind, NominationFact, Notice, Recipient, UnitFact, notification_id

__all__ = [
    "DEADLINE_DAYS_AHEAD",
    "RULES",
    "Deadline",
    "Facts",
    "Kind",
    "NominationFact",
    "Notice",
    "Recipient",
    "UnitFact",
    "deadline_notices",
    "deadlines_for",
    "notices_for",
    "notification_id",
]
