"""The calendar table: seeding from chinese_calendar, administrator edits, revisions and audit,
load_calendar."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.models import AuditEntry
from workdays.models import (CalendarDay, CalendarRevision, DayKind, Source, do_open_year, do_set_day, known_years,
                             load_calendar, seed_calendar)
from workdays.seed import package_years

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_calendar")]  # each starts from an empty table


@pytest.fixture
def seeded():
    return seed_calendar([2025, 2026])


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("calendar-admin", "a@example.org", "pw")


def test_it_seeds_every_year_the_package_knows():
    result = seed_calendar()
    years = package_years()
    assert years[0] == 2004 and years[-1] >= 2026
    assert known_years() == years
    total = sum(366 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 365 for y in years)
    assert CalendarDay.objects.count() == total == result["created"]


def test_it_marks_national_day_2025_and_its_make_up_saturday(seeded):
    holiday = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert (holiday.is_workday, holiday.kind, holiday.name, holiday.source) == (False, DayKind.HOLIDAY, "国庆节",
                                                                                 Source.SEED)
    makeup = CalendarDay.objects.get(date=date(2025, 10, 11))
    assert (makeup.is_workday, makeup.kind, makeup.name) == (True, DayKind.MAKEUP, "国庆节")
    assert CalendarDay.objects.get(date=date(2025, 10, 12)).kind == DayKind.WEEKEND
    assert CalendarDay.objects.get(date=date(2025, 10, 13)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节"


def test_it_seeds_idempotently(seeded):
    revisions, audits = CalendarRevision.objects.count(), AuditEntry.objects.count()
    again = seed_calendar([2025, 2026])
    assert again == {"created": 0, "updated": 0, "kept_admin": 0, "revision": None}
    assert CalendarRevision.objects.count() == revisions and AuditEntry.objects.count() == audits
    assert CalendarDay.objects.count() == 365 * 2


def test_it_records_the_seeding_as_a_revision_and_an_audit_entry(seeded):
    revision = CalendarRevision.objects.get(pk=seeded["revision"])
    assert revision.source == Source.SEED and revision.changed == 730
    assert CalendarDay.objects.filter(revision=revision).count() == 730
    entry = AuditEntry.objects.get(action="calendar.seed", object_id=str(revision.pk))
    assert entry.actor_name == "seed_calendar" and entry.after["created"] == 730


def test_it_keeps_an_administrators_edit_when_seeding_again(seeded, admin_user):
    do_set_day(date(2025, 10, 8), True, DayKind.WORKDAY, "", admin_user, "本地调整（测试）")
    result = seed_calendar([2025, 2026])
    assert result["kept_admin"] == 1 and result["created"] == result["updated"] == 0
    day = CalendarDay.objects.get(date=date(2025, 10, 8))
    assert (day.is_workday, day.source) == (True, Source.ADMIN)


def test_it_corrects_a_seeded_day_the_package_describes_differently(seeded):
    CalendarDay.objects.filter(date=date(2025, 10, 2)).update(is_workday=True, kind=DayKind.WORKDAY, name="")
    result = seed_calendar([2025])
    assert result["updated"] == 1
    assert CalendarDay.objects.get(date=date(2025, 10, 2)).kind == DayKind.HOLIDAY


def test_it_audits_an_administrators_edit_with_before_after_and_reason(seeded, admin_user):
    do_set_day(date(2026, 12, 31), False, DayKind.HOLIDAY, "地方节日", admin_user, "盟行署通知")
    entry = AuditEntry.objects.get(action="calendar.set_day")
    assert entry.actor == admin_user and entry.object_id == "2026-12-31" and entry.reason == "盟行署通知"
    assert entry.before == {"is_workday": True, "kind": "workday", "name": "", "source": "seed"}
    assert entry.after == {"is_workday": False, "kind": "holiday", "name": "地方节日", "source": "admin"}
    revision = CalendarDay.objects.get(date=date(2026, 12, 31)).revision
    assert revision.source == Source.ADMIN and revision.actor == admin_user and revision.reason == "盟行署通知"


def test_it_refuses_an_edit_without_a_reason_or_with_a_contradiction(seeded, admin_user):
    with pytest.raises(ValidationError) as no_reason:
        do_set_day(date(2025, 10, 8), True, DayKind.WORKDAY, "", admin_user, "  ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as contradiction:
        do_set_day(date(2025, 10, 8), True, DayKind.HOLIDAY, "", admin_user, "x")
    assert "kind" in contradiction.value.message_dict
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).source == Source.SEED
    assert not AuditEntry.objects.filter(action="calendar.set_day").exists()


def test_it_lets_an_administrator_enter_a_year_the_package_does_not_know(admin_user):
    do_set_day(date(2027, 1, 1), False, None, "元旦", admin_user, "国办发明电")
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    assert (day.kind, day.source) == (DayKind.HOLIDAY, Source.ADMIN)
    assert known_years() == [2027]


def test_it_loads_the_table_as_a_work_calendar_and_sees_an_edit(seeded, admin_user):
    cal = load_calendar()
    assert cal.add_wd(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert load_calendar() is cal  # cached while nothing changed
    do_set_day(date(2025, 10, 13), False, DayKind.HOLIDAY, "临时休息", admin_user, "测试")
    edited = load_calendar()
    assert edited is not cal
    assert edited.add_wd(date(2025, 9, 30), 5) == date(2025, 10, 15)


def test_it_follows_monday_to_friday_outside_the_table(seeded):
    cal = load_calendar()
    assert cal.add_wd(date(2027, 9, 30), 1) == date(2027, 10, 1)  # 2027 not loaded: a plain Friday
    assert cal.wd_between(date(2026, 12, 31), date(2027, 1, 8)) == 6


def test_it_seeds_through_the_management_command(capsys):
    call_command("seed_calendar", "--year", "2025")
    assert "365 days created" in capsys.readouterr().out
    call_command("seed_calendar", "--year", "2025")
    assert "(no change)" in capsys.readouterr().out


def test_it_opens_a_new_year_monday_to_friday_and_seeding_later_replaces_only_the_defaults(admin_user):
    assert do_open_year(2025, admin_user, "录入2025年安排") == 365
    assert do_open_year(2025, admin_user, "again") == 0
    do_set_day(date(2025, 10, 1), False, DayKind.HOLIDAY, "国庆", admin_user, "通知")
    assert AuditEntry.objects.filter(action="calendar.open_year", reason="录入2025年安排").count() == 1
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).is_workday is False  # default: a Saturday
    result = seed_calendar([2025])  # the package learned the year
    assert result["kept_admin"] == 1 and result["updated"] > 0
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).source == Source.SEED
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).is_workday is True
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆"  # the admin's own entry stays
    assert CalendarDay.objects.filter(date__year=2025, source=Source.DEFAULT).count() == 0
