"""Hostile spreadsheets at the running units service: 422 ``invalid_file`` with the reason, nothing written.

Generated here: a zip bomb (a 100 KB workbook expanding past 64 MiB), the same bomb with its declared
sizes forged small, billion-laughs and external-entity (XXE) payloads in the sheet and in the workbook's
own parts, a row reaching column XFD (16,384) and a CSV row of a million cells. A workbook whose sheet
claims the dimension A1:XFD1048576 but holds two rows is read as the two rows it holds.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable

import httpx
import pytest
from openpyxl import Workbook

from services.units.app import build
from services.units.importer import MAX_XLSX_UNCOMPRESSED

pytestmark = pytest.mark.integration

XLSX = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Ngày thành lập"]
ROW = ["BCT", "Bộ Công Thương", "Bộ", "", "01/01/2015"]


def _workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one part's bytes changed (every part deflated again)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


def _with_prolog(prolog: bytes, replace: tuple[bytes, bytes] | None = None) -> Callable[[bytes], bytes]:
    def change(body: bytes) -> bytes:
        if body.startswith(b"<?xml"):
            body = body.split(b"?>", 1)[1]
        if replace:
            body = body.replace(*replace)
        return b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + body
    return change


def _bomb() -> bytes:
    """A valid sheet padded with empty rows until it expands past the limit."""
    padding = b"<row/>" * ((MAX_XLSX_UNCOMPRESSED + 1024 * 1024) // 6)
    return _rewrite(_workbook(), SHEET, lambda body: body.replace(b"</sheetData>", padding + b"</sheetData>"))


def _forged_sizes(data: bytes) -> bytes:
    """Every part's declared uncompressed size set to 1 KB, in the local headers and the central directory."""
    forged = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = forged.find(signature)
        while at != -1:
            struct.pack_into("<I", forged, at + offset, 1024)
            at = forged.find(signature, at + 4)
    return bytes(forged)


LAUGHS = b"<!DOCTYPE lolz [<!ENTITY lol \"lol\">" + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 2 else b"&lol;") * 10) for i in range(2, 10)
) + b"]>"
XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


async def test_hostile_workbooks_are_refused_with_the_reason(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient = await start_service(build, settings)
    plain = _workbook()
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024, len(bomb)  # under the HTTP body limit by far: only the expansion is hostile
    wide = _rewrite(plain, SHEET, lambda body: body.replace(
        b"</row></sheetData>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    cases = {
        "zip bomb": (bomb, "too_large_uncompressed"),
        "zip bomb, sizes forged": (_forged_sizes(bomb), "corrupt_part"),
        "billion laughs in the sheet": (_rewrite(plain, SHEET, _with_prolog(LAUGHS, (b"<t>BCT</t>", b"<t>&lol9;</t>"))),
                                        "dtd"),
        "XXE in the sheet": (_rewrite(plain, SHEET, _with_prolog(XXE, (b"<t>BCT</t>", b"<t>&xxe;</t>"))), "dtd"),
        "XXE in the workbook part": (_rewrite(plain, "xl/workbook.xml", _with_prolog(XXE)), "dtd"),
        "DTD in the content types": (_rewrite(plain, "[Content_Types].xml", _with_prolog(LAUGHS)), "dtd"),
        "a row to column XFD": (wide, "too_many_columns"),
    }
    for why, (data, reason) in cases.items():
        started = time.perf_counter()
        answer = await client.post("/imports/units", params={"dry_run": "false"}, content=data, headers=XLSX)
        print(f"{why}: {len(data):,} bytes -> {answer.status_code} in {time.perf_counter() - started:.2f} s")
        assert answer.status_code == 422, (why, answer.status_code, answer.text[:300])
        body = answer.json()
        assert body["code"] == "invalid_file", (why, body)
        assert body["details"]["reason"] == reason, (why, body)
    wide_csv = ("\ufeff" + ",".join(HEADER) + "\r\n" + ",".join(ROW) + "," * 1_000_000 + "x\r\n").encode()
    answer = await client.post("/imports/units", params={"dry_run": "false"}, content=wide_csv,
                               headers={"content-type": "text/csv"})
    assert (answer.status_code, answer.json()["details"].get("reason")) == (422, "too_many_columns"), answer.text
    # Nothing was written by any of them.
    assert (await client.get("/units/tree")).json().get("units", []) == []
    # The same workbook, unspoilt, imports; a sheet claiming a huge dimension is read as the rows it holds.
    lying = _rewrite(plain, SHEET, lambda body: body.replace(b'<dimension ref="A1:E2"/>',
                                                              b'<dimension ref="A1:XFD1048576"/>'))
    assert lying != plain
    answer = await client.post("/imports/units", params={"dry_run": "true"}, content=lying, headers=XLSX)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["rows"], answer.json()["new"], answer.json()["ok"]) == (1, 1, True), answer.json()
