"""The admin (/admin/) on a phone, 390×844, in both languages: the page never scrolls sideways, a list
keeps each row on one line and scrolls inside its own box, and the way on (breadcrumbs, add button, log
out, the app menu) is on screen. Screenshots: test-artifacts/admin-phone-<page>-<lang>.png."""
import pytest
from django.contrib.auth import get_user_model

from core.roles import Role
from core.testing.browser import MOBILE, browser_fixtures, screenshot
from orgs.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser, new_page = browser_fixtures()

PAGE_FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
ON_SCREEN = """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).every(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })"""
ROW_HEIGHTS = "() => [...document.querySelectorAll('#result_list tbody tr')].map(r => r.getBoundingClientRect().height)"


@pytest.fixture
def admin_user(org):
    user = get_user_model().objects.create_superuser("root", password="pw-12345")
    for i in range(6):  # long names and posts, as the demo's staff list has
        Staff.objects.create(code=f"152500-LONG-{i}", name=f"毕力格图{i}", role=Role.DEPT_MANAGER,
                             department=org["dept"], post="部门负责人、业务科室负责人、分管负责人")
    return user


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_admin_is_usable_on_a_phone(live_server, new_page, admin_user, lang):
    page = new_page(*MOBILE)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "pw-12345")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert page.evaluate(PAGE_FITS)
    assert page.evaluate(ON_SCREEN, "#user-tools a, #user-tools button, .app-orgs a")
    screenshot(page, f"admin-phone-index-{lang}")

    page.goto(live_server.url + "/admin/orgs/staff/")
    assert page.evaluate(PAGE_FITS)
    heights = page.evaluate(ROW_HEIGHTS)
    assert len(heights) >= 6 and max(heights) < 60, heights  # one line a row, not a column of characters
    assert page.evaluate(ON_SCREEN, ".breadcrumbs a, .object-tools a, #changelist-search input")
    results = page.locator("#changelist .results")
    assert results.evaluate("e => getComputedStyle(e).overflowX") == "auto"  # the list scrolls in its box
    screenshot(page, f"admin-phone-staff-{lang}", full_page=False)

    page.locator("#result_list tbody tr a").first.click()
    page.wait_for_load_state()
    assert page.evaluate(PAGE_FITS)
    assert page.evaluate(ON_SCREEN, ".breadcrumbs a, .submit-row input")
    screenshot(page, f"admin-phone-staff-change-{lang}", full_page=False)
