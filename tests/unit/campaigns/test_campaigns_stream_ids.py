"""Ids of new aggregates cannot take the stream of an emulation year ("2024")."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from tdkt_contracts.catalogue.campaigns import PLEDGE_2024_CLAUSES, YearClosed

from services.campaigns.domain import FormCluster, LaunchMovement, SetTarget, SignPledge


def test_the_year_stream_is_named_by_the_year_alone() -> None:
    assert YearClosed(year=2024, closed_on=date(2025, 1, 10)).subject() == "2024"


@pytest.mark.parametrize("bad", ["2024", "0", "12345"])
def test_new_ids_made_only_of_digits_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        LaunchMovement(
            movement_id=bad, title="Phong trào", launched_by="bo", kind="chuyen_de", scope={"all_units": True},
            period_start=date(2024, 1, 1), criteria="Nội dung", launched_on=date(2024, 1, 1),
        )
    with pytest.raises(ValidationError):
        SetTarget(target_id=bad, year=2024, metric="units_graded_good_or_better", threshold_percent=100,
                  description="100% đơn vị", set_on=date(2024, 1, 26))
    with pytest.raises(ValidationError):
        SignPledge(pledge_id=bad, title="Giao ước", year=2024, signed_on=date(2024, 1, 26),
                   clauses=PLEDGE_2024_CLAUSES[:1])
    with pytest.raises(ValidationError):
        FormCluster(cluster_id=bad, name="Cụm", kind="cum", members=["a", "b"], from_year=2024,
                    formed_on=date(2024, 1, 1))


@pytest.mark.parametrize("good", ["pt-2024", "2024a", "ct-2024-htt", "x"])
def test_ids_with_a_letter_or_sign_are_accepted(good: str) -> None:
    assert SetTarget(target_id=good, year=2024, metric="units_graded_good_or_better", threshold_percent=100,
                     description="100% đơn vị", set_on=date(2024, 1, 26)).target_id == good


def test_ids_with_a_slash_or_space_are_still_refused() -> None:
    for bad in ["a/b", "a b"]:
        with pytest.raises(ValidationError):
            SetTarget(target_id=bad, year=2024, metric="units_graded_good_or_better", threshold_percent=100,
                      description="100% đơn vị", set_on=date(2024, 1, 26))
