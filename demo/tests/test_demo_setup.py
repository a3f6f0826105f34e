import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from catalog.models import Item, ItemVersion
from core.access import scoped
from demo.region import build
from demo.setup import demo_password
from orgs.models import Centre, Department, Hall, HallKind, Region, RegionLevel, Staff
from video.models import Camera

COUNTY_CODES = {
    "152500": "锡林郭勒盟", "152501": "二连浩特市", "152502": "锡林浩特市", "152522": "阿巴嘎旗",
    "152523": "苏尼特左旗", "152524": "苏尼特右旗", "152525": "东乌珠穆沁旗", "152526": "西乌珠穆沁旗",
    "152527": "太仆寺旗", "152528": "镶黄旗", "152529": "正镶白旗", "152530": "正蓝旗", "152531": "多伦县",
}


def counts():
    return {model.__name__: model.objects.count()
            for model in (Region, Centre, Hall, Department, Item, ItemVersion, Staff, Camera)}


@pytest.fixture
def demo(db):
    call_command("demo_setup", "--history-days", "0")  # the history has its own tests (test_history_ingest)
    return counts()


def test_it_changes_nothing_when_run_again(demo):
    call_command("demo_setup", "--history-days", "0")
    assert counts() == demo


def test_it_builds_the_league_and_its_twelve_county_units(demo):
    top = Region.objects.filter(level__in=[RegionLevel.LEAGUE, RegionLevel.COUNTY])
    assert dict(top.values_list("code", "name")) == COUNTY_CODES
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).exists()
    assert Region.objects.filter(level=RegionLevel.COMMUNITY).exists()
    assert set(Centre.objects.values_list("region_id", flat=True)) == set(COUNTY_CODES)


def test_it_fills_the_region_with_organisations_items_and_cameras(demo):
    assert demo["Department"] >= 40
    assert demo["Item"] >= 200
    assert demo["Camera"] == 33
    assert set(Hall.objects.values_list("kind", flat=True)) == set(HallKind.values)
    assert not ItemVersion.objects.filter(promised_limit_days__gt=F("legal_limit_days")).exists()


@pytest.mark.parametrize(("username", "staff_code", "_text"), build()["logins"])
def test_it_lets_each_demo_login_in(demo, client, username, staff_code, _text):
    response = client.post(reverse("login"), {"username": username, "password": demo_password()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    staff = Staff.objects.get(code=staff_code)
    assert staff.user.username == username


def test_it_scopes_the_demo_logins(demo, django_user_model):
    user = django_user_model.objects.get
    all_items = Item.objects.count()
    assert scoped(Item.objects.all(), user(username="admin")).count() == all_items
    assert scoped(Item.objects.all(), user(username="league_supervisor")).count() == all_items
    xlht = scoped(Item.objects.all(), user(username="xlht_supervisor"))
    assert 0 < xlht.count() < all_items
    assert not xlht.exclude(department__region__path__startswith="152500/152502/").exists()
    assert set(scoped(Item.objects.all(), user(username="dept_manager")).values_list(
        "department__code", flat=True)) == {"152500-SCJG"}
    assert scoped(Camera.objects.all(), user(username="window_clerk")).count() == 0


def test_it_prints_the_logins_with_roles_and_scopes(demo, capsys):
    call_command("demo_logins", "--url", "http://127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/accounts/login/" in out
    for username, _code, _text in build()["logins"]:
        assert username in out
    assert "锡林浩特市及下辖区域" in out and "centre supervisor" in out
