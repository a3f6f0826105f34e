"""The suite's shared fixtures, one definition each (a pytest plugin: the root conftest.py lists it
in `pytest_plugins`). A test asks for them by name; an app's own tests/conftest.py keeps only what
that app alone uses.

`org`: a small organisation (the League 152500, the county 152502 with a department, hall and window,
another county 152522 with a department) and a centre per region; `items`: three items of its power
list (one with steps and a fee); `api_client`: an exchange client of the county's department;
`people`: a user per role (three supervisors, two department managers, a window clerk); `world`: the
performance tests' organisation (default schemes, a League department with an item, a centre
administrator); `cast`: the fixed cast of the access matrix (clearwindow/testing/cast.py);
`back_to_the_default_language`: for tests that ask for pages in English (a request in English leaves
English active in the thread)."""
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from cases.models import ApiClient
from catalog.models import Item, ItemVersion
from core.roles import Role
from orgs.models import Centre, Department, Hall, Region, Staff, Window
from workdays.models import seed_calendar

from .cast import build_cast

STEPS = [
    {"code": "cb", "name": "承办", "limit_days": 2, "responsible": "承办人", "duties": "审查材料", "required": True},
    {"code": "sh", "name": "审核", "limit_days": 2, "responsible": "科长", "duties": "审核", "required": True},
    {"code": "sp", "name": "审批", "limit_days": 1, "responsible": "分管局长", "duties": "审批", "required": True},
]


@pytest.fixture
def calendar_seeded(db):
    seed_calendar(years=[2024, 2025, 2026])  # the years the tests use: fast, and every holiday rule applies


@pytest.fixture
def org(db):
    league = Region.objects.create(code="152500", name="锡林郭勒盟", level="league")
    county = Region.objects.create(code="152502", name="锡林浩特市", level="county", parent=league)
    other = Region.objects.create(code="152522", name="阿巴嘎旗", level="county", parent=league)
    centres = {r.code: Centre.objects.create(code=f"C{r.code}", name=f"{r.name}监察中心", region=r)
               for r in (league, county, other)}
    dept = Department.objects.create(code="XL-SCJ", name="锡林浩特市市场监督管理局", region=county)
    other_dept = Department.objects.create(code="ABG-ZJJ", name="阿巴嘎旗住建局", region=other)
    hall = Hall.objects.create(code="XL-HALL", name="锡林浩特市政务服务中心", kind="centre_hall", region=county)
    window = Window.objects.create(code="XL-W01", name="1号窗口", hall=hall, department=dept)
    return {"league": league, "county": county, "other": other, "centres": centres, "dept": dept,
            "other_dept": other_dept, "hall": hall, "window": window}


def make_item(dept, code, *, promised=5, legal=20, warn=2, steps=(), fees=(), effective=date(2020, 1, 1)):
    item = Item.objects.create(code=code, department=dept)
    ItemVersion.objects.create(
        item=item, number=1, effective_from=effective, name=f"{code} 测试事项", kind="licensing",
        legal_basis="《中华人民共和国行政许可法》", legal_limit_days=legal, promised_limit_days=promised,
        warn_days=warn, steps=list(steps), fees=list(fees), materials=[],
    )
    return item


@pytest.fixture
def items(org, calendar_seeded):
    return {
        "plain": make_item(org["dept"], "ITEM-PLAIN"),
        "steps": make_item(org["dept"], "ITEM-STEPS", promised=10, legal=20, steps=STEPS,
                           fees=[{"code": "GB", "name": "工本费", "max_amount": "10.00", "basis": "发改价格〔2017〕1号"}]),
        "other": make_item(org["other_dept"], "ITEM-OTHER"),
    }


def new_client(name, departments=(), region=None):
    client = ApiClient(name=name, region=region)
    key = client.set_new_key()
    client.save()
    client.departments.set(departments)
    return client, key


@pytest.fixture
def api_client(org, items):
    client, key = new_client("xl-approval", departments=[org["dept"]])
    return client, key


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


@pytest.fixture
def league_dept(org):
    return Department.objects.create(code="XM-FGW", name="锡林郭勒盟发展和改革委员会", region=org["league"])


@pytest.fixture
def world(org, items, league_dept, people):
    from performance.defaults import do_load_default_schemes

    do_load_default_schemes(actor="test")
    make_item(league_dept, "ITEM-LEAGUE")
    people["league_admin"] = person("league_admin", Role.CENTRE_ADMIN, centre=org["centres"]["152500"])
    return {**org, "items": items, "league_dept": league_dept, "people": people}


@pytest.fixture
def cast(db):
    """The fixed cast of the access matrix (clearwindow/testing/cast.py)."""
    return build_cast()


@pytest.fixture
def back_to_the_default_language():
    """A request in English leaves English active in this thread: put the default back afterwards."""
    yield
    translation.deactivate()
