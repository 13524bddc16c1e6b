"""Helpers shared by the contracts tests (a uniquely named module, so that it
cannot clash with the helpers of the project's other test folders).

The throwaway event types below ("scratch" context) exercise the tooling
whatever the real catalogue holds. They are NOT registered here: the
``scratch_events`` fixture registers them for one test and removes them, as
registered at import time they would reach the generated files and make the
``--check`` test fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import ConfigDict, Field
from tdkt_contracts import EventPayload

CONTRACTS = Path(__file__).resolve().parents[1]
"""The contracts/ folder of this checkout."""

SCRATCH_TYPE = "vn.tdkt.scratch.member.registered"


class MemberRegisteredV1(EventPayload):
    """A member was registered (đăng ký thành viên). Throwaway test type, version 1."""

    event_type: ClassVar[str] = SCRATCH_TYPE
    event_version: ClassVar[int] = 1
    context: ClassVar[str] = "scratch"
    subject_field: ClassVar[str] = "member_id"
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"member_id": "m-001", "full_name": "Nguyễn Thị Minh Khai", "unit": "Vụ Thi đua – Khen thưởng"}
            ]
        }
    )

    member_id: str = Field(min_length=1, description="Id of the member.")
    full_name: str = Field(min_length=1, description="Full name (họ và tên), family name first.")
    unit: str = Field(description="Name of the member's unit (đơn vị).")


class MemberRegisteredV2(EventPayload):
    """A member was registered (đăng ký thành viên). Throwaway test type, version 2:
    the name is split into its parts and the unit is referenced by id."""

    event_type: ClassVar[str] = SCRATCH_TYPE
    event_version: ClassVar[int] = 2
    context: ClassVar[str] = "scratch"
    subject_field: ClassVar[str] = "member_id"
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "m-001",
                    "family_name": "Nguyễn",
                    "middle_name": "Thị Minh",
                    "given_name": "Khai",
                    "unit_name": "Vụ Thi đua – Khen thưởng",
                }
            ]
        }
    )

    member_id: str = Field(min_length=1, description="Id of the member.")
    family_name: str = Field(min_length=1, description="Family name (họ).")
    middle_name: str = Field(default="", description="Middle name (tên đệm); may be empty.")
    given_name: str = Field(min_length=1, description="Given name (tên).")
    unit_name: str = Field(description="Name of the member's unit (đơn vị).")


def member_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Vietnamese names are family name, middle name(s), given name, in that order."""
    parts = data.pop("full_name").split()
    data["family_name"] = parts[0]
    data["given_name"] = parts[-1]
    data["middle_name"] = " ".join(parts[1:-1])
    data["unit_name"] = data.pop("unit")
    return data


