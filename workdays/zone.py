"""The deployment's time zone (settings.TIME_ZONE): every "which day is it" of the system goes
through here. local_date is on ingest's hot path (tens of thousands of calls a batch): the zone is
looked up once per process, again only when a test changes the setting."""
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed


@cache
def tz():
    return ZoneInfo(settings.TIME_ZONE)


def local_date(instant):
    return instant.astimezone(tz()).date()


def _time_zone_changed(setting, **kwargs):
    if setting == "TIME_ZONE":
        tz.cache_clear()


setting_changed.connect(_time_zone_changed)
