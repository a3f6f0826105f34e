"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Use from any app's tests/conftest.py:

    from core.testing.browser import browser_fixtures
    browser, new_page = browser_fixtures()

then in a test marked ``@pytest.mark.browser`` with pytest-django's ``live_server``:

    def test_it_works(live_server, new_page):
        page = new_page(width=390)                 # zh-CN locale, 390 px wide
        page.goto(live_server.url + "/")
        screenshot(page, "portal-home-mobile")     # test-artifacts/portal-home-mobile.png

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check must be
off in browser tests: this module sets DJANGO_ALLOW_ASYNC_UNSAFE when imported (from a conftest).
"""
import atexit
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = (1366, 900)
MOBILE = (390, 844)


def launch(playwright):
    """A headless Chromium from the system's package."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (bin/setup installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def log_in(page, base, username, password="pw-12345", next_url=""):
    """Log in through the real log-in form; `base` is live_server.url."""
    page.goto(base + "/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if next_url:
        page.wait_for_url("**" + next_url)


def screenshot(page, name, full_page=True):
    """Save a PNG of the page to test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_running = {}


def shared_browser():
    """The one Chromium of this test process. Playwright's sync API cannot be started twice in a
    thread, so every app's fixtures share it; it is closed when the process exits."""
    if "browser" not in _running:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _running["browser"] = launch(playwright)
        except BaseException:
            playwright.stop()
            raise
        _running["playwright"] = playwright
        atexit.register(_stop)
    return _running["browser"]


def _stop():
    _running.pop("browser").close()
    _running.pop("playwright").stop()


def browser_fixtures():
    """(browser, new_page) fixtures for a conftest: `browser` is the shared Chromium; `new_page(width=,
    height=, locale=)` opens a page in a fresh context (own cookies), closed after the test."""

    @pytest.fixture(scope="session", name="browser")
    def browser():
        return shared_browser()

    @pytest.fixture(name="new_page")
    def new_page(browser):
        contexts = []

        def open_page(width=DESKTOP[0], height=DESKTOP[1], locale="zh-CN", **options):
            context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, **options)
            context.set_default_timeout(10_000)
            contexts.append(context)
            return context.new_page()

        yield open_page
        for context in contexts:
            context.close()

    return browser, new_page
