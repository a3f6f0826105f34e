"""What the `chinese_calendar` package says about each day (no Django): the seed of the calendar table."""
from datetime import date, timedelta

import chinese_calendar

# chinese_calendar's English holiday names -> the names the State Council's notices use
NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_years():
    """The years the installed package has the State Council's schedule for (2004–2026 in 1.11.0)."""
    known = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return list(range(min(known).year, max(known).year + 1))


def days_of(year):
    d, end = date(year, 1, 1), date(year, 12, 31)
    while d <= end:
        yield d
        d += timedelta(days=1)


def describe(d):
    """(is_workday, kind, name) for one day: kind is workday / weekend / holiday / makeup."""
    is_holiday, name = chinese_calendar.get_holiday_detail(d)
    name = NAMES_ZH.get(name, name or "")
    weekend = d.weekday() >= 5
    if not is_holiday:
        return True, ("makeup" if weekend else "workday"), (name if weekend else "")
    if name:
        return False, "holiday", name
    return False, "weekend", ""


def seed_rows(years):
    """{date: (is_workday, kind, name)} for every day of the given years."""
    return {d: describe(d) for year in years for d in days_of(year)}
