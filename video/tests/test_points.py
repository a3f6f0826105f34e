"""Camera points (点位管理) in the back office: centre administrators add, edit, disable and test cameras
in their region; the stream address and password are write-only; every change is an audit row."""
import re
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from core.roles import Role
from orgs.models import Hall, Window
from clearwindow.testing.fixtures import person
from video.cameras import do_test_camera
from video.ticks import camera_tests_tick
from video.models import Camera
from video.tests.conftest import SIMCAM, SYSTEM_PYTHON, SimCam, free_port

SECRET = "Pa55-w0rd-x9"


@pytest.fixture
def admins(org):
    c = org["centres"]
    return {"county": person("county_admin", Role.CENTRE_ADMIN, centre=c["152502"]),
            "other": person("other_admin", Role.CENTRE_ADMIN, centre=c["152522"])}


@pytest.fixture
def other_hall(org):
    hall = Hall.objects.create(code="ABG-HALL", name="阿巴嘎旗政务服务中心", kind="centre_hall", region=org["other"])
    Window.objects.create(code="ABG-W01", name="1号窗口", hall=hall, department=org["other_dept"])
    return hall


@pytest.fixture
def cam(org):
    camera = Camera.objects.create(code="camC", name="市政务大厅全景", hall=org["hall"],
                                   stream_url=f"rtsp://admin:{SECRET}@10.0.0.9:554/Streaming/Channels/102")
    camera.windows.add(org["window"])
    return camera


def form(org, **extra):
    data = {"code": "XL-C02", "name": "窗口区1", "hall": org["hall"].pk, "windows": [org["window"].pk],
            "stream_url": "rtsp://admin@10.0.0.10:554/Streaming/Channels/102", "password": SECRET,
            "retention_days": 30}
    return data | extra


@pytest.mark.django_db
def test_it_lets_a_centre_administrator_add_a_camera_with_its_hall_windows_and_password(client, org, admins):
    client.force_login(admins["county"])
    response = client.post(reverse("video:point_new"), form(org))
    assert response.status_code == 302
    camera = Camera.objects.get(code="XL-C02")
    assert camera.hall == org["hall"] and list(camera.windows.all()) == [org["window"]]
    assert camera.stream_url == f"rtsp://admin:{SECRET}@10.0.0.10:554/Streaming/Channels/102"
    entry = AuditEntry.objects.get(object_type="video.Camera", object_id="XL-C02")
    assert entry.actor == admins["county"] and entry.action == "camera_create"
    assert SECRET not in str(entry.after) and "10.0.0.10" not in str(entry.after)


@pytest.mark.django_db
def test_it_never_shows_the_stream_address_or_password_back(client, org, admins, cam):
    client.force_login(admins["county"])
    client.post(reverse("video:point", args=["camC"]), form(org, name="大厅全景（新）", stream_url="", password=""))
    pages = [client.get(url).content.decode() for url in (
        reverse("video:points"), reverse("video:point", args=["camC"]), reverse("video:camera", args=["camC"]),
        "/api/v1/video/cameras")]
    for page in pages:
        assert SECRET not in page
        assert "10.0.0.9" not in page and "rtsp://admin:" not in page
    edit = client.get(reverse("video:point", args=["camC"]))
    assert "stream_url" not in edit.context["form"].initial and "password" not in edit.context["form"].initial
    assert 'name="stream_url"' in pages[1] and 'type="password"' in pages[1]


@pytest.mark.django_db
def test_it_keeps_the_secret_when_the_fields_are_left_blank_and_records_only_that_it_changed(client, org, admins, cam):
    client.force_login(admins["county"])
    client.post(reverse("video:point", args=["camC"]), form(org, name="大厅全景（新）", stream_url="", password=""))
    cam.refresh_from_db()
    assert cam.name == "大厅全景（新）" and SECRET in cam.stream_url
    client.post(reverse("video:point", args=["camC"]), form(org, stream_url="", password="N3w-secret"))
    cam.refresh_from_db()
    assert cam.stream_url == "rtsp://admin:N3w-secret@10.0.0.9:554/Streaming/Channels/102"
    entries = AuditEntry.objects.filter(object_id="camC").order_by("at", "id")
    assert [e.action for e in entries] == ["camera_update", "camera_update"]
    assert entries[1].after["password"] == "已更改" and "N3w-secret" not in str(entries[1].after)
    page = client.get(reverse("video:point", args=["camC"])).content.decode()
    assert "修改点位" in page and "视频流密码" in page and "N3w-secret" not in page


@pytest.mark.django_db
def test_it_keeps_administrators_to_their_region(client, org, admins, cam, other_hall):
    client.force_login(admins["other"])
    assert client.get(reverse("video:point", args=["camC"])).status_code == 404
    assert client.post(reverse("video:point_active", args=["camC"]), {"action": "disable"}).status_code == 404
    assert client.post(reverse("video:point_test", args=["camC"])).status_code == 404
    assert "camC" not in client.get(reverse("video:points")).content.decode()
    # a hall or window outside the region cannot be chosen
    response = client.post(reverse("video:point_new"), form(org, code="X1", windows=[]))
    assert response.status_code == 200 and "hall" in response.context["form"].errors
    assert not Camera.objects.filter(code="X1").exists()


@pytest.mark.django_db
def test_it_refuses_windows_of_another_hall(client, org, admins):
    client.force_login(admins["county"])
    second = Hall.objects.create(code="XL-SUB", name="锡林浩特市分厅", kind="sub_hall", region=org["county"])
    response = client.post(reverse("video:point_new"), form(org, hall=second.pk))
    assert response.context["form"].errors["windows"] == ["窗口 XL-W01 不在所选大厅"]
    assert not Camera.objects.filter(code="XL-C02").exists()


@pytest.mark.django_db
def test_it_names_the_field_of_a_bad_stream_address(client, org, admins):
    client.force_login(admins["county"])
    response = client.post(reverse("video:point_new"), form(org, stream_url="http://10.0.0.10/stream"))
    assert "视频流地址：应为 rtsp://" in response.content.decode()
    assert not Camera.objects.filter(code="XL-C02").exists()


@pytest.mark.django_db
def test_it_lets_only_administrators_manage_cameras(client, org, people, cam):
    for who in ("county_supervisor", "manager", "clerk"):
        client.force_login(people[who])
        assert client.get(reverse("video:points")).status_code == 403
        assert client.post(reverse("video:point_new"), form(org)).status_code == 403
        assert client.post(reverse("video:point_active", args=["camC"]), {"action": "disable"}).status_code == 403
    assert Camera.objects.get(code="camC").active and not Camera.objects.filter(code="XL-C02").exists()


@pytest.mark.django_db
def test_it_disables_a_camera_and_takes_it_off_the_wall(client, org, admins, cam):
    client.force_login(admins["county"])
    client.post(reverse("video:point_active", args=["camC"]), {"action": "disable", "reason": "设备维修"})
    assert not Camera.objects.get(code="camC").active
    assert client.get(reverse("video:wall")).context["tiles"] == []
    entry = AuditEntry.objects.get(object_id="camC", action="camera_disable")
    assert entry.reason == "设备维修" and entry.actor == admins["county"]
    page = client.get(reverse("video:point", args=["camC"])).content.decode()
    assert "停用点位" in page and "设备维修" in page


# ---- the connection test, against the project's simulated camera -------------------------------------
@pytest.fixture
def locked_simcam():
    """A simulated camera that asks for a user name and password, as real ones do."""
    if not SIMCAM.exists() or not __import__("pathlib").Path(SYSTEM_PYTHON).exists():
        pytest.skip("Debian's python3 with GStreamer is needed")
    port = free_port()
    proc = subprocess.Popen([SYSTEM_PYTHON, str(SIMCAM), "--port", str(port), "--width", "320", "--height", "180",
                             "--user", "admin", "--password", SECRET, "camT"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield SimCam(port, ["camT"])
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.django_db
def test_it_reports_resolution_codec_and_keyframe_interval(client, org, admins, locked_simcam):
    camera = Camera.objects.create(code="camT", name="大厅全景", hall=org["hall"],
                                   stream_url=f"rtsp://admin:{SECRET}@127.0.0.1:{locked_simcam.port}/camT")
    client.force_login(admins["county"])
    page = run_test_as_the_page_does(client, "camT")
    assert "连接正常：H264，320×180，关键帧间隔 1.0 秒" in page
    assert SECRET not in page and str(locked_simcam.port) not in page
    entry = AuditEntry.objects.get(object_id=camera.code, action="camera_test")
    assert entry.after["ok"] and entry.after["resolution"] == "320×180" and SECRET not in str(entry.after)


@pytest.mark.django_db
def test_it_says_why_a_connection_failed(org, admins, locked_simcam):
    port = locked_simcam.port
    camera = Camera.objects.create(code="camT", name="大厅全景", hall=org["hall"], stream_url="")
    listening = socket.socket()  # accepts, never answers
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    cases = {
        f"rtsp://admin:wrong@127.0.0.1:{port}/camT": "auth",
        f"rtsp://127.0.0.1:{port}/camT": "auth",
        f"rtsp://127.0.0.1:{free_port()}/camT": "refused",
        f"rtsp://127.0.0.1:{listening.getsockname()[1]}/camT": "timeout",
    }
    try:
        for url, failure in cases.items():
            camera.stream_url = url
            outcome = do_test_camera(camera, actor=admins["county"], open_timeout=1.5)
            assert (outcome["ok"], outcome["failure"]) == (False, failure), url
    finally:
        listening.close()


@pytest.mark.django_db
def test_it_shows_a_failure_in_words(client, org, admins):
    Camera.objects.create(code="camT", name="大厅全景", hall=org["hall"], stream_url=f"rtsp://127.0.0.1:{free_port()}/x")
    client.force_login(admins["county"])
    page = run_test_as_the_page_does(client, "camT")
    assert "连接被拒绝：该端口没有 RTSP 服务" in page and "refused" not in page


def run_test_as_the_page_does(client, code):
    """Click 连接测试: the request only asks (no probe runs in it) and the page says the test is under way
    and polls; the worker's tick runs it; the poll then returns the result."""
    page = client.post(reverse("video:point_test", args=[code]), follow=True).content.decode()
    assert "正在测试连接" in page and 'hx-trigger="every 2s"' in page
    assert not AuditEntry.objects.filter(object_id=code, action="camera_test").exists()
    poll = re.search(r'hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "正在测试连接" in client.get(poll).content.decode()
    assert camera_tests_tick(timezone.now()) == 1 and camera_tests_tick(timezone.now()) == 0
    result = client.get(poll).content.decode()
    assert "hx-trigger" not in result  # the poll stops
    return result


@pytest.mark.django_db
def test_it_says_when_the_worker_did_not_run_the_test(client, org, admins):
    Camera.objects.create(code="camT", name="大厅全景", hall=org["hall"], stream_url="rtsp://127.0.0.1:1/x")
    client.force_login(admins["county"])
    long_ago = (timezone.now() - timedelta(minutes=5)).isoformat()
    page = client.get(reverse("video:point_test", args=["camT"]), {"since": long_ago}).content.decode()
    assert "60 秒内没有得到测试结果" in page and "hx-trigger" not in page


@pytest.mark.django_db
def test_it_lists_the_changed_fields_the_readers_way(client, org, admins, cam):
    client.force_login(admins["county"])
    client.post(reverse("video:point", args=["camC"]), form(org, name="大厅全景（新）", retention_days=60,
                                                            stream_url="", password=""))
    assert "点位名称、录像保存天数" in client.get(reverse("video:point", args=["camC"])).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("video:point", args=["camC"])).content.decode()
    assert "Camera name, Retention (days)" in page and "、" not in page.split("<tbody>")[-1]
