"""The assessment's time-based work, registered with core.ticks in apps.py ("performance.close_month")."""
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from core.claims import try_lock
from workdays.zone import local_date

from . import scoring
from .actions import do_score_month
from .models import Period

def close_previous_month(now):
    """The tick: at period close, score the month that just ended (once). There is no row to claim
    before the month is scored: the worker takes the month's lock (core.claims.try_lock; another
    worker holding it is scoring it) and checks again under it that the month has no period yet."""
    previous = (local_date(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    if Period.objects.filter(month=previous).exists():
        return 0
    if not any(scoring.scheme_for(g, previous) for g in ("league_dept", "county_gov")):
        return 0
    with transaction.atomic():
        if not try_lock(f"performance.close_month:{previous:%Y-%m}") or Period.objects.filter(month=previous).exists():
            return 0
        do_score_month(previous, actor="supervise", now=now, note=_("月末自动计算"))
    return 1
