"""The back-office home page: who you are, your role and your scope."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def test_it_sends_the_public_to_log_in(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_a_supervisor_their_role_and_centre(client, cast):
    client.force_login(cast.users["county_sup"])
    html = client.get(HOME).content.decode()
    assert "监察中心督查员" in html and "锡林浩特市监察中心" in html and "county_sup" in html
    assert reverse("admin:index") not in html


def test_it_shows_a_clerk_their_department_and_window(client, cast):
    client.force_login(cast.users["clerk_L"])
    html = client.get(HOME).content.decode()
    assert "窗口工作人员" in html and "部门L" in html and "窗口wL1" in html


def test_it_links_the_admin_for_administrators(client, cast):
    client.force_login(cast.users["superuser"])
    html = client.get(HOME).content.decode()
    assert "系统管理员" in html and reverse("admin:index") in html


def test_it_says_when_a_user_has_no_role(client, cast):
    client.force_login(cast.users["outsider"])
    assert "未分配角色" in client.get(HOME).content.decode()


def test_it_renders_in_english(client, cast):
    client.force_login(cast.users["county_sup"])
    client.cookies["django_language"] = "en"
    html = client.get(HOME).content.decode()
    assert "Centre supervisor" in html and "Signed in as" in html


def test_it_warns_when_the_working_day_calendar_is_missing_this_year(client, cast):
    from clearwindow.testing.calendar import empty_calendar

    empty_calendar()  # migrate seeded the years the package knows: a year it does not know is missing
    client.force_login(cast.users["league_admin"])
    html = client.get(HOME).content.decode()
    assert "工作日历提醒" in html and "工作日历尚未录入" in html


def test_it_says_nothing_when_the_calendar_is_loaded(client, cast):
    from django.utils import timezone

    from clearwindow.testing.calendar import enter_year
    today = timezone.localdate()
    for year in {today.year, today.year + 1}:
        enter_year(year)
    client.force_login(cast.users["league_admin"])
    assert "工作日历提醒" not in client.get(HOME).content.decode()
