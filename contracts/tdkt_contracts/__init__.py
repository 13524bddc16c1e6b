"""Public event contracts of the thi đua – khen thưởng (emulation and commendation) system.

Importing the package registers every event model of every context.
"""

from . import catalogue as catalogue  # noqa: F401  (registers the models)
from .base import ContractModel, EventPart, EventPayload, nfc, topic_for
from .envelope import Envelope, InvalidEnvelope, from_kafka
from .registry import UnknownEventType, all_models, latest_version, model_for, parse, register, upcaster

__all__ = [
    "ContractModel",
    "Envelope",
    "EventPart",
    "EventPayload",
    "InvalidEnvelope",
    "UnknownEventType",
    "all_models",
    "from_kafka",
    "latest_version",
    "model_for",
    "nfc",
    "parse",
    "register",
    "topic_for",
    "upcaster",
]
