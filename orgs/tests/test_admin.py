from django.urls import reverse

from core.models import AuditEntry
from orgs.models import Department, Hall, Region, RegionLevel


def make_tree():
    league = Region.objects.create(code="152500", name="锡林郭勒盟", level=RegionLevel.LEAGUE)
    other = Region.objects.create(code="152900", name="阿拉善盟", level=RegionLevel.LEAGUE)
    county = Region.objects.create(code="152502", name="锡林浩特市", level=RegionLevel.COUNTY, parent=league)
    town = Region.objects.create(code="152502100", name="某镇", level=RegionLevel.TOWNSHIP, parent=county)
    return league, other, county, town


def test_it_lists_searches_and_filters_every_organisation(admin_client, db):
    league, _, county, _ = make_tree()
    Hall.objects.create(code="H1", name="锡林浩特市政务服务中心", kind="centre_hall", region=county)
    Department.objects.create(code="D1", name="市场监督管理局", region=league)
    for model in ("region", "centre", "hall", "department", "window", "staff"):
        assert admin_client.get(reverse(f"admin:orgs_{model}_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:orgs_region_changelist"), {"q": "锡林浩特"}).content.decode()
    assert "152502" in page and "阿拉善盟" not in page
    page = admin_client.get(reverse("admin:orgs_hall_changelist"), {"kind__exact": "sub_hall"}).content.decode()
    assert "锡林浩特市政务服务中心" not in page


def test_it_moves_a_subtree_and_audits_the_change(admin_client, db, admin_user):
    _, other, county, town = make_tree()
    url = reverse("admin:orgs_region_change", args=[county.pk])
    response = admin_client.post(url, {"name": "锡林浩特市", "level": "county", "parent": other.pk})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.path == "152900/152502/152502100/"
    entry = AuditEntry.objects.get(action="region.update")
    assert (entry.actor, entry.before["parent"], entry.after["parent"]) == (admin_user, "152500", "152900")


def test_it_refuses_a_region_cycle(admin_client, db):
    league, _, county, _ = make_tree()
    url = reverse("admin:orgs_region_change", args=[league.pk])
    response = admin_client.post(url, {"name": "锡林郭勒盟", "level": "league", "parent": county.pk})
    assert response.status_code == 200
    league.refresh_from_db()
    assert league.parent is None
