"""Is the calendar ready for the days ahead? A warning for administrators, or None."""
import calendar as _stdlib_calendar

from django.utils.translation import gettext as _

from .models import days_loaded


def year_days(year):
    return 366 if _stdlib_calendar.isleap(year) else 365


def missing_year(today):
    """The year whose schedule should be in the table by `today` and is not complete: the current year
    always, the next year from December 1 on. None when nothing is missing."""
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    for year in years:
        if days_loaded(year) < year_days(year):
            return year
    return None


def calendar_warning(today):
    """A Chinese message for administrators when a year's schedule is missing, else None."""
    year = missing_year(today)
    if year is None:
        return None
    return _(
        "工作日历尚未录入%(year)s年的节假日安排（已有%(loaded)s天，应有%(total)s天）。"
        "请系统管理员按国务院办公厅发布的%(year)s年部分节假日安排通知，在“后台管理 › 工作日历”中录入"
        "法定节假日和调休上班日；未录入的日期一律按周一至周五上班计算，办件时限可能算错。"
    ) % {"year": year, "loaded": days_loaded(year), "total": year_days(year)}
