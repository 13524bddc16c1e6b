"""kernel.limits: a gate's bounds for everyone and per person, released on every exit; id lists deduplicated."""

from __future__ import annotations

import pytest

from kernel.errors import DomainError
from kernel.limits import Gate, TooBusy, distinct_capped


async def test_a_gate_bounds_everyone_and_each_person() -> None:
    gate = Gate("export", total=2, per_person=1, retry_after_s=3)
    async with gate.hold("an"):
        with pytest.raises(TooBusy) as refused:
            async with gate.hold("an"):
                pass
        assert refused.value.status == 429 and refused.value.retry_after_s == 3
        assert refused.value.details["scope"] == "person"
        async with gate.hold("binh"):
            with pytest.raises(TooBusy) as refused:
                async with gate.hold("chi"):
                    pass
            assert refused.value.details == {"gate": "export", "scope": "everyone", "limit": 2, "retry_after_s": 3}
    assert gate.running == 0
    # A failing request gives its place back.
    with pytest.raises(RuntimeError):
        async with gate.hold("an"):
            raise RuntimeError("boom")
    async with gate.hold("an"), gate.hold("binh"):
        assert gate.running == 2


def test_a_gate_needs_sane_bounds() -> None:
    with pytest.raises(ValueError):
        Gate("x", total=1, per_person=2)


def test_ids_are_deduplicated_before_the_cap() -> None:
    assert distinct_capped(["c-2", "c-1", "c-2"] * 3500, limit=2, field="candidate_id") == ["c-2", "c-1"]
    with pytest.raises(DomainError) as refused:
        distinct_capped([f"c-{i}" for i in range(3)], limit=2, field="candidate_id")
    assert refused.value.code == "too_many_values" and refused.value.details["count"] == 3
