"""Accessibility and the English edition in a real Chromium, on the demo region with a few days of
history: axe-core finds no serious or critical WCAG 2.1 AA violation on the public pages and the main
back-office pages in both languages, and no element is wider than its frame at 1440×900 and 1920×1080.
Screenshots go to test-artifacts/a11y-*.png. See docs/accessibility.md."""
import pytest
from django.core.management import call_command

from core.testing.a11y import axe_violations, too_wide
from core.testing.browser import log_in, screenshot
from demo.setup import demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/guide/", "/track/", "/complaints/new/", "/complaints/consult/", "/complaints/track/",
          "/complaints/faq/", "/evaluations/", "/evaluations/satisfaction/", "/performance/", "/accounts/login/"]
OFFICE = ["/home/", "/cases/workbench/", "/supervision/centre/", "/supervision/alerts/", "/supervision/urges/",
          "/supervision/cases/", "/office/complaints/", "/office/complaints/analysis/", "/office/consultations/",
          "/office/evaluations/", "/office/evaluations/ratings/", "/office/evaluations/statistics/", "/video/",
          "/video/observations/", "/office/performance/", "/accountability/"]


@pytest.fixture
def demo(db):
    call_command("demo_setup", "--history-days", "3", verbosity=0)


def set_language(page, base, lang):
    page.goto(base + "/")
    page.locator(f".langswitch button[value={lang}]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_has_no_serious_axe_violation_and_nothing_too_wide(live_server, new_page, demo, lang):
    base = live_server.url
    problems = {}
    for width, height in [(1440, 900), (1920, 1080)]:
        page = new_page(width, height)
        set_language(page, base, lang)
        for path in PUBLIC:
            page.goto(base + path)
            if width == 1440:
                problems.update({f"{path} axe": v for v in [axe_violations(page)] if v})
                screenshot(page, f"a11y-{lang}{path.replace('/', '-')}")
            problems.update({f"{path} wide@{width}": v for v in [too_wide(page)] if v})
        log_in(page, base, "league_supervisor", demo_password())
        for path in OFFICE:
            page.goto(base + path)
            if width == 1440:
                problems.update({f"{path} axe": v for v in [axe_violations(page)] if v})
                screenshot(page, f"a11y-{lang}{path.replace('/', '-')}")
            problems.update({f"{path} wide@{width}": v for v in [too_wide(page)] if v})
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
