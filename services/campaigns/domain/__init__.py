"""The campaigns context's domain (phong trào thi đua, chỉ tiêu, đăng ký, giao ước,
cụm/khối thi đua): pure Python, no I/O.

Each aggregate is a frozen state with ``replay(events)`` / ``apply(event)`` (never
fails) and ``decide_*`` functions returning the events to append, or raising
:class:`kernel.errors.DomainError` (``NotFound``, ``Conflict``) with a stable code.
Target progress is a pure function over a :class:`ReplicaState` of the units
context's facts. Modules:

* :mod:`.commands` — the command models (HTTP bodies);
* :mod:`.movement` — launch, amend, review, close;
* :mod:`.targets` — targets, progress, year close, training reports;
* :mod:`.replica` — the units replica and its ``apply_*`` functions;
* :mod:`.registrations` — đăng ký thi đua;
* :mod:`.pledges` — giao ước thi đua;
* :mod:`.clusters` — cụm, khối thi đua and their ranking;
* :mod:`.views` — the dashboard, a unit's overview, a cluster's ranking.
"""

from .clusters import (
    ClusterState,
    decide_assign_cluster_lead,
    decide_change_cluster_membership,
    decide_form_cluster,
    decide_score_cluster,
    next_lead_in_rotation,
    rank_members,
)
from .commands import *  # noqa: F403
from .commands import __all__ as _commands
from .movement import (
    MovementState,
    decide_amend_movement,
    decide_close_movement,
    decide_launch_movement,
    decide_review_movement,
)
from .pledges import PledgeState, decide_review_pledge, decide_sign_pledge
from .registrations import (
    REGISTRABLE_TITLES,
    RegistrationState,
    decide_submit_registration,
    decide_withdraw_registration,
    registration_id,
)
from .replica import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    ReplicaNeeds,
    ReplicaState,
    TrainingReportFact,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    UnitsFact,
    TREE_ONLY,
    apply_units_fact,
    replay_facts,
)
from .targets import (
    Progress,
    TargetState,
    TrainingReportState,
    YearState,
    compute_progress,
    decide_close_year,
    decide_finalise_target,
    decide_progress_events,
    decide_report_training,
    decide_set_target,
    replica_needs,
    targets_touched_by,
    training_fact,
    training_report_id,
)
from .views import cluster_ranking, movement_dashboard, unit_overview

__all__ = [
    *_commands,
    "ClusterState",
    "MovementState",
    "PersonEnrolledFact",
    "PersonEvaluationCorrectedFact",
    "PersonEvaluationRecordedFact",
    "PersonLeftFact",
    "PersonTransferredFact",
    "PledgeState",
    "Progress",
    "REGISTRABLE_TITLES",
    "RegistrationState",
    "ReplicaNeeds",
    "ReplicaState",
    "TREE_ONLY",
    "TargetState",
    "TrainingReportFact",
    "TrainingReportState",
    "UnitDissolvedFact",
    "UnitEstablishedFact",
    "UnitEvaluationCorrectedFact",
    "UnitEvaluationRecordedFact",
    "UnitMergedFact",
    "UnitMovedFact",
    "UnitsFact",
    "YearState",
    "apply_units_fact",
    "cluster_ranking",
    "compute_progress",
    "decide_amend_movement",
    "decide_assign_cluster_lead",
    "decide_change_cluster_membership",
    "decide_close_movement",
    "decide_close_year",
    "decide_finalise_target",
    "decide_form_cluster",
    "decide_launch_movement",
    "decide_progress_events",
    "decide_report_training",
    "decide_review_movement",
    "decide_review_pledge",
    "decide_score_cluster",
    "decide_set_target",
    "decide_sign_pledge",
    "decide_submit_registration",
    "decide_withdraw_registration",
    "movement_dashboard",
    "next_lead_in_rotation",
    "rank_members",
    "registration_id",
    "replay_facts",
    "replica_needs",
    "targets_touched_by",
    "training_fact",
    "training_report_id",
    "unit_overview",
]
