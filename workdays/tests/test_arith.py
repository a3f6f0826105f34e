"""Working-day arithmetic (DOMAIN.md, "Working days"): properties against a day-by-day reference, and the
real 2025/2026 holiday schedules. Pure tests: no database."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workdays.arith import WorkCalendar


class Naive:
    """The definition, day by day."""

    def __init__(self, overrides):
        self.overrides = dict(overrides)

    def is_workday(self, d):
        return self.overrides.get(d, d.weekday() < 5)

    def add_wd(self, d, n):
        while n > 0:
            d += timedelta(days=1)
            n -= self.is_workday(d)
        return d

    def wd_between(self, a, b):
        count = 0
        while a < b:
            a += timedelta(days=1)
            count += self.is_workday(a)
        return count


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def schedule(holidays, makeups):
    overrides = {}
    for first, last in holidays:
        overrides.update({d: False for d in days(first, last)})
    overrides.update({d: True for d in makeups})
    return overrides


CAL_2025 = WorkCalendar(schedule(
    holidays=[(date(2025, 1, 1), date(2025, 1, 1)), (date(2025, 1, 28), date(2025, 2, 4)),
              (date(2025, 10, 1), date(2025, 10, 8))],
    makeups=[date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11)],
))
# chinese_calendar 1.11.0: Spring Festival 2026-02-15…23 off, Sat 02-14 and Sat 02-28 make-up;
# National Day 2026-10-01…07 off, Sun 09-20 and Sat 10-10 make-up.
CAL_2026 = WorkCalendar(schedule(
    holidays=[(date(2026, 2, 15), date(2026, 2, 23)), (date(2026, 10, 1), date(2026, 10, 7))],
    makeups=[date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)],
))

START, END = date(1900, 1, 1), date(2200, 12, 31)
SPAN = (END - START).days


@st.composite
def calendars(draw):
    """Random overrides clustered in a random window: holidays, make-up weekends, redundant entries."""
    base = draw(st.integers(0, SPAN - 800))
    width = draw(st.integers(1, 700))
    offsets = st.integers(base, base + width)
    entries = draw(st.dictionaries(offsets, st.booleans(), max_size=120))
    # long runs of holidays make add_wd skip far, as a Spring Festival does
    for _ in range(draw(st.integers(0, 3))):
        first = draw(offsets)
        entries.update({first + i: False for i in range(draw(st.integers(1, 12)))})
    return {START + timedelta(days=o): v for o, v in entries.items()}


@st.composite
def cal_and_date(draw):
    overrides = draw(calendars())
    if overrides and draw(st.booleans()):
        anchor = draw(st.sampled_from(sorted(overrides)))
        d = anchor + timedelta(days=draw(st.integers(-450, 30)))
    else:
        d = START + timedelta(days=draw(st.integers(0, SPAN - 1000)))
    return overrides, d


@settings(max_examples=300, deadline=None)
@given(cal_and_date(), st.integers(0, 400))
def test_it_adds_working_days_like_counting_day_by_day(case, n):
    overrides, d = case
    assert WorkCalendar(overrides).add_wd(d, n) == Naive(overrides).add_wd(d, n)


@settings(max_examples=300, deadline=None)
@given(cal_and_date(), st.integers(-30, 600))
def test_it_counts_working_days_between_like_counting_day_by_day(case, span):
    overrides, a = case
    b = a + timedelta(days=span)
    assert WorkCalendar(overrides).wd_between(a, b) == Naive(overrides).wd_between(a, b)


@settings(max_examples=200, deadline=None)
@given(cal_and_date(), st.integers(-20, 20))
def test_it_knows_each_day_like_the_definition(case, shift):
    overrides, d = case
    d += timedelta(days=shift)
    assert WorkCalendar(overrides).is_workday(d) == Naive(overrides).is_workday(d)


@settings(max_examples=200, deadline=None)
@given(cal_and_date(), st.integers(0, 400))
def test_it_lands_on_a_working_day_exactly_n_working_days_later(case, n):
    overrides, d = case
    cal = WorkCalendar(overrides)
    result = cal.add_wd(d, n)
    assert cal.wd_between(d, result) == n
    if n:
        assert cal.is_workday(result)
        assert cal.next_workday_after(d) == cal.add_wd(d, 1)


def test_it_returns_the_start_day_for_zero_days_even_on_a_holiday():
    assert CAL_2025.add_wd(date(2025, 10, 3), 0) == date(2025, 10, 3)
    assert CAL_2025.add_wd(date(2025, 10, 4), 0) == date(2025, 10, 4)  # a Saturday in the holiday


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        CAL_2025.add_wd(date(2025, 10, 3), -1)


def test_it_counts_nothing_backwards():
    assert CAL_2025.wd_between(date(2025, 10, 14), date(2025, 9, 30)) == 0
    assert CAL_2025.wd_between(date(2025, 10, 14), date(2025, 10, 14)) == 0


def test_it_follows_monday_to_friday_with_no_overrides():
    plain = WorkCalendar({})
    assert plain.add_wd(date(2025, 10, 3), 1) == date(2025, 10, 6)  # Friday -> Monday
    assert plain.add_wd(date(1900, 1, 1), 5) == date(1900, 1, 8)
    assert plain.wd_between(date(2200, 12, 1), date(2200, 12, 31)) == 22
    assert plain.covered is None


def test_it_matches_the_domain_worked_example():
    assert CAL_2025.add_wd(date(2025, 9, 30), 5) == date(2025, 10, 14)  # Oct 9, 10, 11, 13, 14
    assert CAL_2025.add_wd(date(2025, 9, 30), 20) == date(2025, 11, 4)


def test_it_counts_the_suspension_example():
    assert CAL_2026.wd_between(date(2026, 3, 4), date(2026, 3, 10)) == 4  # Mar 5, 6, 9, 10
    assert CAL_2026.add_wd(date(2026, 3, 2), 10 + 4) == date(2026, 3, 20)


def test_it_treats_national_day_2025_as_the_state_council_set_it():
    assert not any(CAL_2025.is_workday(d) for d in days(date(2025, 10, 1), date(2025, 10, 8)))
    assert CAL_2025.is_workday(date(2025, 9, 28))  # Sunday make-up
    assert CAL_2025.is_workday(date(2025, 10, 11))  # Saturday make-up
    assert CAL_2025.next_workday_after(date(2025, 9, 30)) == date(2025, 10, 9)
    assert CAL_2025.wd_between(date(2025, 9, 26), date(2025, 10, 12)) == 6  # Sep 28, 29, 30, Oct 9, 10, 11


def test_it_counts_working_days_backwards_over_national_day_2025():
    assert CAL_2025.workday_before(date(2025, 10, 9)) == date(2025, 9, 30)
    assert CAL_2025.workday_before(date(2025, 10, 13), 2) == date(2025, 10, 10)  # Sun 12 off, Sat 11 make-up
    assert CAL_2025.workday_before(date(2025, 10, 9), 3) == date(2025, 9, 28)  # the Sunday make-up counts
    with pytest.raises(ValueError):
        CAL_2025.workday_before(date(2025, 10, 9), 0)


def test_it_treats_spring_festival_2025_as_the_state_council_set_it():
    assert not any(CAL_2025.is_workday(d) for d in days(date(2025, 1, 28), date(2025, 2, 4)))
    assert CAL_2025.is_workday(date(2025, 1, 26))  # Sunday make-up
    assert CAL_2025.is_workday(date(2025, 2, 8))  # Saturday make-up
    assert CAL_2025.add_wd(date(2025, 1, 24), 2) == date(2025, 1, 27)  # Fri -> Sun 26 (make-up), Mon 27
    assert CAL_2025.add_wd(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert CAL_2025.wd_between(date(2025, 1, 27), date(2025, 2, 9)) == 4  # Feb 5, 6, 7, 8


def test_it_treats_spring_festival_2026_as_chinese_calendar_has_it():
    assert not any(CAL_2026.is_workday(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert CAL_2026.is_workday(date(2026, 2, 14)) and CAL_2026.is_workday(date(2026, 2, 28))
    assert CAL_2026.add_wd(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL_2026.add_wd(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert CAL_2026.wd_between(date(2026, 2, 13), date(2026, 3, 1)) == 6  # Feb 14, 24, 25, 26, 27, 28


def test_it_treats_national_day_2026_as_chinese_calendar_has_it():
    assert not any(CAL_2026.is_workday(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert CAL_2026.is_workday(date(2026, 9, 20)) and CAL_2026.is_workday(date(2026, 10, 10))
    assert CAL_2026.add_wd(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL_2026.add_wd(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Thu 8, Fri 9, Sat 10
    assert CAL_2026.add_wd(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_it_agrees_with_the_reference_over_the_real_calendars_day_by_day():
    for overrides_cal, year in ((CAL_2025, 2025), (CAL_2026, 2026)):
        naive = Naive({d: overrides_cal.is_workday(d) for d in days(date(year, 1, 1), date(year, 12, 31))})
        for d in days(date(year - 1, 12, 1), date(year, 12, 31)):
            assert overrides_cal.add_wd(d, 7) == naive.add_wd(d, 7)
            assert overrides_cal.wd_between(d, d + timedelta(days=40)) == naive.wd_between(d, d + timedelta(days=40))
