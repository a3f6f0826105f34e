"""Notifications: in-app rows first; e-mail sent from them by the worker (alerts.send_mail tick)."""
import logging

from django.conf import settings
from django.core.mail import get_connection, EmailMessage

from .models import Notification

log = logging.getLogger(__name__)


def notify(users, subject, body="", url=""):
    """One in-app notification per user (users without a log-in are skipped)."""
    rows = [Notification(user=u, subject=subject[:200], body=body, url=url, email_wanted=bool(u.email))
            for u in {u.pk: u for u in users if u is not None}.values()]
    Notification.objects.bulk_create(rows)
    return rows


def send_pending_mail(now, limit=200):
    """Send the e-mail of notifications not yet mailed; record success or the error. Returns how many."""
    pending = list(Notification.objects.filter(email_wanted=True, emailed_at=None, email_error="")
                   .select_related("user")[:limit])
    if not pending:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except OSError as err:  # mail server away: keep them pending, try again next tick
        log.warning("mail server unavailable: %s", err)
        return 0
    with connection:
        for note in pending:
            link = f"\n\n{settings.SITE_URL.rstrip('/')}{note.url}" if note.url else ""
            message = EmailMessage(note.subject, note.body + link, settings.DEFAULT_FROM_EMAIL, [note.user.email],
                                   connection=connection)
            try:
                message.send()
                note.emailed_at = now
            except Exception as err:  # an SMTP failure must not stop the worker; it is kept on the row
                log.warning("mail to %s failed: %s", note.user.email, err)
                note.email_error = str(err)[:300]
    Notification.objects.bulk_update(pending, ["emailed_at", "email_error"])
    return len(pending)
