"""Pledges (giao ước thi đua): the 2024 pledge of the Ministry and its union, reviews."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from campaigns_testkit import fold, pledge_2024_cmd, refused
from tdkt_contracts.catalogue.campaigns import (
    PLEDGE_2024_CLAUSES,
    ClauseResult,
    PledgeReviewed,
    PledgeSigned,
    ReviewKind,
)

from kernel.errors import Conflict, NotFound
from services.campaigns.domain import (
    ChangeClusterMembership,
    ClusterState,
    FormCluster,
    PledgeState,
    ReviewPledge,
    decide_change_cluster_membership,
    decide_form_cluster,
    decide_review_pledge,
    decide_sign_pledge,
)

LEADERSHIP, UNION = "Lãnh đạo Bộ Công Thương", "Công đoàn Bộ Công Thương"


def signed() -> PledgeState:
    return fold(PledgeState(), decide_sign_pledge(PledgeState(), pledge_2024_cmd()))


def review(kind="final", on=date(2024, 12, 20), results=None):
    results = results or {n: "achieved" for n in range(1, 6)}
    return ReviewPledge(
        pledge_id="gu-2024-bct-cdb",
        kind=kind,
        reviewed_on=on,
        assessments=[{"clause_number": n, "result": r, "comment": None} for n, r in results.items()],
        summary="Hoàn thành tốt các nội dung giao ước thi đua năm 2024",
    )


class TestSign:
    def test_the_2024_pledge_with_its_five_contents(self):
        [event] = decide_sign_pledge(PledgeState(), pledge_2024_cmd())
        assert isinstance(event, PledgeSigned) and event.subject() == "gu-2024-bct-cdb"
        assert [p.name for p in event.parties] == [LEADERSHIP, UNION]
        assert [c.number for c in event.clauses] == [1, 2, 3, 4, 5]
        assert event.clauses[0].text.startswith("Vận động cán bộ, công chức, viên chức và người lao động")
        assert "“Lao động giỏi, lao động sáng tạo”" in event.clauses[1].text
        assert event.clauses[4].text.startswith("Các tổ chức công đoàn")
        assert {s.party for s in event.signatories} == {LEADERSHIP, UNION}
        state = PledgeState().apply(event)
        assert state.exists and len(state.clauses) == 5 and state.latest_review is None

    def test_decomposed_names_are_normalised_and_still_match(self):
        nfd = unicodedata.normalize("NFD", UNION)
        cmd = pledge_2024_cmd(
            parties=[{"name": LEADERSHIP}, {"name": " " + nfd}],
            signatories=[
                {"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng", "party": LEADERSHIP},
                {"full_name": unicodedata.normalize("NFD", "Nguyễn Minh Huệ"), "position": "Chủ tịch", "party": nfd},
            ],
        )
        [event] = decide_sign_pledge(PledgeState(), cmd)
        assert event.parties[1].name == UNION and event.signatories[1].full_name == "Nguyễn Minh Huệ"

    def test_clauses_are_stored_in_number_order(self):
        [event] = decide_sign_pledge(PledgeState(), pledge_2024_cmd(clauses=list(reversed(PLEDGE_2024_CLAUSES))))
        assert [c.number for c in event.clauses] == [1, 2, 3, 4, 5]

    @pytest.mark.parametrize("parties", [[], [{"name": LEADERSHIP}]])
    def test_without_parties(self, parties):
        refused(
            "pledge_without_parties",
            decide_sign_pledge,
            PledgeState(),
            pledge_2024_cmd(parties=parties, signatories=[]),
        )

    def test_without_clauses(self):
        refused("pledge_without_clauses", decide_sign_pledge, PledgeState(), pledge_2024_cmd(clauses=[]))

    def test_party_twice(self):
        refused(
            "duplicate_party",
            decide_sign_pledge,
            PledgeState(),
            pledge_2024_cmd(parties=[{"name": UNION}, {"name": UNION}]),
        )

    def test_clause_number_twice(self):
        clauses = [{"number": 1, "text": "a"}, {"number": 1, "text": "b"}]
        refused("duplicate_clause_number", decide_sign_pledge, PledgeState(), pledge_2024_cmd(clauses=clauses))

    def test_signatory_for_someone_else(self):
        cmd = pledge_2024_cmd(
            signatories=[
                {"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng", "party": LEADERSHIP},
                {"full_name": "Nguyễn Minh Huệ", "position": "Chủ tịch", "party": "Công đoàn Công Thương Việt Nam"},
            ]
        )
        refused("signatory_party_unknown", decide_sign_pledge, PledgeState(), cmd)

    def test_a_party_that_did_not_sign(self):
        cmd = pledge_2024_cmd(
            signatories=[{"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng", "party": LEADERSHIP}]
        )
        error = refused("party_without_signatory", decide_sign_pledge, PledgeState(), cmd)
        assert error.details["parties"] == [UNION]

    def test_twice(self):
        error = refused("pledge_exists", decide_sign_pledge, signed(), pledge_2024_cmd())
        assert isinstance(error, Conflict)

    def test_unknown_movement(self):
        refused("movement_not_found", decide_sign_pledge, PledgeState(), pledge_2024_cmd(movement_id="nope"))

    def test_cluster_pledge_between_members(self):
        cluster = fold(
            ClusterState(),
            decide_form_cluster(
                ClusterState(),
                FormCluster(
                    cluster_id="cum-1",
                    name="Cụm thi đua các Viện",
                    kind="cum",
                    members=["vien-a", "vien-b", "vien-c"],
                    from_year=2024,
                    formed_on=date(2024, 1, 5),
                ),
            ),
        )
        parties = [{"name": "Viện A", "unit_id": "vien-a"}, {"name": "Viện B", "unit_id": "vien-b"}]
        signatories = [
            {"full_name": "Trần Văn An", "position": "Viện trưởng", "party": "Viện A"},
            {"full_name": "Lê Thị Bình", "position": "Viện trưởng", "party": "Viện B"},
        ]
        cmd = pledge_2024_cmd(pledge_id="gu-cum-1", cluster_id="cum-1", parties=parties, signatories=signatories)
        assert decide_sign_pledge(PledgeState(), cmd, cluster=cluster)
        later = fold(
            cluster,
            decide_change_cluster_membership(
                cluster,
                ChangeClusterMembership(
                    cluster_id="cum-1", year=2025, remove=["vien-b"], add=["vien-d"], changed_on=date(2025, 1, 2)
                ),
            ),
        )
        error = refused(
            "party_not_in_cluster",
            decide_sign_pledge,
            PledgeState(),
            pledge_2024_cmd(
                pledge_id="gu-cum-1", year=2025, cluster_id="cum-1", parties=parties, signatories=signatories
            ),
            cluster=later,
        )
        assert error.details["unit_ids"] == ["vien-b"]


class TestReview:
    def test_final_review_of_every_clause(self):
        state = signed()
        [event] = decide_review_pledge(
            state,
            review(results={1: "achieved", 2: "achieved", 3: "achieved", 4: "partly_achieved", 5: "not_achieved"}),
        )
        assert isinstance(event, PledgeReviewed) and event.review_no == 1 and event.kind is ReviewKind.FINAL
        assert [a.result for a in event.assessments][-2:] == [ClauseResult.PARTLY_ACHIEVED, ClauseResult.NOT_ACHIEVED]
        state = state.apply(event)
        assert state.final_reviewed and state.latest_review.assessments[3].result is ClauseResult.PARTLY_ACHIEVED

    def test_interim_reviews_then_final(self):
        state = signed()
        state = fold(state, decide_review_pledge(state, review("interim", date(2024, 7, 1))))
        state = fold(state, decide_review_pledge(state, review("interim", date(2024, 10, 1))))
        [event] = decide_review_pledge(state, review("final"))
        assert event.review_no == 3

    @pytest.mark.parametrize("kind", ["interim", "final"])
    def test_nothing_after_the_final_review(self, kind):
        state = fold(signed(), decide_review_pledge(signed(), review("final")))
        error = refused("pledge_already_reviewed", decide_review_pledge, state, review(kind, date(2024, 12, 30)))
        assert isinstance(error, Conflict)

    def test_unknown_clause(self):
        error = refused(
            "clause_not_found",
            decide_review_pledge,
            signed(),
            review(results={**{n: "achieved" for n in range(1, 6)}, 6: "achieved"}),
        )
        assert error.details["clause_number"] == 6

    def test_clause_assessed_twice(self):
        cmd = review()
        cmd = cmd.model_copy(update={"assessments": [*cmd.assessments, cmd.assessments[0]]})
        refused("duplicate_clause_assessment", decide_review_pledge, signed(), cmd)

    def test_every_clause_is_assessed(self):
        error = refused("clause_not_assessed", decide_review_pledge, signed(), review(results={1: "achieved"}))
        assert error.details["clause_numbers"] == [2, 3, 4, 5]

    def test_not_before_signing(self):
        refused("review_before_signing", decide_review_pledge, signed(), review(on=date(2024, 1, 1)))

    def test_unknown_pledge(self):
        error = refused("pledge_not_found", decide_review_pledge, PledgeState(), review())
        assert isinstance(error, NotFound)
