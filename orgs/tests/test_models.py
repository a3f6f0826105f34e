import pytest
from django.core.exceptions import ValidationError

from core.roles import Role
from orgs.models import Centre, Region, RegionLevel, Staff


def region(code, parent=None, level=RegionLevel.COUNTY):
    return Region.objects.create(code=code, name=f"区划{code}", level=level, parent=parent)


@pytest.fixture
def tree(db):
    league = region("152500", level=RegionLevel.LEAGUE)
    county = region("152502", league)
    town = region("152502100", county, RegionLevel.TOWNSHIP)
    community = region("152502100001", town, RegionLevel.COMMUNITY)
    other = region("152900", level=RegionLevel.LEAGUE)
    return league, county, town, community, other


def test_it_writes_the_path_of_codes_from_the_root(tree):
    league, county, town, community, _ = tree
    assert league.path == "152500/"
    assert community.path == "152500/152502/152502100/152502100001/"


def test_it_lists_a_subtree_and_the_ancestors(tree):
    league, county, town, community, other = tree
    assert set(county.subtree()) == {county, town, community}
    assert set(league.subtree()) == {league, county, town, community}
    assert community.ancestors() == [league, county, town]


def test_it_refuses_a_region_that_would_be_its_own_ancestor(tree):
    league, county, town, _, _ = tree
    league.parent = town
    with pytest.raises(ValidationError) as error:
        league.clean()
    assert "parent" in error.value.message_dict
    county.parent = county
    with pytest.raises(ValidationError):
        county.clean()


def test_it_accepts_a_move_to_another_branch(tree):
    _, county, _, _, other = tree
    county.parent = other
    county.clean()


def test_it_escalates_to_the_nearest_centre_above(tree):
    league, county, town, community, _ = tree
    top = Centre.objects.create(code="C1", name="盟中心", region=league)
    middle = Centre.objects.create(code="C2", name="市中心", region=county)
    bottom = Centre.objects.create(code="C3", name="社区中心", region=community)
    assert bottom.parent_centre() == middle  # the township has no centre: skip it
    assert middle.parent_centre() == top
    assert top.parent_centre() is None


@pytest.mark.parametrize(("role", "fields", "missing"), [
    (Role.SUPERVISOR, {}, "centre"),
    (Role.CENTRE_ADMIN, {}, "centre"),
    (Role.DEPT_MANAGER, {}, "department"),
    (Role.WINDOW_STAFF, {}, "department"),
    (Role.WINDOW_STAFF, {"department": True}, "window"),
])
def test_it_requires_what_a_role_is_scoped_to(cast, role, fields, missing):
    staff = Staff(code="x", name="某人", role=role,
                  department=cast["dL"] if fields.get("department") else None)
    with pytest.raises(ValidationError) as error:
        staff.clean()
    assert missing in error.value.message_dict


@pytest.mark.parametrize("name", ["s_sys", "s_league_sup", "s_league_admin", "s_mgr_L", "s_clerk_L"])
def test_it_accepts_each_role_with_its_scope(cast, name):
    cast[name].clean()


@pytest.mark.parametrize("post,posts", [
    ("", set()), ("承办人", {"承办人"}), (" 承办人、分管负责人 ", {"承办人", "分管负责人"}),
    ("科长,分管局长；窗口受理人员", {"科长", "分管局长", "窗口受理人员"}), ("、", set()),
])
def test_it_reads_the_posts_a_person_holds(post, posts):
    assert Staff(post=post).posts() == posts
