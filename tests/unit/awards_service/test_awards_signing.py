"""PAdES signatures on a decision's PDF: made with the local test CA's approver certificate, checked by pyHanko's
validator and, independently, by poppler's ``pdfsig``; one byte changed and both say invalid."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from services.awards.signing import Signer, load_signer, sign_pdf, verify_pdf
from tdkt.stack.signing_ca import SIGNER_NAME, make_signing_files

from ..awards_workflow.test_awards_decision_pdf import _decision


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Signer:
    files = make_signing_files(tmp_path_factory.mktemp("signing"))
    for secret in (files.pkcs12, files.password):
        assert oct(os.stat(secret).st_mode & 0o777) == "0o600"
    return load_signer(files.pkcs12, files.password)


@pytest.fixture(scope="module")
def signed(signer: Signer) -> bytes:
    return sign_pdf(_decision(), signer, reason="Ký ban hành Quyết định số 1520/QĐ-BCT")


def _flip_one_byte(data: bytes) -> bytes:
    """The PDF with one byte of its signed content changed (a digit of the page's text stream length)."""
    at = data.index(b"stream", len(data) // 4) + 20
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def test_pyhanko_finds_the_signature_valid_then_invalid(signer: Signer, signed: bytes) -> None:
    good = verify_pdf(signed, signer.trust_roots)
    assert good.intact and good.trusted and good.whole_file and not good.problems, good
    assert good.signer == SIGNER_NAME
    bad = verify_pdf(_flip_one_byte(signed), signer.trust_roots)
    assert not bad.intact and bad.problems, bad
    unsigned = verify_pdf(_decision(), signer.trust_roots)
    assert not unsigned.signed and unsigned.problems == ("the PDF carries no signature",)


def test_a_certificate_of_another_ca_is_not_trusted(signed: bytes, tmp_path: Path) -> None:
    other = make_signing_files(tmp_path / "other")
    stranger = load_signer(other.pkcs12, other.password)
    result = verify_pdf(signed, stranger.trust_roots)
    assert result.intact and not result.trusted, result


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils is missing: scripts/setup installs it")
def test_pdfsig_finds_the_signature_valid_then_invalid(signed: bytes, tmp_path: Path) -> None:
    good, bad = tmp_path / "signed.pdf", tmp_path / "changed.pdf"
    good.write_bytes(signed)
    bad.write_bytes(_flip_one_byte(signed))
    report = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Signer full Distinguished Name" in report and "ETSI.CAdES.detached" in report, report
    report = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature Validation: Digest Mismatch." in report and "Signature is Valid" not in report, report


def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    files = make_signing_files(tmp_path / "loose")
    os.chmod(files.password, 0o644)
    with pytest.raises(ValueError, match="readable by others"):
        load_signer(files.pkcs12, files.password)
