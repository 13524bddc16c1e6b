"""PAdES signatures on a decision's PDF: made with the local test CA's approver certificate — from its PKCS#12 file
and from a PKCS#11 token (SoftHSM2) holding the same key —, checked by pyHanko's validator and, independently,
by poppler's ``pdfsig``; one byte changed and both say invalid. A token that cannot sign answers 503, settings
that cannot work stop the service with one log line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from services.awards import signing_token
from services.awards.settings import AwardsSettings, signing_keys
from services.awards.signing import (
    Signer,
    SigningKeys,
    SigningMisconfigured,
    SigningUnavailable,
    load_signer,
    verify_pdf,
)
from services.awards.signing_token import TokenConfig, TokenKeys
from tdkt.stack.signing_ca import SIGNER_NAME, SigningFiles, make_signing_files, write_private
from tdkt.stack.softhsm import TokenFiles

from ...signing_token import approver_token
from ..awards_workflow.test_awards_decision_pdf import _decision

REASON = "Ký ban hành Quyết định số 1520/QĐ-BCT"


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> TokenFiles:
    """The SoftHSM2 token holding the approver's key (skipped without softhsm2)."""
    return approver_token(tmp_path_factory)[1]


def _config(token: TokenFiles, **changes: object) -> TokenConfig:
    fields: dict = {"module": token.module, "pin_file": token.pin, "key_label": token.key_label,
                    "token_label": token.token_label, **changes}
    return TokenConfig(**fields)


@pytest.fixture
def open_token() -> Iterator[Callable[..., TokenKeys]]:
    """Token keys, closed after the test: PKCS#11 logs in once per process and token, so a session left open
    would let the next one in without its PIN being checked (CKR_USER_ALREADY_LOGGED_IN otherwise)."""
    opened: list[TokenKeys] = []

    def open_(config: TokenConfig) -> TokenKeys:
        opened.append(TokenKeys(config))
        return opened[-1]

    yield open_
    for keys in opened:
        keys.close()


@pytest.fixture(scope="module")
def pkcs12_files(tmp_path_factory: pytest.TempPathFactory) -> SigningFiles:
    files = make_signing_files(tmp_path_factory.mktemp("signing"))
    for secret in (files.pkcs12, files.password):
        assert oct(os.stat(secret).st_mode & 0o777) == "0o600"
    return files


@pytest.fixture(params=["pkcs12", "pkcs11"])
def keys(request: pytest.FixtureRequest, open_token: Callable[..., TokenKeys]) -> SigningKeys:
    """The approver's key from its PKCS#12 file, then from the token."""
    if request.param == "pkcs11":
        return open_token(_config(request.getfixturevalue("token")))
    files = request.getfixturevalue("pkcs12_files")
    return SigningKeys(load_signer(files.pkcs12, files.password))


@pytest.fixture
def signer(keys: SigningKeys) -> Signer:
    return keys.signer()


@pytest.fixture
def signed(keys: SigningKeys) -> bytes:
    data, _ = keys.sign(_decision(), reason=REASON)
    return data


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



def test_the_token_signs_as_the_pkcs12_file_does(tmp_path_factory: pytest.TempPathFactory,
                                                 open_token: Callable[..., TokenKeys]) -> None:
    """The same key on both: the same signer, the same certificate, the CA's certificate read from the token."""
    files, token = approver_token(tmp_path_factory)
    from_token = open_token(_config(token)).signer()
    from_file = load_signer(files.pkcs12, files.password)
    assert from_token.subject == SIGNER_NAME and from_token.certificate_sha256 == from_file.certificate_sha256
    assert [c.sha256 for c in from_token.trust_roots] == [c.sha256 for c in from_file.trust_roots]


def _pin_file(folder: Path, pin: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_private(folder / "pin", pin.encode())
    return folder / "pin"


def test_a_wrong_pin_answers_503_and_is_never_tried_twice(token: TokenFiles, tmp_path: Path,
                                                           open_token: Callable[..., TokenKeys],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A token locks itself after a few wrong PINs: a refused PIN is not sent again; a corrected file signs."""
    opened: list[str] = []
    real_open = signing_token.open_pkcs11_session

    def counting_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(kwargs["user_pin"])
        return real_open(*args, **kwargs)

    monkeypatch.setattr(signing_token, "open_pkcs11_session", counting_open)
    pin = _pin_file(tmp_path, "000000")
    keys = open_token(_config(token, pin_file=pin))
    with capture_logs() as logs:
        keys.open_at_start()  # the service starts all the same, saying why it cannot sign
    assert [(e["event"], e["log_level"]) for e in logs] == [("awards.signing.token_unavailable", "error")]
    assert "refused the PIN" in logs[0]["reason"] and "000000" not in json.dumps(logs, default=str)
    for _ in range(2):
        with pytest.raises(SigningUnavailable) as refused:
            keys.sign(_decision(), reason=REASON)
        assert refused.value.status == 503 and refused.value.code == "signing_unavailable"
        assert refused.value.retry_after is None and "not tried again" in refused.value.message
    assert opened == ["000000"]  # once, at start
    write_private(pin, token.pin.read_bytes())  # the operator corrects the file: no restart needed
    data, signer = keys.sign(_decision(), reason=REASON)
    assert opened == ["000000", token.pin.read_text()] and signer.subject == SIGNER_NAME
    assert verify_pdf(data, keys.trust_roots()).intact


def test_a_missing_token_answers_503_and_is_looked_for_again(token: TokenFiles,
                                                            open_token: Callable[..., TokenKeys]) -> None:
    keys = open_token(_config(token, token_label="tdkt-not-plugged-in"))
    for _ in range(2):  # each try looks for it again (a token plugged in later is found)
        with pytest.raises(SigningUnavailable) as absent:
            keys.signer()
        assert absent.value.status == 503 and absent.value.retry_after == signing_token.RETRY_SECONDS
        assert "'tdkt-not-plugged-in'" in absent.value.message and "No token matching" in absent.value.message
    wrong_key = open_token(_config(token, key_label="someone-else"))
    with pytest.raises(SigningUnavailable, match="no usable key 'someone-else'"):
        wrong_key.signer()


def test_token_settings_that_cannot_work_stop_the_service(token: TokenFiles, tmp_path: Path) -> None:
    with pytest.raises(SigningMisconfigured, match="TDKT_SIGNING_PKCS11_MODULE: /nowhere/libp11.so is not a file"):
        TokenKeys(_config(token, module=Path("/nowhere/libp11.so")))
    loose = _pin_file(tmp_path / "loose", "1234")
    os.chmod(loose, 0o644)
    with pytest.raises(SigningMisconfigured, match="TDKT_SIGNING_PKCS11_PIN_FILE: .* is readable by others"):
        TokenKeys(_config(token, pin_file=loose))
    with pytest.raises(SigningMisconfigured, match="TOKEN_LABEL or TDKT_SIGNING_PKCS11_SLOT is required"):
        TokenKeys(_config(token, token_label=None))
    both = AwardsSettings.model_construct(signing_pkcs12_file=tmp_path / "a.p12", signing_pkcs11_module=token.module)
    with pytest.raises(SigningMisconfigured, match="both set"):
        signing_keys(both)
    no_pin = AwardsSettings.model_construct(signing_pkcs11_module=token.module, signing_pkcs11_key_label="approver")
    with pytest.raises(SigningMisconfigured, match="TDKT_SIGNING_PKCS11_PIN_FILE are required"):
        signing_keys(no_pin)


def test_a_pin_file_loosened_after_the_start_answers_503(token: TokenFiles, tmp_path: Path,
                                                          open_token: Callable[..., TokenKeys]) -> None:
    pin = _pin_file(tmp_path, token.pin.read_text())
    keys = open_token(_config(token, pin_file=pin))
    os.chmod(pin, 0o644)
    with pytest.raises(SigningUnavailable, match="TDKT_SIGNING_PKCS11_PIN_FILE: .* is readable by others"):
        keys.sign(_decision(), reason=REASON)


def test_the_token_found_by_its_slot_index(token: TokenFiles, open_token: Callable[..., TokenKeys]) -> None:
    """SoftHSM2 lists the initialised token first, then a free slot: index 0 is ours, index 5 is none."""
    assert open_token(_config(token, token_label=None, slot_index=0)).signer().subject == SIGNER_NAME
    with pytest.raises(SigningUnavailable, match="Slot index 5 too large"):
        open_token(_config(token, token_label=None, slot_index=5)).signer()


def test_the_service_refuses_to_start_with_one_log_line(tmp_path: Path) -> None:
    """``python -m services.awards`` with a PIN file others can read: exit 2, one JSON line saying why."""
    loose = _pin_file(tmp_path, "1234")
    os.chmod(loose, 0o640)
    env = {**os.environ, "TDKT_LOG_FORMAT": "json", "TDKT_SIGNING_PKCS11_MODULE": sys.executable,
           "TDKT_SIGNING_PKCS11_TOKEN_LABEL": "tdkt-approver", "TDKT_SIGNING_PKCS11_KEY_LABEL": "approver",
           "TDKT_SIGNING_PKCS11_PIN_FILE": str(loose)}
    done = subprocess.run([sys.executable, "-m", "services.awards"], env=env, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parents[3])
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(e["event"], e["level"], e["service"]) for e in lines] == [("awards.signing.misconfigured", "error",
                                                                        "awards")], done.stderr
    assert "TDKT_SIGNING_PKCS11_PIN_FILE" in lines[0]["error"] and "readable by others" in lines[0]["error"]
