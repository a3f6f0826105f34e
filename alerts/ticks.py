"""The alerts app's time-based work, registered with core.ticks in apps.py ("alerts.send_mail"): the
e-mail copies of notifications (alerts.notify writes them; this sends each at most once)."""
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from core.claims import claim

from .models import Notification

log = logging.getLogger(__name__)

def send_pending_mail(now, limit=200):
    """Send the e-mail of notifications not yet mailed, each at most once; record success or the
    error. Returns how many were handed to the mail server.

    Several workers may run: a batch is claimed (core.claims) and marked taken (`email_claimed_at`)
    in a transaction that commits *before* the mail server is contacted; each message is then marked
    sent (`emailed_at`) or failed (`email_error`) as soon as the server answered. At most once: a
    crash between the claim and the mark leaves the row taken with neither mark — that one message
    may or may not have gone out, and it is never sent again (a second copy of an official notice is
    worse than one to check by hand; the row says so). A mail server that cannot be reached before
    anything was sent gives the batch back to the queue."""
    with transaction.atomic():
        pending = list(claim(Notification.objects.filter(email_wanted=True, email_claimed_at=None, emailed_at=None,
                                                         email_error="").select_related("user").order_by("pk"))[:limit])
        if not pending:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_claimed_at=now)
    connection = get_connection()
    try:
        connection.open()
    except OSError as err:  # mail server away: nothing was sent, so the batch goes back to the queue
        log.warning("mail server unavailable: %s", err)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_claimed_at=None)
        return 0
    with connection:
        for note in pending:
            link = f"\n\n{settings.SITE_URL.rstrip('/')}{note.url}" if note.url else ""
            message = EmailMessage(note.subject, note.body + link, settings.DEFAULT_FROM_EMAIL, [note.user.email],
                                   connection=connection)
            try:
                message.send()
            except Exception as err:  # an SMTP failure must not stop the worker; it is kept on the row
                log.warning("mail to %s failed: %s", note.user.email, err)
                Notification.objects.filter(pk=note.pk).update(email_error=str(err)[:300])
            else:
                Notification.objects.filter(pk=note.pk).update(emailed_at=now)
    return len(pending)
