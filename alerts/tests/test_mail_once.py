"""Each notification's e-mail is sent at most once (issue 14, defect 8; docs/engine.md, the worker).

A real SMTP server on the loopback receives what the sender sends.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from alerts.models import Notification
from alerts.notify import notify
from alerts.ticks import send_pending_mail
from core.testing.smtp import free_port, smtp_server
from clearwindow.testing.fixtures import person

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=TZ)


@pytest.fixture
def smtp(settings):
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield inbox


@pytest.mark.django_db
def test_it_never_sends_again_a_mail_a_worker_took_but_did_not_mark(smtp):
    user = person("reader", "dept_manager")
    taken, fresh = notify([user], "已被取走"), notify([user], "待发送")
    # a worker claimed this one and died between handing it to the server and marking it
    Notification.objects.filter(pk=taken[0].pk).update(email_claimed_at=NOW)
    assert send_pending_mail(NOW) == 1
    assert send_pending_mail(NOW) == 0
    assert [m.rcpt_tos for m in smtp.messages] == [["reader@example.org"]]
    assert Notification.objects.get(pk=fresh[0].pk).emailed_at == NOW
    kept = Notification.objects.get(pk=taken[0].pk)
    assert kept.emailed_at is None and kept.email_error == ""  # taken, outcome unknown: visible, not re-sent


@pytest.mark.django_db
def test_it_gives_the_batch_back_when_the_mail_server_cannot_be_reached(settings):
    user = person("reader", "dept_manager")
    notify([user], "稍后发送")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    assert send_pending_mail(NOW) == 0
    note = Notification.objects.get()
    assert note.email_claimed_at is None and note.emailed_at is None  # still queued for the next tick
