"""The five forms' workbooks as LibreOffice prints them: rendered to PDF and to PNG, each lays out on A4 in its
orientation with every column on the page and nothing cut at the edges (the check reads the rendered page).

Needs LibreOffice (Debian's libreoffice-calc-nogui) and poppler's pdftoppm; skipped where they are missing."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from services.reporting import form_workbook
from services.reporting import statistical_forms as forms

from .test_statistical_forms import filled_form

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                reason="LibreOffice (libreoffice-calc-nogui) or poppler-utils is missing")


def _filled(code: str) -> dict:
    return filled_form(code, seed=5)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every form's XLSX converted by LibreOffice to PDF in one run (a profile of its own)."""
    folder = tmp_path_factory.mktemp("forms")
    files = []
    for code in forms.FORMS:
        path = folder / f"form-{code}.xlsx"
        path.write_bytes(form_workbook.to_xlsx(_filled(code)))
        files.append(str(path))
    profile = (folder / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *files], check=True, capture_output=True, timeout=300)
    return {code: folder / f"form-{code}.pdf" for code in forms.FORMS}


@pytest.mark.parametrize("code", sorted(forms.FORMS))
def test_libreoffice_prints_the_form_on_a4_without_clipping(code: str, rendered: dict[str, Path]) -> None:
    filled = _filled(code)
    reader = pypdf.PdfReader(io.BytesIO(rendered[code].read_bytes()))
    landscape = len(filled["columns"]) >= form_workbook.LANDSCAPE_FROM
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == ((842, 595) if landscape else (595, 842)), (code, size)
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    # Fitted to the width: the title, the header block and the last column are on the first page.
    assert unicodedata.normalize("NFC", filled["title"]).split()[0] in first
    assert f"Biểu số: {forms.FORMS[code].code}" in first
    assert filled["columns"][-1]["number"] in first
    # The page as printed: ink inside the paper, clear of every edge, the table spreading across the width.
    png = rendered[code].with_suffix("")
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(rendered[code]),
                    str(png)], check=True, timeout=120)
    image = Image.open(f"{png}.png").convert("L")
    ink = image.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert ink is not None, code
    left, top, right, bottom = ink
    width, height = image.size
    assert left > 2 and top > 2 and right < width - 2 and bottom < height - 2, (code, ink, image.size)
    assert right - left > width * 0.5, (code, ink, image.size)
