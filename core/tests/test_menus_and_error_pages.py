"""Menus by role and the error pages (issue 16 point 8): every menu link a role is offered opens for
that role; a page the role may not open answers a styled 403 inside the site's frame, in the user's
language; 404 and 500 too. Before this, a window clerk was offered 监察中心 and got Django's bare
English "403 Forbidden"."""
import re

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.context_processors import office_links

pytestmark = pytest.mark.django_db

ROLES = ["sys_staff", "league_admin", "league_sup", "county_sup", "mgr_L", "clerk_L", "outsider"]


def _menu(html):
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S)
    assert nav, "the back-office frame (side menu) is missing"
    return re.findall(r'href="([^"]+)"', nav.group(0))


@pytest.mark.parametrize("role", ROLES)
def test_it_opens_every_menu_link_offered_to_a_role(client, cast, role):
    client.force_login(cast.users[role])
    links = _menu(client.get(reverse("home")).content.decode())
    assert reverse("home") in links
    for url in links:
        assert client.get(url).status_code == 200, f"{role} is offered {url}, which does not open"


def test_it_offers_a_window_clerk_no_centre_pages(client, cast):
    client.force_login(cast.users["clerk_L"])
    names = {link["name"] for link in office_links(cast.users["clerk_L"])}
    assert "supervision:centre" not in names and "video:wall" not in names
    assert "complaints:office" not in names and "accountability:office" not in names
    assert {"cases:workbench", "supervision:alerts", "video:observations", "insight:likely"} <= names


def test_it_offers_a_supervisor_the_centre(cast):
    names = {link["name"] for link in office_links(cast.users["county_sup"])}
    assert {"supervision:centre", "video:wall", "complaints:office", "accountability:office", "insight:likely"} <= names
    assert "video:observations" not in names  # the wall is their way in


def test_it_offers_an_outsider_with_no_role_only_the_home(cast):
    assert [link["name"] for link in office_links(cast.users["outsider"])] == ["home"]


@pytest.mark.parametrize("lang, title, html_lang", [("zh-hans", "无权访问", "zh-CN"), ("en", "Access denied", "en")])
def test_it_answers_a_forbidden_page_with_a_styled_403_in_the_frame(client, cast, lang, title, html_lang):
    client.force_login(cast.users["clerk_L"])
    client.cookies["django_language"] = lang
    response = client.get(reverse("supervision:centre"))
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{html_lang}">' in html and title in html and "403 Forbidden" not in html
    assert reverse("cases:workbench") in _menu(html)  # the clerk's own menu, to carry on from
    assert reverse("supervision:centre") not in _menu(html)


def test_it_answers_a_form_from_an_expired_page_with_a_styled_403(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["clerk_L"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403 and "页面已过期" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


@pytest.mark.parametrize("lang, title", [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_it_answers_a_missing_page_with_a_styled_404(client, cast, lang, title):
    client.cookies["django_language"] = lang
    html = client.get("/no/such/page/").content.decode()
    assert title in html and 'class="mainnav"' in html  # the public frame
    client.force_login(cast.users["mgr_L"])
    html = client.get("/no/such/page/").content.decode()
    assert title in html and reverse("cases:workbench") in _menu(html)  # the back office's frame


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)] + __import__("clearwindow.urls", fromlist=["urlpatterns"]).urlpatterns
handler500 = "core.views.server_error"


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("lang, title, html_lang", [("zh-hans", "系统繁忙", "zh-CN"), ("en", "The system is busy", "en")])
def test_it_answers_a_server_error_with_a_styled_500_that_needs_no_database(lang, title, html_lang,
                                                                            django_assert_num_queries):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = lang
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500 and f'<html lang="{html_lang}">' in html and title in html
    assert 'class="masthead"' in html
