"""Query parameters, bounded: the one way views and API endpoints read a number, a date, a month or
an instant from a query string. Each reader returns the value (or the default when the parameter is
absent or empty) and raises `BadParam`, naming the parameter, for anything else: not a number,
out of range, an impossible date, a year outside 2000-2099. `core.middleware.BadParams` answers a
BadParam with 400 (a page naming the parameter, or JSON `{"error": "<name>: ..."}` under /api/),
and refuses a NUL byte in any query parameter the same way (PostgreSQL cannot compare text with NUL).
Page numbers of lists go through Django's `Paginator.get_page`, which already turns anything into
page 1 or the last page. Decisions: docs/engine.md, "Query parameters"."""
import re
from datetime import date, datetime, timezone

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)  # no record of this system is older; ingest refuses earlier instants too
LATEST = date(2099, 12, 31)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class BadParam(ValueError):
    """A query parameter that cannot be read; `str()` is '<name>: <what was expected>'."""

    def __init__(self, name, expected, **params):
        self.name, self._expected, self._params = name, expected, params
        super().__init__(name)

    @property
    def expected(self):
        """What was expected, in the language active now (the API answers in English)."""
        return str(self._expected) % self._params if self._params else str(self._expected)

    def __str__(self):
        return f"{self.name}: {self.expected}"


def _raw(query, name):
    value = query.get(name) if hasattr(query, "get") else query
    return (value or "").strip() or None


def required(value, name):
    """`value`, read by one of the readers below, unless the parameter was absent or empty."""
    if value is None:
        raise BadParam(name, _("必须填写"))
    return value


def int_param(query, name, *, default, lo, hi):
    """A whole number lo…hi (query: a QueryDict or the raw string)."""
    raw = _raw(query, name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?\d{1,20}", raw) or not lo <= int(raw) <= hi:
        raise BadParam(name, _("应为 %(lo)s 到 %(hi)s 之间的整数"), lo=lo, hi=hi)
    return int(raw)


def _bounded(day, name):
    if not EARLIEST <= day <= LATEST:
        raise BadParam(name, _("日期应在 %(lo)s 到 %(hi)s 之间"), lo=EARLIEST, hi=LATEST)
    return day


def date_param(query, name, default=None):
    """A date YYYY-MM-DD within EARLIEST…LATEST."""
    raw = _raw(query, name)
    if raw is None:
        return default
    m = _DATE.fullmatch(raw)
    try:
        day = date(*map(int, m.groups())) if m else None
    except ValueError:
        day = None
    if day is None:
        raise BadParam(name, _("应为日期，格式如 2026-03-01"))
    return _bounded(day, name)


def choice_param(query, name, choices, default=""):
    """One of `choices` (codes); absent or empty: `default`. The error does not list the codes (codes
    never reach pages): the page's form and the API's schema offer them."""
    raw = _raw(query, name)
    if raw is None:
        return default
    if raw not in choices:
        raise BadParam(name, _("不是可选的值"))
    return raw


def month_param(query, name, default=None):
    """A month YYYY-MM, as the date of its first day, within EARLIEST…LATEST."""
    raw = _raw(query, name)
    if raw is None:
        return default
    m = _MONTH.fullmatch(raw)
    if not m or not 1 <= int(m[2]) <= 12:
        raise BadParam(name, _("应为月份，格式如 2026-03"))
    return _bounded(date(int(m[1]), int(m[2]), 1), name)


def instant_param(query, name, default=None, *, epoch=False, tz=None):
    """An instant: ISO 8601 with a UTC offset (with `tz`, one without is read as local time there),
    or, with `epoch`, whole seconds since 1970; its date within EARLIEST…LATEST."""
    raw = _raw(query, name)
    if raw is None:
        return default
    instant = None
    if epoch and raw.isdigit() and len(raw) <= 11:
        instant = datetime.fromtimestamp(int(raw), timezone.utc)
    else:
        try:
            instant = parse_datetime(raw.replace("Z", "+00:00").replace(" ", "T", 1))
        except (ValueError, OverflowError):
            instant = None
        if instant is not None and instant.tzinfo is None:
            instant = instant.replace(tzinfo=tz) if tz is not None else None
    if instant is None:
        raise BadParam(name, _("应为带时区的时间，格式如 2026-03-01T09:30:00+08:00"))
    _bounded(instant.date(), name)
    return instant
