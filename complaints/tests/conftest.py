import pytest

from clearwindow.testing.records import COMPLAINT_AT as NOW, submit_complaint as submit  # noqa: F401
from core.testing.browser import browser_fixtures


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.COMPLAINTS_MIN_FORM_SECONDS = 0


@pytest.fixture
def calendar(calendar_seeded):
    from workdays.models import load_calendar as load
    return load()


browser, new_page = browser_fixtures()
