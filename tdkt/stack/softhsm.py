"""The local test CA's approver key and certificates on a SoftHSM2 token: a real PKCS#11 token to sign with.

SoftHSM2 (Debian's ``softhsm2``; scripts/setup installs it) keeps its tokens in a folder its configuration
file names (``SOFTHSM2_CONF``). Here that folder is ours: a token labelled ``tdkt-approver`` is initialised with
random PINs (the user PIN in a 0600 file), ``softhsm2-util --import`` puts the approver's key on it, and the
approver's and the CA's certificates are written beside it through python-pkcs11 (softhsm2-util imports keys
only) — in a child process, so this one's PKCS#11 library stays uninitialised until a signer opens it.

SoftHSM reads ``SOFTHSM2_CONF`` once, when a process first opens it: a process that signs with this token must
have it in its environment from the start (:attr:`TokenFiles.env`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import Attribute, CertificateType, ObjectClass

from .signing_ca import SigningFiles, write_private

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
"""Debian's SoftHSM2 PKCS#11 module."""
TOKEN_LABEL = "tdkt-approver"
KEY_LABEL = "approver"
CA_LABEL = "tdkt local test CA"
KEY_ID = "01"


@dataclass(frozen=True)
class TokenFiles:
    """A SoftHSM2 token holding the approver's key: its configuration, module, labels and PIN file."""

    conf: Path
    module: Path
    token_label: str
    key_label: str
    pin: Path

    @property
    def env(self) -> dict[str, str]:
        """What a process signing with the token needs in its environment."""
        return {"SOFTHSM2_CONF": str(self.conf)}


def make_token(files: SigningFiles, folder: Path) -> TokenFiles:
    """A SoftHSM2 token in ``folder`` with the key and certificate of ``files`` (kept if already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    token = TokenFiles(folder / "softhsm2.conf", MODULE, TOKEN_LABEL, KEY_LABEL, folder / "user.pin")
    if token.conf.exists():  # written last: the token is complete
        return token
    tokens = folder / "tokens"
    shutil.rmtree(tokens, ignore_errors=True)  # what an interrupted first try left
    tokens.mkdir(mode=0o700)
    building = folder / "softhsm2.conf.building"
    building.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(building)}
    password = files.password.read_bytes()
    key, certificate, chain = pkcs12.load_key_and_certificates(files.pkcs12.read_bytes(), password)
    if key is None or certificate is None:
        raise ValueError(f"{files.pkcs12} holds no key or no certificate")
    pin = secrets.token_hex(8)
    write_private(token.pin, pin.encode())
    _util(env, "--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", secrets.token_hex(8), "--pin", pin)
    encrypted_key = folder / "approver.key.p8"  # the key as softhsm2-util reads it: PKCS#8, encrypted
    write_private(encrypted_key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.BestAvailableEncryption(password)))
    try:
        _util(env, "--import", str(encrypted_key), "--file-pin", password.decode(), "--token", TOKEN_LABEL,
              "--label", KEY_LABEL, "--id", KEY_ID, "--pin", pin)
    finally:
        encrypted_key.unlink()
    certificates = folder / "certificates"
    certificates.mkdir(exist_ok=True)
    for label, cert in ((KEY_LABEL, certificate), *((CA_LABEL, c) for c in chain)):
        (certificates / f"{label}.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    subprocess.run([sys.executable, "-m", __name__, str(MODULE), TOKEN_LABEL, str(token.pin), str(certificates)],
                   env=env, check=True, capture_output=True, timeout=60)
    building.rename(token.conf)
    return token


def _util(env: dict[str, str], *args: str) -> None:
    subprocess.run(["softhsm2-util", *args], env=env, check=True, capture_output=True, timeout=60)


def _write_certificates(module: str, token_label: str, pin_file: Path, folder: Path) -> None:
    """Each ``<label>.der`` of ``folder`` as a certificate object on the token (the approver's with the key's id)."""
    token = pkcs11.lib(module).get_token(token_label=token_label)
    with token.open(rw=True, user_pin=pin_file.read_text().strip()) as session:
        for path in sorted(folder.glob("*.der")):
            der = path.read_bytes()
            cert = x509.load_der_x509_certificate(der)
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: path.stem, Attribute.VALUE: der,
                Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ISSUER: cert.issuer.public_bytes(),
                **({Attribute.ID: bytes.fromhex(KEY_ID)} if path.stem == KEY_LABEL else {}),
            })


if __name__ == "__main__":
    _write_certificates(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
