"""The performance tests' month and instant, and their language: the organisation (`world`) and the
builders of cases and alerts are the suite's (clearwindow/testing)."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.utils import translation

from core.testing.browser import browser_fixtures

MARCH = date(2026, 3, 1)
NOW = datetime(2026, 4, 2, 2, 0, tzinfo=dt_timezone.utc)

browser, new_page = browser_fixtures()


@pytest.fixture(autouse=True)
def in_chinese():
    """Messages are matched in Chinese, whatever language an earlier test (of any app) left active."""
    with translation.override("zh-hans"):
        yield
