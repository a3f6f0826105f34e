"""Stored forecasts from the case table, and the BREACH_LIKELY rule they drive (real ingest, real DB)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alerts.models import Alert
from cases.ingest import ingest
from clearwindow.testing.events import ev, get_case
from core import ticks
from core.models import AuditEntry
from insight.forecast import refresh
from insight.models import CaseForecast, ForecastConfig
from insight.ticks import refresh_tick
from workdays.models import load_calendar

TZ = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def history(client, n, *, late_every=2):
    """n ended cases of ITEM-PLAIN (promised 5): every `late_every`-th completed 3 working days late."""
    cal = load_calendar()
    day = at("2026-03-02T09:00:00")
    events = []
    for i in range(n):
        no = f"H-{i:04d}"
        start = day.date()
        end = cal.add_wd(start, 8 if i % late_every == 0 else 2)
        events += [ev(no, "received", f"{start}T09:00:00+08:00", item_code="ITEM-PLAIN"),
                   ev(no, "accepted", f"{start}T09:10:00+08:00", staff="王芳"),
                   ev(no, "completed", f"{end}T10:00:00+08:00", result="approved", staff="王芳")]
    ingest(client, events, now=at("2026-04-30T12:00:00"), historical=True)


def open_case(client, no, accepted_on):
    ingest(client, [ev(no, "received", f"{accepted_on}T09:00:00+08:00", item_code="ITEM-PLAIN"),
                    ev(no, "accepted", f"{accepted_on}T09:10:00+08:00", staff="王芳")],
           now=at("2026-04-30T12:00:00"))


def test_it_stores_a_forecast_for_each_open_case_from_the_items_history(api_client):
    client, _ = api_client
    history(client, 40)
    open_case(client, "OPEN-1", "2026-04-27")  # Mon; by Thu 04-30 it has used 3 of 5 working days
    now = at("2026-04-30T23:00:00")

    assert refresh(now) == 1
    f = CaseForecast.objects.get(case__case_no="OPEN-1")
    # half the history ended on day 2, half on day 8: still open after day 3 → certainly late
    assert (f.basis, f.history, f.limit_days, f.remaining_days) == ("item", 40, 5, 2)
    assert f.probability == 1.0
    assert not Alert.objects.filter(rule="BREACH_LIKELY").exists()  # the rule is off by default


def test_breach_likely_is_raised_when_on_and_closed_when_the_case_ends(api_client):
    client, _ = api_client
    ForecastConfig.objects.create(enabled=True, threshold=0.6)
    history(client, 40)
    open_case(client, "OPEN-1", "2026-04-27")
    open_case(client, "OPEN-2", "2026-04-30")  # accepted today: about half the history was late
    refresh(at("2026-04-30T23:00:00"))

    alert = Alert.objects.get(rule="BREACH_LIKELY")
    assert (alert.subject_key, alert.level, alert.status) == ("OPEN-1", "notice", "open")
    # about half the history was late (the open cases count as censored): below the threshold, no alert
    assert 0.45 <= CaseForecast.objects.get(case__case_no="OPEN-2").probability <= 0.55

    ingest(client, [ev("OPEN-1", "completed", "2026-05-06T10:00:00+08:00", result="approved", staff="王芳")],
           now=at("2026-05-06T11:00:00"))
    refresh(at("2026-05-06T23:00:00"))
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert alert.changes.last().to_status == "closed"
    assert not CaseForecast.objects.filter(case__case_no="OPEN-1").exists()


def test_the_tick_is_registered_and_refreshes_nightly_or_after_changes_only(api_client):
    client, _ = api_client
    assert ticks.registered()["insight.forecast"] is refresh_tick
    history(client, 40)
    open_case(client, "OPEN-1", "2026-04-27")
    # tomorrow noon: after every case row's updated_at (which is the real time of the ingest)
    first = (datetime.now(TZ) + timedelta(days=1)).replace(hour=12, minute=0)
    assert refresh_tick(first) == 1
    assert refresh_tick(first + timedelta(minutes=30)) == 0  # nothing changed since
    ForecastConfig.objects.update(refreshed_at=first - timedelta(days=1))
    assert refresh_tick(first + timedelta(minutes=31)) == 1  # a new day: the nightly refresh


def test_changing_the_configuration_in_the_admin_is_audited(admin_client, db):
    response = admin_client.post("/admin/insight/forecastconfig/add/", {"enabled": "on", "threshold": "0.7"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="forecast_config")
    assert entry.after == {"enabled": True, "threshold": 0.7}
    pk = ForecastConfig.objects.get().pk
    bad = admin_client.post(f"/admin/insight/forecastconfig/{pk}/change/", {"enabled": "on", "threshold": "1.5"})
    assert bad.status_code == 200  # the form again, with the error
    assert ForecastConfig.objects.get().threshold == 0.7



def test_the_case_api_gives_the_breach_probability_of_open_cases_only(api_client, client):
    api, key = api_client
    history(api, 40)
    open_case(api, "OPEN-1", "2026-04-27")
    ingest(api, [ev("NO-CLOCK", "received", "2026-04-29T09:00:00+08:00", item_code="ITEM-PLAIN")],
           now=at("2026-04-30T12:00:00"))
    assert get_case(client, key, "OPEN-1").json()["breach_probability"] is None  # not forecast yet
    refresh(at("2026-04-30T23:00:00"))

    assert get_case(client, key, "OPEN-1").json()["breach_probability"] == 1.0
    assert get_case(client, key, "H-0001").json()["breach_probability"] is None  # ended
    assert get_case(client, key, "NO-CLOCK").json()["breach_probability"] is None  # no clock
    assert get_case(client, key, "OPEN-1", as_of="2026-04-29T12:00:00+08:00").json()["breach_probability"] is None


def test_an_open_case_whose_clock_started_over_a_year_ago_is_still_forecast(api_client):
    client, _ = api_client
    history(client, 40)
    open_case(client, "OLD-1", "2025-03-03")
    refresh(at("2026-04-30T23:00:00"))
    assert CaseForecast.objects.get(case__case_no="OLD-1").probability == 1.0  # long past its limit


def test_breach_likely_raises_the_cases_alert_level_and_is_in_the_apis_alerts(api_client, client):
    from cases.models import Case
    api, key = api_client
    ForecastConfig.objects.create(enabled=True, threshold=0.4)
    history(api, 40)
    open_case(api, "OPEN-2", "2026-04-30")  # accepted today: about half the history was late, no clock alert
    assert Case.objects.get(case_no="OPEN-2").alert_level == ""
    refresh(at("2026-04-30T23:00:00"))

    assert Case.objects.get(case_no="OPEN-2").alert_level == "notice"  # what the lists filter and count by
    out = get_case(client, key, "OPEN-2", as_of="2026-04-30T23:10:00+08:00").json()  # the API as of that evening
    assert out["alert_level"] == "notice"
    assert [(a["rule"], a["level"], a["status"]) for a in out["alerts"]] == [("BREACH_LIKELY", "notice", "open")]
    before = get_case(client, key, "OPEN-2", as_of="2026-04-30T22:00:00+08:00").json()
    assert before["alerts"] == [] and before["alert_level"] is None  # not raised yet then

    ForecastConfig.objects.update(enabled=False)  # switched off: closed at the next refresh
    refresh(at("2026-04-30T23:30:00"))
    assert Case.objects.get(case_no="OPEN-2").alert_level == ""
    out = get_case(client, key, "OPEN-2", as_of="2026-04-30T23:40:00+08:00").json()
    assert out["alert_level"] is None and out["alerts"][0]["status"] == "closed"


def test_the_ended_cases_are_grouped_alike_in_the_database_and_in_python(api_client):
    """The nightly read of the history: PostgreSQL groups the ended cases with a working-day table; the
    Python grouping (SQLite) is the reference, case by case with the calendar. Both give the same counts."""
    from django.db import connection

    from cases.models import Case
    from insight.forecast import HISTORY, _ended, _ended_sql

    client, _ = api_client
    history(client, 40, late_every=3)
    open_case(client, "OPEN-1", "2026-04-27")
    cal, now = load_calendar(), at("2026-05-06T23:00:00")
    since = now.date() - HISTORY
    cases = Case.objects.filter(clock_start__gte=since, ended_at__isnull=False, promised_due__isnull=False,
                                item_version__isnull=False)
    by_hand = _ended(cases, cal, TZ)
    assert sum(by_hand.values()) == 40 and len(by_hand) == 2  # 2 days used or 8: two groups
    assert {used for (_i, _d, limit, used) in by_hand} == {2, 8}
    if connection.vendor == "postgresql":
        assert _ended_sql(since, cal, TZ) == by_hand


def test_a_case_past_its_due_is_late_not_likely_to_be_no_notice_and_not_listed(api_client, client):
    """Probability 1 says nothing of a case already past its promised date: the clock's overdue alerts name
    it. BREACH_LIKELY is not raised for it (and one raised before closes), and the lists leave it out."""
    from django.contrib.auth import get_user_model

    from insight.views.office import top

    api, _ = api_client
    ForecastConfig.objects.create(enabled=True, threshold=0.6)
    history(api, 40)
    open_case(api, "OPEN-1", "2026-04-27")  # 2 working days left on 04-30
    open_case(api, "LATE-1", "2026-04-13")  # past its 5 working days by 04-30
    refresh(at("2026-04-30T23:00:00"))
    late = CaseForecast.objects.get(case__case_no="LATE-1")
    assert late.probability == 1.0 and late.remaining_days < 0  # stored (the case API gives it)
    assert list(Alert.objects.filter(rule="BREACH_LIKELY").values_list("subject_key", flat=True)) == ["OPEN-1"]

    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    assert [r["case_no"] for r in top(root, 6)] == ["OPEN-1"]
    client.force_login(root)
    page = client.get("/supervision/likely/").content.decode()
    assert "OPEN-1" in page and "LATE-1" not in page

    refresh(at("2026-05-20T23:00:00"))  # OPEN-1 still open, now past its due too
    alert = Alert.objects.get(rule="BREACH_LIKELY", subject_key="OPEN-1")
    assert alert.status == "closed" and top(root, 6) == []


def test_on_a_day_off_a_case_due_the_working_day_before_is_late_not_likely(api_client):
    """Due on Friday 17 April 2026, forecast on Sunday the 19th: remaining is 0 (no working day has passed
    since, DOMAIN.md) but the case is late: no notice, and not on the lists."""
    from datetime import date

    api, _ = api_client
    assert not load_calendar().is_workday(date(2026, 4, 19))
    ForecastConfig.objects.create(enabled=True, threshold=0.6)
    history(api, 40)
    open_case(api, "FRI-1", "2026-04-10")  # 5 working days: due Friday 04-17
    open_case(api, "OPEN-3", "2026-04-16")  # due 04-23: 4 working days left on the 19th
    sunday = at("2026-04-19T23:00:00")
    refresh(sunday)
    assert CaseForecast.objects.get(case__case_no="FRI-1").remaining_days == 0
    assert [f.case_no for f in CaseForecast.objects.not_yet_due(sunday)] == ["OPEN-3"]
    assert not Alert.objects.filter(rule="BREACH_LIKELY", subject_key="FRI-1").exists()
