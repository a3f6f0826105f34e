"""English pages draw curly quotes at a Latin width: the CJK fonts first in the site's font stack draw “ ”
wide (0.63 em), which left gaps like 'shows  “No data”  and' on every English page (issue 19, English text
faults). Chinese data inside an English page, and Chinese pages, keep the Chinese quotes."""
import pytest

from core.testing.browser import browser_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser, new_page = browser_fixtures()

WIDTHS = """() => {
  const probe = (lang) => { const s = document.createElement('span'); s.textContent = '\u201c\u201c\u201c\u201c';
    if (lang) s.setAttribute('lang', lang); document.querySelector('main').appendChild(s);
    const w = s.getBoundingClientRect().width / 4 / parseFloat(getComputedStyle(s).fontSize); s.remove(); return w; };
  return [probe(null), probe('zh-CN')];
}"""


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_quotes_are_latin_width_on_english_pages_and_full_width_in_chinese(live_server, new_page, lang):
    page = new_page()
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(live_server.url + "/track/")
    page.evaluate("document.fonts.ready")
    own, chinese = page.evaluate(WIDTHS)
    assert chinese > 0.55  # the CJK font's quote mark: about 0.63 em
    if lang == "en":
        assert own < 0.45, own  # a Latin quote mark: about 0.33 em
    else:
        assert own > 0.55, own
