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


def test_the_worker_verifies_after_each_root_raises_one_alert_while_it_fails_and_closes_it_when_it_passes(
        api_client, org, people, client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from alerts.models import AlertChange
    from core import ticks
    from ledger.models import Block

    fix, tick = ticks.registered()["ledger.fix_roots"], ticks.registered()["ledger.verify"]
    api, _ = api_client
    ingest(api, [ev("152502-20260525-000011", "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-PLAIN")],
           now=datetime(2026, 5, 25, 12, tzinfo=ZoneInfo("Asia/Shanghai")))
    # the day of the first block (the test database's own, written when it was made, may be of the day
    # before when the suite runs across midnight): night(1) then fixes exactly one root, whatever the hour
    start = timezone.localtime(Block.objects.order_by("at").values_list("at", flat=True).first())

    def night(day):
        """The worker's round at 01:00 `day` days after the first block's day, the clock set there (what it
        writes is of that day)."""
        at = timezone.localtime(start).replace(hour=1, minute=0) + timedelta(days=day)
        monkeypatch.setattr(timezone, "now", lambda: at)
        return fix(at), tick(at)

    assert tick(start) == 0  # no root fixed yet: nothing to verify after
    assert night(1) == (1, 1) and Check.objects.get().ok
    assert tick(timezone.now() + timedelta(hours=1)) == 0  # once per fixed root

    original = CaseEvent.all_events.get().event_id
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET event_id = 'forged'")
    assert night(2) == (1, 1) and night(3) == (1, 1)  # two failed runs: one alert
    assert Check.objects.filter(ok=False).count() == 2
    alert = Alert.objects.get(subject_type="ledger")
    assert alert.level == "red" and alert.status == "open" and alert.centre_id == org["centres"]["152500"].pk

    client.force_login(people["league_supervisor"])
    page = client.get("/supervision/alerts/").content.decode()
    row = page[page.index('aria-label="选择 check-'):].split("</tr>")[0]  # the rule by its label, linked to /ledger/
    assert "监察账本核验不一致" in row and "LEDGER" not in row and 'href="/ledger/"' in row

    with connection.cursor() as cursor:  # put right (e.g. from the backup): the next run verifies
        cursor.execute("UPDATE cases_caseevent SET event_id = %s", [original])
    assert night(4) == (1, 1)
    assert Check.objects.order_by("-at").first().ok
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert list(AlertChange.objects.filter(alert=alert).values_list("to_status", flat=True)) == ["open", "closed"]
