"""Annual grades (xếp loại chất lượng hằng năm) as they accumulate on a subject.

One :class:`EvaluationRecord` per subject and year; a correction never
overwrites, it appends to ``corrections`` and the record's ``grade`` is the
latest one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tdkt_contracts.vocabulary import Grade


class Correction(BaseModel):
    """One correction of a year's grade."""

    model_config = ConfigDict(frozen=True)

    grade: Grade
    previous_grade: Grade
    reason: str
    decision_number: str | None = None


class EvaluationRecord(BaseModel):
    """The grade of one subject for one year, with its correction history."""

    model_config = ConfigDict(frozen=True)

    year: int
    recorded_grade: Grade
    """The grade first recorded."""
    unit_id: str | None = None
    """For a person: the unit they belonged to for that year. None for a unit's own grade."""
    decision_number: str | None = None
    legal_basis: str | None = None
    corrections: tuple[Correction, ...] = ()

    @property
    def grade(self) -> Grade:
        """The grade in force: the last correction, else the recorded grade."""
        return self.corrections[-1].grade if self.corrections else self.recorded_grade

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)


def find(records: tuple[EvaluationRecord, ...], year: int) -> EvaluationRecord | None:
    return next((r for r in records if r.year == year), None)


def add(records: tuple[EvaluationRecord, ...], record: EvaluationRecord) -> tuple[EvaluationRecord, ...]:
    """Records with ``record`` added (replacing one of the same year: apply never fails), sorted by year."""
    return tuple(sorted([r for r in records if r.year != record.year] + [record], key=lambda r: r.year))


def correct(records: tuple[EvaluationRecord, ...], year: int, correction: Correction) -> tuple[EvaluationRecord, ...]:
    """Records with ``correction`` appended to that year's record (ignored if there is none)."""
    record = find(records, year)
    if record is None:
        return records
    return add(records, record.model_copy(update={"corrections": record.corrections + (correction,)}))
