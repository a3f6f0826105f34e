"""The portal in a real Chromium: search, open an item, switch to English; screenshots at desktop and
mobile widths go to test-artifacts/ for a person to look at."""
import pytest

from core.testing.browser import DESKTOP, MOBILE, screenshot

from . import data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_finds_and_shows_an_item_then_speaks_english(live_server, new_page):
    data.build()
    page = new_page(*DESKTOP)
    page.goto(live_server.url + "/")
    assert page.locator(".brand__name").inner_text() == "锡林郭勒盟行政效能电子监察系统"
    screenshot(page, "portal-home-desktop")

    page.get_by_role("searchbox", name="搜索事项").fill("施工许可")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/guide/?q=*")
    assert "共 1 项事项" in page.locator(".results__count").inner_text()
    screenshot(page, "portal-search-desktop")

    page.get_by_role("link", name="建筑工程施工许可证核发").click()
    page.wait_for_url(f"**/guide/{data.BUILD_PERMIT}/")
    assert page.get_by_role("heading", level=1).inner_text() == "建筑工程施工许可证核发"
    assert page.locator("[data-field=promised]").inner_text() == "5 个工作日"
    assert page.get_by_role("cell", name="建筑市场监管科").is_visible()
    assert page.get_by_role("cell", name="建设工程规划许可证").is_visible()
    assert page.get_by_text("0479-8888002").is_visible()
    screenshot(page, "portal-item-desktop")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-field=promised]").inner_text() == "5 working days"
    assert page.get_by_role("heading", name="Materials").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "建筑工程施工许可证核发"
    screenshot(page, "portal-item-desktop-en")


def test_it_fits_a_phone_screen(live_server, new_page):
    data.build()
    page = new_page(*MOBILE)
    for path, name in (("/", "portal-home-mobile"), ("/guide/?q=许可", "portal-search-mobile"),
                       (f"/guide/{data.FOOD_LICENCE}/", "portal-item-mobile"), ("/accounts/login/", "login-mobile")):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= MOBILE[0], f"{path} scrolls sideways ({width}px)"
        screenshot(page, name)
    page.goto(live_server.url + "/")
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="办事指南").is_visible()
