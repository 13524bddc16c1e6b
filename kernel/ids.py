"""Ids compared in one form: the canonical id (NFKC, trimmed, lower case).

``P-000123``, ``p-000123`` and the full-width ``Ｐ-000123`` name one subject
wherever a decision depends on whether two ids are the same subject (is this
"foreign" recipient one of the Ministry's people or units?). The units
context keeps ids as they were given; such comparisons go through
:func:`canonical_id` on both sides.
"""

from __future__ import annotations

import unicodedata


def canonical_id(value: str) -> str:
    """The canonical form of an id: NFKC (full-width letters become ASCII), trimmed, lower case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


__all__ = ["canonical_id"]
