from workdays.models import CalendarDay, DayKind, Source
from workdays.seed import days_of


def enter_year(year):
    """What an administrator's entries for a whole year leave in the table (plain Mon–Fri here)."""
    CalendarDay.objects.bulk_create([
        CalendarDay(date=d, is_workday=d.weekday() < 5,
                    kind=DayKind.WORKDAY if d.weekday() < 5 else DayKind.WEEKEND, source=Source.ADMIN)
        for d in days_of(year)])
