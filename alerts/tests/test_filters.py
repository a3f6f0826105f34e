"""One alert filter (alerts.filters) for the alert list page and the API's GET /alerts: the same
parameters keep the same alerts on both; a value outside a choice is a 400 naming the parameter."""
from datetime import datetime, timezone

import pytest

from alerts.models import Alert

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

QUERIES = [
    {"status": "all"}, {"status": "open"}, {"status": "active"}, {"status": "closed"},
    {"status": "all", "level": "red"}, {"status": "all", "rule": "LEGAL_OVERDUE"},
    {"status": "all", "region": "152502"}, {"status": "all", "department": "dL"},
    {"status": "all", "from": "2026-03-03"}, {"status": "all", "to": "2026-03-02"},
    {"status": "all", "from": "2026-03-02", "to": "2026-03-02", "level": "yellow"},
]


@pytest.fixture
def alerts(cast):
    """Besides the cast's four open yellow OVERDUE alerts (raised 2026-03-02 17:00 local): a red
    LEGAL_OVERDUE raised the next local day, closed, in the county."""
    dept = cast["dC"]
    Alert.objects.create(subject_type="case", subject_key="kC", rule="LEGAL_OVERDUE", level="red",
                         raised_at=datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc), status="closed",
                         department=dept, region=dept.region)
    return cast


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_the_page_and_the_api_keep_the_same_alerts(client, alerts, query):
    client.force_login(alerts.users["league_sup"])
    page = client.get("/supervision/alerts/", query)
    api = client.get("/api/v1/alerts", query)
    assert page.status_code == api.status_code == 200
    on_page = sorted(a.pk for a in page.context["page"].object_list)
    assert on_page == sorted(row["id"] for row in api.json())
    assert on_page  # each query keeps at least one alert of the League's jurisdiction


def test_the_two_defaults_differ_only_in_status(client, alerts):
    client.force_login(alerts.users["league_sup"])
    page = {a.pk for a in client.get("/supervision/alerts/").context["page"].object_list}
    api = {row["id"] for row in client.get("/api/v1/alerts").json()}
    assert page == set(Alert.objects.filter(pk__in=api, status="open").values_list("pk", flat=True))
    assert api - page  # the API's default lists the closed one too


@pytest.mark.parametrize("name,value", [("status", "bogus"), ("level", "purple"), ("rule", "NO_SUCH_RULE"),
                                        ("from", "2026-02-30"), ("to", "yesterday")])
def test_a_bad_value_is_a_400_naming_the_parameter_on_both(client, alerts, name, value):
    client.force_login(alerts.users["league_sup"])
    page = client.get("/supervision/alerts/", {name: value})
    api = client.get("/api/v1/alerts", {name: value})
    assert page.status_code == api.status_code == 400
    assert f"参数“{name}”有误" in page.content.decode() and api.json()["error"].startswith(f"{name}: ")
