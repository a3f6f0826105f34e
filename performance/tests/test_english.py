"""The performance pages in English: the public results and the office page read in English when the
browser asks for it, with none of the main Chinese headings left."""
import pytest
from django.test import Client
from django.utils import timezone

from performance.actions import do_publish_period, do_review_period, do_score_month

from clearwindow.testing.records import case

from .conftest import MARCH, NOW


pytestmark = pytest.mark.usefixtures("back_to_the_default_language")


def test_it_shows_the_public_results_in_english(world):
    case(world["dept"], late=True)
    period = do_score_month(MARCH, actor="test", now=NOW)
    do_review_period(period, actor="test")
    do_publish_period(period, actor="test")
    page = Client().get("/performance/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Administrative Efficiency Assessment Results" in page
    assert "Recent average score trend" in page and "Rank" in page
    assert "行政效能考核结果公示" not in page and "近期平均得分走势" not in page


def test_it_shows_the_office_page_in_english(world):
    client = Client()
    client.force_login(world["people"]["league_admin"])
    page = client.get("/office/performance/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Performance review" in page and "Metric" in page and "Calculate / recalculate" in page
    assert "绩效考核" not in page and "计算项" not in page


def test_it_says_no_data_and_preview_in_english(world):
    today = timezone.localdate()
    case(world["dept"], start=today.replace(day=1), ended=today.replace(day=1), due=today.replace(day=1))
    period = do_score_month(today.replace(day=1), actor="test")
    client = Client()
    client.force_login(world["people"]["league_admin"])
    page = client.get(f"/office/performance/preview/{today.year}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Preview — period still running" in page and "No data" in page and "Not graded" in page
    assert "预览" not in page and "无数据" not in page and "不参评" not in page
    empty = period.scores.get(unit="152522")
    page = client.get(f"/office/performance/score/{empty.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No data" in page and "无数据" not in page
