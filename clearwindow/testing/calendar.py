from workdays.models import CalendarDay, DayKind, Source
from workdays.seed import days_of


def enter_year(year):
    """What an administrator's entries for a whole year leave in the table (plain Mon–Fri here)."""
    CalendarDay.objects.bulk_create([
        CalendarDay(date=d, is_workday=d.weekday() < 5,
                    kind=DayKind.WORKDAY if d.weekday() < 5 else DayKind.WEEKEND, source=Source.ADMIN)
        for d in days_of(year)], ignore_conflicts=True)  # days already in the table (seeded) stay


def empty_calendar():
    """Start from the empty table of a database whose migrate did not seed it (the tests of seeding,
    opening a year and the warning). Inside the test's transaction: rolled back after it."""
    from workdays.models import CalendarRevision, invalidate_calendar

    CalendarDay.objects.all()._raw_delete(CalendarDay.objects.db)  # no per-row signals for ~8,400 rows
    CalendarRevision.objects.all().delete()
    invalidate_calendar()


def days_holding_workdays(n):
    """How many days up to today hold `n` working days before today: a demo history of that many days
    has cases whatever day the suite runs on (a Sunday, a holiday week)."""
    from django.utils import timezone

    from workdays.models import load_calendar
    from workdays.zone import local_date

    today = local_date(timezone.now())
    return (today - load_calendar().workday_before(today, n)).days + 1
