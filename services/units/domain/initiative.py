"""The initiative aggregate: a recognised initiative (sáng kiến) or research work (đề tài)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.units import InitiativeRecognized
from tdkt_contracts.vocabulary import InitiativeKind, Level

from kernel.aggregate import fold


class InitiativeState(BaseModel):
    model_config = ConfigDict(frozen=True)

    initiative_id: str = ""
    recognized: bool = False
    kind: InitiativeKind | None = None
    level: Level | None = None
    year: int | None = None
    title: str = ""
    decision_number: str = ""
    decided_on: date | None = None
    author_ids: tuple[str, ...] = ()
    unit_id: str = ""
    version: int = 0

    @classmethod
    def initial(cls, initiative_id: str = "") -> InitiativeState:
        return cls(initiative_id=initiative_id)

    @property
    def exists(self) -> bool:
        return self.recognized

    def apply(self, event: EventPayload) -> InitiativeState:
        """The state after ``event``. Never fails; other events are ignored."""
        if not isinstance(event, InitiativeRecognized):
            return self
        return self.model_copy(
            update={
                "initiative_id": event.initiative_id,
                "recognized": True,
                "kind": event.kind,
                "level": event.level,
                "year": event.year,
                "title": event.title,
                "decision_number": event.decision_number,
                "decided_on": event.decided_on,
                "author_ids": tuple(event.author_ids),
                "unit_id": event.unit_id,
                "version": self.version + 1,
            }
        )


def fold_initiative(events: Iterable[EventPayload], state: InitiativeState | None = None) -> InitiativeState:
    return fold(state or InitiativeState.initial(), events)
