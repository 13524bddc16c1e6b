"""Small PDFs for the demo's dossiers (tờ trình, báo cáo thành tích, biên bản …), made in code, Vietnamese intact.

A one-page A4 PDF 1.4 written directly: its text set in DejaVu Sans, embedded as
a TrueType font (Type0 / CIDFontType2, Identity-H, with a ToUnicode map so the
text can be searched and copied). The font is cut once per process to the
letters of Vietnamese (:func:`_font`), so each file is ~30 KB and takes about a
millisecond: the demo attaches some nine hundred of them. (fpdf2, which the
reporting service uses for its forms, subsets the font again for every file —
~0.1 s each, minutes over the demo's dossiers.) The same text always gives the
same bytes, so a replay of the demo uploads the same files.
"""

from __future__ import annotations

import io
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""Debian's fonts-dejavu-core (the services' images carry it too: services/reporting/form_pdf.py)."""
PAGE_W, PAGE_H, MARGIN, SIZE, LEADING = 595, 842, 56, 11, 16
_VOWELS_AND_CONSONANTS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_PUNCTUATION = " 0123456789.,;:!?()[]/\\-–—‘’“”\"'%&+=*#@_<>…°§"


@dataclass(frozen=True)
class _Font:
    data: bytes
    """The cut TrueType file, embedded whole."""
    glyphs: dict[str, int]
    """Character → glyph id."""
    widths: dict[int, int]
    """Glyph id → advance width in 1/1000 em."""
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int


def _repertoire() -> set[str]:
    letters = _VOWELS_AND_CONSONANTS + _VOWELS_AND_CONSONANTS.upper()
    found = {unicodedata.normalize("NFC", c + t) for c in letters for t in _TONES}
    return {c for c in found if len(c) == 1} | set(_PUNCTUATION)


@lru_cache(maxsize=1)
def _font() -> _Font:
    """DejaVu Sans cut to Vietnamese, with its metrics (once per process)."""
    if not FONT_FILE.exists():
        raise RuntimeError(f"font {FONT_FILE} is missing: install fonts-dejavu-core")
    font = TTFont(FONT_FILE)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
    options.glyph_names = False
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[ord(c) for c in _repertoire()])
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    font = TTFont(io.BytesIO(out.getvalue()))
    scale = 1000 / font["head"].unitsPerEm
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    glyphs = {chr(code): order[name] for code, name in font.getBestCmap().items()}
    widths = {order[name]: round(advance * scale) for name, (advance, _) in font["hmtx"].metrics.items()}
    head, hhea = font["head"], font["hhea"]
    bbox = tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    return _Font(out.getvalue(), glyphs, widths, bbox,  # type: ignore[arg-type]
                 round(hhea.ascent * scale), round(hhea.descent * scale))


def _wrap(text: str, font: _Font, width: float) -> list[str]:
    """Lines of at most ``width`` points, broken at spaces."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _width(candidate, font) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _width(text: str, font: _Font) -> float:
    return sum(font.widths.get(font.glyphs.get(c, 0), 500) for c in text) * SIZE / 1000


def _hex(text: str, font: _Font) -> str:
    return "".join(f"{font.glyphs.get(c, 0):04X}" for c in text)


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data, 9)
    return f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n".encode() + packed + b"\nendstream"


def _to_unicode(font: _Font) -> bytes:
    pairs = sorted((gid, ch) for ch, gid in font.glyphs.items())
    lines = [f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in pairs]
    chunks = [lines[i:i + 100] for i in range(0, len(lines), 100)]
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}endcmap CMapName currentdict /CMap defineresource pop end end\n").encode()


@lru_cache(maxsize=1)
def _constant_streams() -> tuple[bytes, bytes]:
    """The ToUnicode map and the font file, compressed once (the same in every file)."""
    font = _font()
    return _stream(_to_unicode(font)), _stream(font.data, f" /Length1 {len(font.data)}")


def document_pdf(title: str, body: str) -> bytes:
    """A one-page PDF: ``title`` in capitals, then ``body`` (paragraphs split on newlines), NFC text."""
    font = _font()
    title, body = unicodedata.normalize("NFC", title), unicodedata.normalize("NFC", body)
    width = PAGE_W - 2 * MARGIN
    ops = ["BT", f"/F1 {SIZE + 3} Tf", f"{LEADING + 4} TL", f"{MARGIN} {PAGE_H - MARGIN} Td"]
    for line in _wrap(title.upper(), font, width * SIZE / (SIZE + 3)):
        ops.append(f"<{_hex(line, font)}> Tj T*")
    ops += [f"/F1 {SIZE} Tf", f"{LEADING} TL", "T*"]
    for line in _wrap(body, font, width):
        ops.append(f"<{_hex(line, font)}> Tj T*")
    ops.append("ET")
    used = sorted({font.glyphs.get(c, 0) for c in title.upper() + body} | {0})
    widths = " ".join(f"{gid} [{font.widths.get(gid, 500)}]" for gid in used)
    name = "TDKTVN+DejaVuSans"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".encode(),
        _stream("\n".join(ops).encode()),
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 500 /W [{widths}] >>".encode(),
        f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{' '.join(map(str, font.bbox))}] "
        f"/ItalicAngle 0 /Ascent {font.ascent} /Descent {font.descent} /CapHeight {font.ascent} /StemV 80 "
        "/FontFile2 9 0 R >>".encode(),
        *_constant_streams(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


__all__ = ["document_pdf"]
