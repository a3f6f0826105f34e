"""The guide search and the whole published process in a real Chromium, on the demo catalog, at
1440×900 and 390×844, in Chinese and English. Screenshots go to test-artifacts/guide-*.png."""
import pytest

from catalog.importer import import_catalog
from core.testing.browser import screenshot
from demo.region import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_it_finds_by_short_name_and_material_and_shows_the_whole_chain(live_server, new_page, size, language):
    catalog = build()["catalog"]
    import_catalog(catalog, "test")
    page = new_page(*SIZES[size], locale=language)
    page.goto(live_server.url + "/guide/?q=市场监管 营业执照")
    assert page.locator(".item-card").count() > 0 and no_sideways_scroll(page)
    screenshot(page, f"guide-search-{size}-{language}")

    licence = next(i for i in catalog["items"] if i["name"] == "食品经营许可" and i["fees"] == [] and i["steps"])
    page.goto(live_server.url + f"/guide/{licence['code']}/#process")
    rows = page.locator('[data-table="chain"] tbody tr')
    assert rows.count() == len(licence["steps"]) + 2  # 受理, the steps, 办结 (no fees)
    first, last = rows.first.inner_text(), rows.last.inner_text()
    assert ("受理" in first and "办结" in last) if language == "zh-CN" else ("Acceptance" in first and "Completion" in last)
    assert licence["steps"][0]["responsible_person"] in rows.nth(1).inner_text()
    assert no_sideways_scroll(page)
    page.locator("#process").scroll_into_view_if_needed()
    screenshot(page, f"guide-chain-{size}-{language}", full_page=False)
