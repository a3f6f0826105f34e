"""Fixtures for 好差评: the small organisation of the engine tests, its people, and cases made through
cases.ingest (the one way events enter) at the county hall's window 1, served by the clerk."""
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from cases.ingest import ingest
from cases.models import Case
from core.testing.browser import browser_fixtures

from ..actions import do_register_device

browser, new_page = browser_fixtures()
_numbers = count(1)


def make_case(client, item_code, *, window="XL-W01", staff="clerk", ago=timedelta(minutes=5), completed=False,
              phone="13912345678", case_no=None):
    """A case received and accepted `ago` before now at `window` (and completed just after, if asked)."""
    now = timezone.now()
    no = case_no or f"EV{next(_numbers):06d}"
    at = now - ago
    events = [
        {"event_id": f"{no}-r", "case_no": no, "type": "received", "occurred_at": at.isoformat(),
         "item_code": item_code, "window": window, "staff": staff, "channel": "window",
         "applicant": {"name": "张三", "id_number": "152501199001011234", "phone": phone}},
        {"event_id": f"{no}-a", "case_no": no, "type": "accepted", "occurred_at": (at + timedelta(seconds=30)).isoformat(),
         "staff": staff},
    ]
    if completed:
        events.append({"event_id": f"{no}-c", "case_no": no, "type": "completed", "result": "approved",
                       "occurred_at": (at + timedelta(seconds=60)).isoformat(), "staff": staff})
    result = ingest(client, events, now=now)
    assert not result.rejected, result.rejected
    return Case.objects.get(case_no=no)


@pytest.fixture
def client_key(api_client):
    return api_client


@pytest.fixture
def case(api_client, items):
    return make_case(api_client[0], "ITEM-PLAIN")


@pytest.fixture
def device(org, people):
    dev, token = do_register_device(org["window"], code="EV-01", name="1号窗口评价器", actor=people["county_supervisor"])
    return dev, token
