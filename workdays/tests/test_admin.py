"""The calendar in the admin, as a superuser uses it through the browser's requests."""
from datetime import date

import pytest
from django.utils import timezone

from core.models import AuditEntry
from workdays.models import CalendarDay, CalendarRevision, Source, load_calendar, seed_calendar

from clearwindow.testing.calendar import enter_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_calendar")]  # each starts from an empty table


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def seeded():
    seed_calendar([2025, 2026])


def test_it_lists_days_by_year_and_kind(admin_client, seeded):
    page = admin_client.get("/admin/workdays/calendarday/", {"year": "2025", "kind": "makeup"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2025-10-11" in text or "2025年10月11日" in text
    assert page.context["cl"].result_count == 5
    month = admin_client.get("/admin/workdays/calendarday/", {"date__year": "2025", "date__month": "10"})
    assert month.context["cl"].result_count == 31


def test_it_lists_a_page_with_bounded_queries(admin_client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get("/admin/workdays/calendarday/").status_code == 200


def test_it_saves_an_edit_with_its_reason_through_the_audit(admin_client, seeded):
    url = "/admin/workdays/calendarday/2025-10-08/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"is_workday": "on", "kind": "workday", "name": "",
                                       "reason": "测试：本地上班"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2025, 10, 8))
    assert (day.is_workday, day.source) == (True, Source.ADMIN)
    entry = AuditEntry.objects.get(action="calendar.set_day")
    assert entry.actor == admin_client.user and entry.reason == "测试：本地上班"
    assert day.revision.reason == "测试：本地上班"
    assert load_calendar().is_workday(date(2025, 10, 8))


def test_it_requires_a_reason(admin_client, seeded):
    url = "/admin/workdays/calendarday/2025-10-08/change/"
    response = admin_client.post(url, {"is_workday": "on", "kind": "workday", "name": ""})
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).source == Source.SEED


def test_it_shows_a_contradiction_as_a_form_error(admin_client, seeded):
    url = "/admin/workdays/calendarday/2025-10-08/change/"
    response = admin_client.post(url, {"is_workday": "on", "kind": "holiday", "name": "", "reason": "x"})
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors


def test_it_adds_a_day_of_a_year_not_yet_loaded(admin_client, seeded):
    response = admin_client.post("/admin/workdays/calendarday/add/", {
        "date": "2027-02-06", "is_workday": "on", "kind": "makeup", "name": "春节", "reason": "国办发明电〔2026〕"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 2, 6))
    assert (day.kind, day.source) == ("makeup", Source.ADMIN)
    assert CalendarRevision.objects.filter(source=Source.ADMIN).count() == 1


def test_it_offers_no_deletion(admin_client, seeded):
    assert admin_client.get("/admin/workdays/calendarday/2025-10-08/delete/").status_code == 403


def test_it_shows_the_calendar_warning_on_the_admin_index(admin_client):
    year = timezone.localdate().year
    page = admin_client.get("/admin/").content.decode()
    assert 'id="calendar-warning"' in page and f"{year}年" in page  # nothing loaded at all
    enter_year(year)
    enter_year(year + 1)
    assert 'id="calendar-warning"' not in admin_client.get("/admin/").content.decode()


def test_it_opens_a_new_year_from_the_admin(admin_client, seeded):
    changelist = admin_client.get("/admin/workdays/calendarday/").content.decode()
    assert "/admin/workdays/calendarday/open-year/" in changelist
    assert admin_client.get("/admin/workdays/calendarday/open-year/").status_code == 200
    refused = admin_client.post("/admin/workdays/calendarday/open-year/", {"year": "2027", "reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    response = admin_client.post("/admin/workdays/calendarday/open-year/", {"year": "2027", "reason": "国办通知"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert CalendarDay.objects.filter(date__year=2027, source=Source.DEFAULT).count() == 365
    assert AuditEntry.objects.get(action="calendar.open_year").actor == admin_client.user
