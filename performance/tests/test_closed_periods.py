"""Only closed periods are published (issue 16): a running month can be scored as a preview but not
reviewed or published (refused, and no button); a quarterly bulletin or a year-end evaluation is
public only once its period has ended and every scored month of it is published; the League centre
may preview a running one, clearly marked, never public."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.utils import timezone

from performance.actions import PerformanceError, do_publish_period, do_review_period, do_score_month

from clearwindow.testing.clients import login
from clearwindow.testing.records import case

from .conftest import MARCH, NOW

DURING_MARCH = datetime(2026, 3, 20, 2, 0, tzinfo=dt_timezone.utc)
DURING_MAY = datetime(2026, 5, 20, 2, 0, tzinfo=dt_timezone.utc)


def publish(first):
    period = do_score_month(first, actor="test", now=NOW)
    do_review_period(period, actor="test")
    return do_publish_period(period, actor="test")


def test_it_refuses_to_review_or_publish_a_month_that_has_not_ended(world):
    case(world["dept"])
    period = do_score_month(MARCH, actor="test", now=DURING_MARCH)  # a preview: allowed
    with pytest.raises(PerformanceError, match="统计期尚未结束，不能审核"):
        do_review_period(period, actor="test", now=DURING_MARCH)
    do_review_period(period, actor="test", now=NOW)
    with pytest.raises(PerformanceError, match="统计期尚未结束，不能发布"):
        do_publish_period(period, actor="test", now=datetime(2026, 3, 31, 15, 59, tzinfo=dt_timezone.utc))
    # 2026-04-01 00:00 in Beijing is 2026-03-31 16:00 UTC: the month has ended
    midnight = datetime(2026, 3, 31, 16, 0, tzinfo=dt_timezone.utc)
    assert do_publish_period(period, actor="test", now=midnight).published_at


def test_it_offers_no_publish_button_for_the_running_month(world):
    today = timezone.localdate()
    running = today.replace(day=1)
    do_score_month(running, actor="test")
    admin = login(world["people"]["league_admin"])
    page = admin.get(f"/office/performance/{running:%Y-%m}/").content.decode()
    assert "预览 · 统计期未结束" in page
    assert "/publish/" not in page and "/review/" not in page and "/score/" in page
    response = admin.post(f"/office/performance/{running:%Y-%m}/publish/", follow=True)
    assert "统计期尚未结束" in response.content.decode()
    assert "预览 · 统计期未结束" in admin.get("/office/performance/").content.decode()


def test_it_refuses_to_publish_a_month_before_the_month_before_it(world):
    case(world["dept"])
    feb = do_score_month(date(2026, 2, 1), actor="test", now=NOW)
    march = do_score_month(MARCH, actor="test", now=NOW)
    do_review_period(march, actor="test")
    with pytest.raises(PerformanceError, match="请先发布上月"):
        do_publish_period(march, actor="test")
    do_review_period(feb, actor="test")
    do_publish_period(feb, actor="test")
    assert do_publish_period(march, actor="test").status == "published"


def test_it_publishes_a_bulletin_only_for_a_closed_quarter_with_every_month_published(world, client):
    case(world["dept"])
    publish(date(2026, 1, 1))
    publish(date(2026, 2, 1))
    march = do_score_month(MARCH, actor="test", now=NOW)  # scored, not yet published
    assert client.get("/performance/bulletin/2026/q1/").status_code == 404
    assert client.get("/performance/bulletin/2026/q1.xlsx").status_code == 404
    assert "2026年第1季度通报" not in client.get("/performance/").content.decode()
    do_review_period(march, actor="test")
    do_publish_period(march, actor="test")
    assert client.get("/performance/bulletin/2026/q1/").status_code == 200
    assert "2026年第1季度通报" in client.get("/performance/").content.decode()


def test_it_never_publishes_a_running_quarter_or_year_but_lets_the_centre_preview_it(world, client):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    first = date(today.year, 3 * (quarter - 1) + 1, 1)
    case(world["dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9))
    period = do_score_month(first, actor="test")
    if first < today.replace(day=1):  # the quarter's first month has ended: publish it
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")
    assert client.get(f"/performance/bulletin/{today.year}/q{quarter}/").status_code == 404
    assert client.get(f"/performance/year/{today.year}/").status_code == 404
    assert client.get(f"/performance/year/{today.year}.pdf").status_code == 404

    admin = login(world["people"]["league_admin"])
    page = admin.get(f"/office/performance/preview/{today.year}/q{quarter}/").content.decode()
    assert "预览 · 统计期未结束" in page and "锡林浩特市人民政府" in page
    assert ".xlsx" not in page and ".pdf" not in page  # nothing to download or file from a preview
    assert "预览 · 统计期未结束" in admin.get(f"/office/performance/preview/{today.year}/").content.decode()
    office = admin.get("/office/performance/").content.decode()
    assert f"/office/performance/preview/{today.year}/q{quarter}/" in office
    # a department manager or the public cannot see the preview
    assert login(world["people"]["manager"]).get(f"/office/performance/preview/{today.year}/").status_code == 403
    assert client.get(f"/office/performance/preview/{today.year}/").status_code == 302



def test_a_citizen_who_opens_the_running_year_is_told_when_it_is_published(world, client):
    """/performance/year/<this year>/ said only 页面不存在 and offered the service guides."""
    today = timezone.localdate()
    response = client.get(f"/performance/year/{today.year}/")
    page = response.content.decode()
    assert response.status_code == 404 and "尚未公布" in page and "统计期结束、各月结果发布后公布" in page
    assert 'href="/performance/"' in page and "页面不存在" not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/performance/bulletin/{today.year}/q{(today.month - 1) // 3 + 1}/").content.decode()
    assert "Not yet published" in page and "See the published results" in page
    assert client.get(f"/performance/year/{today.year + 1}.xlsx").status_code == 404
