"""Working-day arithmetic (DOMAIN.md, "Working days"). Pure: no Django, no clock, no I/O.

A day is a working day when the overrides say so, and otherwise when it is Monday–Friday.
Everything is answered from a cumulative count C(d) = working days in (EPOCH, d]:

- outside the overridden range C is whole-week arithmetic (5 working days per 7), O(1);
- inside it a precomputed array holds C itself, so C(d) is one list lookup;
- add_wd inverts C: a list of the range's working days (as dates) inside it, the week formula outside it.

No call loops day by day. add_wd and wd_between are the hot path of the case clock (cases.clock):
they do the in-range lookups inline rather than through _count/_nth.
"""
from datetime import date
from typing import Mapping

EPOCH = date(1899, 12, 31).toordinal()  # a Sunday: day 1 after it is a Monday


def _plain_count(t):
    """Mon–Fri days in (EPOCH, EPOCH + t]; valid for any integer t (negative too)."""
    weeks, rest = divmod(t, 7)
    return 5 * weeks + min(rest, 5)


def _plain_inverse(k):
    """The smallest t with _plain_count(t) == k (a Mon–Fri day)."""
    weeks, rest = divmod(k - 1, 5)
    return 7 * weeks + rest + 1


def _plain_workday(ordinal):
    return (ordinal - EPOCH) % 7 in (1, 2, 3, 4, 5)


class WorkCalendar:
    """Working days from a mapping date -> is_workday; other dates follow Monday–Friday."""

    def __init__(self, overrides: Mapping[date, bool]):
        self._overrides = {d.toordinal(): bool(v) for d, v in overrides.items()}
        if not self._overrides:
            self._lo, self._hi = 1, 0  # empty range: every lookup falls through to the week formula
            self._cum, self._work, self._work_dates, self._end_delta, self._before = [], [], [], 0, 0
            self._size = self._n_work = 0
            return
        self._lo, self._hi = min(self._overrides), max(self._overrides)
        self._precompute()

    def _precompute(self):
        """_cum[i] = C(lo + i); _work = the range's working days (ordinals, and the same as dates);
        _end_delta = what the overrides add to C after the range; _before = C(lo - 1)."""
        self._before = _plain_count(self._lo - 1 - EPOCH)  # no override before lo
        cum, work, running, count = [], [], 0, self._before
        for ordinal in range(self._lo, self._hi + 1):
            plain = _plain_workday(ordinal)
            actual = self._overrides.get(ordinal, plain)
            running += actual - plain
            count += actual
            cum.append(count)
            if actual:
                work.append(ordinal)
        self._cum, self._work, self._end_delta = cum, work, running
        self._work_dates = [date.fromordinal(ordinal) for ordinal in work]
        self._size, self._n_work = len(cum), len(work)

    @property
    def covered(self):
        """(first, last) overridden date, or None when there are no overrides."""
        if self._lo > self._hi:
            return None
        return date.fromordinal(self._lo), date.fromordinal(self._hi)

    def _count(self, ordinal):
        """C: working days in (EPOCH, ordinal]."""
        index = ordinal - self._lo
        if 0 <= index < len(self._cum):
            return self._cum[index]
        plain = _plain_count(ordinal - EPOCH)
        return plain if index < 0 else plain + self._end_delta

    def _nth(self, k):
        """The working day d with C(d) == k."""
        index = k - self._before - 1
        if 0 <= index < len(self._work):
            return self._work[index]
        if index < 0:
            return _plain_inverse(k) + EPOCH
        return _plain_inverse(k - self._end_delta) + EPOCH

    def is_workday(self, d: date) -> bool:
        ordinal = d.toordinal()
        return self._overrides.get(ordinal, _plain_workday(ordinal))

    def add_wd(self, d: date, n: int) -> date:
        """The n-th working day after d; add_wd(d, 0) == d, even when d is not a working day."""
        if n < 0:
            raise ValueError(f"add_wd: n must be >= 0, got {n}")
        if n == 0:
            return d
        index = d.toordinal() - self._lo
        k = (self._cum[index] if 0 <= index < self._size else self._count(index + self._lo)) + n
        index = k - self._before - 1
        if 0 <= index < self._n_work:
            return self._work_dates[index]
        return date.fromordinal(self._nth(k))

    def wd_between(self, a: date, b: date) -> int:
        """Working days x with a < x <= b; 0 when b <= a."""
        if b <= a:
            return 0
        lo = self._lo
        i, j = a.toordinal() - lo, b.toordinal() - lo
        if 0 <= i and j < self._size:  # both in range (i < j)
            cum = self._cum
            return cum[j] - cum[i]
        return self._count(j + lo) - self._count(i + lo)

    def next_workday_after(self, d: date) -> date:
        return self.add_wd(d, 1)

    def workday_before(self, d: date, n: int = 1) -> date:
        """The n-th working day before d (n >= 1); for back-dating demo and test data, not for limits."""
        if n < 1:
            raise ValueError(f"workday_before: n must be >= 1, got {n}")
        while n:
            d = date.fromordinal(d.toordinal() - 1)
            n -= self.is_workday(d)
        return d

    def __repr__(self):
        return f"<WorkCalendar {len(self._overrides)} overrides, covered={self.covered}>"

