"""The wall fits its screen: with the League's thirteen units (real names) and large counts, no
region tile's content is wider than its tile, at 1920×1080 and 1366×768, in Chinese and English.
Screenshots go to test-artifacts/wall-fit-<width>-<lang>.png for a person to look at."""
import pytest

from alerts.models import Alert
from core.testing.browser import log_in, screenshot
from demo.data import COUNTIES
from orgs.models import Department, Region
from supervision.models import OpenTally

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# every element inside a tile must lie within the tile's padding box and show all of its own content
NOTHING_STICKS_OUT = """() => {
  const bad = [];
  for (const tile of document.querySelectorAll('.tile')) {
    const box = tile.getBoundingClientRect(), cs = getComputedStyle(tile);
    const left = box.left + parseFloat(cs.borderLeftWidth), right = box.right - parseFloat(cs.borderRightWidth);
    if (tile.scrollWidth > tile.clientWidth + 1) bad.push(tile.innerText + ': tile scrolls ' + tile.scrollWidth);
    for (const el of tile.querySelectorAll('*')) {
      if (el.closest('.visually-hidden')) continue;  // words for screen readers: clipped on purpose
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > right + 1 || r.left < left - 1))
        bad.push(tile.querySelector('.tile__name').innerText + ': ' + el.className + ' ' + Math.round(r.left) + '..'
                 + Math.round(r.right) + ' outside ' + Math.round(left) + '..' + Math.round(right));
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
        bad.push(tile.querySelector('.tile__name').innerText + ': ' + el.className + ' clipped');
    }
  }
  return bad;
}"""


@pytest.fixture
def league(org):
    """The League with its twelve banners/cities, and counts as large as a busy month's."""
    regions = {r.code: r for r in Region.objects.all()}
    for code, name, _, _ in COUNTIES:
        if code not in regions:
            regions[code] = Region.objects.create(code=code, name=name, level="county", parent=org["league"])
    alerts = []
    for i, region in enumerate(sorted(regions.values(), key=lambda r: r.code)):
        dept = Department.objects.create(code=f"D{region.code}", name=f"{region.name}测试局", region=region)
        big = region.code in ("152500", "152526")  # 本级 and the longest name get the largest numbers
        OpenTally.objects.create(region=region, department=dept, window_key=0, open=12345 if big else 100 + i,
                                 overdue=1234 if big else i, suspended=0)
        counts = {"red": 88, "yellow": 456, "notice": 1234} if big else {"red": i, "yellow": 2 * i, "notice": 3 * i}
        for level, n in counts.items():
            alerts += [Alert(subject_type="case", subject_key=f"{region.code}-{level}-{k}", rule="OVERDUE", level=level,
                             raised_at="2026-11-02T09:00:00+08:00", department=dept, region=region)
                       for k in range(n)]
    Alert.objects.bulk_create(alerts, batch_size=2000)


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_no_wall_tile_content_is_wider_than_its_tile(live_server, new_page, people, league, size, lang):
    page = new_page(*size)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    log_in(page, live_server.url, "league_sup")
    page.goto(live_server.url + "/supervision/centre/wall/")
    page.wait_for_function("document.querySelectorAll('.tile').length === 13")
    assert page.locator("html").get_attribute("lang") == ("en" if lang == "en" else "zh-CN")
    assert "1,234" in page.locator(".tile").first.inner_text()
    page.wait_for_timeout(600)  # ECharts' first animation, for the screenshot
    screenshot(page, f"wall-fit-{size[0]}-{lang}", full_page=False)
    assert page.evaluate(NOTHING_STICKS_OUT) == []
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                         "document.documentElement.scrollWidth <= innerWidth")  # no page scrollbars
