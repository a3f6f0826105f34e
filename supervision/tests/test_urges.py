"""The urge loop end to end: alerts from real events, an urge, the answer, verification, escalation."""
import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from alerts.models import Alert, AlertChange, Notification
from cases.models import Case
from clearwindow.testing.events import ev, post
from supervision.ticks import escalate_overdue_urges
from supervision.models import Urge

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def late_case(client, api_client):
    """A case accepted in 2025 and never completed: yellow OVERDUE and red LEGAL_OVERDUE by now."""
    _, key = api_client
    at = "2025-09-30T09:10:00+08:00"
    post(client, key, [ev("XL-LATE", "received", at, item_code="ITEM-PLAIN"), ev("XL-LATE", "accepted", at, staff="a")])
    return Case.objects.get(case_no="XL-LATE")


def urge_via_api(client, user, alert_ids, demand="请说明超期原因并整改"):
    client.force_login(user)
    return client.post("/api/v1/urges", {"alert_ids": alert_ids, "demand": demand, "answer_days": 3},
                       content_type="application/json")


def test_it_takes_an_alert_through_urge_answer_and_close(client, late_case, people):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    reply = urge_via_api(client, people["county_supervisor"], [overdue.pk])
    assert reply.status_code == 201, reply.content
    number = reply.json()[0]["number"]
    overdue.refresh_from_db()
    assert overdue.status == "urged"
    assert Notification.objects.filter(user=people["manager"], subject__contains=number).exists()

    client.force_login(people["manager"])
    answered = client.post(f"/api/v1/urges/{number}/answer", {"text": "已查明原因，立即办结"},
                           content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"

    client.force_login(people["county_supervisor"])
    closed = client.post(f"/api/v1/urges/{number}/close", {"text": "核查属实"}, content_type="application/json")
    assert closed.json()["status"] == "closed"
    overdue.refresh_from_db()
    assert overdue.status == "closed"
    steps = list(AlertChange.objects.filter(alert=overdue).values_list("to_status", "actor_name"))
    assert steps == [("open", "system"), ("urged", "county_sup"), ("answered", "manager"), ("closed", "county_sup")]
    late_case.refresh_from_db()
    assert late_case.alert_level == "red"  # the red LEGAL_OVERDUE is still open


def test_it_sends_an_answer_back(client, late_case, people):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["county_supervisor"], [overdue.pk]).json()[0]["number"]
    client.force_login(people["manager"])
    client.post(f"/api/v1/urges/{number}/answer", {"text": "已处理"}, content_type="application/json")
    client.force_login(people["county_supervisor"])
    back = client.post(f"/api/v1/urges/{number}/return", {"text": "答复不具体"}, content_type="application/json")
    assert back.json()["status"] == "issued"
    overdue.refresh_from_db()
    assert overdue.status == "urged"


def test_it_refuses_urges_outside_jurisdiction_and_by_the_wrong_role(client, late_case, people):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    assert urge_via_api(client, people["other_supervisor"], [overdue.pk]).status_code == 400
    assert urge_via_api(client, people["manager"], [overdue.pk]).status_code == 403
    number = urge_via_api(client, people["league_supervisor"], [overdue.pk]).json()[0]["number"]
    client.force_login(people["other_manager"])
    assert client.post(f"/api/v1/urges/{number}/answer", {"text": "x"},
                       content_type="application/json").status_code == 404
    client.force_login(people["clerk"])
    assert client.post(f"/api/v1/urges/{number}/answer", {"text": "x"},
                       content_type="application/json").status_code == 403


def test_it_turns_an_unanswered_yellow_card_red_and_escalates(client, late_case, people):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    assert overdue.level == "yellow" and overdue.centre.region_id == "152502"
    urge_via_api(client, people["county_supervisor"], [overdue.pk])
    urge = Urge.objects.get()
    day_after = datetime.combine(urge.deadline + timedelta(days=1), datetime.min.time(), TZ)
    assert escalate_overdue_urges(day_after - timedelta(minutes=1)) == 0  # still on time on the deadline day
    assert escalate_overdue_urges(day_after) == 1
    overdue.refresh_from_db()
    urge.refresh_from_db()
    assert overdue.level == "red" and overdue.escalated and overdue.centre.region_id == "152500"
    assert urge.escalated and urge.centre.region_id == "152500"
    assert Notification.objects.filter(user=people["league_supervisor"]).exists()
    assert escalate_overdue_urges(day_after + timedelta(days=3)) == 0  # only once


def test_it_offers_simple_pages_for_the_loop(client, late_case, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/alerts/")
    assert page.status_code == 200 and "XL-LATE" in page.content.decode()
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    done = client.post("/supervision/alerts/", {"alert": [overdue.pk], "demand": "限期整改", "answer_days": "3"})
    assert done.status_code == 302
    number = Urge.objects.get().number
    client.force_login(people["manager"])
    detail = client.get(f"/supervision/urges/{number}/")
    assert "限期整改" in detail.content.decode() and 'value="answer"' in detail.content.decode()
    client.post(f"/supervision/urges/{number}/", {"action": "answer", "text": "已整改"})
    assert Urge.objects.get().status == "answered"
    client.force_login(people["other_manager"])
    assert client.get(f"/supervision/urges/{number}/").status_code == 404


def test_it_mails_notifications_through_a_real_smtp_server(settings, late_case, people):
    from alerts.notify import notify
    from alerts.ticks import send_pending_mail
    from core.testing.smtp import smtp_server

    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        notify([people["manager"]], "督办单 DB-TEST", "请答复")
        assert send_pending_mail(datetime.now(TZ)) == 1
    assert [m.rcpt_tos for m in inbox.messages] == [["manager@example.org"]]
    message = email.message_from_bytes(inbox.messages[0].content, policy=email.policy.default)
    assert message["Subject"] == "督办单 DB-TEST"
    assert "请答复" in message.get_body().get_content()
    assert Notification.objects.get(subject="督办单 DB-TEST").emailed_at is not None
    assert not mail.outbox


def test_it_refuses_to_urge_an_alert_that_has_no_department(client, late_case, people, org):
    from datetime import datetime, timezone

    centre_kept = Alert.objects.create(subject_type="complaint", subject_key="TS-1", rule="OVERDUE", level="yellow",
                                       raised_at=datetime(2026, 3, 2, tzinfo=timezone.utc), region=org["county"])
    reply = urge_via_api(client, people["county_supervisor"], [centre_kept.pk])
    assert reply.status_code == 400 and "TS-1" in reply.json()["error"]
    assert not Urge.objects.exists()


def test_it_offers_accountability_from_a_card_on_the_alert_list(client, late_case, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/alerts/?status=open&level=red").content.decode()
    red = Alert.objects.get(subject_key="XL-LATE", rule="LEGAL_OVERDUE")
    assert f"/accountability/new/?alert={red.pk}" in page


def test_an_english_urge_page_is_titled_urge_and_the_list_urges(client, late_case, people):
    """One urge reads "Urge XL…" (title and heading), the list "Urges"; the admin names both forms."""
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["county_supervisor"], [overdue.pk]).json()[0]["number"]
    client.cookies["django_language"] = "en"
    page = client.get(f"/supervision/urges/{number}/").content.decode()
    assert f"<title>Urge {number} · " in page and "<title>Urges" not in page
    assert "<h1" in page and "Urge <span" in page
    assert f'href="/supervision/cases/XL-LATE/">XL-LATE</a>' in page  # the urged alert leads to its case
    listing = client.get("/supervision/urges/").content.decode()
    assert "<title>Urges · " in listing and '<h1 class="page-title">Urges</h1>' in listing
    from django.utils import translation

    with translation.override("en"):
        assert (str(Urge._meta.verbose_name), str(Urge._meta.verbose_name_plural)) == ("Urge", "Urges")


def test_change_logs_name_people_not_log_in_names(client, late_case, people):
    """The urge's and the alert's change histories say who acted by their names (乌兰, 巴特尔), never by the
    log-in names county_sup / manager."""
    from orgs.models import Staff

    Staff.objects.filter(user=people["county_supervisor"]).update(name="乌兰")
    Staff.objects.filter(user=people["manager"]).update(name="巴特尔")
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["county_supervisor"], [overdue.pk]).json()[0]["number"]
    client.force_login(people["manager"])
    client.post(f"/api/v1/urges/{number}/answer", {"text": "已查明原因"}, content_type="application/json")
    client.force_login(people["county_supervisor"])
    for lang in ("zh-hans", "en"):
        client.cookies["django_language"] = lang
        for url in (f"/supervision/urges/{number}/", "/supervision/cases/XL-LATE/"):
            page = client.get(url).content.decode()
            log = page[page.index('<ol class="notes">'):]
            assert "乌兰" in log and "巴特尔" in log, url
            assert "county_sup" not in log and ">manager<" not in log and " manager " not in log, url
