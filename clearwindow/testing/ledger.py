"""What the ledger's tests share: verify_ledger's report, SQL as a database administrator runs it, a
signing key of the test's own, a day fixed by its signed root, and the offline proof check."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


def run_verify():
    """verify_ledger's report: '' when everything verified, else its divergence lines."""
    try:
        call_command("verify_ledger", stdout=(out := _Out()))
        return ""
    except CommandError:
        return out.text


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text, *args, **kwargs):
        self.text += text

    def flush(self):
        pass


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def centre_key(tmp_path, settings):
    from ledger.roots import new_key_pem

    path = tmp_path / "ledger-key.pem"
    path.write_bytes(new_key_pem())
    settings.LEDGER_SIGNING_KEY_FILE = str(path)
    return path


def fixed_day(centre_key, days=1):
    """Fix the roots of the newest block's day (and of the `days` - 1 days after it, which hold no
    blocks: their roots hold the same heads) whatever the hour; the newest block's day."""
    from django.utils import timezone

    from ledger.models import Block
    from ledger.roots import GRACE, day_end
    from ledger.ticks import fix_roots

    day = timezone.localtime(Block.objects.latest("at").at).date()
    assert fix_roots(day_end(day + timedelta(days=days - 1)) + GRACE) >= days
    return day


def check_offline(path, *args):
    """tools/verify_proof.py run as a holder of the proof would run it: another process, no database."""
    import subprocess
    import sys

    from django.conf import settings

    done = subprocess.run([sys.executable, str(settings.BASE_DIR / "tools" / "verify_proof.py"), str(path), *args],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    return done.returncode, done.stdout
