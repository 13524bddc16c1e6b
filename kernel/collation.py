"""Vietnamese alphabetical order, for every list a person reads (exports, forms, the portal).

Code-point order puts "Đặng" after "Zô" and "Huỳnh" before "Hà"; a Vietnamese
reader expects the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u
ư v x y, where ă, â, đ, ê, ô, ơ and ư are letters of their own, and the tone
marks deciding only between words that are otherwise equal, in the order
of the dictionaries (Hoàng Phê's Từ điển tiếng Việt): ngang, huyền, hỏi,
ngã, sắc, nặng — so "Ha" < "Hà" < "Hả" < "Hã" < "Há" < "Hạ" and "Hà" < "Huỳnh".
Case decides last. Pure: domain and query code may import it.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
"""The 29 letters, in order; other Latin letters (f, j, w, z in foreign names) sort after their neighbours."""

_MODIFIED = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}
"""Marks that make a letter of its own rather than a tone (breve, circumflex, horn)."""
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""huyền, hỏi, ngã, sắc, nặng (ngang is 0)."""

_RANK = {letter: 10 * (index + 1) for index, letter in enumerate(ALPHABET)}
for _foreign, _after in (("f", "e"), ("j", "i"), ("w", "v"), ("z", "y")):
    _RANK[_foreign] = _RANK[_after] + 5


def _letters(text: str) -> list[tuple[int, int, int]]:
    """(letter rank, tone, is upper case) per letter of ``text``; other characters keep their code point."""
    found: list[tuple[int, int, int]] = []
    for char in unicodedata.normalize("NFC", text):
        upper = int(char != char.lower())
        lower = char.lower()
        if lower == "đ":
            found.append((_RANK["đ"], 0, upper))
            continue
        base, *marks = unicodedata.normalize("NFD", lower)
        letter, tone = base, 0
        for mark in marks:
            if (letter, mark) in _MODIFIED:
                letter = _MODIFIED[(letter, mark)]
            elif mark in _TONES:
                tone = _TONES[mark]
        rank = _RANK.get(letter)
        if rank is None:
            # Spaces and punctuation first (so "Hà Nam" < "Hàm"), then digits, then anything else.
            rank = 0 if not char.isalnum() else (1 + ord(char) if char.isdigit() else 1000 + ord(char))
        found.append((rank, tone, upper))
    return found


def vietnamese_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key that orders ``text`` the Vietnamese way: letters, then tones, then case (None first)."""
    letters = _letters(text or "")
    return (
        tuple(rank for rank, _tone, _upper in letters),
        tuple(tone for _rank, tone, _upper in letters),
        tuple(upper for _rank, _tone, upper in letters),
    )


def by_given_name(full_name: str | None) -> tuple[object, ...]:
    """Key of a person's list in the office's usual order: by given name (tên, the last word), then the rest."""
    words = (full_name or "").split()
    return (vietnamese_key(words[-1] if words else ""), vietnamese_key(" ".join(words[:-1])))
