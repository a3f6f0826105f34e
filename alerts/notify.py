"""Notifications: in-app rows first; e-mail sent from them by the worker (alerts.ticks, the alerts.send_mail tick)."""
from .models import Notification


def notify(users, subject, body="", url=""):
    """One in-app notification per user (users without a log-in are skipped)."""
    rows = [Notification(user=u, subject=subject[:200], body=body, url=url, email_wanted=bool(u.email))
            for u in {u.pk: u for u in users if u is not None}.values()]
    Notification.objects.bulk_create(rows)
    return rows
