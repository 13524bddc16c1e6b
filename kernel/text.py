"""Vietnamese text hygiene for command input.

Every text field of a command is Unicode NFC-normalised and trimmed (by
:class:`tdkt_contracts.ContractModel`), then checked here. Malformed text is
refused with the error type ``invalid_text`` (``invalid_name`` for a person's
name that is not a name), never silently repaired:

- empty after trimming;
- control or invisible format characters (zero-width space, BOM, bidi marks…),
  unassigned, private-use or surrogate code points;
- U+FFFD, the replacement character left by a wrong decoding;
- a combining mark left over after NFC: every Vietnamese letter has a
  precomposed form, so a leftover mark is a stray accent (e.g. typed before
  its letter);
- mojibake: UTF-8 read as Windows-1252/Latin-1, such as ``Nguyá»…n`` for
  ``Nguyễn`` (the message shows the likely intended text).

Single-line fields also have every run of white space (tabs, new lines, no-
break spaces) collapsed to one space. Multi-line fields keep new lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pydantic_core import PydanticCustomError

from .codes import Code

_SPACES = re.compile(r"\s+")
_HSPACES = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# Mojibake: one UTF-8 sequence read byte by byte as Windows-1252 shows up as a
# lead character (bytes C2–F4) followed by 1–3 continuation characters (bytes 80–BF).
_CONT = "".join(
    dict.fromkeys(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0))
)
_CONT_CLASS = "[" + re.escape(_CONT) + "]"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}|[\u00f0-\u00f4]{_CONT_CLASS}{{3}}"
)
_BAD_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible format character", "Cs": "a surrogate",
                   "Co": "a private-use character", "Cn": "an unassigned code point"}

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
_NAME_PUNCTUATION = set(" '-.’")


def _fail(code: Code, message: str, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(code.value, message, dict(ctx) or None)


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def _mojibake(value: str) -> tuple[str, str] | None:
    """(found, meant) for the first UTF-8 sequence wrongly decoded as cp1252/latin-1, else None."""
    for match in _MOJIBAKE.finditer(value):
        found = match.group()
        for encoding in ("cp1252", "latin-1"):
            try:
                meant = found.encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
            # Only a Latin letter or typographic punctuation counts: an accidental
            # pair such as 'Ô”' decodes to Cyrillic and is left alone.
            if "\u00a0" <= meant <= "\u024f" or "\u1e00" <= meant <= "\u1eff" or "\u2000" <= meant <= "\u206f":
                return found, meant
    return None


def check_text(value: str, *, multiline: bool = False) -> str:
    """Clean (NFC, trim, white space) and check one text value; raise ``invalid_text``."""
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = "\n".join(_HSPACES.sub(" ", line).strip() for line in value.split("\n"))
        value = _MANY_NEWLINES.sub("\n\n", value).strip()
    else:
        value = _SPACES.sub(" ", value).strip()
    if not value:
        raise _fail(Code.INVALID_TEXT, "text is empty after trimming")
    for ch in value:
        if ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES:
            raise _fail(
                Code.INVALID_TEXT,
                "text contains {what} U+{cp}",
                what=_BAD_CATEGORIES[category],
                cp=f"{ord(ch):04X}",
            )
        if ch == "\ufffd":
            raise _fail(
                Code.INVALID_TEXT,
                "text contains U+FFFD (the replacement character): it was decoded with the wrong encoding",
            )
        if category.startswith("M"):
            raise _fail(
                Code.INVALID_TEXT,
                "text contains a stray combining mark U+{cp} that does not form a Vietnamese letter",
                cp=f"{ord(ch):04X}",
            )
    bad = _mojibake(value)
    if bad is not None:
        raise _fail(
            Code.INVALID_TEXT,
            "text looks mis-decoded (UTF-8 read as Windows-1252): '{found}' probably means '{meant}'",
            found=bad[0],
            meant=bad[1],
        )
    return value


def text_checker(min_length: int = 1, max_length: int = 255, *, multiline: bool = False) -> Callable[[str], str]:
    """An after-validator for a text field of the given length bounds (counted after cleaning)."""

    def check(value: str) -> str:
        value = check_text(value, multiline=multiline)
        if not min_length <= len(value) <= max_length:
            raise _fail(
                Code.INVALID_TEXT,
                "text must be {min}–{max} characters long, got {n}",
                min=min_length,
                max=max_length,
                n=len(value),
            )
        return value

    return check


def check_person_name(value: str) -> str:
    """A person's full name: Latin letters (with Vietnamese diacritics), spaces,
    hyphens, apostrophes (e.g. ``H'Hen Niê``); 2–100 characters."""
    value = check_text(value)
    if not 2 <= len(value) <= 100:
        raise _fail(Code.INVALID_NAME, "a full name must be 2–100 characters long, got {n}", n=len(value))
    for ch in value:
        if ch in _NAME_PUNCTUATION:
            continue
        if not (ch.isalpha() and _latin(ch)):
            raise _fail(
                Code.INVALID_NAME,
                "a full name may contain only letters, spaces, hyphens and apostrophes, not '{ch}' (U+{cp})",
                ch=ch,
                cp=f"{ord(ch):04X}",
            )
    if not any(ch.isalpha() for ch in value):
        raise _fail(Code.INVALID_NAME, "a full name must contain letters")
    return value


def check_id(value: str) -> str:
    """An id: 1–64 ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit."""
    if not ID_PATTERN.fullmatch(value):
        raise _fail(
            Code.INVALID_ID,
            "an id is 1–64 ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit; got '{value}'",
            value=value,
        )
    return value


def check_unit_code(value: str) -> str:
    """A unit code: 1–32 ASCII letters, digits, '.', '_' or '-'; stored upper case."""
    upper = value.upper()
    if not CODE_PATTERN.fullmatch(upper):
        raise _fail(
            Code.INVALID_CODE,
            "a unit code is 1–32 ASCII letters, digits, '.', '_' or '-' (e.g. 'VTCCB'); got '{value}'",
            value=value,
        )
    return upper
