from core.testing.browser import browser_fixtures

browser, new_page = browser_fixtures()
