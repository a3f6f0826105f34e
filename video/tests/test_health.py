"""Camera health: a camera that stops sending goes offline with an alert; when it comes back the
recorder reconnects by itself, the camera is online again and the alert is closed. Every change is a row."""
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from alerts.models import Alert, AlertStatus
from video.ticks import stale_cameras_tick
from video.models import CameraStatus, CameraStatusChange, Segment
from video.recorder import Recorder

from .helpers import pump, status_of


@pytest.mark.django_db
def test_it_detects_a_camera_going_offline_and_coming_back(video_dirs, camera, simcam, people):
    recorder = Recorder(codes=[camera.code])
    try:
        assert pump(recorder, lambda: status_of("camT") == CameraStatus.ONLINE)

        simcam.stop()
        assert pump(recorder, lambda: status_of("camT") == CameraStatus.OFFLINE, timeout=30)
        alert = Alert.objects.get(subject_type="camera", subject_key="camT")
        assert alert.status == AlertStatus.OPEN and alert.region_id == camera.hall.region_id
        assert alert.centre.region_id == camera.hall.region_id  # the county centre watches its hall
        assert people["county_supervisor"].notifications.filter(subject__contains="离线").exists()

        simcam.start()
        recorded_before = Segment.objects.count()
        assert pump(recorder, lambda: status_of("camT") == CameraStatus.ONLINE, timeout=40)
        assert pump(recorder, lambda: Segment.objects.filter(end__isnull=False).count() > recorded_before)
    finally:
        recorder.stop()
        recorder.join()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert list(CameraStatusChange.objects.values_list("from_status", "to_status")) == [
        ("unknown", "online"), ("online", "offline"), ("offline", "online")]


@pytest.mark.django_db
def test_it_marks_cameras_offline_when_the_recorder_itself_is_silent(org, camera):
    now = timezone.now()
    camera.status, camera.last_seen_at = CameraStatus.ONLINE, now - timedelta(minutes=5)
    camera.save()

    assert stale_cameras_tick(now) == 1

    assert status_of("camT") == CameraStatus.OFFLINE
    assert Alert.objects.filter(subject_key="camT", status=AlertStatus.OPEN).count() == 1
    assert stale_cameras_tick(now) == 0  # once per outage
    change = CameraStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.actor_name) == ("online", "offline", "video.health")
    assert change.note == "录像服务未收到画面"


@pytest.mark.django_db(transaction=True)
def test_the_change_rows_of_cameras_keep_their_reason_across_the_change_history_migration(org, camera):
    now = timezone.now()
    camera.status, camera.last_seen_at = CameraStatus.ONLINE, now - timedelta(minutes=5)
    camera.save()
    stale_cameras_tick(now)
    executor = MigrationExecutor(connection)
    executor.migrate([("video", "0004_camera_test_request")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT from_status, to_status, reason FROM video_camerastatuschange")
        assert cursor.fetchall() == [("online", "offline", "录像服务未收到画面")]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    change = CameraStatusChange.objects.get()
    assert (change.note, change.actor_name, change.at) == ("录像服务未收到画面", "", camera.last_seen_at)
