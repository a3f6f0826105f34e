from cases.tests.conftest import api_client, calendar_seeded, items, org  # noqa: F401  (shared fixtures)
from supervision.tests.conftest import people  # noqa: F401
from datetime import datetime, timezone

import pytest

from complaints.actions import ComplaintInput, do_submit_complaint

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 in Beijing


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.COMPLAINTS_MIN_FORM_SECONDS = 0


@pytest.fixture
def calendar(calendar_seeded):  # noqa: F811
    from workdays.models import load_calendar as load
    return load()


def submit(org, *, category="attitude", name="王秀英", phone="13912345678", anonymous=False, now=NOW, **extra):
    data = ComplaintInput(category=category, subject=extra.pop("subject", "窗口人员态度恶劣"),
                          content=extra.pop("content", "办理营业执照时窗口人员推诿，要求反复补交材料。"),
                          region=org["county"], department=extra.pop("department", org["dept"]),
                          anonymous=anonymous, name=name, phone=phone, **extra)
    return do_submit_complaint(data, channel="portal", actor="portal", now=now)

from core.testing.browser import browser_fixtures  # noqa: E402

browser, new_page = browser_fixtures()
