"""A failed verify_ledger raises a red alert to the League centre; a clean run raises none (docs/ledger.md)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from alerts.models import Alert
from cases.ingest import ingest
from cases.models import CaseEvent
from clearwindow.testing.events import ev
from ledger.models import Check


def test_a_failed_ledger_check_raises_a_red_alert_to_the_league_centre(api_client, org, capsys):
    client, _ = api_client
    ingest(client, [ev("152502-20260525-000009", "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-PLAIN")],
           now=datetime(2026, 5, 25, 12, tzinfo=ZoneInfo("Asia/Shanghai")))
    call_command("verify_ledger")
    assert Check.objects.get().ok and not Alert.objects.filter(subject_type="ledger").exists()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET occurred_at = occurred_at - interval '1 day'"
                       if connection.vendor == "postgresql" else
                       "UPDATE cases_caseevent SET occurred_at = '2026-05-24 01:00:00'")
    with pytest.raises(CommandError), translation.override("en"):  # run by someone using English
        call_command("verify_ledger")
    check = Check.objects.filter(ok=False).get()
    assert check.divergences == 1 and f"row id={CaseEvent.all_events.get().pk}" in check.report
    alert = Alert.objects.get(subject_type="ledger")
    assert alert.level == "red" and alert.centre_id == org["centres"]["152500"].pk
    assert "监察账本核验发现 1 处不一致" in alert.detail


def test_the_centre_home_page_shows_the_ledgers_verification_state(client, api_client, people):
    client.force_login(people["county_supervisor"])
    assert "监察账本： 尚未核验" in " ".join(client.get("/supervision/centre/").content.decode().split())
    call_command("verify_ledger")
    page = " ".join(client.get("/supervision/centre/").content.decode().split())
    assert "核验一致" in page and "尚无已固定的日根" in page and 'href="/ledger/"' in page

    api, _ = api_client
    ingest(api, [ev("152502-20260525-000010", "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-PLAIN")],
           now=datetime(2026, 5, 25, 12, tzinfo=ZoneInfo("Asia/Shanghai")))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent")
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    page = " ".join(client.get("/supervision/centre/").content.decode().split())
    assert "ledger-state--bad" in page and "核验发现 1 处不一致" in page
