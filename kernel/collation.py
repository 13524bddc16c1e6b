"""Vietnamese alphabetical order, for every list a person reads (exports, forms, the portal).

Code-point order puts "Đặng" after "Zô" and "Huỳnh" before "Hà"; a Vietnamese
reader expects the dictionaries' order (the Vietnam Lexicography Centre's
rules, Vũ Xuân Lương): the alphabet a ă â b c d đ e ê f g h i j k l m n o ô ơ
p q r s t u ư v w x y z, where ă, â, đ, ê, ô, ơ and ư are letters of their
own; the tone marks decide only between texts whose letters are equal, in the
order ngang, huyền, hỏi, ngã, sắc, nặng — so "Ha" < "Hà" < "Hả" < "Hã" < "Há"
< "Hạ" and "Hà" < "Huỳnh"; a shorter text before a longer one it begins; lower
case before upper case, last. Pure: domain and query code may import it.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
"""The 29 Vietnamese letters and f, j, w, z (foreign names), in order."""

_MODIFIED = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}
"""Marks that make a letter of its own rather than a tone (breve, circumflex, horn)."""
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""huyền, hỏi, ngã, sắc, nặng (ngang is 0)."""

_RANK = {letter: 100 + index for index, letter in enumerate(ALPHABET)}


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
            # Spaces and punctuation first (so "Hà Nam" < "Hàm"), then digits, then any other letter.
            rank = 0 if not char.isalnum() else (1 + int(char) if char.isdecimal() else 1000 + ord(char))
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


def sortable(text: str | None) -> str:
    """:func:`vietnamese_key` as plain ASCII text whose byte order is the key's order (``COLLATE "C"``).

    For SQL that orders and pages by a name: PostgreSQL without ICU knows no
    Vietnamese collation, so a read model stores this beside the name and
    sorts on it. Each letter's rank is six hex digits; a space (below every
    digit) ends each part, so a shorter text still sorts before a longer one.
    """
    primary, tones, case = vietnamese_key(text)
    return " ".join(
        ("".join(f"{rank:06x}" for rank in primary), "".join(f"{tone:x}" for tone in tones),
         "".join(str(upper) for upper in case))
    )
