"""Managing camera points (点位管理) from the back office: add, edit, disable, test the connection.

Who: centre administrators within their region subtree (and the system administrator; video.access). The stream
address and its password are write-only: they are set here and read only by the recorder and the
connection test; no form, page or API returns them. Every change is an audit row (who, when, what);
the secret appears there only as "changed", never as a value.
"""
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import actor_user, record

from . import probe as probe_mod
from .models import Camera

AUDIT_TYPE = "video.Camera"
SECRET_CHANGED = "已更改"  # what the audit ledger says about a new stream address or password


class CameraError(ValueError):
    pass


def with_password(url, password):
    """The RTSP address with `password` put into its credentials (the user name stays as given)."""
    if not password:
        return url
    parts = urlsplit(url)
    user = parts.username or ""
    if not user:
        raise CameraError(_("视频流地址：填写密码时，地址中须包含用户名，例如 rtsp://admin@192.168.1.64:554/Streaming/Channels/102"))
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def check_stream_url(url):
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("rtsp", "rtsps") or not parts.hostname:
        raise CameraError(_("视频流地址：应为 rtsp://主机[:端口]/路径 形式的 RTSP 地址"))
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise CameraError(_("视频流地址：端口应为数字"))
    return url


def _facts(camera):
    """What the audit row shows of a camera: everything but the secret."""
    return {"code": camera.code, "name": camera.name, "hall": camera.hall.code,
            "windows": sorted(camera.windows.values_list("code", flat=True)),
            "retention_days": camera.retention_days, "active": camera.active}


@transaction.atomic
def do_create_camera(*, code, name, hall, windows, stream_url, password="", retention_days=30, actor):
    if Camera.objects.filter(code=code).exists():
        raise CameraError(_("点位编码：%(code)s 已被使用") % {"code": code})
    camera = Camera.objects.create(code=code, name=name, hall=hall, retention_days=retention_days,
                                   stream_url=with_password(check_stream_url(stream_url), password))
    camera.windows.set(windows)
    after = _facts(camera) | {"stream_url": SECRET_CHANGED}
    record(actor, "camera_create", AUDIT_TYPE, camera.code, after=after)
    return camera


@transaction.atomic
def do_update_camera(camera, *, name, hall, windows, retention_days, stream_url="", password="", actor):
    """Blank `stream_url` and `password` keep what is stored (they are never shown to be edited)."""
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    before = _facts(camera)
    camera.name, camera.hall, camera.retention_days = name, hall, retention_days
    secret = []
    if stream_url:
        camera.stream_url = check_stream_url(stream_url)
        secret.append("stream_url")
    if password:
        camera.stream_url = with_password(camera.stream_url, password)
        secret.append("password")
    camera.save()
    camera.windows.set(windows)
    after = _facts(camera) | {key: SECRET_CHANGED for key in secret}
    if after != before:
        record(actor, "camera_update", AUDIT_TYPE, camera.code, before=before, after=after)
    return camera


@transaction.atomic
def do_set_camera_active(camera, *, active, actor, reason=""):
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    if camera.active == active:
        return camera
    camera.active = active
    camera.save(update_fields=["active"])
    record(actor, "camera_enable" if active else "camera_disable", AUDIT_TYPE, camera.code,
           before={"active": not active}, after={"active": active}, reason=reason)
    return camera


def do_test_camera(camera, *, actor, **probe_options):
    """Run the connection test against the stored address and record that it was run and its outcome."""
    result = probe_mod.probe(camera.stream_url, **probe_options)
    outcome = probe_outcome(result)
    record(actor, "camera_test", AUDIT_TYPE, camera.code, after=outcome)
    return outcome


# The test runs in the worker, not in the request: opening an RTSP stream and waiting for two key frames
# takes up to OPEN_TIMEOUT + READ_SECONDS (~9 s). The page asks for it (do_request_camera_test), the
# worker's tick runs what was asked (at most video.ticks.TESTS_PER_ROUND a round, so the other ticks are not held up
# for long) and the page shows the result when its audit row appears (docs/video.md).


def do_request_camera_test(camera, *, actor, now):
    """Ask the worker to test this camera's connection; returns the instant asked (the page waits for a
    result recorded at or after it). Asking again before it ran keeps one request, the newest."""
    Camera.objects.filter(pk=camera.pk).update(test_requested_at=now, test_requested_by=actor_user(actor))
    camera.test_requested_at = now
    return now


def latest_test(camera, since):
    """The outcome of the camera's connection test recorded at or after `since`, or None (not yet run)."""
    from core.models import AuditEntry

    row = AuditEntry.objects.filter(object_type=AUDIT_TYPE, object_id=camera.code, action="camera_test",
                                    at__gte=since).order_by("-at", "-id").first()
    return row.after if row is not None else None


def probe_outcome(result):
    """What is kept and shown of a test: never FFmpeg's message, which may quote the address."""
    return {"ok": result.ok, "failure": result.failure, "codec": result.codec,
            "resolution": f"{result.width}×{result.height}" if result.width else "",
            "keyframe_interval": result.keyframe_interval}
