"""The deployment's time zone (settings.TIME_ZONE): every "which day is it" of the system goes
through here. local_date is on ingest's hot path: keep it one conversion."""
from zoneinfo import ZoneInfo

from django.conf import settings


def tz():
    return ZoneInfo(settings.TIME_ZONE)


def local_date(instant):
    return instant.astimezone(tz()).date()
