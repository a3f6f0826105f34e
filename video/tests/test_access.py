"""video.access: who may see cameras, clips and observations and act on them, through the page and the API.
The people are the access matrix's cast (clearwindow/testing/cast.py): camera camL and its clip are in the
League hall (centre cL); observation obL is about window wL1 of department dL. mgr_C is another department's
manager, other_sup another centre's supervisor, outsider a public user."""
from datetime import timedelta

from django.urls import reverse

from video.access import (cameras_for, centre_camera, managed_camera, may_manage_cameras, observation_actions,
                          observations_for, require_observation_action, visible_camera, visible_clip,
                          visible_observation)

API = "/api/v1/video"


def as_user(client, cast, name):
    client.logout()
    if cast.users[name] is not None and cast.users[name].is_authenticated:
        client.force_login(cast.users[name])
    return client


def test_it_shows_a_camera_to_the_centre_of_its_region_only(client, cast, video_dirs):
    assert {c.code for c in cameras_for(cast.users["league_sup"])} == {"camL", "camC", "camT"}
    assert visible_camera(cast.users["league_sup"], "camL") == centre_camera(cast.users["league_sup"], "camL")
    start, end = cast["clipL"].instant - timedelta(hours=1), cast["clipL"].instant
    for name, page, api, listed in (("league_sup", 200, 200, {"camL", "camC", "camT"}),
                                    ("county_sup", 404, 404, {"camC", "camT"}), ("other_sup", 404, 404, {"camX"}),
                                    ("mgr_L", 403, 404, set()), ("clerk_L", 403, 404, set()),
                                    ("outsider", 403, 404, set())):
        as_user(client, cast, name)
        assert client.get(reverse("video:camera", args=["camL"])).status_code == page, name
        segments = client.get(f"{API}/cameras/camL/segments", {"start": start.isoformat(), "end": end.isoformat()})
        assert segments.status_code == api, name
        assert {c["code"] for c in client.get(f"{API}/cameras").json()} == listed, name
    as_user(client, cast, "anonymous")
    assert client.get(f"{API}/cameras").status_code == 401


def test_it_shows_an_evidence_clip_to_the_centre_of_its_region_only(client, cast, video_dirs):
    clip = cast["clipL"]
    assert visible_clip(cast.users["league_sup"], clip.pk) == clip
    for name, status in (("league_sup", 200), ("county_sup", 404), ("other_sup", 404), ("mgr_L", 403),
                         ("outsider", 403)):
        as_user(client, cast, name)
        assert client.get(reverse("video:clip", args=[clip.pk])).status_code == status, name


def test_it_lets_only_centre_administrators_manage_camera_points(client, cast, video_dirs):
    assert may_manage_cameras(cast.users["league_admin"]) and may_manage_cameras(cast.users["superuser"])
    assert managed_camera(cast.users["league_admin"], "camL").code == "camL"
    for name in ("league_sup", "other_sup", "mgr_L", "outsider", "anonymous"):
        assert not may_manage_cameras(cast.users[name]), name
    for name, status in (("league_admin", 200), ("league_sup", 403), ("other_sup", 403), ("mgr_L", 403),
                         ("outsider", 403)):
        as_user(client, cast, name)
        assert client.get(reverse("video:point", args=["camL"])).status_code == status, name
        assert client.get(reverse("video:points")).status_code == status, name
    as_user(client, cast, "league_admin")
    assert client.get(reverse("video:point", args=["camX"])).status_code == 404  # another centre's point


def test_it_shows_an_observation_to_its_department_and_its_centre_only(client, cast, video_dirs):
    assert {o.number for o in observations_for(cast.users["mgr_L"])} == {"obL", "obLC"}
    assert visible_observation(cast.users["mgr_L"], "obL") == cast["obL"]
    for name, page, listed in (("mgr_L", 200, {"obL", "obLC"}), ("clerk_L", 200, {"obL"}),
                               ("league_sup", 200, {"obL", "obLC", "obC"}), ("mgr_C", 404, {"obC"}),
                               ("other_sup", 404, {"obX"}), ("outsider", 403, set())):
        as_user(client, cast, name)
        assert client.get(reverse("video:observation", args=["obL"])).status_code == page, name
        assert {o["number"] for o in client.get(f"{API}/observations").json()} == listed, name


def test_it_lets_the_department_answer_and_the_centre_order_and_close(client, cast, video_dirs):
    obs = cast["obL"]
    assert observation_actions(cast.users["mgr_L"], obs) == {"answer"}
    assert observation_actions(cast.users["league_sup"], obs) == {"order", "close"}
    require_observation_action(cast.users["league_sup"], obs, "close")
    url = reverse("video:observation", args=["obL"])
    for name, action, status in (("mgr_L", "close", 403), ("mgr_L", "order", 403), ("league_sup", "answer", 403),
                                 ("mgr_C", "answer", 404), ("other_sup", "close", 404), ("outsider", "answer", 403),
                                 ("league_sup", "nothing", 403), ("league_sup", "order", 302),
                                 ("mgr_L", "answer", 302)):
        as_user(client, cast, name)
        response = client.post(url, {"action": action, "order_text": "整改", "answer": "已整改"})
        assert response.status_code == status, (name, action)
    obs.refresh_from_db()
    assert obs.status == "answered"
