"""Reconciled alerts in the urge loop and on the data-quality page: an urge that covered only withdrawn
alerts is withdrawn with the department told why; a contested withdrawal is confirmed or rejected by
the centre, who, when and why on record (docs/engine.md, "Reconciling alerts")."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from alerts.models import Alert, Notification
from cases.ingest import ingest
from cases.models import CaseEvent
from clearwindow.testing.events import ev
from performance.metrics import REGISTRY, Month
from supervision.actions import do_issue_urges
from supervision.ticks import escalate_overdue_urges
from workdays.models import load_calendar

TZ = ZoneInfo("Asia/Shanghai")
NO = "XL-2026-00014"


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def phantom_red_card(client):
    """A step completed reported before the case's acceptance: NO_ACCEPTANCE on part of the history."""
    ingest(client, [ev(NO, "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-STEPS"),
                    ev(NO, "step_completed", "2026-05-26T10:00:00+08:00", step="cb", staff="李明")],
           now=at("2026-05-26T11:00:00"))
    return Alert.objects.get(subject_key=NO, rule="NO_ACCEPTANCE")


@pytest.fixture
def contested(api_client):
    client, _ = api_client
    alert = phantom_red_card(client)
    # a week later: an acceptance dated before the step (a back-dated event, late by the data-quality rule)
    ingest(client, [ev(NO, "accepted", "2026-05-25T09:30:00+08:00", staff="王芳")], now=at("2026-06-02T09:00:00"))
    alert.refresh_from_db()
    assert alert.contest == "pending" and alert.status == "open"
    return alert


def test_an_urge_that_covered_only_withdrawn_alerts_is_withdrawn_and_the_department_told_why(api_client, org, people):
    client, _ = api_client
    alert = phantom_red_card(client)
    [urge] = do_issue_urges([alert], centre=org["centres"]["152502"], actor=people["county_supervisor"],
                            demand="请说明先办后受的原因", now=at("2026-05-26T11:30:00"))
    ingest(client, [ev(NO, "accepted", "2026-05-25T09:30:00+08:00", staff="王芳")], now=at("2026-05-26T12:00:00"))
    alert.refresh_from_db()
    urge.refresh_from_db()
    assert alert.status == "withdrawn"
    assert urge.status == "withdrawn"
    change = urge.changes.order_by("at", "pk").last()
    assert (change.from_status, change.to_status) == ("issued", "withdrawn")
    told = Notification.objects.get(user=people["manager"], subject__contains="已撤销")
    assert urge.number in told.subject and "完整记录" in told.body
    # nor counted against the department's answers on time in its monthly score
    ontime = REGISTRY["urge_ontime"].fn(Month(date(2026, 5, 1), load_calendar()))
    assert urge.department_id not in ontime or ontime[urge.department_id].den == 0
    # a withdrawn urge is not escalated when its deadline passes
    assert escalate_overdue_urges(at("2026-06-30T12:00:00")) == 0
    alert.refresh_from_db()
    assert alert.level == "red" and not alert.escalated and alert.status == "withdrawn"


def test_an_urge_that_still_covers_a_holding_alert_goes_on(api_client, org, people):
    client, _ = api_client
    alert = phantom_red_card(client)
    ingest(client, [ev("XL-2026-00015", "received", "2026-05-25T09:00:00+08:00", item_code="ITEM-STEPS"),
                    ev("XL-2026-00015", "step_completed", "2026-05-26T10:00:00+08:00", step="cb", staff="李明")],
           now=at("2026-05-26T11:00:00"))
    other = Alert.objects.get(subject_key="XL-2026-00015", rule="NO_ACCEPTANCE")
    [urge] = do_issue_urges([alert, other], centre=org["centres"]["152502"], actor=people["county_supervisor"],
                            demand="请说明先办后受的原因", now=at("2026-05-26T11:30:00"))
    ingest(client, [ev(NO, "accepted", "2026-05-25T09:30:00+08:00", staff="王芳")], now=at("2026-05-26T12:00:00"))
    urge.refresh_from_db()
    assert urge.status == "issued"
    assert Alert.objects.get(pk=alert.pk).status == "withdrawn" and Alert.objects.get(pk=other.pk).status == "urged"


def test_the_data_quality_page_lists_a_contested_alert_with_both_events(client, contested, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/centre/quality/").content.decode()
    step = CaseEvent.objects.get(case_no=NO, type="step_completed")
    late = CaseEvent.objects.get(case_no=NO, type="accepted")
    assert NO in page and "先办后受" in page
    assert f"#{step.pk} " in page and f"#{late.pk} " in page  # the event that raised it and the late one
    assert "NO_ACCEPTANCE" not in page  # codes never reach people


def test_the_centre_confirms_a_contested_withdrawal(client, contested, people):
    client.force_login(people["county_supervisor"])
    reply = client.post(f"/supervision/centre/quality/contests/{contested.pk}/",
                        {"decision": "confirm", "reason": "已调取受理登记簿，受理确在5月25日"})
    assert reply.status_code == 302
    contested.refresh_from_db()
    assert contested.status == "withdrawn" and contested.contest == ""
    rows = list(contested.changes.order_by("at", "pk").values_list("actor_name", "to_status", "note"))
    assert rows[-2][0] == "county_sup" and "已调取受理登记簿" in rows[-2][2]  # who, when (the row's at) and why
    assert rows[-1][:2] == ("system", "withdrawn")
    page = client.get("/supervision/centre/quality/").content.decode()
    assert f"/supervision/cases/{NO}/" not in page  # no longer listed


def test_the_centre_rejects_a_contested_withdrawal_and_the_alert_stands(client, api_client, contested, people):
    client.force_login(people["county_supervisor"])
    client.post(f"/supervision/centre/quality/contests/{contested.pk}/",
                {"decision": "reject", "reason": "受理记录系事后补录，不予采信"})
    contested.refresh_from_db()
    assert contested.status == "open" and contested.contest == "rejected"
    last = contested.changes.order_by("at", "pk").last()
    assert last.actor_name == "county_sup" and "不予采信" in last.note
    # later events of the case do not withdraw it, nor contest it again
    ingest(api_client[0], [ev(NO, "step_completed", "2026-06-02T15:00:00+08:00", step="sh", staff="李明")],
           now=at("2026-06-02T16:00:00"))
    contested.refresh_from_db()
    assert contested.status == "open" and contested.contest == "rejected"


def test_only_the_centre_in_charge_decides_and_a_reason_is_required(client, contested, people):
    url = f"/supervision/centre/quality/contests/{contested.pk}/"
    client.force_login(people["manager"])  # the department may not judge its own late event
    assert client.post(url, {"decision": "confirm", "reason": "x"}).status_code == 403
    client.force_login(people["other_supervisor"])  # another county's centre
    assert client.post(url, {"decision": "confirm", "reason": "x"}).status_code == 404
    client.force_login(people["county_supervisor"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "maybe", "reason": "x"}).status_code == 400
    client.post(url, {"decision": "confirm", "reason": "  "})
    contested.refresh_from_db()
    assert contested.contest == "pending" and contested.status == "open"


def test_the_contest_list_speaks_english_when_asked(client, contested, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/centre/quality/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contested alerts" in page and "Reject, keep the alert" in page and "would be withdrawn" in page
    assert "有争议的告警" not in page
