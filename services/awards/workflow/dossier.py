"""A nomination's dossier (hồ sơ): its files, their versions, and what its content is — pure.

The dossier is its own stream (``dossier_id_for(nomination_id)``), beside the
nomination's: attaching a file never races a vote or a grant on the
nomination's version, and its events are internal (file names and titles name
people). A file's kind is found in its content, never in its name or the
client's content type (:func:`sniff_media_type`): PDF (``%PDF-``), PNG, JPEG,
and DOCX — a zip holding ``word/document.xml`` (an .xlsx or a renamed .jar is
a zip too, and is refused). A replaced document is a new version of the same
``document_id``; old versions are kept, and a version never changes (its
SHA-256 is recorded in the event and checked on every download).
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, get_args

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    DocumentKind,
    DossierAssigned,
    DossierCompletenessOverridden,
    DossierDocumentAttached,
)

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .codes import Code

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", PNG: "png", JPEG: "jpg"}
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
KIND_VI = {
    "to_trinh": "Tờ trình",
    "bao_cao_thanh_tich": "Báo cáo thành tích",
    "bien_ban_hoi_dong": "Biên bản họp Hội đồng Thi đua – Khen thưởng",
    "chung_nhan_sang_kien": "Giấy chứng nhận sáng kiến / đề tài",
    "xac_nhan_dot_xuat": "Xác nhận thành tích đột xuất",
    "other": "Tài liệu khác",
}

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tdkt:awards:dossier")


def dossier_id_for(nomination_id: str) -> str:
    """The id of a nomination's dossier stream."""
    return "d-" + str(uuid.uuid5(_NAMESPACE, nomination_id))


def sniff_media_type(head: bytes, file: IO[bytes]) -> str | None:
    """The media type the content shows (``head``: its first bytes; ``file``: the whole, seekable), or None.

    An executable (``MZ``, ``\\x7fELF``), a script or an archive other than a
    Word document is None whatever its name says.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
            return None
        finally:
            file.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One version of a document, as its event recorded it."""

    document_id: str
    version: int
    kind: str
    candidate_id: str | None
    title: str
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    attached_on: date
    attached_by: str | None


@dataclass(frozen=True, slots=True)
class Override:
    """The office's recorded reason for letting an incomplete dossier go on."""

    missing: tuple[str, ...]
    reason: str
    overridden_on: date
    overridden_by: str | None


@dataclass(frozen=True, slots=True)
class DossierState:
    """A dossier folded from its stream: every version of every document, and the overrides."""

    dossier_id: str
    nomination_id: str = ""
    versions: tuple[StoredVersion, ...] = ()
    overrides: tuple[Override, ...] = ()
    assignments: tuple[DossierAssigned, ...] = ()
    """Every hand-over, the latest last: the specialist now in charge is the last one's."""

    @property
    def assignee_id(self) -> str | None:
        """The specialist now in charge."""
        return self.assignments[-1].assignee_id if self.assignments else None

    @classmethod
    def replay(cls, events: list[EventPayload], dossier_id: str) -> DossierState:
        """The dossier after its events."""
        return fold(cls(dossier_id), events)

    def apply(self, event: EventPayload) -> DossierState:
        """The dossier after one event."""
        if isinstance(event, DossierDocumentAttached):
            version = StoredVersion(
                event.document_id, event.version, event.kind, event.candidate_id, event.title, event.file_name,
                event.media_type, event.size_bytes, event.sha256, event.attached_on, event.attached_by,
            )
            return replace(self, nomination_id=event.nomination_id, versions=(*self.versions, version))
        if isinstance(event, DossierCompletenessOverridden):
            found = Override(tuple(event.missing), event.reason, event.overridden_on, event.overridden_by)
            return replace(self, nomination_id=event.nomination_id, overrides=(*self.overrides, found))
        if isinstance(event, DossierAssigned):
            return replace(self, nomination_id=event.nomination_id, assignments=(*self.assignments, event))
        return self

    @property
    def total_bytes(self) -> int:
        """Every version kept counts: the old ones are stored too."""
        return sum(v.size_bytes for v in self.versions)

    def current(self) -> list[StoredVersion]:
        """The latest version of each document, in the order documents were first attached."""
        latest: dict[str, StoredVersion] = {}
        for v in self.versions:
            latest[v.document_id] = v
        return list(latest.values())

    def version(self, document_id: str, version: int | None = None) -> StoredVersion | None:
        """One version of a document (the latest when ``version`` is None)."""
        found = [v for v in self.versions if v.document_id == document_id]
        if version is None:
            return found[-1] if found else None
        return next((v for v in found if v.version == version), None)


@dataclass(frozen=True, slots=True)
class AttachFile:
    """A file to attach, as the route found it (the bytes stay outside the domain)."""

    nomination_id: str
    document_id: str
    kind: str
    candidate_id: str | None
    title: str
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    attached_by: str | None


@dataclass(frozen=True, slots=True)
class DossierLimits:
    """How much one file and one dossier (every version of every file) may hold."""

    max_file_bytes: int
    max_dossier_bytes: int


def decide_attach(
    state: DossierState, cmd: AttachFile, *, candidate_ids: set[str], limits: DossierLimits, today: date
) -> list[EventPayload]:
    """The file as the next version of its document, or a refusal (nothing is stored then)."""
    if cmd.kind not in DOCUMENT_KINDS:
        raise DomainError(Code.UNKNOWN_DOCUMENT_KIND, f"Unknown document kind {cmd.kind!r}",
                          kind=cmd.kind, allowed=list(DOCUMENT_KINDS))
    if cmd.candidate_id is not None and cmd.candidate_id not in candidate_ids:
        raise NotFound(Code.UNKNOWN_CANDIDATE, f"Candidate {cmd.candidate_id!r} is not in nomination "
                          f"{cmd.nomination_id!r}", nomination_id=cmd.nomination_id, candidate_id=cmd.candidate_id)
    if cmd.size_bytes > limits.max_file_bytes:
        raise FileTooLarge(cmd.size_bytes, limits.max_file_bytes)
    if state.total_bytes + cmd.size_bytes > limits.max_dossier_bytes:
        raise DossierFull(state.total_bytes, cmd.size_bytes, limits.max_dossier_bytes)
    previous = state.version(cmd.document_id)
    if previous is not None and (previous.kind, previous.candidate_id) != (cmd.kind, cmd.candidate_id):
        raise DomainError(
            Code.DOCUMENT_KIND_CHANGED,
            f"Document {cmd.document_id!r} is a {previous.kind} for {previous.candidate_id or 'the dossier'}: "
            "a new version keeps its kind and candidate (attach another document instead)",
            document_id=cmd.document_id, kind=previous.kind, candidate_id=previous.candidate_id,
        )
    return [DossierDocumentAttached(
        dossier_id=state.dossier_id, nomination_id=cmd.nomination_id, document_id=cmd.document_id,
        version=(previous.version + 1) if previous else 1, kind=cmd.kind, candidate_id=cmd.candidate_id,  # type: ignore[arg-type]
        title=cmd.title, file_name=cmd.file_name, media_type=cmd.media_type,  # type: ignore[arg-type]
        size_bytes=cmd.size_bytes, sha256=cmd.sha256, attached_on=today, attached_by=cmd.attached_by,
    )]


class FileTooLarge(DomainError):
    """One file over the per-file limit (HTTP 413 ``file_too_large``)."""

    status = 413

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(Code.FILE_TOO_LARGE, f"The file is over the limit of {limit} bytes per file (tệp quá lớn)",
                         size_bytes=size, max_file_bytes=limit)


class DossierFull(DomainError):
    """The dossier would hold more than its limit, every version counted (HTTP 413 ``dossier_too_large``)."""

    status = 413

    def __init__(self, held: int, size: int, limit: int) -> None:
        super().__init__(Code.DOSSIER_TOO_LARGE, f"The dossier would hold {held + size} bytes, over its limit of "
                         f"{limit} (hồ sơ quá dung lượng)", held_bytes=held, size_bytes=size, max_dossier_bytes=limit)


def decide_override(
    state: DossierState, nomination_id: str, missing: list[str], reason: str, *, by: str | None, today: date
) -> list[EventPayload]:
    """The office's override of the gaps ``missing`` (the confirmed ones not yet overridden), with its reason."""
    if not missing:
        raise DomainError(Code.OVERRIDE_NOT_NEEDED, "The dossier lacks no confirmed document that is not already "
                          "overridden: there is nothing to override", nomination_id=nomination_id)
    return [DossierCompletenessOverridden(
        dossier_id=state.dossier_id, nomination_id=nomination_id, missing=missing, reason=reason,
        overridden_on=today, overridden_by=by,
    )]


class DocumentCorrupted(DomainError):
    """The stored bytes no longer hash to what the event recorded (HTTP 500 ``document_corrupted``): never served."""

    status = 500

    def __init__(self, document_id: str, version: int) -> None:
        super().__init__(Code.DOCUMENT_CORRUPTED, "The stored file no longer matches the SHA-256 recorded when it "
                         "was attached: it is not served", document_id=document_id, version=version)


def decide_assign(
    state: DossierState, nomination_id: str, assignee_id: str, assignee_name: str | None, note: str | None,
    *, by: str | None, today: date,
) -> list[EventPayload]:
    """Hand the dossier to a specialist (again, to another one); 409 ``already_assigned`` to the one in charge."""
    if state.assignee_id == assignee_id:
        raise Conflict(Code.ALREADY_ASSIGNED, f"The dossier is already assigned to {assignee_id!r}",
                       nomination_id=nomination_id, assignee_id=assignee_id)
    return [DossierAssigned(
        dossier_id=state.dossier_id, nomination_id=nomination_id, assignee_id=assignee_id,
        assignee_name=assignee_name, note=note, assigned_on=today, assigned_by=by,
    )]
