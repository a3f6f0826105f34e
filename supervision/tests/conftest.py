from cases.tests.conftest import api_client, calendar_seeded, items, org  # noqa: F401  (shared fixtures)
import pytest
from django.contrib.auth import get_user_model

from core.roles import Role
from orgs.models import Staff


def person(username, role, *, centre=None, department=None, window=None, email=""):
    user = get_user_model().objects.create_user(username, email=email or f"{username}@example.org", password="pw-12345")
    Staff.objects.create(user=user, code=username, name=username, role=role, centre=centre, department=department,
                         window=window, email=user.email)
    return user


@pytest.fixture
def people(org):
    c = org["centres"]
    return {
        "league_supervisor": person("league_sup", Role.SUPERVISOR, centre=c["152500"]),
        "county_supervisor": person("county_sup", Role.SUPERVISOR, centre=c["152502"]),
        "other_supervisor": person("other_sup", Role.SUPERVISOR, centre=c["152522"]),
        "manager": person("manager", Role.DEPT_MANAGER, department=org["dept"]),
        "other_manager": person("other_manager", Role.DEPT_MANAGER, department=org["other_dept"]),
        "clerk": person("clerk", Role.WINDOW_STAFF, department=org["dept"], window=org["window"]),
    }

from core.testing.browser import browser_fixtures  # noqa: E402

browser, new_page = browser_fixtures()
