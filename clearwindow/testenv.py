"""A pytest plugin (pytest.ini: -p clearwindow.testenv), loaded before Django's settings.

- The tests run with DEBUG=0, so they need a SECRET_KEY other than the public development key.
  bin/setup keeps one in var/secret_key; where there is none (a checkout set up by hand), the tests
  use a key of their own; the same for PERSONAL_DATA_KEY (a fresh one per run) and for the ledger's signing
  key (the worker refuses to start without one).
- The English tests need the compiled translations (*.mo, not committed). bin/setup compiles them;
  on a fresh clone the tests compile any that are missing or older than their .po with gettext's
  msgfmt, and without msgfmt stop at once with a one-line reason instead of failing in English."""
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("SECRET_KEY", "tests-" + secrets.token_urlsafe(40))
os.environ.setdefault("PERSONAL_DATA_KEY", secrets.token_hex(32))  # personal data at rest (core.crypto)

ROOT = Path(__file__).resolve().parent.parent


def _ledger_key():
    """The tests sign the ledger's roots as production does: with bin/setup's var/ledger_signing_key.pem, or
    (a checkout set up by hand) a key of their own in a temporary file."""
    if os.environ.get("LEDGER_SIGNING_KEY_FILE") or (ROOT / "var" / "ledger_signing_key.pem").is_file():
        return
    import tempfile

    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    fd, path = tempfile.mkstemp(prefix="cw-ledger-key-", suffix=".pem")
    with os.fdopen(fd, "wb") as f:
        f.write(Ed25519PrivateKey.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
    os.environ["LEDGER_SIGNING_KEY_FILE"] = path


_ledger_key()


def stale_catalogs(root=ROOT):
    """The .po files of the project (locale/ and each app's locale/) whose .mo is missing or older."""
    found = []
    for po in sorted([*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("*/locale/*/LC_MESSAGES/*.po")]):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            found.append(po)
    return found


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    stale = stale_catalogs()
    if not stale:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.exit(f"translations not compiled ({len(stale)} .po without an up-to-date .mo) and no msgfmt: "
                    "run bin/setup, or apt-get install gettext", returncode=4)
    for po in stale:
        subprocess.run([msgfmt, "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
