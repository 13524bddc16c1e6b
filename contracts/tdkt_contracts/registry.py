"""The catalogue of event types: lookup by (type, version) and upcasting.

Consumers call :func:`parse` with what arrives on the wire; it returns the
newest model of that type, upcasting older payloads step by step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .base import EventPayload

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_models: dict[tuple[str, int], type[EventPayload]] = {}
_upcasters: dict[tuple[str, int], Upcaster] = {}


class UnknownEventType(LookupError):
    """Raised for a (type, version) the catalogue does not hold."""


def register(model: type[EventPayload]) -> type[EventPayload]:
    """Class decorator adding an event model to the catalogue."""
    key = (model.event_type, model.event_version)
    existing = _models.get(key)
    if existing is not None and existing is not model:
        raise ValueError(f"{key} is already registered by {existing.__name__}")
    _models[key] = model
    return model


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function turning version ``from_version`` data into ``from_version + 1``."""

    def decorate(fn: Upcaster) -> Upcaster:
        _upcasters[(event_type, from_version)] = fn
        return fn

    return decorate


def latest_version(event_type: str) -> int:
    """The newest version of ``event_type`` in the catalogue."""
    versions = [v for (t, v) in _models if t == event_type]
    if not versions:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    return max(versions)


def model_for(event_type: str, version: int) -> type[EventPayload]:
    """The model of exactly this type and version."""
    try:
        return _models[(event_type, version)]
    except KeyError:
        raise UnknownEventType(f"unknown event type {event_type!r} version {version}") from None


def parse(event_type: str, version: int, data: dict[str, Any]) -> EventPayload:
    """Validate wire data as the newest model of its type, upcasting old versions."""
    target = latest_version(event_type)
    if version > target:
        raise UnknownEventType(
            f"event type {event_type!r} version {version} is newer than this catalogue ({target})"
        )
    model_for(event_type, version)  # the starting version must be known too
    while version < target:
        step = _upcasters.get((event_type, version))
        if step is None:
            raise UnknownEventType(f"no upcaster for {event_type!r} from version {version}")
        data = step(dict(data))
        version += 1
    return model_for(event_type, target).model_validate(data)


def unregister(event_type: str) -> None:
    """Remove every version of ``event_type`` and its upcasters from the catalogue.

    Only for tests that register throwaway event types: removed in their
    teardown, those types cannot leak into other tests or into the generated
    schemas. Production code never removes a published type. Raises
    :class:`UnknownEventType` if nothing of that type is registered.
    """
    keys = [key for key in _models if key[0] == event_type]
    if not keys:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    for key in keys:
        del _models[key]
    for key in [key for key in _upcasters if key[0] == event_type]:
        del _upcasters[key]


def all_models() -> Iterable[type[EventPayload]]:
    """Every registered model, ordered by type then version."""
    return [_models[k] for k in sorted(_models)]
