"""The office's own reference data for forms 0604 and 0605: its emulation and commendation units and civil
servants, as the office records them (PUT /forms/{0604|0605}/{year}/reference). Pydantic at the boundary.

Personal data by need (Decree 13/2023): 0605 counts by sex, age band, education and seniority, so that is
all a record holds — no name, no identifier, only the birth year.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .statistical_forms import OFFICE_UNIT_ROWS, CivilServant

OFFICE_DDL = """
CREATE TABLE IF NOT EXISTS office_reference (
    year        integer NOT NULL,
    form        text    NOT NULL CHECK (form IN ('0604', '0605')),
    body        jsonb   NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, form)
)
"""
"""The reporting service's one table of its own (not a read model: no event builds it, a rebuild keeps it)."""

Education = Literal["so_cap", "trung_cap", "cao_dang", "dai_hoc", "tren_dai_hoc"]


class OfficeUnits(BaseModel):
    """0604: how many emulation and commendation units of each level the office has (rows 02–05)."""

    model_config = ConfigDict(extra="forbid")
    units: dict[Literal["02", "03", "04", "05"], int] = Field(
        description="Row code → number of units: 02 Vụ, 03 phòng thuộc Vụ, 04 ban thuộc Sở Nội vụ, "
        "05 phòng thuộc Sở Nội vụ; a row not given is 0."
    )

    @model_validator(mode="after")
    def _not_negative(self) -> OfficeUnits:
        if any(n < 0 for n in self.units.values()):
            raise ValueError("a number of units cannot be negative")
        return self

    def counts(self) -> dict[str, int]:
        """Row code → number, every row present."""
        return {code: self.units.get(code, 0) for code in OFFICE_UNIT_ROWS}  # type: ignore[call-overload]


class OfficeCivilServant(BaseModel):
    """One civil servant working on emulation and commendation, as 0605 counts them."""

    model_config = ConfigDict(extra="forbid")
    sex: Literal["female", "male"]
    birth_year: int = Field(ge=1900, le=2100)
    education: Education | None = Field(None, description="Trình độ đào tạo; null: none or not known.")
    in_field_since: int = Field(ge=1945, le=2100, description="Year they began emulation and commendation work.")


class OfficeStaff(BaseModel):
    """0605: the office's civil servants in emulation and commendation on 31 December."""

    model_config = ConfigDict(extra="forbid")
    civil_servants: list[OfficeCivilServant] = Field(max_length=10_000)

    def check_year(self, year: int) -> list[str]:
        """What cannot be true on 31 December of ``year`` (born or started after it, started before 15)."""
        problems = []
        for i, p in enumerate(self.civil_servants):
            if p.birth_year > year or p.in_field_since > year:
                problems.append(f"civil_servants[{i}]: born or started after {year}")
            elif p.in_field_since < p.birth_year + 15:
                problems.append(f"civil_servants[{i}]: started in the field before the age of 15")
        return problems

    def people(self) -> list[CivilServant]:
        """The records as the form's pure filling takes them."""
        return [CivilServant(p.sex == "female", p.birth_year, p.education, p.in_field_since)
                for p in self.civil_servants]


