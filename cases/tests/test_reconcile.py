"""Stored alerts are reconciled with the clock's findings on the case's full history whenever its
events change (docs/engine.md, "Reconciling alerts"): withdrawn, moved, re-raised — and contested,
not withdrawn, when only a late-arriving event asks for it."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from alerts.models import Alert
from cases.ingest import ingest
from cases.models import Case, CaseEvent
from cases.ticks import sweep
from performance.metrics import REGISTRY, Month
from supervision.models import DayTally
from supervision.tally import rebuild
from workdays.models import load_calendar

from clearwindow.testing.events import ev

TZ = ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def alerts_of(no):
    return {(a.rule, a.step): a for a in Alert.objects.filter(subject_type="case", subject_key=no)}


def test_the_issues_example_a_phantom_no_acceptance_is_withdrawn_when_accepted_arrives(api_client):
    """…-00014: received and accepted on 05-25, step completed the next day; the step_completed came
    in a batch before the accepted, so a red NO_ACCEPTANCE was raised on part of the history."""
    client, _ = api_client
    no = "XL-2026-00014"
    received = ev(no, "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-STEPS")
    accepted = ev(no, "accepted", "2026-05-25T09:30:00+08:00", staff="王芳")
    step = ev(no, "step_completed", "2026-05-26T10:00:00+08:00", step="cb", staff="李明")
    ingest(client, [received, step], now=at("2026-05-26T11:00:00"))
    assert alerts_of(no)[("NO_ACCEPTANCE", "")].status == "open"
    assert Case.objects.get(case_no=no).alert_level == "red"

    ingest(client, [accepted], now=at("2026-05-26T11:05:00"))  # on time: one working day after it occurred

    alert = alerts_of(no)[("NO_ACCEPTANCE", "")]
    assert alert.status == "withdrawn" and alert.contest == ""
    last = alert.changes.order_by("at", "pk").last()
    assert (last.from_status, last.to_status) == ("open", "withdrawn")
    accepted_seq = CaseEvent.objects.get(case_no=no, type="accepted").pk
    assert f"#{accepted_seq} accepted" in last.note  # the change row names the event that withdrew it
    assert Case.objects.get(case_no=no).alert_level == ""  # a withdrawn alert is not active
    # not counted: live counters (the day's red cards) and the department's monthly score
    assert sum(DayTally.objects.values_list("reds", flat=True)) == 0
    reds = REGISTRY["alerts_red"].fn(Month(date(2026, 5, 1), load_calendar()))
    assert alert.department_id not in reds or reds[alert.department_id].num == 0


def test_accept_late_raised_on_part_of_a_history_is_moved_to_the_full_historys_instant(api_client):
    """ACCEPT_LATE at the lapse of the first window, where the supplement events (which came later)
    put it at the lapse of the second one. Imported history reconciles without contest."""
    client, _ = api_client
    no = "XL-2026-00020"
    now = at("2026-06-30T12:00:00")
    ingest(client, [ev(no, "received", "2026-06-01T09:00:00+08:00", item_code="ITEM-PLAIN")], now=now,
           historical=True)
    first = alerts_of(no)[("ACCEPT_LATE", "")].raised_at
    assert first == at("2026-06-09T00:00:00")
    ingest(client, [ev(no, "supplement_requested", "2026-06-05T10:00:00+08:00", materials=["身份证复印件"]),
                    ev(no, "supplement_received", "2026-06-10T10:00:00+08:00")], now=now, historical=True)
    alert = alerts_of(no)[("ACCEPT_LATE", "")]
    assert alert.raised_at == at("2026-06-18T00:00:00")  # the window opened on 06-10 ended on 06-17
    assert alert.status == "open" and alert.contest == ""
    assert "触发时间更正" in alert.changes.order_by("at", "pk").last().note
    # the live counters moved it from one day to the other: they are what a recount from the tables gives
    assert not DayTally.objects.filter(day=date(2026, 6, 9), yellows__gt=0).exists()
    assert counters() == (rebuild(), counters())[1]


def counters():
    return sorted((d.day, d.department_id, d.window_key, d.notices, d.yellows, d.reds)
                  for d in DayTally.objects.all() if d.notices or d.yellows or d.reds)


def test_a_back_dated_accepted_that_would_erase_a_red_card_makes_it_contested_not_withdrawn(api_client):
    client, _ = api_client
    no = "XL-2026-00031"
    ingest(client, [ev(no, "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-STEPS"),
                    ev(no, "step_completed", "2026-05-26T10:00:00+08:00", step="cb", staff="李明")],
           now=at("2026-05-26T11:00:00"))
    # a week later the department "finds" an acceptance dated before the step
    late = ev(no, "accepted", "2026-05-25T09:30:00+08:00", staff="王芳")
    ingest(client, [late], now=at("2026-06-02T09:00:00"))
    alert = alerts_of(no)[("NO_ACCEPTANCE", "")]
    assert alert.status == "open" and alert.contest == "pending"
    assert alert.contest_detail["would"] == "withdraw"
    assert [e["type"] for e in alert.contest_detail["events"]] == ["accepted"]
    assert Case.objects.get(case_no=no).alert_level == "red"  # still counts until the centre decides
    # a sweep (no event arrives) does not act on it either
    sweep(at("2026-06-02T10:00:00"))
    assert alerts_of(no)[("NO_ACCEPTANCE", "")].status == "open"


def test_an_alert_withdrawn_and_later_found_again_is_re_raised(api_client):
    client, _ = api_client
    no = "XL-2026-00040"
    ingest(client, [ev(no, "received", "2026-06-01T09:00:00+08:00", item_code="ITEM-PLAIN")],
           now=at("2026-06-01T10:00:00"))
    sweep(at("2026-06-09T08:00:00"))
    assert alerts_of(no)[("ACCEPT_LATE", "")].raised_at == at("2026-06-09T00:00:00")
    # the request for a supplement, made on the window's last day, arrives the next working day
    ingest(client, [ev(no, "supplement_requested", "2026-06-08T16:00:00+08:00", materials=["身份证复印件"])],
           now=at("2026-06-09T10:00:00"))
    assert alerts_of(no)[("ACCEPT_LATE", "")].status == "withdrawn"
    ingest(client, [ev(no, "supplement_received", "2026-06-10T09:00:00+08:00")], now=at("2026-06-10T10:00:00"))
    sweep(at("2026-06-18T08:00:00"))  # the new window (06-10 + 5 working days) lapsed
    alert = alerts_of(no)[("ACCEPT_LATE", "")]
    assert alert.status == "open" and alert.raised_at == at("2026-06-18T00:00:00")
    assert [c.to_status for c in alert.changes.order_by("at", "pk")] == ["open", "withdrawn", "open"]
    assert Alert.objects.filter(subject_key=no, rule="ACCEPT_LATE").count() == 1  # the same row: never deleted, never duplicated


def test_a_sweep_with_an_older_now_does_not_withdraw_what_a_later_ingest_raised(api_client):
    """A sweeper takes its `now` when its tick starts; an ingest that commits meanwhile may raise an
    alert at an instant after it. The sweep's clock cannot see that instant, and must not withdraw it."""
    from cases.projection import recompute

    client, _ = api_client
    no = "XL-2026-00050"
    ingest(client, [ev(no, "received", "2026-05-26T09:00:00+08:00", item_code="ITEM-STEPS"),
                    ev(no, "step_completed", "2026-05-26T10:59:00+08:00", step="cb", staff="李明")],
           now=at("2026-05-26T11:00:00"))
    recompute([no], at("2026-05-26T10:58:00"))
    alert = alerts_of(no)[("NO_ACCEPTANCE", "")]
    assert alert.status == "open" and alert.changes.count() == 1
