"""Legal documents, the sources a rule cites, and the citations results carry."""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field

from .base import DomainModel
from .vocabulary import Confidence


class LegalDocument(DomainModel):
    """A legal text (or, marked [U], a practice) rules are taken from."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    number: str | None = None
    title_vi: str = Field(min_length=1)
    short_vi: str = Field(min_length=1, description="How citations name it, e.g. 'Luật Thi đua, khen thưởng 2022'.")
    short_en: str = Field(min_length=1)
    in_force_from: date | None = None
    in_force_until: date | None = None
    refs: tuple[str, ...] = Field(default=(), description="Source ids of rules.md §10 (S1…), or X-ids added here.")
    confidence: Confidence = Confidence.SECONDARY
    note: str | None = None


class LegalSource(DomainModel):
    """Where a rule lives: a document id and its article (and clause)."""

    doc: str = Field(min_length=1)
    article: str = Field(min_length=1, description="As the text writes it, e.g. 'Điều 24'.")
    clause: str | None = Field(default=None, description="e.g. 'khoản 1' or 'điểm d khoản 1'.")
    note: str | None = None


class Citation(DomainModel):
    """A rendered legal reference, ready to show."""

    document_id: str
    document_vi: str
    document_en: str
    article: str
    clause: str | None = None
    text_vi: str
    text_en: str
    refs: tuple[str, ...] = ()


_EN_TERMS = ((r"\bĐiều (\d+)", r"Art. \1"), (r"\bkhoản (\d+)", r"cl. \1"), (r"\bđiểm ([a-zđ])\b", r"pt. \1"))


def _english(text: str) -> str:
    for pattern, replacement in _EN_TERMS:
        text = re.sub(pattern, replacement, text)
    return text


def cite(source: LegalSource, document: LegalDocument) -> Citation:
    """Render ``source`` as 'Luật Thi đua, khen thưởng 2022, Điều 24, khoản 1'."""
    where_vi = source.article + (f", {source.clause}" if source.clause else "")
    return Citation(
        document_id=document.id,
        document_vi=document.short_vi,
        document_en=document.short_en,
        article=source.article,
        clause=source.clause,
        text_vi=f"{document.short_vi}, {where_vi}",
        text_en=f"{document.short_en}, {_english(where_vi)}",
        refs=document.refs,
    )
