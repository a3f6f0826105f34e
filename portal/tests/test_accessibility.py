"""Accessibility of the public frame without a browser: where the skip link lands, the English product
name, the title separator and the label separator (docs/accessibility.md; the browser checks are in
demo/tests/test_accessibility_browser.py)."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("name", ["portal:index", "portal:track"])
def test_it_lands_the_skip_link_before_the_h1_and_the_form(client, catalog, name):
    html = client.get(reverse(name)).content.decode()
    main = html.index('<main id="main"')
    page_form = re.search(r'<form class="searchbar"|<form method="post" class="track-form"', html).start()
    assert main < html.index("<h1") and main < page_form and html.count("<main") == 1


def test_it_names_the_product_in_english_on_english_pages(client, catalog):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:track")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title == "Track a case - Xilingol League Administrative Efficiency E-Supervision System", title
    assert not HAN.search(title)
    assert "Welcome to the Xilingol League" in html


def test_it_keeps_the_chinese_product_name_on_chinese_pages(client, catalog):
    html = client.get(reverse("portal:track")).content.decode()
    assert "<title>办件进度查询 - 锡林郭勒盟行政效能电子监察系统</title>" in html


def test_it_separates_labels_and_errors_the_english_way(client, catalog):
    client.cookies["django_language"] = "en"
    html = client.post(reverse("portal:track"), {"case_no": "", "check_code": ""}).content.decode()
    assert "：" not in html.split("<main", 1)[1].split("</main>")[0]
    assert re.search(r"Case number: [A-Z]", html), re.findall(r'field__error">([^<]*)', html)


def test_it_names_the_admins_apps_in_english():
    from django.apps import apps
    from django.utils import translation

    with translation.override("en"):
        names = {a: str(apps.get_app_config(a).verbose_name) for a in ("complaints", "evaluations", "performance", "workdays")}
    assert names == {"complaints": "Complaints & enquiries", "evaluations": "Service ratings",
                     "performance": "Performance review", "workdays": "Working-day calendar"}


@pytest.mark.parametrize("path, current", [("/evaluations/satisfaction/", "满意度"), ("/evaluations/", "评价"),
                                           ("/guide/", "办事指南")])
def test_the_main_navigation_marks_one_current_page(client, catalog, path, current):
    """/evaluations/satisfaction/ lit up both 评价 (/evaluations/) and 满意度: one page is the current one."""
    html = client.get(path).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == [current]
