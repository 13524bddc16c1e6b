"""Ids compared in one form: the canonical id (NFKC, trimmed, lower case).

``P-000123``, ``p-000123``, `` p-000123 `` and the full-width ``Ｐ-000123``
name one subject. Every command and query that takes a person's or a unit's
id takes it as a :data:`SubjectId`, which turns it into that form at the
boundary (and refuses, 422 ``invalid_id``, what is no id once canonical: a
space inside, a letter outside ASCII, a zero-width character); the units
context records ids in that form, so an upper-case or padded id is the same
subject or refused — never a different one. Comparisons with ids recorded
before (a replica's rows, a "foreign" recipient's id) go through
:func:`canonical_id` on both sides.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from .text import check_id

MAX_RAW_ID_LENGTH = 256
"""Longest id text looked at (before canonicalisation); a canonical id is at most 64 characters."""


def canonical_id(value: str) -> str:
    """The canonical form of an id: NFKC (full-width letters become ASCII), trimmed, lower case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def checked_subject_id(value: str) -> str:
    """``value`` in canonical form, if that is an id (1–64 ASCII letters, digits, '.', '_', ':', '-')."""
    return check_id(canonical_id(value))


SubjectId = Annotated[str, StringConstraints(max_length=MAX_RAW_ID_LENGTH), AfterValidator(checked_subject_id)]
"""A person's or a unit's id, at a boundary (a body field, a path or query parameter): canonical or refused."""


__all__ = ["MAX_RAW_ID_LENGTH", "SubjectId", "canonical_id", "checked_subject_id"]
