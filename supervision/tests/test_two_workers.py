"""Two real `supervise` workers started together never act twice (issue 14, defect 8).

Before the fix, two workers over 337 overdue urges wrote two escalation rows for 335 of them and sent
692 notifications and e-mails twice. Here two `manage.py supervise --once` processes run against the
test database at the same moment: the test holds an exclusive lock on the tables the ticks read
until both workers wait on it, then lets them go, so they race on the same rows. Then every overdue
urge has exactly one escalation, every recipient one notification per event, every pending e-mail
went out once (to a real SMTP server on the loopback), and each overdue complaint has one alert.
"""
import email
import email.policy
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from alerts.models import Alert, Notification
from alerts.notify import notify
from complaints.models import Complaint
from clearwindow.testing.records import submit_complaint as submit
from core.testing.smtp import smtp_server
from supervision.models import Urge, UrgeChange

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row claims: PostgreSQL (SQLite has one writer)"),
]

TZ = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]
URGES, COMPLAINTS, MAILS = 300, 40, 120


def overdue_urges(org, n):
    """n urges of the county centre to one department, each for one yellow card, past their deadline."""
    county = org["centres"]["152502"]
    at = datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
    alerts = Alert.objects.bulk_create([
        Alert(subject_type="case", subject_key=f"TW-{i}", rule="OVERDUE", level="yellow", status="urged", raised_at=at,
              department=org["dept"], region=org["county"], centre=county) for i in range(n)])
    urges = Urge.objects.bulk_create([
        Urge(number=f"DB20261102-{i + 1:04d}", centre=county, department=org["dept"], demand="请说明超期原因并整改",
             issued_at=at, deadline=date(2026, 11, 5)) for i in range(n)])
    Urge.alerts.through.objects.bulk_create([
        Urge.alerts.through(urge_id=u.pk, alert_id=a.pk) for u, a in zip(urges, alerts)])
    return urges


def database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def waiting_workers(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted AND relation = ANY(%s::regclass[])",
                       [tables])
        return cursor.fetchone()[0]


def run_two_workers(port):
    env = dict(os.environ, DATABASE_URL=database_url(), EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
               EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), PYTHONUNBUFFERED="1")
    tables = [Notification._meta.db_table, Urge._meta.db_table, Complaint._meta.db_table]
    workers = []
    try:
        with transaction.atomic():  # the gate: both workers block on their first read of these tables
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            workers = [subprocess.Popen([sys.executable, "manage.py", "supervise", "--once"], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                       for _ in range(2)]
            deadline = time.monotonic() + 120
            while waiting_workers(tables) < 2:
                assert all(w.poll() is None for w in workers), "a worker ended before reaching the gate"
                assert time.monotonic() < deadline, "the workers did not reach the gate in time"
                time.sleep(0.1)
        # committed: both go at once
        return [w.communicate(timeout=240)[0] for w in workers]
    finally:
        for w in workers:
            w.kill()


def test_two_workers_escalate_notify_and_mail_each_thing_once(org, calendar_seeded, people):
    urges = overdue_urges(org, URGES)
    complaints = [submit(org, subject=f"窗口推诿 {i}", now=datetime(2026, 3, 2, 10, 0, tzinfo=TZ))[0]
                  for i in range(COMPLAINTS)]
    for i in range(MAILS):
        notify([people["manager"]], f"待发邮件 {i}", "正文")
    pending = {(n.user.email, n.subject) for n in Notification.objects.select_related("user")}
    assert len(pending) == Notification.objects.count() < 200  # one worker's batch could take them all

    with smtp_server() as (inbox, port):
        outputs = run_two_workers(port)
    for out in outputs:
        assert "Traceback" not in out and "failed" not in out, out

    # every overdue urge escalated exactly once: one change row, one level up, one notification each
    escalations = Counter(UrgeChange.objects.filter(actor_name="supervise").values_list("urge_id", flat=True))
    assert escalations == Counter({u.pk: 1 for u in urges})
    assert set(Urge.objects.values_list("escalated", "centre__region_id")) == {(True, "152500")}
    assert Alert.objects.filter(subject_key__startswith="TW-", level="red", escalated=True).count() == URGES
    for who in ("county_supervisor", "league_supervisor", "manager"):
        got = Counter(Notification.objects.filter(user=people[who], subject__contains="逾期未答复")
                      .values_list("subject", flat=True))
        assert len(got) == URGES and set(got.values()) == {1}, who

    # every overdue complaint: one alert, and one notification to each of the county centre's staff
    overdue = Counter(Alert.objects.filter(subject_type="complaint").values_list("subject_key", flat=True))
    assert overdue == Counter({c.number: 1 for c in complaints})
    got = Counter(Notification.objects.filter(user=people["county_supervisor"], subject__startswith="投诉咨询超期")
                  .values_list("subject", flat=True))
    assert len(got) == COMPLAINTS and set(got.values()) == {1}

    # every e-mail pending before the workers started went out exactly once
    sent = Counter((envelope.rcpt_tos[0], email.message_from_bytes(envelope.content, policy=email.policy.default)
                    ["Subject"].strip()) for envelope in inbox.messages)
    assert set(sent) == pending and set(sent.values()) == {1}
    mailed = Notification.objects.filter(emailed_at__isnull=False)
    assert mailed.count() == len(pending) and not Notification.objects.exclude(email_error="").exists()
