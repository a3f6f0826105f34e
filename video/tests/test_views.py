"""Video pages and API: scoping, secrets, media serving, playback, clip access log, patrol record."""
import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.models import Hall
from video.conf import evidence_root, video_root
from video.models import Camera, EvidenceClip, Patrol, PatrolView, Segment


@pytest.fixture
def cams(org):
    county = Camera.objects.create(code="camC", name="市政务大厅全景", hall=org["hall"],
                                   stream_url="rtsp://user:secret@10.0.0.9/stream1")
    other_hall = Hall.objects.create(code="ABG-HALL", name="阿巴嘎旗政务服务中心", kind="centre_hall", region=org["other"])
    other = Camera.objects.create(code="camO", name="阿巴嘎旗大厅", hall=other_hall, stream_url="rtsp://x/secret2")
    return {"county": county, "other": other}


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_never_shows_stream_addresses(client, people, cams, video_dirs):
    login(client, people["league_supervisor"])
    for url in (reverse("video:wall"), reverse("video:camera", args=["camC"]), "/api/v1/video/cameras"):
        body = client.get(url).content.decode()
        assert "camC" in body and "rtsp://" not in body and "secret" not in body


@pytest.mark.django_db
def test_it_shows_each_centre_only_its_cameras(client, people, cams, video_dirs):
    login(client, people["county_supervisor"])
    wall = client.get(reverse("video:wall"))
    assert [t["code"] for t in wall.context["tiles"]] == ["camC"] and "camO" not in wall.content.decode()
    assert client.get(reverse("video:camera", args=["camO"])).status_code == 404
    assert client.get(reverse("video:live", args=["camO"])).status_code == 404


@pytest.mark.django_db
def test_it_sends_departments_to_their_observations_not_to_the_cameras(client, people, cams, video_dirs):
    login(client, people["manager"])
    assert client.get(reverse("video:wall")).url == reverse("video:observations")
    assert client.get(reverse("video:camera", args=["camC"])).status_code == 403


@pytest.mark.django_db
def test_it_filters_the_wall_by_region_and_sets_the_layout(client, people, cams, video_dirs):
    login(client, people["league_supervisor"])
    response = client.get(reverse("video:wall"), {"region": "152522", "layout": "4", "tour": "15"})
    page = response.content.decode()
    assert [t["code"] for t in response.context["tiles"]] == ["camO"]
    assert 'data-layout="4"' in page and 'data-tour="15"' in page


@pytest.mark.django_db
def test_it_serves_the_live_playlist_and_byte_ranges_of_segments(client, people, cams, video_dirs):
    folder = video_root() / "camC" / "20260302"
    folder.mkdir(parents=True)
    (folder / "090000-000.ts").write_bytes(bytes(range(256)) * 4)
    (video_root() / "camC" / "live.m3u8").write_text("#EXTM3U\n#EXT-X-BYTERANGE:10@5\n20260302/090000-000.ts\n")
    login(client, people["county_supervisor"])

    live = client.get(reverse("video:live", args=["camC"]))
    part = client.get(reverse("video:segment", args=["camC", "20260302", "090000-000.ts"]), HTTP_RANGE="bytes=5-14")

    assert live["Content-Type"] == "application/vnd.apple.mpegurl" and b"20260302/090000-000.ts" in live.content
    assert part.status_code == 206 and part.content == bytes(range(5, 15))
    assert part["Content-Range"] == "bytes 5-14/1024"
    assert client.get(reverse("video:segment", args=["camC", "..", "live.m3u8"])).status_code == 404


@pytest.mark.django_db
def test_it_plays_back_from_the_segment_holding_the_instant(client, people, cams, video_dirs):
    t0 = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    parts = [[0, 1000, 2.0], [1000, 1000, 2.0]]
    for start in (t0, t0 + timedelta(seconds=4), t0 + timedelta(seconds=60)):  # a gap after the second
        Segment.objects.create(camera=cams["county"], start=start, end=start + timedelta(seconds=4),
                               path=f"camC/{start:%Y%m%d}/{start:%H%M%S}-000.ts", parts=parts, size=2000)
    login(client, people["county_supervisor"])
    at = timezone.localtime(t0 + timedelta(seconds=5))

    page = client.get(reverse("video:camera", args=["camC"]), {"at": at.strftime("%Y-%m-%dT%H:%M:%S")})
    playback = page.context["playback"]
    playlist = client.get(playback["src"]).content.decode()

    assert playback["offset"] == 1.0  # one second into the second segment
    assert playlist.count("#EXT-X-BYTERANGE") == 4 and playlist.count("#EXT-X-DISCONTINUITY") == 1
    assert "#EXT-X-ENDLIST" in playlist and "#EXT-X-PROGRAM-DATE-TIME" in playlist


@pytest.mark.django_db
def test_it_logs_every_view_and_download_of_a_clip(client, people, cams, video_dirs):
    path = evidence_root() / "camC" / "clip.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not really an mp4")
    now = timezone.now()
    clip = EvidenceClip.objects.create(camera=cams["county"], instant=now, start=now, end=now, path="camC/clip.mp4",
                                       size=17, sha256=hashlib.sha256(b"not really an mp4").hexdigest(),
                                       sealed_at=now, sealed_by_name="x")
    login(client, people["county_supervisor"])

    client.get(reverse("video:clip", args=[clip.pk]))
    download = client.get(reverse("video:clip_file", args=[clip.pk]) + "?download=1")

    assert b"".join(download.streaming_content) == b"not really an mp4"
    assert list(clip.accesses.values_list("actor_name", "action")) == [("county_sup", "view"),
                                                                       ("county_sup", "download")]
    login(client, people["other_supervisor"])
    assert client.get(reverse("video:clip", args=[clip.pk])).status_code == 404
    assert clip.accesses.count() == 2


@pytest.mark.django_db
def test_it_records_which_cameras_a_patrol_watched(client, people, cams, video_dirs):
    login(client, people["league_supervisor"])
    for _ in range(2):
        client.post(reverse("video:watch"), {"camera": ["camC", "camO"]})

    patrol = Patrol.objects.get()
    assert patrol.supervisor == people["league_supervisor"]
    assert sorted(PatrolView.objects.values_list("camera__code", flat=True)) == ["camC", "camO"]  # extended
    login(client, people["county_supervisor"])
    client.post(reverse("video:watch"), {"camera": ["camO"]})  # not in the county's scope: not recorded
    assert not PatrolView.objects.filter(patrol__supervisor=people["county_supervisor"]).exists()


@pytest.mark.django_db
def test_it_speaks_english_when_asked(client, people, cams, video_dirs):
    login(client, people["league_supervisor"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/video/"})
    page = client.get(reverse("video:wall"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Video wall" in page and "Tour interval" in page


@pytest.mark.django_db
def test_it_counts_every_camera_on_the_wall_online_offline_or_unknown(client, people, cams, video_dirs):
    Camera.objects.filter(code="camO").update(status="offline")   # camC was never heard from: unknown
    login(client, people["league_supervisor"])
    page = client.get(reverse("video:wall")).content.decode()
    assert "在线 0" in page and "离线 1" in page and "状态未知 1" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("video:wall"), {"view": "full"}).content.decode()
    assert "Online 0" in page and "Offline 1" in page and "Status unknown 1" in page
