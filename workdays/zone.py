"""The deployment's time zone (settings.TIME_ZONE): every "which day is it" of the system goes
through here. local_date is on ingest's hot path (tens of thousands of calls a batch): the zone is
looked up once per process, again only when a test changes the setting."""
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed

from core.params import date_param


@cache
def tz():
    return ZoneInfo(settings.TIME_ZONE)


def local_date(instant):
    return instant.astimezone(tz()).date()


def _time_zone_changed(setting, **kwargs):
    if setting == "TIME_ZONE":
        tz.cache_clear()


setting_changed.connect(_time_zone_changed)


def midnight(day):
    """The instant a local day begins."""
    return datetime.combine(day, time.min, tzinfo=tz())


def days_filter(field, query, start="from", end="to"):
    """The lookups that keep an instant `field` within the local days given by the query parameters
    `start` … `end`, both included, either optional: {field__gte: the first day's midnight,
    field__lt: the midnight after the last}. A bad date is a BadParam naming its parameter. The one
    date-range filter of the pages and the API (the alert list, the case search, the ratings' statistics)."""
    return days_range(field, date_param(query, start), date_param(query, end))


def days_range(field, first=None, last=None):
    """The lookups that keep an instant `field` within the local days `first` … `last` (dates, both
    included, either None): what days_filter gives for dates already read (a page's default period)."""
    lookups = {}
    if first:
        lookups[f"{field}__gte"] = midnight(first)
    if last:
        lookups[f"{field}__lt"] = midnight(last + timedelta(days=1))
    return lookups
