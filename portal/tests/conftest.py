import pytest

from core.testing.browser import browser_fixtures

from . import data

browser, new_page = browser_fixtures()


@pytest.fixture
def catalog(db):
    return data.build()
