"""The one fold every aggregate uses: state is the events applied in order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar


class Applies(Protocol):
    """A frozen aggregate state: ``apply`` returns the state after one event and never fails."""

    def apply(self, event: Any) -> Any: ...


S = TypeVar("S", bound=Applies)


def fold(state: S, events: Iterable[Any]) -> S:
    """``state`` with ``events`` applied in stream order."""
    for event in events:
        state = state.apply(event)
    return state
