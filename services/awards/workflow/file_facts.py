"""Facts the office enters from nomination files: service years and attested findings (commands, pure).

No other context publishes these; the awards service is their system of
record (``person_supplements`` and ``attestations``, not published: personal
data no other system reacts to). Awards decided outside the workflow are
:mod:`.prior`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError
from kernel.ids import SubjectId

from ..domain import Catalogue
from ..domain.criteria import Attested
from ..domain.facts import AbsenceRecord
from .commands import Command, Year

UNKNOWN_ATTESTATION_KEY = "unknown_attestation_key"
"""An attested finding no criterion of the catalogue reads (HTTP 422)."""

Years = Annotated[float | None, Field(ge=0, le=60)]


class RecordSupplements(Command):
    """Service facts a nomination file certifies for a person; a null leaves the fact unknown."""

    education_joined_on: date | None = Field(default=None, description="Ngày vào ngành giáo dục.")
    teaching_years: Years = Field(default=None, description="Số năm trực tiếp giảng dạy.")
    hazardous_service_years: Years = Field(
        default=None, description="Số năm làm nghề, công việc nặng nhọc, độc hại, nguy hiểm."
    )
    disadvantaged_area_years: Years = Field(
        default=None, description="Số năm công tác ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn."
    )
    recruited_on: date | None = Field(
        default=None, description="Ngày tuyển dụng into the current employer (the LĐTT admissibility); null: the "
        "sector start stands for it."
    )
    absences: list[AbsenceRecord] | None = Field(
        default=None, max_length=100, description="Periods away from work, each with its kind (maternity, training, "
        "medical_treatment, other), start and end (inclusive); maternity leave counts as working time (NĐ 152/2025 "
        "Art. 4.5). Null: none recorded."
    )
    deceased_on: date | None = Field(default=None, description="Ngày mất, for a posthumous award (truy tặng).")
    recorded_on: date = Field(description="The date of the certifying file (no later than today).")
    reference: str | None = Field(default=None, max_length=500, description="The file, e.g. 'Hồ sơ đề nghị …'.")


class RecordAttestation(Command):
    """A finding the file attests for a recipient and a year, e.g. ``outstanding_in_movement``."""

    recipient_kind: RecipientKind
    subject_id: SubjectId
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    year: Year
    reference: str | None = Field(default=None, max_length=500, description="e.g. 'Tờ trình 12/TTr-VTCCB'.")


def attestation_keys(catalogue: Catalogue) -> frozenset[str]:
    """Every finding some criterion of the catalogue reads."""
    return frozenset(
        key
        for entry in catalogue.entries.values()
        for version in entry.rules
        for spec in version.all_criteria()
        if isinstance(spec.params, Attested)
        for key in spec.params.keys
    )


def check_attestation_key(key: str, keys: frozenset[str]) -> None:
    """DomainError('unknown_attestation_key') unless some criterion reads ``key``."""
    if key not in keys:
        raise DomainError(
            UNKNOWN_ATTESTATION_KEY,
            f"No criterion reads the finding {key!r}; known: {', '.join(sorted(keys))}",
            key=key,
            known=sorted(keys),
        )


__all__ = [
    "UNKNOWN_ATTESTATION_KEY",
    "RecordAttestation",
    "RecordSupplements",
    "attestation_keys",
    "check_attestation_key",
]
