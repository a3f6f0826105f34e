from django.utils import timezone

from evaluations import demo
from evaluations.models import FollowUp, Rating

from .conftest import make_case


def test_it_adds_demo_ratings_once(api_client, items, people):
    for _ in range(3):
        make_case(api_client[0], "ITEM-PLAIN", completed=True)
    first = demo.populate(timezone.now())
    assert first["devices"] == 1 and first["ratings"] == 3
    again = demo.populate(timezone.now())
    assert again["ratings"] == 0 and Rating.objects.count() == 3
    assert FollowUp.objects.count() == Rating.objects.filter(level__in=["dissatisfied", "very_dissatisfied"]).count()


def test_the_readme_kiosk_link_opens_a_kiosk_at_any_demo_window(client, org, people):
    """README: /evaluations/kiosk/?token=dev_demo_EV-<window code> — for every window, not the first six."""
    from orgs.models import Window

    for n in range(2, 10):
        Window.objects.create(code=f"XL-W{n:02d}", name=f"{n}号窗口", hall=org["hall"], department=org["dept"])
    assert demo.populate(timezone.now())["devices"] == 9
    for code in ("XL-W01", "XL-W07", "XL-W09"):
        opened = client.get("/evaluations/kiosk/", {"token": f"dev_demo_EV-{code}"})
        assert opened.status_code == 302, code  # registered: the token goes into a cookie
        page = client.get(opened.url)
        assert page.templates[0].name == "evaluations/kiosk.html", code  # not "unregistered"


def test_it_rates_cases_of_the_banners_and_counties_not_only_the_leagues(org, league_dept, monkeypatch):
    """Case numbers start with the region code: the demo once rated the first numbers only, all the
    League's, and the banner and county governments showed no rating at all."""
    from datetime import datetime, timezone as dt_timezone

    from cases.models import Case

    monkeypatch.setattr(demo, "MAX_CASES", 15)  # the demo's 1,500 among 17,000 cases, at a test's scale
    ended = datetime(2026, 3, 6, 3, tzinfo=dt_timezone.utc)
    for dept in (league_dept, org["dept"], org["other_dept"]):
        for n in range(20):
            Case.objects.create(case_no=f"{dept.region_id}-20260302-{n:06d}", department=dept, region=dept.region,
                                status="completed", received_at=ended, ended_at=ended)
    assert demo.populate(timezone.now())["ratings"] == 15
    per_region = {code: Rating.objects.filter(region_id=code).count() for code in ("152500", "152502", "152522")}
    assert all(n >= 2 for n in per_region.values()), per_region
