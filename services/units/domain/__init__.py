"""Pure domain of the units context: the organisation tree, people, grades,
discipline and initiatives. No I/O.

- :mod:`.commands` — command models (HTTP bodies) and input hygiene;
- :mod:`.unit`, :mod:`.person`, :mod:`.initiative` — aggregate states and their folds;
- :mod:`.tree` — :class:`OrgTree`, the whole tree as a value (as of any date);
- :mod:`.decisions` — ``decide_*`` functions: state + command (+ explicit context) → events;
- :mod:`.queries` — headcount and grades by unit and year, a person's full record;
- :mod:`.codes` — the stable error codes.
"""

from .codes import Code
from .commands import (
    Command,
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    ImposeDiscipline,
    MergeUnit,
    MoveUnit,
    RecognizeInitiative,
    RecordEvaluation,
    RecordPersonLeft,
    RenameUnit,
    TransferPerson,
    validation_error,
)
from .decisions import (
    decide_correct_evaluation,
    decide_dissolve,
    decide_end_discipline,
    decide_enrol,
    decide_establish,
    decide_impose_discipline,
    decide_leave,
    decide_merge,
    decide_move,
    decide_recognize_initiative,
    decide_record_evaluation,
    decide_rename,
    decide_transfer,
)
from .initiative import InitiativeState, fold_initiative
from .person import PersonState, fold_person
from .queries import (
    PersonRecord,
    UnitYearGrades,
    grades_by_unit,
    headcount_by_unit,
    members_by_unit,
    person_record,
    person_record_from_events,
)
from .tree import OrgTree, TreeSnapshot
from .unit import UnitState, UnitStatus, fold_unit

__all__ = [
    "Code",
    "Command",
    "CorrectEvaluation",
    "DissolveUnit",
    "EndDiscipline",
    "EnrolPerson",
    "EstablishUnit",
    "EvaluationSubject",
    "ImposeDiscipline",
    "InitiativeState",
    "MergeUnit",
    "MoveUnit",
    "OrgTree",
    "PersonRecord",
    "PersonState",
    "RecognizeInitiative",
    "RecordEvaluation",
    "RecordPersonLeft",
    "RenameUnit",
    "TransferPerson",
    "TreeSnapshot",
    "UnitState",
    "UnitStatus",
    "UnitYearGrades",
    "decide_correct_evaluation",
    "decide_dissolve",
    "decide_end_discipline",
    "decide_enrol",
    "decide_establish",
    "decide_impose_discipline",
    "decide_leave",
    "decide_merge",
    "decide_move",
    "decide_recognize_initiative",
    "decide_record_evaluation",
    "decide_rename",
    "decide_transfer",
    "fold_initiative",
    "fold_person",
    "fold_unit",
    "grades_by_unit",
    "headcount_by_unit",
    "members_by_unit",
    "person_record",
    "person_record_from_events",
    "validation_error",
]
