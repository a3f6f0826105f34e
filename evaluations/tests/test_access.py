"""evaluations.access: who may see a rating, act on its follow-up, see the rater's phone and register devices,
through the page and the API. The people are the access matrix's cast (clearwindow/testing/cast.py): the
rating evL and its follow-up fuL belong to department dL in the League (centre cL); mgr_C is another
department's manager, other_sup another centre's supervisor, outsider a public user."""
import pytest
from django.urls import reverse

from core.access import is_centre_admin
from evaluations.access import (follow_up_actions, may_register_devices, may_unmask_rater, ratings_for,
                                require_follow_up_action, visible_rating)

API = "/api/v1/ratings"


def as_user(client, cast, name):
    if cast.users[name] is not None and cast.users[name].is_authenticated:
        client.force_login(cast.users[name])
    return client


def test_it_shows_a_rating_to_its_department_and_centre_only(client, cast):
    assert {r.number for r in ratings_for(cast.users["mgr_L"])} == {"evL", "evL2"}
    for name, page, api in (("mgr_L", 200, 200), ("league_sup", 200, 200), ("mgr_C", 404, 404),
                            ("other_sup", 404, 404), ("outsider", 403, 404)):
        as_user(client, cast, name)
        assert (visible_rating(cast.users[name], "evL") is not None) == (page == 200), name
        assert client.get(reverse("evaluations:rating", args=["evL"])).status_code == page, name
        assert client.get(f"{API}/evL").status_code == api, name
        client.logout()
    assert client.get(f"{API}/evL").status_code == 401  # anonymous


def test_it_counts_in_the_statistics_only_the_ratings_in_scope(client, cast):
    for name, seen in (("mgr_L", {"部门L"}), ("mgr_C", {"部门C"}), ("other_sup", {"部门X"}), ("outsider", set())):
        as_user(client, cast, name)
        rows = client.get(f"{API}/statistics", {"by": "department"}).json()
        assert {r["name"] for r in rows} == seen, name
        page = client.get(reverse("evaluations:statistics"), {"start": "2026-03-01", "end": "2026-03-31"})
        if name == "outsider":
            assert page.status_code == 403
        else:
            assert {n for n, _t in page.context["rows"]} == seen, name
        client.logout()


def test_it_lets_the_department_visit_and_the_centre_judge_a_follow_up(client, cast):
    follow = cast["fuL"]
    assert follow_up_actions(cast.users["mgr_L"], follow) == {"visit", "verify"}
    assert follow_up_actions(cast.users["league_sup"], follow) == {"void"}
    assert follow_up_actions(cast.users["clerk_L"], follow) == set()
    assert follow_up_actions(cast.users["outsider"], follow) == set()
    require_follow_up_action(cast.users["mgr_L"], follow, "verify_yes")
    url = reverse("evaluations:rating", args=["evL"])
    # page: the forms offered, and a POST outside them answers 403 (404 outside the scope)
    for name, action, status in (("clerk_L", "visit", 403), ("league_sup", "visit", 403),
                                 ("mgr_L", "void_malicious", 403), ("mgr_C", "visit", 404),
                                 ("other_sup", "void_unsubstantiated", 404), ("outsider", "visit", 403),
                                 ("mgr_L", "visit", 302)):
        as_user(client, cast, name)
        assert client.post(url, {"action": action, "text": "电话回访"}).status_code == status, (name, action)
        client.logout()
    as_user(client, cast, "league_sup")
    page = client.get(url).content.decode()
    assert "认定不属实" in page and "记录回访" not in page


def test_it_shows_the_raters_phone_to_the_centre_and_the_visiting_department_only(client, cast):
    rating = cast["evL"]
    rating.rater_phone = "13812345678"
    rating.save()
    follow = cast["fuL"]
    assert may_unmask_rater(cast.users["league_sup"], rating, follow)
    assert may_unmask_rater(cast.users["mgr_L"], rating, follow)  # they are to visit the rater
    assert not may_unmask_rater(cast.users["clerk_L"], rating, follow)
    assert not may_unmask_rater(cast.users["outsider"], rating, follow)
    url = reverse("evaluations:rating", args=["evL"])
    for name, shown in (("league_sup", True), ("mgr_L", True), ("clerk_L", False)):
        as_user(client, cast, name)
        page = client.get(url, {"unmask": "1"}).content.decode()
        assert ("13812345678" in page) == shown, name
        client.logout()
    as_user(client, cast, "league_sup")
    assert "13812345678" not in client.get(f"{API}/evL").content.decode()  # the API never gives it


def test_it_lets_only_centre_administrators_register_devices(client, cast):
    assert may_register_devices(cast.users["league_admin"]) and may_register_devices(cast.users["superuser"])
    assert is_centre_admin(cast.users["sys_staff"])
    for name in ("league_sup", "other_sup", "mgr_L", "clerk_L", "outsider", "anonymous"):
        assert not may_register_devices(cast.users[name]), name
    url = reverse("evaluations:devices")
    for name, offered, post in (("league_admin", True, 302), ("league_sup", False, 403), ("mgr_L", False, 403),
                                ("other_sup", False, 403)):
        as_user(client, cast, name)
        assert client.get(url).context["may_register"] == offered, name
        assert client.post(url, {"action": "enable", "device": cast["dvL"].pk}).status_code == post, name
        client.logout()
    as_user(client, cast, "outsider")
    assert client.get(url).status_code == 403
