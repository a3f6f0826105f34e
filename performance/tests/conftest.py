"""Fixtures: the supervision test organisation plus a League department, the default schemes, and
helpers that put cases and alerts of a month in place directly (the metrics read only projections)."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.utils import translation

from alerts.models import Alert
from cases.models import Case
from cases.tests.conftest import api_client, calendar_seeded, items, make_item, org  # noqa: F401
from core.roles import Role
from orgs.models import Department
from performance.defaults import do_load_default_schemes
from supervision.tests.conftest import people, person  # noqa: F401

MARCH = date(2026, 3, 1)
AT = datetime(2026, 3, 10, 2, 0, tzinfo=dt_timezone.utc)
NOW = datetime(2026, 4, 2, 2, 0, tzinfo=dt_timezone.utc)


@pytest.fixture(autouse=True)
def in_chinese():
    """Messages are matched in Chinese, whatever language an earlier test (of any app) left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def league_dept(org):
    return Department.objects.create(code="XM-FGW", name="锡林郭勒盟发展和改革委员会", region=org["league"])


@pytest.fixture
def world(org, items, league_dept, people):
    do_load_default_schemes(actor="test")
    make_item(league_dept, "ITEM-LEAGUE")
    people["league_admin"] = person("league_admin", Role.CENTRE_ADMIN, centre=org["centres"]["152500"])
    return {**org, "items": items, "league_dept": league_dept, "people": people}


_n = [0]


def case(dept, *, late=False, start=date(2026, 3, 2), ended=date(2026, 3, 6), due=date(2026, 3, 9), item=None,
         **extra):
    _n[0] += 1
    ended_at = datetime(ended.year, ended.month, ended.day, 3, 0, tzinfo=dt_timezone.utc)
    return Case.objects.create(
        case_no=f"K{_n[0]:05d}", department=dept, region=dept.region, status="completed", clock_start=start,
        promised_due=due, ended_at=ended_at, late=late, received_at=ended_at.replace(day=start.day),
        item=item, item_version=item.versions.first() if item else None, **extra)


def alert(dept, level="red", raised=AT, rule="LEGAL_OVERDUE", key="K-A"):
    return Alert.objects.create(subject_type="case", subject_key=key, rule=rule, level=level, raised_at=raised,
                                department=dept, region=dept.region)


from core.testing.browser import browser_fixtures  # noqa: E402

browser, new_page = browser_fixtures()
