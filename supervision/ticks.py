"""The urge loop's time-based work, registered with core.ticks in apps.py."""
from django.db import transaction

from core.claims import claim
from workdays.zone import local_date

from .actions import do_escalate_urge
from .models import Urge, UrgeStatus

ESCALATE_BATCH = 50


def escalate_overdue_urges(now, *, batch=ESCALATE_BATCH, limit=500):
    """Urges not answered by the end of their deadline: yellow cards become red, and the urge goes to
    the centre one level up (once). Several workers share the work: each batch is claimed (core.claims)
    and escalated in the claiming transaction, and an urge escalated by another worker no longer
    matches (`escalated`). Returns how many urges were escalated."""
    today = local_date(now)
    count = 0
    while count < limit:
        with transaction.atomic():
            urges = list(claim(Urge.objects.filter(status=UrgeStatus.ISSUED, deadline__lt=today, escalated=False)
                               .select_related("centre__region").order_by("pk"))[:min(batch, limit - count)])
            for urge in urges:
                do_escalate_urge(urge, now=now)
        if not urges:
            break
        count += len(urges)
    return count
