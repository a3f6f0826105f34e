"""Statistics computed from the ratings (pages, Excel, API) and the ratings API for other channels."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from clearwindow.testing.fixtures import new_client
from evaluations.ticks import tick_default_ratings
from evaluations.models import EvaluationSettings, Rating

from .conftest import make_case
from .test_rating import rate


@pytest.fixture
def rated(api_client, items, people):
    client = api_client[0]
    for level in ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied"):
        rate(make_case(client, "ITEM-PLAIN"), level=level, source=f"web:{level}")


def test_it_shows_counts_and_rates_per_department(client, rated, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/office/evaluations/statistics/?by=department").content.decode()
    assert "锡林浩特市市场监督管理局" in page and "75.0%" in page and "25.0" in page


def test_it_exports_the_same_numbers_to_excel(client, rated, people):
    client.force_login(people["manager"])
    response = client.get("/office/evaluations/statistics/?by=staff&format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[0] == "名称" and row[0] == "clerk（clerk）"
    assert row[1:8] == [1, 1, 1, 1, 0, 4, 75.0]


def test_it_shows_nothing_outside_the_scope(client, rated, people):
    client.force_login(people["other_manager"])
    assert "75.0%" not in client.get("/office/evaluations/statistics/").content.decode()


def test_it_counts_the_ratings_of_the_local_days_asked_for_on_the_page_and_by_api(client, rated, people):
    client.force_login(people["county_supervisor"])
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    assert "75.0%" in client.get(f"/office/evaluations/statistics/?start={today}&end={today}").content.decode()
    assert "75.0%" not in client.get(f"/office/evaluations/statistics/?end={yesterday}").content.decode()
    rows = client.get(f"/api/v1/ratings/statistics?start={today}&end={today}").json()
    assert sum(r["total"] for r in rows) == 4
    assert client.get(f"/api/v1/ratings/statistics?end={yesterday}").json() == []
    bad = client.get("/api/v1/ratings/statistics?start=2026-13-01")
    assert bad.status_code == 400 and "start" in bad.content.decode()


def test_it_publishes_hall_and_department_satisfaction(client, rated):
    page = client.get("/evaluations/satisfaction/").content.decode()
    assert "锡林浩特市政务服务中心" in page and "75.0%" in page and "clerk" not in page


def test_it_keeps_default_ratings_off_and_apart(api_client, items):
    case = make_case(api_client[0], "ITEM-PLAIN", completed=True)
    Rating.objects.all().delete()
    case.ended_at = timezone.now() - timezone.timedelta(days=20)
    case.save()
    assert tick_default_ratings(timezone.now()) == 0  # off by default
    EvaluationSettings.objects.create(default_rating_enabled=True, default_rating_days=15)
    assert tick_default_ratings(timezone.now()) == 1
    rating = Rating.objects.get()
    assert rating.is_default and rating.channel == "system"
    from evaluations import stats

    t = stats.total(Rating.objects.all())
    assert t.total == 0 and t.defaults == 1


def api(client, key, body):
    return client.post("/api/v1/ratings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_accepts_a_hotline_rating_by_api(client, api_client, case):
    response = api(client, api_client[1], {"case_no": case.case_no, "stage": "acceptance", "level": 4,
                                           "channel": "hotline", "comment": "排队太久"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == "dissatisfied" and body["is_bad"] and body["follow_up_deadline"]
    assert api(client, api_client[1], {"case_no": case.case_no, "stage": "acceptance", "level": 1}).status_code == 409


def test_it_refuses_foreign_cases_bad_levels_and_bad_keys_by_api(client, api_client, items, org):
    foreign_client, foreign_key = new_client("other", departments=[org["other_dept"]])
    case = make_case(api_client[0], "ITEM-PLAIN")
    response = api(client, foreign_key, {"case_no": case.case_no, "stage": "acceptance", "level": 1})
    assert response.status_code == 404 and "case_no" in response.json()["error"]
    response = api(client, api_client[1], {"case_no": case.case_no, "stage": "acceptance", "level": 9})
    assert response.status_code == 400 and "out of range" in response.json()["error"]
    assert api(client, "cw_wrong", {"case_no": case.case_no, "level": 1}).status_code == 401


def test_it_binds_a_device_rating_to_the_service_just_done(client, device, case):
    response = client.post("/api/v1/ratings/device", {"level": 2}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {device[1]}")
    assert response.status_code == 201, response.content
    assert response.json()["case_no"] == case.case_no
    assert client.post("/api/v1/ratings/device", {"level": 2}, content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer dev_unknown").status_code == 401


def test_a_rate_with_nothing_to_divide_reads_no_data_not_a_dash(client, org, people, back_to_the_default_language):
    """No ratings yet: the satisfaction and rectification rates are 无数据 / No data, never "—", 0 or 100."""
    page = client.get("/evaluations/satisfaction/").content.decode()
    assert page.count('<span class="no-data">无数据</span>') >= 2 and ">—%" not in page and ">—<" not in page
    english = client.get("/evaluations/satisfaction/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english.count('<span class="no-data">No data</span>') >= 2
    client.force_login(people["county_supervisor"])
    office = client.get("/office/evaluations/").content.decode()
    kpis = office[office.index('class="kpi'):office.rindex('class="kpi')]
    assert office.count('<span class="no-data">无数据</span>') >= 3 and "—" not in kpis  # satisfaction, follow-up, rectification
