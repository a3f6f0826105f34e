"""The official calendar is in place after `migrate` alone (issue 16): no `seed_calendar` step before
due dates honour the National Day holidays. The test database itself is made by `migrate`."""
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from clearwindow.testing.fixtures import make_item, new_client
from clearwindow.testing.events import ev, get_case, post
from workdays.models import CalendarDay, CalendarRevision, DayKind, Source, do_open_year, do_set_day, load_calendar
from workdays.seed import package_years

from clearwindow.testing.calendar import empty_calendar

pytestmark = pytest.mark.django_db


def test_it_knows_national_day_2025_and_its_make_up_saturday_after_migrate():
    days = {d.date: d for d in CalendarDay.objects.filter(date__range=(date(2025, 9, 30), date(2025, 10, 14)))}
    assert all(not days[date(2025, 10, n)].is_workday for n in range(1, 9))
    assert days[date(2025, 10, 1)].kind == DayKind.HOLIDAY and days[date(2025, 10, 1)].name == "国庆节"
    assert days[date(2025, 10, 11)].is_workday and days[date(2025, 10, 11)].kind == DayKind.MAKEUP
    assert load_calendar().add_wd(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert CalendarRevision.objects.filter(actor_name="migrate", source=Source.SEED).exists()
    years = package_years()
    assert CalendarDay.objects.filter(date__year=years[-1]).count() >= 365


def test_it_gives_a_case_received_before_national_day_its_due_date_without_a_seed_step(org):  # noqa: F811
    make_item(org["dept"], "ITEM-PLAIN", promised=5)
    _client, key = new_client("xl-approval", departments=[org["dept"]])
    client = Client()
    at = "2025-09-30T09:10:00+08:00"
    reply = post(client, key, [
        ev("XL-2025-0001", "received", at, item_code="ITEM-PLAIN", window="XL-W01", staff="王芳", channel="window",
           applicant={"name": "张三"}),
        ev("XL-2025-0001", "accepted", at, staff="王芳"),
    ])
    assert reply.status_code == 200, reply.content
    case = get_case(client, key, "XL-2025-0001", as_of="2025-10-10T12:00:00+08:00").json()
    assert case["promised_due"] == "2025-10-14"


def test_it_fills_on_migrate_the_years_missing_and_keeps_an_administrators_days(django_user_model):
    admin = django_user_model.objects.create_superuser("cal-admin", "a@example.org", "pw")
    empty_calendar()  # as if the package had learned these years after the last migrate
    do_open_year(2025, admin, "国务院通知尚未录入，先按周一至周五")  # Mon–Fri defaults
    do_set_day(date(2025, 10, 8), True, None, "", admin, "本地调整：10月8日上班")
    call_command("migrate", verbosity=0)
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).kind == DayKind.HOLIDAY  # the default replaced
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).kind == DayKind.MAKEUP
    kept = CalendarDay.objects.get(date=date(2025, 10, 8))
    assert kept.is_workday and kept.source == Source.ADMIN
    assert CalendarDay.objects.filter(date__year=2004).count() == 366
    assert not CalendarDay.objects.filter(source=Source.DEFAULT).exists()
    revisions = CalendarRevision.objects.count()
    call_command("migrate", verbosity=0)  # nothing missing: nothing written
    assert CalendarRevision.objects.count() == revisions
