"""The calendar's tick: log the warning while a year's schedule is missing."""
import logging

from django.utils import timezone

from .status import calendar_warning

log = logging.getLogger("workdays")


def calendar_warning_tick(now):
    """1 when the calendar needs an administrator (and the warning is logged), else 0."""
    warning = calendar_warning(timezone.localdate(now))
    if warning:
        log.warning(warning)
    return int(bool(warning))
