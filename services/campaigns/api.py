"""HTTP API of the campaigns service (phong trào thi đua, chỉ tiêu, đăng ký, giao ước,
cụm/khối thi đua).

Request bodies are the domain's command models. Every command answers with a
:class:`~.handlers.CommandResult` (ids, stream version, event ids) and an ``ETag``
holding the stream version; commands on an existing aggregate accept ``If-Match``
with that version (a stale one gives 409 ``concurrency_conflict``). Creating
answers 201. Refusals are ``{"code", "message", "details"}`` with 404 (not found),
409 (conflict), 422 (a rule refused it, or the body is invalid: ``invalid_request``)
or 403.

**Business date.** Rules that compare with today (registration deadline, closing a
year, the date of a training report) use today's date in Việt Nam (UTC+7). Tests
and demos replaying a past year send ``X-Tdkt-Today: YYYY-MM-DD``; the service
honours it only when started with ``TDKT_ALLOW_TODAY_HEADER=true`` (the demo
stack) and only from an administrator's token, and refuses the request otherwise
(403 ``today_header_not_allowed``), so a production request is never dated by its
client and a unit officer cannot back-date a registration. The events of an
honoured request record the date (``GET /audit/{id}``: ``business_date``). Acts with a date of their own (a launch, a
signature, a review, a score) carry it in the body.
"""

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from kernel.errors import DomainError
from kernel.eventstore import Metadata
from kernel.http import today_dependency
from kernel.ids import SubjectId
from kernel.scope import officer_unit
from kernel.service import Service

from .domain import (
    AmendMovement,
    AssignClusterLead,
    ChangeClusterMembership,
    CloseMovement,
    CloseYear,
    FormCluster,
    LaunchMovement,
    ReportTrainingCompletion,
    ReviewMovement,
    ReviewPledge,
    ScoreCluster,
    SetTarget,
    SignPledge,
    SubmitRegistration,
    WithdrawRegistration,
)
from .domain import registration_id as registration_stream_id
from .domain.views import ClusterRanking, MovementDashboard, PledgeStatus, UnitOverview
from .handlers import CampaignsHandlers, CommandResult
from .projections import queries
from .projections.queries import MovementDetail, MovementSummary, TargetDetail

TAGS = {
    "movements": "Phong trào thi đua (movements)",
    "targets": "Chỉ tiêu thi đua (targets)",
    "years": "Năm thi đua (emulation years)",
    "registrations": "Đăng ký thi đua (registrations)",
    "pledges": "Giao ước thi đua (pledges)",
    "clusters": "Cụm, khối thi đua (clusters and blocs)",
    "units": "Đơn vị (units)",
}

OPENAPI_TAGS = [
    {"name": TAGS["movements"], "description": "Launch (phát động), amend, review (sơ kết, tổng kết) and close."},
    {"name": TAGS["targets"], "description": "Measurable targets (giao chỉ tiêu) and their progress, computed "
     "from the units context's grades and the units' training reports."},
    {"name": TAGS["years"], "description": "Closing an emulation year makes its targets final (đạt / không đạt)."},
    {"name": TAGS["registrations"], "description": "Units register their title aims each year (đăng ký thi đua)."},
    {"name": TAGS["pledges"], "description": "Signed pledges (ký kết giao ước) and their reviews."},
    {"name": TAGS["clusters"], "description": "Clusters and blocs (cụm, khối thi đua): members, lead, scores."},
    {"name": TAGS["units"], "description": "What concerns one unit (đơn vị)."},
]


class ErrorBody(BaseModel):
    """Every refusal."""

    code: str = Field(description="Stable machine-readable code, e.g. registration_deadline_passed.")
    message: str = Field(description="What went wrong, for a person (with the Vietnamese term).")
    details: dict[str, Any] = Field(description="Facts about the refusal (ids, dates, expected values).")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    meaning = {
        403: "Not allowed (e.g. X-Tdkt-Today sent to a service that does not honour it).",
        404: "Something the command names does not exist.",
        409: "Conflicts with the current state: already exists, or If-Match is stale (concurrency_conflict).",
        422: "Refused by a rule (see code), or the request is invalid (invalid_request).",
    }
    return {s: {"model": ErrorBody, "description": meaning[s]} for s in statuses}


COMMAND_ERRORS = _errors(403, 404, 409, 422)
QUERY_ERRORS = _errors(404, 422)


def _same(path_value: object, body_value: object, name: str) -> None:
    """The id in the path and the one in the body must agree."""
    if path_value != body_value:
        raise DomainError(
            "path_body_mismatch",
            f"The path names {name} {path_value!r} but the body names {body_value!r}.",
            field=name,
            path=str(path_value),
            body=str(body_value),
        )


def _answer(response: Response, result: CommandResult, *, created_status: bool = False) -> CommandResult:
    response.headers["ETag"] = f'"{result.stream_version}"'
    if created_status:
        response.status_code = 201 if result.created else 200
    return result


def metadata_dependency(today: Callable[..., Awaitable[date]]) -> Callable[..., Awaitable[Metadata]]:
    """Who acts, from the request, with the business date it set if honoured (``today`` is resolved first,
    once per request); one correlation id for everything the command writes (the client's X-Correlation-Id,
    marked client-supplied, or a new one)."""

    async def metadata(request: Request, _today: Annotated[date, Depends(today)]) -> Metadata:
        found = Service.metadata(request)
        if found.correlation_id is None:
            found = dataclasses.replace(found, correlation_id=str(uuid.uuid4()))
        return found

    return metadata


async def if_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The stream version the client last saw (the ETag); the command is refused with 409 "
            "if the aggregate changed since.",
        ),
    ] = None,
) -> int | None:
    """The expected stream version from ``If-Match``, if sent."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise DomainError("invalid_if_match", f"If-Match must be a stream version such as \"3\", not {value!r}.")
    return int(text)


def router(service: Service, handlers: CampaignsHandlers, *, allow_today_header: bool = False) -> APIRouter:
    """The campaigns API, closing over the service and its handlers."""
    r = APIRouter()
    today = today_dependency(allow_today_header)
    Meta = Annotated[Metadata, Depends(metadata_dependency(today))]
    Expected = Annotated[int | None, Depends(if_match)]
    Today = Annotated[date, Depends(today)]

    def pool() -> asyncpg.Pool:
        assert service.pool is not None, "the service is not started"
        return service.pool

    # -- movements ---------------------------------------------------------------

    @r.post(
        "/movements", status_code=201, response_model=CommandResult, tags=[TAGS["movements"]],
        summary="Phát động phong trào thi đua (launch a movement)",
        description="Records a movement launched by the Government (chinh_phu), the Prime Minister (thu_tuong), "
        "the Ministry (bo), its trade union (cong_doan_bo) …, with its scope (phạm vi: all units or a list), "
        "period, criteria (nội dung, tiêu chí) and registration deadline. `movement_exists` (409) if the id is "
        "taken; `invalid_period` (422).",
        responses=COMMAND_ERRORS,
    )
    async def launch_movement(cmd: LaunchMovement, response: Response, md: Meta) -> CommandResult:
        return _answer(response, await handlers.launch_movement(cmd, md))

    @r.patch(
        "/movements/{movement_id}", response_model=CommandResult, tags=[TAGS["movements"]],
        summary="Sửa đổi, bổ sung phong trào (amend a movement)",
        description="Changes the fields given (null = unchanged), with a date and a reason. Refused on a closed "
        "movement (`movement_closed`) and when nothing changes (`nothing_to_amend`). The body's movement_id "
        "must equal the path's.",
        responses=COMMAND_ERRORS,
    )
    async def amend_movement(
        movement_id: str, cmd: AmendMovement, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(movement_id, cmd.movement_id, "movement_id")
        return _answer(response, await handlers.amend_movement(cmd, md, expected))

    @r.post(
        "/movements/{movement_id}/reviews", response_model=CommandResult, tags=[TAGS["movements"]],
        summary="Sơ kết / tổng kết phong trào (review a movement)",
        description="An interim (sơ kết) or the final (tổng kết) review; after the final one only closing "
        "remains (`final_review_done`).",
        responses=COMMAND_ERRORS,
    )
    async def review_movement(
        movement_id: str, cmd: ReviewMovement, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(movement_id, cmd.movement_id, "movement_id")
        return _answer(response, await handlers.review_movement(cmd, md, expected))

    @r.post(
        "/movements/{movement_id}/close", response_model=CommandResult, tags=[TAGS["movements"]],
        summary="Kết thúc phong trào (close a movement)",
        description="Closes the movement; each of its open targets becomes final with today's numbers: "
        "`target.met` or `target.missed` on the target's own stream, in the same transaction. A closed "
        "movement accepts nothing more (`movement_closed`).",
        responses=COMMAND_ERRORS,
    )
    async def close_movement(
        movement_id: str, cmd: CloseMovement, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(movement_id, cmd.movement_id, "movement_id")
        return _answer(response, await handlers.close_movement(cmd, md, expected))

    @r.get(
        "/movements", response_model=list[MovementSummary], tags=[TAGS["movements"]],
        summary="Danh sách phong trào thi đua (list movements)",
        description="Newest launch first. Filters: status (open, closed), launched_by (chinh_phu, bo, "
        "cong_doan_bo …), year (the period covers it).",
    )
    async def list_movements(
        status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
        launched_by: str | None = None,
        year: Annotated[int | None, Query(ge=1945, le=2200)] = None,
    ) -> list[MovementSummary]:
        async with pool().acquire() as conn:
            return await queries.list_movements(conn, status=status, launched_by=launched_by, year=year)

    @r.get(
        "/movements/{movement_id}", response_model=MovementDetail, tags=[TAGS["movements"]],
        summary="Một phong trào thi đua (one movement)", responses=QUERY_ERRORS,
        description="The movement as it stands; the ETag header is its stream version (for If-Match).",
    )
    async def get_movement(movement_id: str, response: Response) -> MovementDetail:
        async with pool().acquire() as conn:
            detail = await queries.movement_detail(conn, movement_id)
        response.headers["ETag"] = f'"{detail.stream_version}"'
        return detail

    @r.get(
        "/movements/{movement_id}/dashboard", response_model=MovementDashboard, tags=[TAGS["movements"]],
        summary="Bảng theo dõi phong trào (a movement's dashboard)",
        description="The movement, its targets with their last published numbers (tử số, mẫu số, tỷ lệ, "
        "đạt/không đạt), registrations by unit with title counts, units of a listed scope not registered, and "
        "its pledges with the latest assessment of each clause. `year` restricts targets and registrations.",
        responses=QUERY_ERRORS,
    )
    async def dashboard(
        movement_id: str, year: Annotated[int | None, Query(ge=1945, le=2200)] = None
    ) -> MovementDashboard:
        async with pool().acquire() as conn:
            return await queries.dashboard(conn, movement_id, year)

    # -- targets and years ------------------------------------------------------------

    @r.post(
        "/targets", status_code=201, response_model=CommandResult, tags=[TAGS["targets"]],
        summary="Giao chỉ tiêu thi đua (set a target)",
        description="A share to reach for one year: units graded HTT+ (units_graded_good_or_better), staff "
        "graded HTT+ (staff_graded_good_or_better) or staff who completed a training (staff_training_completed "
        "with training_code). On a movement (its scope by default, within it) or on the year (all units). When "
        "the replica already has something to count, the first `target.progressed` is appended with it. "
        "Refusals: `unknown_metric`, `training_code_required`, `unit_not_in_scope`, `year_closed`, "
        "`movement_closed`, `year_outside_movement_period`, `target_exists`.",
        responses=COMMAND_ERRORS,
    )
    async def set_target(cmd: SetTarget, response: Response, md: Meta) -> CommandResult:
        return _answer(response, await handlers.set_target(cmd, md))

    @r.get(
        "/targets/{target_id}", response_model=TargetDetail, tags=[TAGS["targets"]],
        summary="Một chỉ tiêu và tiến độ (one target and its progress)",
        description="The last published numbers (numerator = tử số, denominator = mẫu số, share_percent rounded "
        "down, on_track), and once final the outcome (met / missed). Progress follows the units context's "
        "events eventually (a consumer applies them).",
        responses=QUERY_ERRORS,
    )
    async def get_target(target_id: str, response: Response) -> TargetDetail:
        async with pool().acquire() as conn:
            detail = await queries.target(conn, target_id)
        response.headers["ETag"] = f'"{detail.stream_version}"'
        return detail

    @r.get(
        "/targets", response_model=list[TargetDetail], tags=[TAGS["targets"]],
        summary="Danh sách chỉ tiêu (list targets)", description="Targets of a year and/or of a movement.",
    )
    async def list_targets(
        year: Annotated[int | None, Query(ge=1945, le=2200)] = None, movement_id: str | None = None
    ) -> list[TargetDetail]:
        async with pool().acquire() as conn:
            return await queries.list_targets(conn, year=year, movement_id=movement_id)

    @r.post(
        "/training-reports", status_code=201, response_model=CommandResult, tags=[TAGS["targets"]],
        summary="Báo cáo kết quả học tập, bồi dưỡng (report training completion)",
        description="A unit reports how many of its staff completed a training in a year (dated today). A later "
        "report for the same unit, year and training replaces the earlier one (200; 201 for the first); the "
        "same numbers again change nothing. The targets counting that training move in the same transaction. "
        "Stream: `<unit_id>/<year>/<training_code>`. Refusals: `completed_exceeds_headcount`, `year_closed`.",
        responses={**COMMAND_ERRORS, 200: {"model": CommandResult, "description": "A report replaced."}},
    )
    async def report_training(
        cmd: ReportTrainingCompletion, response: Response, md: Meta, today: Today
    ) -> CommandResult:
        return _answer(response, await handlers.report_training(cmd, md, today), created_status=True)

    @r.post(
        "/years/{year}/close", response_model=CommandResult, tags=[TAGS["years"]],
        summary="Kết thúc năm thi đua (close an emulation year)",
        description="From 1 January of the next year (`year_not_over`), once (`year_already_closed`): appends "
        "`year.closed` to the year's stream (id = the year, e.g. \"2024\"), then `target.met` or "
        "`target.missed` to each open target of that year with the numbers now (numerator, denominator, "
        "threshold), in one transaction. The body is optional; if given, its year must be the path's.",
        responses=COMMAND_ERRORS,
    )
    async def close_year(
        year: Annotated[int, Path(ge=1945, le=2200)],
        response: Response,
        md: Meta,
        today: Today,
        cmd: Annotated[CloseYear | None, Body()] = None,
    ) -> CommandResult:
        if cmd is not None:
            _same(year, cmd.year, "year")
        return _answer(response, await handlers.close_year(year, md, today))

    # -- registrations -----------------------------------------------------------

    @r.post(
        "/registrations", status_code=201, response_model=CommandResult, tags=[TAGS["registrations"]],
        summary="Đăng ký thi đua (register title aims)",
        description="A unit of the movement's scope registers, for a year of the movement, the collective titles "
        "it aims for (TTLDXS, CO_TD_BO …) and its people's (LDTT, CSTDCS …), on or before the deadline (hạn "
        "đăng ký: the movement's single deadline, or its yearly day, 31 March by default). Stream: "
        "`<movement_id>/<unit_id>/<year>`. Refusals: `registration_deadline_passed`, `unit_not_in_scope`, "
        "`movement_closed`, `registration_exists`, `unknown_title`, `empty_registration` …",
        responses=COMMAND_ERRORS,
    )
    async def submit_registration(
        request: Request, cmd: SubmitRegistration, response: Response, md: Meta, today: Today
    ) -> CommandResult:
        return _answer(response, await handlers.submit_registration(cmd, md, today, officer_unit(request)))

    @r.post(
        "/registrations/{registration_id:path}/withdraw", response_model=CommandResult,
        tags=[TAGS["registrations"]],
        summary="Rút đăng ký thi đua (withdraw a registration)",
        description="The id is `<movement_id>/<unit_id>/<year>` (slashes as they are, or %2F) and must match "
        "the body. Allowed while the movement is open, even after the deadline.",
        responses=COMMAND_ERRORS,
    )
    async def withdraw_registration(
        registration_id: str,
        cmd: WithdrawRegistration,
        response: Response,
        md: Meta,
        today: Today,
        expected: Expected,
    ) -> CommandResult:
        _same(registration_id, registration_stream_id(cmd.movement_id, cmd.unit_id, cmd.year), "registration_id")
        return _answer(response, await handlers.withdraw_registration(cmd, md, today, expected))

    # -- pledges -----------------------------------------------------------------

    @r.post(
        "/pledges", status_code=201, response_model=CommandResult, tags=[TAGS["pledges"]],
        summary="Ký kết giao ước thi đua (record a signed pledge)",
        description="Between at least two parties (`pledge_without_parties`), with numbered clauses (nội dung "
        "giao ước; `pledge_without_clauses`), each party signed for by someone (`party_without_signatory`). "
        "Optionally part of a movement (open) or of a cluster (parties naming a unit are members that year).",
        responses=COMMAND_ERRORS,
    )
    async def sign_pledge(cmd: SignPledge, response: Response, md: Meta) -> CommandResult:
        return _answer(response, await handlers.sign_pledge(cmd, md))

    @r.post(
        "/pledges/{pledge_id}/reviews", response_model=CommandResult, tags=[TAGS["pledges"]],
        summary="Đánh giá thực hiện giao ước (review a pledge)",
        description="Assesses every clause exactly once (đạt, đạt một phần, không đạt); interim reviews, then one "
        "final review.",
        responses=COMMAND_ERRORS,
    )
    async def review_pledge(
        pledge_id: str, cmd: ReviewPledge, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(pledge_id, cmd.pledge_id, "pledge_id")
        return _answer(response, await handlers.review_pledge(cmd, md, expected))

    @r.get(
        "/pledges/{pledge_id}", response_model=PledgeStatus, tags=[TAGS["pledges"]],
        summary="Một giao ước thi đua (one pledge)",
        description="Its parties, its clauses and the latest assessment of each.", responses=QUERY_ERRORS,
    )
    async def get_pledge(pledge_id: str) -> PledgeStatus:
        async with pool().acquire() as conn:
            return await queries.pledge(conn, pledge_id)

    # -- clusters ----------------------------------------------------------------

    @r.post(
        "/clusters", status_code=201, response_model=CommandResult, tags=[TAGS["clusters"]],
        summary="Thành lập cụm, khối thi đua (form a cluster or bloc)",
        description="At least two members (`cluster_needs_members`), from a first year.",
        responses=COMMAND_ERRORS,
    )
    async def form_cluster(cmd: FormCluster, response: Response, md: Meta) -> CommandResult:
        return _answer(response, await handlers.form_cluster(cmd, md))

    @r.post(
        "/clusters/{cluster_id}/membership", response_model=CommandResult, tags=[TAGS["clusters"]],
        summary="Điều chỉnh thành viên (change membership from a year)",
        description="Adds and removes members from a year on, in year order; a scored year is frozen.",
        responses=COMMAND_ERRORS,
    )
    async def change_membership(
        cluster_id: str, cmd: ChangeClusterMembership, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(cluster_id, cmd.cluster_id, "cluster_id")
        return _answer(response, await handlers.change_cluster_membership(cmd, md, expected))

    @r.post(
        "/clusters/{cluster_id}/lead", response_model=CommandResult, tags=[TAGS["clusters"]],
        summary="Phân công cụm trưởng, khối trưởng (assign the lead of a year)",
        description="A member of that year; with rotation (luân phiên) no unit leads two years running.",
        responses=COMMAND_ERRORS,
    )
    async def assign_lead(
        cluster_id: str, cmd: AssignClusterLead, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(cluster_id, cmd.cluster_id, "cluster_id")
        return _answer(response, await handlers.assign_cluster_lead(cmd, md, expected))

    @r.post(
        "/clusters/{cluster_id}/scores", response_model=CommandResult, tags=[TAGS["clusters"]],
        summary="Chấm điểm, xếp hạng thi đua (score a year)",
        description="Every member of the year scored once; the ranking (ties: ≥70% women first, NĐ 152/2025 "
        "Art. 4.6) is recorded with the scores.",
        responses=COMMAND_ERRORS,
    )
    async def score_cluster(
        cluster_id: str, cmd: ScoreCluster, response: Response, md: Meta, expected: Expected
    ) -> CommandResult:
        _same(cluster_id, cmd.cluster_id, "cluster_id")
        return _answer(response, await handlers.score_cluster(cmd, md, expected))

    @r.get(
        "/clusters/{cluster_id}/ranking", response_model=ClusterRanking, tags=[TAGS["clusters"]],
        summary="Xếp hạng cụm, khối thi đua (a year's ranking)",
        description="Members, lead and ranking of a year; `leaders` are the members ranked first (the "
        "candidates for the Cờ thi đua before the bloc's vote).",
        responses=QUERY_ERRORS,
    )
    async def ranking(
        cluster_id: str, year: Annotated[int, Query(ge=1945, le=2200)]
    ) -> ClusterRanking:
        async with pool().acquire() as conn:
            return await queries.ranking(conn, cluster_id, year)

    # -- units ---------------------------------------------------------------------

    @r.get(
        "/units/{unit_id}/overview", response_model=UnitOverview, tags=[TAGS["units"]],
        summary="Tổng hợp của một đơn vị (a unit's registrations and pledges)",
        description="The unit's active registrations in every movement, and the pledges it is party to (named as "
        "a party, or a member of the pledge's cluster that year).",
    )
    async def unit_overview(unit_id: Annotated[SubjectId, Path()]) -> UnitOverview:
        async with pool().acquire() as conn:
            return await queries.overview_of_unit(conn, unit_id)

    return r
