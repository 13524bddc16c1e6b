"""HTTP API of the units service (đơn vị, cán bộ): commands, queries and bulk import.

Commands are the domain's command models, used as request bodies as they are
(``POST /units`` takes an :class:`EstablishUnit`…). A refused command answers
4xx with ``{"code", "message", "details"}``: 404 for an unknown unit or person,
409 for a clash with what is recorded (enrolled twice, grade exists, lost
race), 422 for a rule or malformed input (``invalid_text``, ``invalid_name``,
``invalid_id``, ``invalid_code``, ``invalid_command``, ``grade_future_year``,
``move_creates_cycle``…). Nothing is written when a command is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kernel.eventstore import RecordedEvent
from kernel.ids import SubjectId
from kernel.limits import BUSY, Gate
from kernel.privacy import Disclosure, minimise
from kernel.scope import officer_unit
from kernel.service import Service

from .domain import (
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    EstablishUnit,
    ImposeDiscipline,
    MergeUnit,
    MoveUnit,
    RecognizeInitiative,
    RecordEvaluation,
    RecordPersonLeft,
    RenameUnit,
    TransferPerson,
)
from .handlers import UnitsHandlers
from .importer import COLUMNS, XLSX_MIME, ImportKind
from .projections import views

# --------------------------------------------------------------------------- answers


class RecordedEventView(BaseModel):
    """One event the command appended, as stored (and as it will be published)."""

    event_id: str
    type: str = Field(description="Event type, e.g. vn.tdkt.units.unit.renamed.")
    schema_version: int
    stream_version: int = Field(description="Position in the aggregate's stream; send it back as If-Match later.")
    topic: str = Field(description="Kafka topic (before the deployment's prefix): tdkt.units.events or .internal.")
    data: dict[str, Any]


class CommandResult(BaseModel):
    """What a command did: the aggregate it wrote to and the events appended."""

    stream_id: str = Field(description="Id of the unit, person or initiative (the event subject).")
    stream_version: int = Field(description="The aggregate's version after the command.")
    events: list[RecordedEventView]


class ErrorBody(BaseModel):
    """Every refusal has this shape."""

    code: str = Field(description="Stable machine-readable code, e.g. unit_not_found, invalid_text.")
    message: str = Field(description="What is wrong, for a person to read.")
    details: dict[str, Any] = Field(description="Facts behind the refusal (ids, dates, per-field errors).")


def _result(recorded: list[RecordedEvent]) -> CommandResult:
    return CommandResult(
        stream_id=recorded[-1].stream_id,
        stream_version=recorded[-1].stream_version,
        events=[
            RecordedEventView(
                event_id=str(e.event_id),
                type=e.event_type,
                schema_version=e.schema_version,
                stream_version=e.stream_version,
                topic=e.topic,
                data=e.payload,
            )
            for e in recorded
        ],
    )


_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown unit or person (unit_not_found, person_not_found…)."},
    409: {"model": ErrorBody, "description": "Clashes with what is recorded (person_exists, grade_exists…)."},
    422: {"model": ErrorBody, "description": "A rule refuses it, or the body is malformed (invalid_text…)."},
}


def _example(summary: str, value: dict[str, Any]) -> dict[str, Any]:
    return {summary: {"summary": summary, "value": value}}


# --------------------------------------------------------------------------- the router


def router(service: Service, handlers: UnitsHandlers | None = None) -> APIRouter:
    """The units API, closing over the service (its pool and store)."""
    h = handlers or UnitsHandlers(service)
    api = APIRouter()
    meta = Service.metadata

    async def scope_change(recorded: list[RecordedEvent]) -> CommandResult:
        # A change that takes a unit or a person out of an officer's scope answers once it is on Kafka, so that
        # awards and campaigns, which wait for their replica before a unit officer's command, see it
        # (kernel/freshness.py). Out of time, the change is still committed and will be published.
        await service.published(recorded)
        return _result(recorded)

    # ------------------------------------------------------------------ units

    @api.post(
        "/units", status_code=201, response_model=CommandResult, responses=_ERRORS, tags=["units (đơn vị)"],
        summary="Establish a unit (thành lập đơn vị)",
        description="Creates a unit under an active parent (or at the top level). The code (mã đơn vị) must not be "
        "used by another active unit; `effective_on` (ngày thành lập) may not be later than today.",
    )
    async def establish(
        request: Request,
        cmd: Annotated[EstablishUnit, Body(openapi_examples=_example("Vụ Tổ chức cán bộ", {
            "unit_id": "u-vtccb", "code": "VTCCB", "name": "Vụ Tổ chức cán bộ", "kind": "vu",
            "parent_id": "u-bct", "effective_on": "2018-01-01", "decision_number": "15/QĐ-BCT"}))],
    ) -> CommandResult:
        return _result(await h.establish_unit(cmd, meta(request)))

    @api.post(
        "/units/rename", response_model=CommandResult, responses=_ERRORS, tags=["units (đơn vị)"],
        summary="Rename a unit (đổi tên đơn vị)",
        description="The new name is in force from `effective_on`; reports for earlier years keep using the old "
        "name (the name of that year).",
    )
    async def rename(
        request: Request,
        cmd: Annotated[RenameUnit, Body(openapi_examples=_example("Đổi tên Vụ Thi đua", {
            "unit_id": "u-vtdkt", "name": "Vụ Thi đua, Khen thưởng và Truyền thông", "effective_on": "2023-03-01",
            "decision_number": "412/QĐ-BCT"}))],
    ) -> CommandResult:
        return _result(await h.rename_unit(cmd, meta(request)))

    @api.post(
        "/units/move", response_model=CommandResult, responses=_ERRORS, tags=["units (đơn vị)"],
        summary="Move a unit under another parent (điều chuyển đơn vị)",
        description="`parent_id: null` makes it top level. Refused with `move_creates_cycle` if the new parent is "
        "the unit itself or one of its sub-units (now or on any later recorded date): the tree stays a tree.",
    )
    async def move(
        request: Request,
        cmd: Annotated[MoveUnit, Body(openapi_examples=_example("Chuyển về Tổng cục", {
            "unit_id": "u-phong-1", "parent_id": "u-cuc", "effective_on": "2024-01-01"}))],
    ) -> CommandResult:
        return await scope_change(await h.move_unit(cmd, meta(request)))

    @api.post(
        "/units/merge", response_model=CommandResult, responses=_ERRORS, tags=["units (đơn vị)"],
        summary="Merge a unit into another (sáp nhập đơn vị)",
        description="The unit closes on `effective_on`; its people count under the absorbing unit from then on. "
        "Its sub-units must be moved first (`unit_has_children`).",
    )
    async def merge(
        request: Request,
        cmd: Annotated[MergeUnit, Body(openapi_examples=_example("Sáp nhập", {
            "unit_id": "u-vtdkt", "into_unit_id": "u-vtccb", "effective_on": "2023-09-01",
            "decision_number": "1890/QĐ-BCT"}))],
    ) -> CommandResult:
        return await scope_change(await h.merge_unit(cmd, meta(request)))

    @api.post(
        "/units/dissolve", response_model=CommandResult, responses=_ERRORS, tags=["units (đơn vị)"],
        summary="Dissolve a unit (giải thể đơn vị)",
        description="Only a unit with no sub-units and no people left (`unit_has_children`, `unit_has_members`).",
    )
    async def dissolve(
        request: Request,
        cmd: Annotated[DissolveUnit, Body(openapi_examples=_example("Giải thể", {
            "unit_id": "u-ttdv", "effective_on": "2024-07-01", "reason": "Sắp xếp tổ chức bộ máy"}))],
    ) -> CommandResult:
        return await scope_change(await h.dissolve_unit(cmd, meta(request)))

    # ------------------------------------------------------------------ people

    @api.post(
        "/people", status_code=201, response_model=CommandResult, responses=_ERRORS, tags=["people (cán bộ)"],
        summary="Enrol a person (tiếp nhận cán bộ, công chức, viên chức, người lao động)",
        description="Enters a person in the staff records of an active unit. An id is enrolled once "
        "(`person_exists`, 409). Names are NFC-normalised and trimmed; malformed text is refused "
        "(`invalid_name`, `invalid_text`).",
    )
    async def enrol(
        request: Request,
        cmd: Annotated[EnrolPerson, Body(openapi_examples=_example("Nguyễn Thị Hương", {
            "person_id": "p-000123", "full_name": "Nguyễn Thị Hương", "sex": "female", "date_of_birth": "1985-04-12",
            "sector_joined_on": "2008-09-01", "unit_id": "u-vtccb", "position": "Chuyên viên chính",
            "staff_category": "cong_chuc", "union_member": True}))],
    ) -> CommandResult:
        return _result(await h.enrol_person(cmd, meta(request)))

    @api.post(
        "/people/transfer", response_model=CommandResult, responses=_ERRORS, tags=["people (cán bộ)"],
        summary="Transfer a person to another unit (điều động, luân chuyển)",
    )
    async def transfer(
        request: Request,
        cmd: Annotated[TransferPerson, Body(openapi_examples=_example("Điều động", {
            "person_id": "p-000123", "to_unit_id": "u-cuc", "effective_on": "2024-03-01",
            "position": "Phó Trưởng phòng", "decision_number": "77/QĐ-BCT"}))],
    ) -> CommandResult:
        return await scope_change(await h.transfer_person(cmd, meta(request), officer_unit(request)))

    @api.post(
        "/people/leave", response_model=CommandResult, responses=_ERRORS, tags=["people (cán bộ)"],
        summary="Record that a person left or retired (nghỉ hưu, thôi việc, chuyển công tác)",
        description="`reason`: nghi_huu (retired), thoi_viec, chuyen_cong_tac, buoc_thoi_viec, tu_tran, khac.",
    )
    async def leave(
        request: Request,
        cmd: Annotated[RecordPersonLeft, Body(openapi_examples=_example("Nghỉ hưu", {
            "person_id": "p-000123", "reason": "nghi_huu", "effective_on": "2024-06-01"}))],
    ) -> CommandResult:
        return await scope_change(await h.record_leaving(cmd, meta(request)))

    # ------------------------------------------------------------------ evaluations

    @api.post(
        "/evaluations", status_code=201, response_model=CommandResult, responses=_ERRORS,
        tags=["evaluations (xếp loại)"],
        summary="Record an annual grade (xếp loại chất lượng hằng năm) of a person or a unit",
        description="Once per subject and year (`grade_exists`: use a correction). Not for a future year "
        "(`grade_future_year`). Grades: HTXS, HTT, HT, KHT.",
    )
    async def record_evaluation(
        request: Request,
        cmd: Annotated[RecordEvaluation, Body(openapi_examples=_example("HTXS 2024", {
            "subject": "person", "subject_id": "p-000123", "year": 2024, "grade": "HTXS",
            "decision_number": "25/QĐ-VTCCB", "legal_basis": "NĐ 90/2020/NĐ-CP"}))],
    ) -> CommandResult:
        return _result(await h.record_evaluation(cmd, meta(request)))

    @api.post(
        "/evaluations/corrections", status_code=201, response_model=CommandResult, responses=_ERRORS,
        tags=["evaluations (xếp loại)"],
        summary="Correct a recorded grade (điều chỉnh kết quả xếp loại), with its reason",
        description="A correction is its own event: the grade first recorded and every correction stay in history.",
    )
    async def correct_evaluation(
        request: Request,
        cmd: Annotated[CorrectEvaluation, Body(openapi_examples=_example("Điều chỉnh", {
            "subject": "person", "subject_id": "p-000123", "year": 2024, "grade": "HTT",
            "reason": "Rà soát lại theo kết luận thanh tra", "decision_number": "31/QĐ-VTCCB"}))],
    ) -> CommandResult:
        return _result(await h.correct_evaluation(cmd, meta(request)))

    # ------------------------------------------------------------------ discipline

    @api.post(
        "/disciplines", status_code=201, response_model=CommandResult, responses=_ERRORS,
        tags=["discipline (kỷ luật)"],
        summary="Record a discipline decision (quyết định kỷ luật)",
        description="Personal data: published on the internal topic only (tdkt.units.internal).",
    )
    async def impose_discipline(
        request: Request,
        cmd: Annotated[ImposeDiscipline, Body(openapi_examples=_example("Khiển trách", {
            "person_id": "p-000123", "discipline_id": "kl-2024-01", "form": "khien_trach",
            "reason": "Vi phạm quy chế làm việc", "decision_number": "12/QĐ-KL", "decided_on": "2024-02-01",
            "ends_on": "2025-01-31"}))],
    ) -> CommandResult:
        return _result(await h.impose_discipline(cmd, meta(request)))

    @api.post(
        "/disciplines/end", response_model=CommandResult, responses=_ERRORS, tags=["discipline (kỷ luật)"],
        summary="Record the end of a discipline (hết thời hạn, hủy bỏ quyết định kỷ luật)",
        description="`ending`: het_thoi_han (expired), huy_bo (annulled: treated as never in force), khac.",
    )
    async def end_discipline(
        request: Request,
        cmd: Annotated[EndDiscipline, Body(openapi_examples=_example("Hết thời hạn", {
            "person_id": "p-000123", "discipline_id": "kl-2024-01", "ended_on": "2025-01-31",
            "ending": "het_thoi_han"}))],
    ) -> CommandResult:
        return _result(await h.end_discipline(cmd, meta(request)))

    # ------------------------------------------------------------------ initiatives

    @api.post(
        "/initiatives", status_code=201, response_model=CommandResult, responses=_ERRORS,
        tags=["initiatives (sáng kiến)"],
        summary="Record a recognised initiative or research work (sáng kiến, đề tài khoa học)",
    )
    async def recognize_initiative(
        request: Request,
        cmd: Annotated[RecognizeInitiative, Body(openapi_examples=_example("Sáng kiến cấp bộ", {
            "initiative_id": "sk-2024-017", "kind": "sang_kien", "level": "bo", "year": 2024,
            "title": "Số hóa hồ sơ thi đua, khen thưởng", "decision_number": "88/QĐ-HĐKH",
            "decided_on": "2024-11-20", "author_ids": ["p-000123"], "unit_id": "u-vtccb"}))],
    ) -> CommandResult:
        return _result(await h.recognize_initiative(cmd, meta(request), officer_unit(request)))

    # ------------------------------------------------------------------ queries

    @api.get(
        "/units/tree", tags=["queries"], responses={422: _ERRORS[422]},
        summary="The organisation tree as of a date (cây tổ chức tại một ngày)",
        description="Units active on `as_of` (default: today), nested, each with the name in force that day; "
        "merged and dissolved units are gone from their closing date.",
    )
    async def tree(
        as_of: Annotated[date | None, Query(description="YYYY-MM-DD; default today.")] = None,
    ) -> dict[str, Any]:
        on = as_of or h.today()
        return await h.read(lambda conn: views.tree_as_of(conn, on))

    @api.get(
        "/units", tags=["queries"], summary="List units (danh sách đơn vị)",
        description="Every unit with its current name; `status`: active, merged or dissolved.",
    )
    async def list_units(
        status: Annotated[str | None, Query(pattern="^(active|merged|dissolved)$")] = None,
    ) -> list[dict[str, Any]]:
        return await h.read(lambda conn: views.list_units(conn, status))

    @api.get(
        "/units/{unit_id}", tags=["queries"], responses={404: _ERRORS[404]},
        summary="One unit with its history (names, parents, grades)",
    )
    async def get_unit(unit_id: Annotated[SubjectId, Path()]) -> dict[str, Any]:
        return await h.read(lambda conn: views.unit_view(conn, unit_id))

    @api.get(
        "/people", tags=["queries"], responses={422: _ERRORS[422]},
        summary="Search people by name (tìm cán bộ theo tên), diacritics ignored",
        description="Every word of `q` must begin a word of the name, accents and case ignored: `nguyen van a` "
        "finds Nguyễn Văn An and Nguyễn Văn Anh. People on the staff first, then by name; `total` counts all.",
    )
    async def search_people(
        q: Annotated[str, Query(min_length=1, max_length=100, description="Words of the name.")],
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        return await h.read(lambda conn: views.search_people(conn, q, limit))

    @api.get(
        "/people/{person_id}", tags=["queries"], responses={404: _ERRORS[404]},
        summary="A person's record (hồ sơ cán bộ), as much of it as the caller's role may see",
        description="Identity, units over time, grades by year with their corrections, disciplines (kỷ luật) and "
        "recognised initiatives — only the categories of personal data the caller's role sees (README, "
        "'Personal data'); `withheld` names the categories left out.",
    )
    async def get_person(request: Request, person_id: Annotated[SubjectId, Path()]) -> dict[str, Any]:
        record = await h.read(lambda conn: views.person_view(conn, person_id))
        seen = await Disclosure.of(request).for_unit(record["effective_unit_id"] or record["unit_id"])
        return minimise(record, seen)

    @api.get(
        "/headcounts", tags=["queries"], responses={404: _ERRORS[404], 422: _ERRORS[422]},
        summary="Headcount by unit and year (quân số), the denominators of campaign targets",
        description="A person counts once per year, in the unit they are in on 31 December (or on their last day "
        "if they left that year), resolved through merges. `subtree_headcount` adds the sub-units.",
    )
    async def get_headcounts(
        year: Annotated[int, Query(ge=1945, le=2100, description="The year (năm).")],
        unit_id: Annotated[SubjectId | None, Query(description="Only this unit (404 if unknown).")] = None,
        include_subunits: Annotated[bool, Query(description="With unit_id: also its sub-units.")] = False,
    ) -> dict[str, Any]:
        return await h.read(lambda conn: views.headcounts(conn, year, unit_id, include_subunits))

    @api.get(
        "/grades", tags=["queries"], responses={404: _ERRORS[404], 422: _ERRORS[422]},
        summary="Grades by unit and year (kết quả xếp loại theo đơn vị)",
        description="Per unit: its own grade, its name that year, and its people's grades in force (counts per "
        "grade, ungraded people).",
    )
    async def get_grades(
        year: Annotated[int, Query(ge=1945, le=2100)],
        unit_id: Annotated[SubjectId | None, Query()] = None,
        include_subunits: Annotated[bool, Query()] = False,
    ) -> dict[str, Any]:
        return await h.read(lambda conn: views.grades(conn, year, unit_id, include_subunits))

    # ------------------------------------------------------------------ import

    @api.post(
        "/imports/{kind}", tags=["import (nhập dữ liệu)"],
        responses={
            200: {"description": "The report: a dry run, or an apply that wrote every row."},
            413: {"model": ErrorBody, "description": "Over 10 MiB."},
            415: {"model": ErrorBody, "description": "Not CSV, XLSX or JSON (unsupported_format)."},
            422: {"model": ErrorBody, "description": "import_rejected (details.report lists every bad row: nothing "
                  "was written) or invalid_file."},
            **BUSY,
        },
        # Parsing and checking a 5,000-row file is seconds of CPU (in a worker thread): two files at a time.
        dependencies=[Depends(Gate("import", total=2, per_person=1).dependency())],
        summary="Bulk import of units, people or past grades from CSV or Excel (nhập từ bảng tính)",
        description=_import_description(),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX_MIME: {"schema": {"type": "string", "format": "binary"}},
                    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                },
            }
        },
    )
    async def import_file(
        request: Request,
        kind: Annotated[ImportKind, Path(description="units, people or grades.")],
        dry_run: Annotated[bool, Query(description="Only check and report; write nothing.")] = False,
        filename: Annotated[str | None, Query(max_length=255, description="File name, helps detect the format.")]
        = None,
    ) -> JSONResponse:
        data = await request.body()
        report = await h.import_file(
            kind, data, content_type=request.headers.get("content-type"), filename=filename, dry_run=dry_run,
            metadata=meta(request),
        )
        return JSONResponse(report)

    return api


def _import_description() -> str:
    lines = [
        "Send the file as the raw request body: `Content-Type: text/csv` (UTF-8, or Windows-1258; comma, "
        f"semicolon or tab), `{XLSX_MIME}` (first sheet with a header), or `application/json` (an array of objects "
        "keyed by column name). Row numbers in the report are the spreadsheet's (header = row 1 for a plain file; "
        "JSON: the object's position from 1).",
        "",
        "`dry_run=true` checks every row (shape, the same rules as the commands against the current records, and "
        "within the file: one row per id, no cycle of parents) and reports **all** bad rows as "
        "`{row, column, code, message}`. An apply writes every row in one transaction, or nothing (422 "
        "`import_rejected` with the report). Rows already recorded identically are counted as `unchanged`, so "
        "importing the same file again changes nothing; rows that contradict the records are errors.",
        "",
        "Columns (Vietnamese or English names, diacritics and case ignored; * = required):",
    ]
    for kind, columns in COLUMNS.items():
        lines.append(f"- **{kind.value}**: " + "; ".join(
            f"{c.aliases[0]}{' *' if c.required else ''} ({c.field})" for c in columns))
    return "\n".join(lines)
