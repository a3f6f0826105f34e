"""A phone (390×844) in a real Chromium: the main menu shows every entry (it wraps, nothing hidden
behind a silent sideways scroll), and the /track/ stepper stays inside its card. Both languages.
Screenshots: test-artifacts/phone-*.png."""
import pytest

from core.testing.browser import MOBILE, browser_fixtures, screenshot

from .test_workbench import act, case, clerk_client, people, register  # noqa: F401  (fixtures)

browser, new_page = browser_fixtures()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# each step's connector (its ::before) as a box on the page, and the card's box
CONNECTORS = """() => {
  const card = document.querySelector('.track-result').getBoundingClientRect();
  return {card: [card.left, card.right], bars: [...document.querySelectorAll('.track-flow__item')].map(li => {
    const r = li.getBoundingClientRect(), cs = getComputedStyle(li, '::before');
    if (cs.display === 'none' || cs.content === 'none') return null;
    const left = r.left + parseFloat(cs.left);
    return [left, left + parseFloat(cs.width)];
  }).filter(Boolean)};
}"""


def phone(new_page, live_server, lang):
    page = new_page(*MOBILE)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    return page


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_main_menu_shows_every_entry_on_a_phone(live_server, new_page, lang):
    page = phone(new_page, live_server, lang)
    page.goto(live_server.url + "/")
    links = page.locator(".mainnav__list a")
    assert links.count() >= 7
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE[0], (links.nth(i).inner_text(), box)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE[0]
    screenshot(page, f"phone-menu-{lang}", full_page=False)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_track_stepper_stays_inside_its_card_on_a_phone(live_server, new_page, clerk_client, case, lang):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "complete_step", step="cb", opinion="同意")
    case.refresh_from_db()
    page = phone(new_page, live_server, lang)
    page.goto(live_server.url + "/track/")
    page.fill("#id_case_no", case.case_no)
    page.fill("#id_check_code", case.check_code)
    page.locator(".track-form__go").click()
    page.wait_for_selector(".track-result")
    found = page.evaluate(CONNECTORS)
    left, right = found["card"]
    assert len(found["bars"]) == 5  # 收件 → 受理 → 3 steps → 办结: five connectors
    assert all(left <= a and b <= right for a, b in found["bars"]), found
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE[0]
    page.locator(".track-flow").scroll_into_view_if_needed()
    screenshot(page, f"phone-track-{lang}", full_page=True)
