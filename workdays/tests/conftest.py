import pytest

from clearwindow.testing.calendar import empty_calendar


@pytest.fixture
def no_calendar(db):
    """The calendar table emptied (migrate seeds it: see test_migrate.py)."""
    empty_calendar()
