"""The local stack's own certificate authority and the approver's signing certificate, so the demo signs.

Production takes the Ministry's certificate (from a licensed CA under Nghị định 130/2018/NĐ-CP) as a PKCS#12
file (``TDKT_SIGNING_PKCS12_FILE``, ``TDKT_SIGNING_PASSWORD_FILE``) or on its token (``TDKT_SIGNING_PKCS11_*``;
:mod:`.softhsm` puts this test key on one). Here a test CA
("tdkt local test CA", never trusted anywhere else) issues one certificate for document signing, written as
a PKCS#12 file with its password beside it; keys, the bundle and the password are the owner's only (0600).
Made once per state folder and kept.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNER_NAME = "Nguyễn Hồng Diên"
SIGNER_TITLE = "Bộ trưởng"
ORGANISATION = "Bộ Công Thương"


@dataclass(frozen=True)
class SigningFiles:
    """Where the local signing material is: the bundle, its password, the CA's certificate (PEM)."""

    pkcs12: Path
    password: Path
    ca_certificate: Path


def _name(common_name: str, *, title: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
             x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if title:
        parts.append(x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(parts)


def write_private(path: Path, data: bytes) -> None:
    """``data`` in a file only its owner reads (0600 before anything is in it)."""
    path.write_bytes(b"")
    os.chmod(path, 0o600)  # before the secret is in it
    path.write_bytes(data)


def make_signing_files(folder: Path, *, now: datetime | None = None) -> SigningFiles:
    """A test CA and an approver's certificate signed by it, in ``folder`` (kept if already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    files = SigningFiles(folder / "approver.p12", folder / "approver.p12.password", folder / "ca.pem")
    if files.pkcs12.exists() and files.password.exists() and files.ca_certificate.exists():
        return files
    start = (now or datetime.now(timezone.utc)) - timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name("tdkt local test CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_NAME, title=SIGNER_TITLE)).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24)
    bundle = pkcs12.serialize_key_and_certificates(
        b"approver", key, certificate, [ca], serialization.BestAvailableEncryption(password.encode())
    )
    write_private(files.password, password.encode())
    write_private(files.pkcs12, bundle)
    files.ca_certificate.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return files
