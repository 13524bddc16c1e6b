"""HTTP API of a nomination's dossier (hồ sơ): its files, their versions, their download.

A unit officer attaches files to their own unit's nominations (and the units
under it), the emulation office to any; a download is authorised the same
way (a unit officer reads only their units' files; the access table names the
other roles). The route reads the upload once, in chunks, for its SHA-256 and
its size, and finds its type in its content (:func:`~..workflow.dossier.sniff_media_type`);
the handler stores the bytes and records the event in one transaction.
Refusals: 404 ``nomination_not_found``, ``unknown_candidate``,
``document_not_found``; 403 ``outside_unit_scope``; 413 ``file_too_large``,
``dossier_too_large``; 422 ``unsupported_file_type``, ``empty_file``,
``unknown_document_kind``, ``document_kind_changed``; 500
``document_corrupted`` (a stored file no longer matches its hash: never served).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile as StarletteUpload
from tdkt_contracts.catalogue.awards import DocumentKind, DossierAssigned

from kernel.errors import DomainError
from kernel.service import Service

from ..handlers import AwardsHandlers
from ..projections import dossier as dossier_rows
from ..workflow import Code, Command
from ..workflow.nomination import NominationState
from ..workflow.dossier import DOCUMENT_KINDS, EXTENSIONS, KIND_VI, AttachFile, DossierState, StoredVersion, sniff_media_type
from .completeness import CompletenessView, completeness_view
from .nominations import RecordedView, recorded_view
from .scoping import officer_unit

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\s/]+$")]
READ_BYTES = 1024 * 1024


class VersionView(BaseModel):
    """One version of a document (the bytes: its ``download`` link)."""

    version: int
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str = Field(description="SHA-256 of the content (hex), checked on every download.")
    attached_on: date
    attached_by: str | None
    download: str = Field(description="Path of this version's content.")


class DocumentView(BaseModel):
    """A document of the dossier: its latest version first in ``versions``."""

    document_id: str
    kind: DocumentKind
    kind_vi: str
    candidate_id: str | None = Field(description="The candidate it is for; null: the whole dossier.")
    title: str
    versions: list[VersionView] = Field(description="Every version, newest first; the old ones stay downloadable.")


class AssignmentView(BaseModel):
    """A hand-over of the dossier to a specialist of the office (chuyên viên)."""

    nomination_id: str
    assignee_id: str = Field(description="Token subject of the specialist.")
    assignee_name: str | None
    note: str | None
    assigned_on: date
    assigned_by: str | None


class AssignBody(Command):
    """Who takes the dossier."""

    assignee_id: str = Field(min_length=1, max_length=255, description="Token subject of the specialist.")
    assignee_name: str | None = Field(default=None, max_length=255, description="Name, with diacritics.")
    note: str | None = Field(default=None, max_length=2000, description="What to look at (ghi chú).")


class AssignedView(BaseModel):
    """What an assignment recorded."""

    assignments: list[AssignmentView] = Field(description="Every hand-over of this dossier, the latest last.")
    recorded: list[RecordedView]


class DossierView(BaseModel):
    """A nomination's dossier: its documents, how much it holds, who appraises it."""

    nomination_id: str
    dossier_id: str
    documents: list[DocumentView]
    assignee_id: str | None = Field(description="The specialist now in charge (null: not assigned yet).")
    assignments: list[AssignmentView] = Field(description="Every hand-over, the latest last.")
    total_bytes: int = Field(description="Every version counted (all are stored).")
    max_file_bytes: int
    max_dossier_bytes: int
    completeness: CompletenessView


class OverrideBody(Command):
    """Why the office lets an incomplete dossier go on."""

    reason: str = Field(min_length=1, max_length=2000, description="Lý do, in Vietnamese.")


class OverriddenView(BaseModel):
    """What an override recorded, and the dossier's completeness after it."""

    completeness: CompletenessView
    recorded: list[RecordedView]


class AttachedView(BaseModel):
    """What an upload recorded."""

    document: DocumentView
    recorded: list[RecordedView]


def _download(nomination_id: str, v: StoredVersion) -> str:
    return f"/nominations/{nomination_id}/dossier/documents/{v.document_id}/versions/{v.version}/content"


def dossier_view(
    nomination_id: str, state: DossierState, handlers: AwardsHandlers, nomination: NominationState
) -> DossierView:
    """The dossier's answer: documents in the order first attached, versions newest first."""
    documents = []
    for latest in state.current():
        versions = [v for v in state.versions if v.document_id == latest.document_id]
        documents.append(DocumentView(
            document_id=latest.document_id, kind=latest.kind, kind_vi=KIND_VI[latest.kind],  # type: ignore[arg-type]
            candidate_id=latest.candidate_id, title=latest.title,
            versions=[VersionView(
                version=v.version, file_name=v.file_name, media_type=v.media_type, size_bytes=v.size_bytes,
                sha256=v.sha256, attached_on=v.attached_on, attached_by=v.attached_by,
                download=_download(nomination_id, v),
            ) for v in reversed(versions)],
        ))
    return DossierView(
        nomination_id=nomination_id, dossier_id=state.dossier_id, documents=documents, total_bytes=state.total_bytes,
        assignee_id=state.assignee_id, assignments=[assignment_view(a) for a in state.assignments],
        max_file_bytes=handlers.dossier_limits.max_file_bytes,
        max_dossier_bytes=handlers.dossier_limits.max_dossier_bytes,
        completeness=completeness_view(handlers.completeness(nomination, state), state,
                                       enforced=handlers.files_enforced(nomination)),
    )


def assignment_view(found: DossierAssigned | Mapping[str, Any]) -> AssignmentView:
    """An assignment, from its event or its row."""
    data = found.model_dump() if isinstance(found, DossierAssigned) else dict(found)
    return AssignmentView(**{k: data[k] for k in AssignmentView.model_fields})


class AttachForm(Command):
    """The upload's form fields and file name, checked like every command's text (no control characters)."""

    kind: str = Field(max_length=64)
    title: str = Field(min_length=1, max_length=500)
    candidate_id: str | None = Field(default=None, max_length=64)
    document_id: str | None = Field(default=None, max_length=64, pattern=r"^[^\s/]+$")
    file_name: str = Field(min_length=1, max_length=255)


def _form(**fields: Any) -> AttachForm:
    """The form, or 422 ``invalid_request`` naming each bad field."""
    try:
        return AttachForm.model_validate(fields)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


def _read(upload: StarletteUpload) -> tuple[bytes, int, str]:
    """The upload's first bytes, size and SHA-256, read in chunks from its spooled file."""
    upload.file.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := upload.file.read(READ_BYTES):
        if not head:
            head = chunk[:16]
        digest.update(chunk)
        size += len(chunk)
    upload.file.seek(0)
    return head, size, digest.hexdigest()


def _file_name(upload: StarletteUpload, media_type: str) -> str:
    """The client's file name, trimmed to its last path part; a name when it gave none."""
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    return name or f"tai-lieu.{EXTENSIONS[media_type]}"


_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "`outside_unit_scope`: a unit officer acts on (and reads) only their units' nominations."},
    404: {"description": "`nomination_not_found`, `unknown_candidate`, `document_not_found`."},
    409: {"description": "`concurrency_conflict`."},
    413: {"description": "`file_too_large` (per file), `dossier_too_large` (every version of the dossier counted)."},
    422: {"description": "`unsupported_file_type` (PDF, DOCX, PNG, JPEG only, found in the content), `empty_file`, "
          "`unknown_document_kind`, `document_kind_changed`; `invalid_request`."},
}


def router(handlers: AwardsHandlers) -> APIRouter:
    """The dossier routes, closing over the handlers."""
    api = APIRouter()

    @api.post(
        "/nominations/{nomination_id}/dossier/documents",
        status_code=201,
        tags=["dossiers"],
        summary="Đính kèm hồ sơ — attach a file to a nomination's dossier (or a new version of one)",
        description=(
            "A multipart upload: `file` (PDF, DOCX, PNG or JPEG — the type is found in the content, never taken "
            "from the name or the client's content type), `kind` (to_trinh, bao_cao_thanh_tich, bien_ban_hoi_dong, "
            "chung_nhan_sang_kien, xac_nhan_dot_xuat, other), `title`, `candidate_id` where the law asks a "
            "document per candidate, and `document_id` to replace an earlier file: the new file is the next "
            "version and the old one is kept. The bytes stay in the awards service; the event "
            "(vn.tdkt.awards.dossier.document-attached, internal) carries the metadata and the SHA-256."
        ),
        response_model=AttachedView,
        responses=_ERRORS,
        form_limits={"max_files": 1, "max_fields": 8},
    )
    async def attach(
        request: Request,
        nomination_id: Id,
        file: Annotated[UploadFile, File(description="The document: PDF, DOCX, PNG or JPEG.")],
        kind: Annotated[str, Form(max_length=64, description="The document's kind: " + ", ".join(DOCUMENT_KINDS)
                                  + " (another: 422 unknown_document_kind).")],
        title: Annotated[str, Form(min_length=1, max_length=500, description="Title (trích yếu).")],
        candidate_id: Annotated[str | None, Form(max_length=64, description="The candidate it is for.")] = None,
        document_id: Annotated[str | None, Form(
            max_length=64, pattern=r"^[^\s/]+$",
            description="An earlier document this file replaces (the new file is its next version).")] = None,
    ) -> AttachedView:
        head, size, sha256 = _read(file)
        if size == 0:
            raise DomainError(Code.EMPTY_FILE, "The file is empty", file_name=file.filename)
        media_type = sniff_media_type(head, file.file)
        if media_type is None:
            raise DomainError(
                Code.UNSUPPORTED_FILE_TYPE,
                "Only PDF, DOCX, PNG and JPEG files are accepted; this file's content is none of them "
                "(whatever its name says)",
                file_name=file.filename, allowed=sorted(EXTENSIONS),
            )
        form = _form(kind=kind, title=title, candidate_id=candidate_id or None, document_id=document_id or None,
                     file_name=_file_name(file, media_type))
        cmd = AttachFile(
            nomination_id=nomination_id, document_id=form.document_id or f"doc-{uuid.uuid4().hex[:12]}",
            kind=form.kind, candidate_id=form.candidate_id, title=form.title, file_name=form.file_name,
            media_type=media_type, size_bytes=size, sha256=sha256, attached_by=request.state.principal.subject,
        )
        recorded, stored = await handlers.attach_file(
            cmd, file.file, Service.metadata(request), officer_unit=officer_unit(request)
        )
        nomination, state = await handlers.dossier(nomination_id, officer_unit=None)
        view = dossier_view(nomination_id, state, handlers, nomination.state)
        return AttachedView(
            document=next(d for d in view.documents if d.document_id == stored.document_id),
            recorded=recorded_view(recorded),
        )

    @api.post(
        "/nominations/{nomination_id}/dossier/assignments",
        status_code=201,
        tags=["dossiers"],
        summary="Phân công — the office hands a nomination's dossier to one of its specialists (chuyên viên)",
        response_model=AssignedView,
        responses={404: {"description": "`nomination_not_found`."},
                   409: {"description": "`already_assigned` (to this specialist), `concurrency_conflict`."},
                   422: {"description": "`invalid_request`."}},
    )
    async def assign(request: Request, nomination_id: Id, body: AssignBody) -> AssignedView:
        recorded = await handlers.assign_dossier(
            nomination_id, body.assignee_id, body.assignee_name, body.note, Service.metadata(request)
        )
        _, state = await handlers.dossier(nomination_id, officer_unit=None)
        return AssignedView(assignments=[assignment_view(a) for a in state.assignments],
                            recorded=recorded_view(recorded))

    @api.get(
        "/my/dossiers",
        tags=["dossiers"],
        summary="Hồ sơ được phân công — the dossiers the caller (a specialist of the office) is in charge of",
        response_model=list[AssignmentView],
    )
    async def my_dossiers(
        request: Request, limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 100,
    ) -> list[AssignmentView]:
        subject = request.state.principal.subject
        rows = await handlers.read(lambda conn: dossier_rows.assigned_to(conn, subject, limit))
        return [assignment_view(r) for r in rows]

    @api.get(
        "/nominations/{nomination_id}/dossier",
        tags=["dossiers"],
        summary="Hồ sơ — a nomination's documents and their versions",
        response_model=DossierView,
        responses={k: _ERRORS[k] for k in (403, 404)},
    )
    async def get_dossier(request: Request, nomination_id: Id) -> DossierView:
        file, state = await handlers.dossier(nomination_id, officer_unit=officer_unit(request))
        return dossier_view(nomination_id, state, handlers, file.state)

    @api.post(
        "/nominations/{nomination_id}/dossier/override",
        status_code=201,
        tags=["dossiers"],
        summary="Cho phép tiếp tục — the office lets an incomplete dossier go to the notice and the council",
        description="Records the confirmed gaps of today with the reason "
        "(vn.tdkt.awards.dossier.completeness-overridden); a gap found later needs its file or a new override.",
        response_model=OverriddenView,
        responses={404: _ERRORS[404], 409: _ERRORS[409],
                   422: {"description": "`override_not_needed`: nothing confirmed is missing; `invalid_request`."}},
    )
    async def override(request: Request, nomination_id: Id, body: OverrideBody) -> OverriddenView:
        recorded = await handlers.override_completeness(nomination_id, body.reason, Service.metadata(request))
        file, state = await handlers.dossier(nomination_id, officer_unit=None)
        return OverriddenView(
            completeness=dossier_view(nomination_id, state, handlers, file.state).completeness,
            recorded=recorded_view(recorded),
        )

    @api.get(
        "/nominations/{nomination_id}/dossier/documents/{document_id}/versions/{version}/content",
        tags=["dossiers"],
        summary="Tải tệp — one version of a document, its hash checked before it is served",
        response_class=StreamingResponse,
        responses={
            200: {"description": "The file's bytes; `ETag` and `X-Content-SHA256` are its SHA-256.",
                  "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in EXTENSIONS}},
            **{k: _ERRORS[k] for k in (403, 404)},
            500: {"description": "`document_corrupted`: the stored bytes no longer match the recorded SHA-256."},
        },
    )
    async def download(
        request: Request, nomination_id: Id, document_id: Id,
        version: Annotated[int, Path(ge=1, le=100_000)],
    ) -> StreamingResponse:
        stored = await handlers.verified_version(
            nomination_id, document_id, version, officer_unit=officer_unit(request)
        )
        return StreamingResponse(
            handlers.file_chunks(nomination_id, stored),
            media_type=stored.media_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.file_name)}",
                "Content-Length": str(stored.size_bytes),
                "ETag": f'"{stored.sha256}"',
                "X-Content-SHA256": stored.sha256,
                "X-Content-Type-Options": "nosniff",
            },
        )

    return api


__all__ = ["DossierView", "router"]
