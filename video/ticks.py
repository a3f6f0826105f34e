"""Video's time-based work, registered with core.ticks in apps.py: cameras the recorder stopped reporting
go offline (video.stale_cameras), recordings past their retention go (video.retention), and the connection
tests asked for from the back office run (video.camera_tests)."""
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from core.claims import claim

from .cameras import do_test_camera
from .conf import offline_seconds
from .health import do_mark_cameras
from .models import Camera, CameraStatus
from .retention import do_expire_segments

def stale_cameras_tick(now):
    """Cameras the recorder has not reported for a while (the recorder itself is down) go offline."""
    limit = now - timedelta(seconds=max(60.0, 3 * offline_seconds()))
    with transaction.atomic():  # claimed (core.claims): a camera another worker marked is no longer online
        stale = list(claim(Camera.objects.select_related("hall").filter(active=True, status=CameraStatus.ONLINE,
                                                                        last_seen_at__lt=limit)))
        return do_mark_cameras([(c, CameraStatus.OFFLINE, c.last_seen_at, _("录像服务未收到画面")) for c in stale],
                               actor="video.health")


def retention_tick(now):
    return do_expire_segments(now)


TESTS_PER_ROUND = 2


def camera_tests_tick(now, **probe_options):
    """Run the connection tests asked for, oldest first. Each is claimed with a conditional update (two
    workers never run the same one) and run outside any transaction: a probe may take seconds."""
    done = 0
    for cam in Camera.objects.filter(test_requested_at__isnull=False).select_related("test_requested_by") \
            .order_by("test_requested_at")[:TESTS_PER_ROUND]:
        if Camera.objects.filter(pk=cam.pk, test_requested_at=cam.test_requested_at).update(test_requested_at=None):
            do_test_camera(cam, actor=cam.test_requested_by, **probe_options)
            done += 1
    return done
