"""The performance pages in English: the public results and the office page read in English when the
browser asks for it, with none of the main Chinese headings left."""
import pytest
from django.test import Client
from django.utils import translation

from performance.actions import do_publish_period, do_review_period, do_score_month

from .conftest import MARCH, NOW, case


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A request in English leaves English active in this thread: put the default back afterwards."""
    yield
    translation.deactivate()


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
