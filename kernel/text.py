"""Vietnamese text hygiene for command input, written once for every service.

Every text field of a command is Unicode NFC-normalised and trimmed (by
:class:`tdkt_contracts.ContractModel`), then checked here. Malformed text is
refused with the error type ``invalid_text`` (``invalid_name`` for a name
that is not a name), never silently repaired:

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

Names are stricter (:func:`check_person_name`, :func:`check_name`): no
full-width or other compatibility forms of letters (``Ｎguyễn``), and no
letters of two scripts in one name (a Cyrillic ``а`` inside ``Vụ Tổ chức``).

:class:`CheckedCommand`, the base of the services' command models, bounds
*every* string of a request body, nested ones included, to
:data:`MAX_TEXT_LENGTH` characters and refuses control and invisible
characters in it, so a field without a type of its own is still bounded. The
public contracts' models stay lenient (they read years of stored events);
these checks are for what a client sends.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError
from tdkt_contracts import ContractModel

INVALID_TEXT = "invalid_text"
INVALID_NAME = "invalid_name"
INVALID_ID = "invalid_id"
INVALID_CODE = "invalid_code"
TEXT_ERROR_TYPES = frozenset({INVALID_TEXT, INVALID_NAME, INVALID_ID, INVALID_CODE})
"""The error types these checks raise (a command's validation error keeps them as its code)."""
MAX_TEXT_LENGTH = 10_000
"""Characters any one text value of a request may have, whatever the field (a long criterion or summary
fits; a 100,000-character title does not)."""

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


def _fail(code: str, message: str, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(code, message, dict(ctx) or None)


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
        raise _fail(INVALID_TEXT, "text is empty after trimming")
    for ch in value:
        if ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES:
            raise _fail(
                INVALID_TEXT,
                "text contains {what} U+{cp}",
                what=_BAD_CATEGORIES[category],
                cp=f"{ord(ch):04X}",
            )
        if ch == "\ufffd":
            raise _fail(
                INVALID_TEXT,
                "text contains U+FFFD (the replacement character): it was decoded with the wrong encoding",
            )
        if category.startswith("M"):
            raise _fail(
                INVALID_TEXT,
                "text contains a stray combining mark U+{cp} that does not form a Vietnamese letter",
                cp=f"{ord(ch):04X}",
            )
    bad = _mojibake(value)
    if bad is not None:
        raise _fail(
            INVALID_TEXT,
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
                INVALID_TEXT,
                "text must be {min}–{max} characters long, got {n}",
                min=min_length,
                max=max_length,
                n=len(value),
            )
        return value

    return check


def _compatibility_form(ch: str) -> bool:
    """A full-width, mathematical, ligature, superscript… form of another character (NFKC would fold it)."""
    return unicodedata.decomposition(ch).startswith("<")


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name (Japanese kana count with Han ideographs)."""
    word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA") else word


def _refuse_look_alikes(value: str) -> None:
    for ch in value:
        if _compatibility_form(ch):
            raise _fail(
                INVALID_NAME,
                "a name may not contain the full-width or compatibility form '{ch}' (U+{cp}): type '{plain}'",
                ch=ch, cp=f"{ord(ch):04X}", plain=unicodedata.normalize("NFKC", ch),
            )
    scripts = sorted({_script(ch) for ch in value if ch.isalpha()})
    if len(scripts) > 1:
        raise _fail(
            INVALID_NAME,
            "a name mixes letters of several scripts ({scripts}): a look-alike letter was probably typed",
            scripts=", ".join(scripts),
        )


def check_name(value: str, *, min_length: int = 2, max_length: int = 255) -> str:
    """The name of a unit, a party, a council or a foreign recipient: clean text of one script, no
    full-width or compatibility letters; digits and punctuation allowed ("Phòng 1", "TP.HCM")."""
    value = check_text(value)
    if not min_length <= len(value) <= max_length:
        raise _fail(INVALID_NAME, "a name must be {min}–{max} characters long, got {n}",
                    min=min_length, max=max_length, n=len(value))
    _refuse_look_alikes(value)
    if not any(ch.isalpha() for ch in value):
        raise _fail(INVALID_NAME, "a name must contain letters")
    return value


def name_checker(min_length: int = 2, max_length: int = 255) -> Callable[[str], str]:
    """An after-validator for a name field (:func:`check_name`) of the given length bounds."""
    return lambda value: check_name(value, min_length=min_length, max_length=max_length)


def check_person_name(value: str) -> str:
    """A person's full name: Latin letters (with Vietnamese diacritics), spaces,
    hyphens, apostrophes (e.g. ``H'Hen Niê``); 2–100 characters; no full-width letters."""
    value = check_text(value)
    if not 2 <= len(value) <= 100:
        raise _fail(INVALID_NAME, "a full name must be 2–100 characters long, got {n}", n=len(value))
    _refuse_look_alikes(value)
    for ch in value:
        if ch in _NAME_PUNCTUATION:
            continue
        if not (ch.isalpha() and _latin(ch)):
            raise _fail(
                INVALID_NAME,
                "a full name may contain only letters, spaces, hyphens and apostrophes, not '{ch}' (U+{cp})",
                ch=ch,
                cp=f"{ord(ch):04X}",
            )
    if not any(ch.isalpha() for ch in value):
        raise _fail(INVALID_NAME, "a full name must contain letters")
    return value


def check_id(value: str) -> str:
    """An id: 1–64 ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit."""
    if not ID_PATTERN.fullmatch(value):
        raise _fail(
            INVALID_ID,
            "an id is 1–64 ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit; got '{value}'",
            value=value,
        )
    return value


def check_unit_code(value: str) -> str:
    """A unit code: 1–32 ASCII letters, digits, '.', '_' or '-'; stored upper case."""
    upper = value.upper()
    if not CODE_PATTERN.fullmatch(upper):
        raise _fail(
            INVALID_CODE,
            "a unit code is 1–32 ASCII letters, digits, '.', '_' or '-' (e.g. 'VTCCB'); got '{value}'",
            value=value,
        )
    return upper


def _bad_character(value: str) -> str | None:
    """The first control or invisible character of ``value`` (tabs and new lines allowed), else None."""
    for ch in value:
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in _BAD_CATEGORIES or ch == "\ufffd":
            return ch
    return None


def _strings(value: Any, path: str) -> Any:
    """Every (path, text) in a validated value: model fields, list items, mapping values, at any depth."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple, frozenset, set)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, f"{path}.{key}")
            yield from _strings(item, f"{path}.{key}")


class CheckedCommand(ContractModel):
    """Base of the services' command models (HTTP bodies): every string anywhere in the body, nested
    contract models included, is at most :data:`MAX_TEXT_LENGTH` characters and holds no control or
    invisible character; fields with a type of their own (names, titles) are checked more closely."""

    @model_validator(mode="after")
    def _bounded_text(self) -> Any:
        check_strings(self)
        return self


def check_strings(model: BaseModel) -> None:
    """Every string of ``model`` at any depth: at most :data:`MAX_TEXT_LENGTH` characters, no control or
    invisible character (``invalid_text`` naming the field). For request bodies not built on
    :class:`CheckedCommand`."""
    for path, text in _strings(model, ""):
        if len(text) > MAX_TEXT_LENGTH:
            raise _fail(INVALID_TEXT, "{field}: text must be at most {max} characters long, got {n}",
                        field=path, max=MAX_TEXT_LENGTH, n=len(text))
        bad = _bad_character(text)
        if bad is not None:
            raise _fail(INVALID_TEXT, "{field}: text contains {what} U+{cp}", field=path,
                        what=_BAD_CATEGORIES.get(unicodedata.category(bad), "the replacement character"),
                        cp=f"{ord(bad):04X}")


def _bounded(max_length: int) -> Any:
    # The bound is checked (after cleaning) by the validator; the schema states it for clients.
    return Field(json_schema_extra={"maxLength": max_length})


PersonName = Annotated[str, AfterValidator(check_person_name), _bounded(100)]
"""A Vietnamese person's full name (họ và tên)."""
Name = Annotated[str, AfterValidator(name_checker(2, 255)), _bounded(255)]
"""The name of a unit, a party, a council, a foreign recipient."""
Title = Annotated[str, AfterValidator(text_checker(1, 500)), _bounded(500)]
"""A title: of a movement, a pledge, a document."""
ShortText = Annotated[str, AfterValidator(text_checker(1, 255)), _bounded(255)]
"""One line: a reference, a position, a channel, an occasion."""
LongText = Annotated[str, AfterValidator(text_checker(1, 5000, multiline=True)), _bounded(5000)]
"""Free text over lines: criteria, a summary, a reason, a clause."""
