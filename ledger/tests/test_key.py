"""The signing key (docs/ledger.md, "The key"): the worker refuses to start with DEBUG=0 without a
usable key; roots fixed without one show in red on the centre's page; /ledger/ shows the public key."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone



@pytest.mark.django_db
def test_the_worker_refuses_to_start_without_a_key_when_debug_is_off(settings, tmp_path):
    settings.DEBUG = False
    settings.LEDGER_SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="LEDGER_SIGNING_KEY_FILE is not set"):
        call_command("supervise", "--once")
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(CommandError, match="missing.pem: cannot read a private key"):
        call_command("supervise", "--once")
    (tmp_path / "garbage.pem").write_text("not a key")
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "garbage.pem")
    with pytest.raises(CommandError, match="garbage.pem: cannot read a private key"):
        call_command("supervise", "--once")


@pytest.mark.django_db
def test_roots_are_signed_with_the_configured_key_and_the_page_shows_it(client, settings, tmp_path):
    from ledger.models import DailyRoot
    from ledger.roots import new_key_pem, public_key_of_configured
    from ledger.ticks import fix_roots

    (tmp_path / "key.pem").write_bytes(new_key_pem())
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    assert fix_roots(timezone.now() + timedelta(days=1, hours=1)) >= 1
    key = public_key_of_configured()
    assert len(key) == 64 and set(DailyRoot.objects.values_list("public_key", flat=True)) == {key}
    assert key in client.get("/ledger/").content.decode()
    settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "unreadable-here.pem")  # a web process without the file
    assert key in client.get("/ledger/").content.decode()  # the key that signed the newest root


@pytest.mark.django_db
def test_a_root_fixed_without_a_key_shows_red_on_the_centres_page(client, settings, people):
    from ledger.ticks import fix_roots

    settings.LEDGER_SIGNING_KEY_FILE = ""  # DEBUG=1 development: the worker fixed it unsigned
    assert fix_roots(timezone.now() + timedelta(days=1, hours=1)) >= 1
    client.force_login(people["county_supervisor"])
    page = " ".join(client.get("/supervision/centre/").content.decode().split())
    assert "ledger-state--bad" in page and "最近的日根未签名：未配置签名密钥" in page
    assert "未签名" in client.get("/ledger/").content.decode()
