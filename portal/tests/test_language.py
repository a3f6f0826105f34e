import pytest
from django.urls import reverse

from . import data

pytestmark = pytest.mark.django_db


def test_it_speaks_simplified_chinese_by_default(client, catalog):
    html = client.get(reverse("portal:index")).content.decode()
    assert 'lang="zh-CN"' in html and "按区划浏览" in html


def test_it_speaks_english_to_an_english_browser(client, catalog):
    html = client.get(reverse("portal:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="en"' in html
    assert "Browse by region" in html and "Administrative Efficiency" in html
    assert "锡林郭勒盟" in html  # data stays Chinese


def test_it_keeps_chinese_for_a_chinese_browser(client, catalog):
    html = client.get(reverse("portal:index"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "按区划浏览" in html


def test_it_follows_the_language_cookie(client, catalog):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:item_detail", args=[data.FOOD_LICENCE])).content.decode()
    for text in ("Promised time limit", "Immediate", "Materials", "Fee schedule", "Administrative licensing"):
        assert text in html, text
    assert "食品经营许可" in html


def test_it_renders_working_days_in_english(client, catalog):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:item_detail", args=[data.BUILD_PERMIT])).content.decode()
    assert "5 working days" in html and "1 working day" in html


def test_it_switches_language_with_the_header_form(client, catalog):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:item_list")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:item_list")
    assert "Service guides" in client.get(reverse("portal:item_list")).content.decode()


def test_it_titles_each_page_once_in_english(client, catalog):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:index")).content.decode()
    # the product name in English titles uses the English region name (settings.REGION_NAME_EN, issue 19)
    assert "<title>Xilingol League Administrative Efficiency E-Supervision System</title>" in html
    assert html.count("Welcome to the Xilingol League Administrative Efficiency E-Supervision System") == 1
