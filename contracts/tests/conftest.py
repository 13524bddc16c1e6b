"""Fixtures of the contracts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from contracts_support import SCRATCH_TYPE, MemberRegisteredV1, MemberRegisteredV2, member_v1_to_v2
from tdkt_contracts import EventPayload, all_models, register, upcaster
from tdkt_contracts.registry import unregister


@pytest.fixture
def scratch_events() -> Iterator[tuple[type[EventPayload], type[EventPayload]]]:
    """Register the throwaway type (v1, v2 and the upcaster) for one test, then remove it."""
    register(MemberRegisteredV1)
    register(MemberRegisteredV2)
    upcaster(SCRATCH_TYPE, 1)(member_v1_to_v2)
    try:
        yield MemberRegisteredV1, MemberRegisteredV2
    finally:
        unregister(SCRATCH_TYPE)


@pytest.fixture(autouse=True)
def _registry_unchanged() -> Iterator[None]:
    """Every test leaves the catalogue as it found it, so nothing leaks into the generator check."""
    before = list(all_models())
    yield
    after = list(all_models())
    assert after == before, (
        f"the test changed the catalogue: added {[m for m in after if m not in before]}, "
        f"removed {[m for m in before if m not in after]}; register test types in a fixture that unregisters them"
    )
