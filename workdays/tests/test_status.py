"""The warning that asks administrators to enter next year's schedule, and its tick."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core import ticks
from workdays.models import CalendarDay, seed_calendar
from workdays.status import calendar_warning

from clearwindow.testing.calendar import enter_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_calendar")]  # each starts from an empty table
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def seeded_2026():
    seed_calendar([2026])


def test_it_says_nothing_before_december(seeded_2026):
    assert calendar_warning(date(2026, 11, 30)) is None


def test_it_warns_from_december_first_when_next_year_is_missing(seeded_2026):
    warning = calendar_warning(date(2026, 12, 1))
    assert "2027年" in warning and "国务院" in warning
    assert calendar_warning(date(2026, 12, 31)) == warning


def test_it_says_nothing_once_next_year_is_entered(seeded_2026):
    enter_year(2027)
    assert calendar_warning(date(2026, 12, 1)) is None


def test_it_warns_when_next_year_is_only_partly_entered(seeded_2026):
    enter_year(2027)
    CalendarDay.objects.filter(date__gte=date(2027, 7, 1)).delete()
    assert "2027年" in calendar_warning(date(2026, 12, 15))


def test_it_warns_about_the_current_year_when_it_is_missing(seeded_2026):
    assert "2027年" in calendar_warning(date(2027, 3, 1))


def test_it_counts_one_in_the_tick_while_the_warning_stands(seeded_2026, caplog):
    tick = ticks.registered()["workdays.calendar_warning"]
    assert tick(datetime(2026, 11, 30, 12, tzinfo=TZ)) == 0
    assert tick(datetime(2026, 12, 1, 9, tzinfo=TZ)) == 1
    assert "2027年" in caplog.text
