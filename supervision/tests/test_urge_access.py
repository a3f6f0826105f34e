"""Only the centre that holds an urge now may close it or send it back (issue 14, defect 9).

The attacks: the Xilinhot (county) supervisor closes or returns an urge the League centre issued, and
its own urge after it was escalated to the League — over the API and over the page. The answer stays
the department manager's; system administrators may do all three.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.models import Alert
from core.roles import Role
from supervision.ticks import escalate_overdue_urges
from supervision.models import Urge, UrgeChange

from clearwindow.testing.fixtures import person

from .test_urges import late_case, urge_via_api  # noqa: F401  (fixture)

TZ = ZoneInfo("Asia/Shanghai")


def api(client, user, number, action, text="核查意见"):
    client.force_login(user)
    return client.post(f"/api/v1/urges/{number}/{action}", {"text": text}, content_type="application/json")


def page_post(client, user, number, action, text="核查意见"):
    client.force_login(user)
    return client.post(f"/supervision/urges/{number}/", {"action": action, "text": text})


def buttons(client, user, number):
    client.force_login(user)
    page = client.get(f"/supervision/urges/{number}/")
    assert page.status_code == 200
    html = page.content.decode()
    return {a for a in ("answer", "close", "return") if f'value="{a}"' in html}


def answered_urge(client, people, issuer):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people[issuer], [overdue.pk]).json()[0]["number"]
    assert api(client, people["manager"], number, "answer", "已整改").status_code == 200
    return number


def escalated_urge(client, people):
    """The county centre's own urge, unanswered past its deadline, escalated to the League."""
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["county_supervisor"], [overdue.pk]).json()[0]["number"]
    urge = Urge.objects.get(number=number)
    assert escalate_overdue_urges(datetime.combine(urge.deadline + timedelta(days=1), datetime.min.time(), TZ)) == 1
    assert Urge.objects.get(number=number).centre.region_id == "152500"
    assert api(client, people["manager"], number, "answer", "已整改").status_code == 200
    return number


def assert_untouched(number):
    urge = Urge.objects.get(number=number)
    assert urge.status == "answered" and urge.closed_at is None
    assert not UrgeChange.objects.filter(urge=urge, from_status="answered").exists()
    assert Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE").status == "answered"


@pytest.mark.parametrize("action", ["close", "return"])
def test_it_refuses_a_county_centre_closing_or_returning_a_league_urge_over_the_api(client, late_case, people,
                                                                                    action):
    number = answered_urge(client, people, "league_supervisor")
    reply = api(client, people["county_supervisor"], number, action)
    assert reply.status_code == 403
    assert "锡林郭勒盟监察中心" in reply.json()["error"]
    assert_untouched(number)


@pytest.mark.parametrize("action", ["close", "return"])
def test_it_refuses_a_county_centre_closing_or_returning_its_own_urge_after_escalation(client, late_case, people,
                                                                                       action):
    number = escalated_urge(client, people)
    assert api(client, people["county_supervisor"], number, action).status_code == 403
    assert page_post(client, people["county_supervisor"], number, action).status_code == 403
    assert_untouched(number)


@pytest.mark.parametrize("action", ["close", "return"])
def test_it_refuses_the_same_through_the_page_and_offers_no_buttons(client, late_case, people, action):
    number = answered_urge(client, people, "league_supervisor")
    assert buttons(client, people["county_supervisor"], number) == set()
    assert page_post(client, people["county_supervisor"], number, action).status_code == 403
    assert_untouched(number)
    assert buttons(client, people["league_supervisor"], number) == {"close", "return"}


def test_it_lets_the_centre_that_holds_the_urge_close_and_return_it(client, late_case, people):
    number = escalated_urge(client, people)
    assert buttons(client, people["league_supervisor"], number) == {"close", "return"}
    back = api(client, people["league_supervisor"], number, "return", "答复不具体")
    assert back.status_code == 200 and back.json()["status"] == "issued"
    assert buttons(client, people["manager"], number) == {"answer"}
    assert buttons(client, people["county_supervisor"], number) == set()
    assert api(client, people["manager"], number, "answer", "已重新整改").status_code == 200
    assert page_post(client, people["league_supervisor"], number, "close").status_code == 302
    assert Urge.objects.get(number=number).status == "closed"


def test_it_lets_the_issuing_county_centre_close_its_own_urge_before_any_escalation(client, late_case, people):
    number = answered_urge(client, people, "county_supervisor")
    assert buttons(client, people["county_supervisor"], number) == {"close", "return"}
    assert api(client, people["county_supervisor"], number, "close").json()["status"] == "closed"


def test_it_lets_a_system_administrator_close_any_urge(client, late_case, people):
    admin = person("sysadmin", Role.SYSTEM_ADMIN)
    number = answered_urge(client, people, "league_supervisor")
    assert buttons(client, admin, number) == {"close", "return"}
    assert api(client, admin, number, "close").json()["status"] == "closed"


def test_it_keeps_the_answer_to_the_urged_departments_manager(client, late_case, people):
    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["league_supervisor"], [overdue.pk]).json()[0]["number"]
    assert buttons(client, people["league_supervisor"], number) == set()
    assert api(client, people["county_supervisor"], number, "answer", "代答").status_code == 403
    assert api(client, people["clerk"], number, "answer", "代答").status_code == 403
    assert Urge.objects.get(number=number).status == "issued"
    assert buttons(client, people["manager"], number) == {"answer"}


def test_it_decides_on_the_urge_as_it_is_under_its_lock_not_as_it_was_loaded(client, late_case, people):
    from supervision.access import UrgeForbidden
    from supervision.actions import do_close_urge

    overdue = Alert.objects.get(subject_key="XL-LATE", rule="OVERDUE")
    number = urge_via_api(client, people["county_supervisor"], [overdue.pk]).json()[0]["number"]
    loaded = Urge.objects.get(number=number)  # the county supervisor's page, opened before the escalation
    assert escalate_overdue_urges(datetime.combine(loaded.deadline + timedelta(days=1), datetime.min.time(), TZ)) == 1
    assert api(client, people["manager"], number, "answer", "已整改").status_code == 200
    with pytest.raises(UrgeForbidden):
        do_close_urge(loaded, actor=people["county_supervisor"], note="核查属实")
    assert_untouched(number)
