"""The approver's key on a real PKCS#11 token for the signature tests: a SoftHSM2 token (tdkt/stack/softhsm.py)
holding the local test CA's approver key and certificates.

One token for the whole test process, unit and integration tests alike: SoftHSM reads ``SOFTHSM2_CONF`` once,
when the process first opens its module, so a second token folder would never be seen.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tdkt.stack.signing_ca import SigningFiles, make_signing_files
from tdkt.stack.softhsm import MODULE, TokenFiles, make_token

_made: list[tuple[SigningFiles, TokenFiles]] = []


def approver_token(tmp_path_factory: pytest.TempPathFactory) -> tuple[SigningFiles, TokenFiles]:
    """The CA's files and the token holding their key, made at the first call (skipped without SoftHSM2)."""
    if shutil.which("softhsm2-util") is None or not MODULE.is_file():
        pytest.skip("softhsm2 is missing: scripts/setup installs it")
    if not _made:
        folder = tmp_path_factory.mktemp("softhsm")
        files = make_signing_files(folder / "ca")
        token = make_token(files, folder / "token")
        os.environ.update(token.env)  # before this process opens the module (see the module's docstring)
        _made.append((files, token))
    return _made[0]
