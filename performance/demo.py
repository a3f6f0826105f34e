"""Demo data: the default indicator schemes, and the last 12 months scored, reviewed and published."""
from datetime import timedelta

from workdays.zone import local_date

from .actions import do_publish_period, do_review_period, do_score_month
from .defaults import do_load_default_schemes
from .models import Period, PeriodStatus

MONTHS = 12


def last_months(now, n=MONTHS):
    """The first days of the n months before the month of `now`, oldest first."""
    first = local_date(now).replace(day=1)
    months = []
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def populate(now):
    schemes = do_load_default_schemes(actor="demo_setup")
    published = 0
    done = set(Period.objects.filter(status=PeriodStatus.PUBLISHED).values_list("month", flat=True))
    for month in last_months(now):
        if month in done:
            continue
        period = do_score_month(month, actor="demo_setup", now=now)
        do_review_period(period, actor="demo_setup", now=now)
        do_publish_period(period, actor="demo_setup", now=now)
        published += 1
    return {"schemes": schemes, "published months": published}
