"""The good/bad review pages in English: the public rating and satisfaction pages and the office page
read in English when the browser asks for it, with none of the main Chinese headings left."""
import pytest
from django.test import Client


pytestmark = pytest.mark.usefixtures("back_to_the_default_language")


def test_it_shows_the_public_pages_in_english(org):
    client = Client()
    rate = client.get("/evaluations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dissatisfied" in rate and "bad reviews" in rate
    assert "办事评价（好差评）" not in rate and "评价我办理的业务" not in rate
    stats = client.get("/evaluations/satisfaction/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Satisfaction rate" in stats
    assert "好差评满意度公示" not in stats and "各服务大厅满意度" not in stats


def test_it_shows_the_office_page_in_english(people):
    client = Client()
    client.force_login(people["county_supervisor"])
    page = client.get("/office/evaluations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Evaluations (good/bad reviews)" in page and "Bad reviews to handle" in page
    assert "评价管理（好差评）" not in page and "待办差评" not in page
