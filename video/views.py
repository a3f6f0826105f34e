"""Video pages: the live wall, a camera (health, playback, sealing, observations), evidence clips,
observations. Video supervision is a centre function: cameras, recordings and clips are for centre
roles in their region; department roles see (and answer) the observations about their windows.
Stream addresses never leave the server."""
import re
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from core.access import is_centre_user, require, require_centre, require_office, scoped
from core.params import instant_param
from core.templatetags.cw import join_list
from orgs.models import Hall, Region, Staff, Window

from . import media, probe
from .access import (ANSWER, centre_camera, cameras_for, managed_camera, may_manage_cameras, observation_actions,
                     observations_for, require_observation_action, visible_clip, visible_observation)
from .cameras import (AUDIT_TYPE, CameraError, do_create_camera, do_request_camera_test, do_set_camera_active,
                      do_update_camera, latest_test)
from .forms import CameraForm
from .conf import evidence_root, video_root
from .evidence import EvidenceError, do_seal_clip, log_access
from .models import Camera, CameraStatus, Category, ClipAccess, EvidenceClip, Observation, ObservationStatus, Segment
from .observations import (ObservationError, do_answer_observation, do_close_observation, do_order_rectification,
                           do_record_observation, do_watch_cameras)

LAYOUTS = (1, 4, 9, 16)
MEDIA_NAME = re.compile(r"^\d{8}/\d{6}-\d{3}\.ts$")
PLAYBACK_WINDOW = timedelta(minutes=30)
PAGE_SIZE = 30


def _local_input(value, name):
    """A datetime-local form value (or ISO) as an aware instant in the current time zone."""
    return instant_param(value, name, tz=timezone.get_current_timezone())


# ---- the wall -------------------------------------------------------------------------------------
def point_name(name, hall):
    """What a tile's label leads with: the point within its hall ("大厅全景", "窗口区1"), the camera's
    name without its hall's name in front, which the label shows on its own line."""
    rest = name[len(hall):].strip(" ·-—_/") if hall and name.startswith(hall) else ""
    return rest or name


@login_required
@require_GET
def wall(request):
    if not is_centre_user(request.user):  # departments reach video through their observations
        return redirect("video:observations")
    cameras = cameras_for(request.user).filter(active=True)
    regions = scoped(Region.objects.filter(halls__cameras__isnull=False).distinct(), request.user)
    halls = scoped(Hall.objects.filter(cameras__isnull=False).distinct(), request.user)
    region, hall = request.GET.get("region", ""), request.GET.get("hall", "")
    chosen = regions.filter(code=region).first() if region else None
    if chosen:
        cameras = cameras.filter(hall__region__path__startswith=chosen.path)
    if hall:
        cameras = cameras.filter(hall__code=hall)
    layout = int(request.GET.get("layout", "9")) if request.GET.get("layout", "9").isdigit() else 9
    layout = layout if layout in LAYOUTS else 9
    tour = request.GET.get("tour", "20")
    tour = int(tour) if tour.isdigit() else 20
    tiles = [{"code": c.code, "name": c.name, "point": point_name(c.name, c.hall.name), "hall": c.hall.name,
              "status": c.status, "live": reverse("video:live", args=[c.code]),
              "url": reverse("video:camera", args=[c.code])}
             for c in cameras]
    full = request.GET.get("view") == "full"
    return render(request, "video/wall_full.html" if full else "video/wall.html", {
        "tiles": tiles, "layout": layout, "layouts": LAYOUTS, "full": full,
        "chosen": (halls.filter(code=hall).first() if hall else None) or chosen,
        "tour": tour, "regions": regions, "halls": halls, "region": region, "hall": hall,
        "may_manage": may_manage_cameras(request.user),
        **status_counts(tiles),
    })


def status_counts(tiles):
    """The wall's counts by the recorder's last word on each camera: online, offline and unknown (never
    heard from since it was added). They add up to the tiles shown, and a tile says 离线 only for a
    camera counted offline (an unknown one without a picture says 状态未知, docs/video.md)."""
    return {status: sum(t["status"] == status for t in tiles) for status in CameraStatus.values}


@login_required
@require_POST
def watch(request):
    """The wall reports the cameras on screen (the patrol record)."""
    require_centre(request.user)
    codes = request.POST.getlist("camera")[:16]
    cameras = list(cameras_for(request.user, Camera.objects.filter(code__in=codes)))
    patrol = do_watch_cameras(request.user, cameras)
    return JsonResponse({"patrol": patrol.pk, "cameras": len(cameras)})


# ---- media --------------------------------------------------------------------------------------------
@login_required
@require_GET
def live(request, code):
    camera = centre_camera(request.user, code)
    try:
        text = (video_root() / camera.code / "live.m3u8").read_text()
    except FileNotFoundError:
        raise Http404
    return media.playlist_response(text)


@login_required
@require_GET
def segment_file(request, code, day, name):
    camera = centre_camera(request.user, code)
    rel = f"{day}/{name}"
    if not MEDIA_NAME.match(rel):
        raise Http404
    return media.serve_file(request, video_root() / camera.code / rel, "video/mp2t")


@login_required
@require_GET
def vod(request, code):
    camera = centre_camera(request.user, code)
    start = _local_input(request.GET.get("from"), "from") or timezone.now() - timedelta(minutes=5)
    end = _local_input(request.GET.get("to"), "to") or start + PLAYBACK_WINDOW
    segments = (Segment.objects.filter(camera=camera, start__lt=end, start__gte=start - timedelta(hours=2))
                .exclude(end__lte=start).order_by("start"))
    base = reverse("video:live", args=[camera.code]).rsplit("/", 1)[0]
    return media.playlist_response(media.vod_playlist(segments, lambda s: f"{base}/{s.path.split('/', 1)[1]}"))


# ---- a camera -----------------------------------------------------------------------------------------
@login_required
@require_GET
def camera(request, code):
    cam = centre_camera(request.user, code)
    at = _local_input(request.GET.get("at"), "at")
    first = Segment.objects.filter(camera=cam).order_by("start").first()
    playback = None
    if at:
        seg = (Segment.objects.filter(camera=cam, start__lte=at).order_by("-start").first()
               or Segment.objects.filter(camera=cam, start__gt=at).order_by("start").first())
        if seg:
            playback = {"src": reverse("video:vod", args=[cam.code]) + "?" + urlencode({"from": seg.start.isoformat()}),
                        "offset": max(0.0, (at - seg.start).total_seconds())}
    windows = list(cam.windows.select_related("department")) or list(
        Window.objects.filter(hall=cam.hall).select_related("department"))
    return render(request, "video/camera.html", {
        "camera": cam, "at": at, "playback": playback, "first": first,
        "changes": cam.status_changes.order_by("-at")[:10],
        "clips": EvidenceClip.objects.filter(camera=cam).order_by("-sealed_at")[:10],
        "observations": Observation.objects.filter(camera=cam).select_related("window")[:10],
        "windows": windows, "staff": Staff.objects.filter(window__in=windows, active=True).order_by("code"),
        "categories": Category.choices, "now": timezone.localtime(),
    })


@login_required
@require_POST
def seal(request, code):
    cam = centre_camera(request.user, code)
    try:
        instant = _local_input(request.POST.get("instant"), "instant")
        if instant is None:
            raise EvidenceError(_("请填写时刻"))
        clip = do_seal_clip(cam, instant, actor=request.user, before=int(request.POST.get("before") or 60),
                            after=int(request.POST.get("after") or 60), reason=request.POST.get("reason", ""))
    except (EvidenceError, ValueError) as err:
        messages.error(request, str(err))
        return redirect("video:camera", cam.code)
    messages.success(request, _("证据片段已封存，SHA-256：%(h)s") % {"h": clip.sha256})
    return redirect("video:clip", clip.pk)


@login_required
@require_POST
def observe(request, code):
    cam = centre_camera(request.user, code)
    post = request.POST
    windows = Window.objects.filter(hall=cam.hall)
    try:
        instant = _local_input(post.get("instant"), "instant")
        if instant is None:
            raise ObservationError(_("请填写发生时刻"))
        if post.get("category") not in Category.values:
            raise ObservationError(_("请选择问题类别"))
        window = windows.filter(pk=post.get("window") or 0).first()
        staff = Staff.objects.filter(pk=post.get("staff") or 0, window__hall=cam.hall).first()
        obs = do_record_observation(
            cam, actor=request.user, instant=instant, category=post["category"],
            description=post.get("description", ""), window=window, staff=staff,
            verbal_warning=bool(post.get("verbal_warning")), order_text=post.get("order_text", ""),
            order_days=int(post.get("order_days") or 3), serious=bool(post.get("serious")))
    except (ObservationError, ValueError) as err:
        messages.error(request, str(err))
        return redirect("video:camera", cam.code)
    messages.success(request, _("巡查发现 %(no)s 已记录") % {"no": obs.number})
    return redirect("video:observation", obs.number)


# ---- evidence clips -----------------------------------------------------------------------------------
def _address(request):
    return request.META.get("REMOTE_ADDR")


@login_required
@require_GET
def clip(request, pk):
    c = visible_clip(request.user, pk)
    log_access(c, request.user, ClipAccess.VIEW, _address(request))
    return render(request, "video/clip.html", {"clip": c, "accesses": c.accesses.order_by("-at")[:20]})


@login_required
@require_GET
def clip_file(request, pk):
    c = visible_clip(request.user, pk)
    if request.GET.get("download"):
        log_access(c, request.user, ClipAccess.DOWNLOAD, _address(request))
        response = media.serve_file(request, evidence_root() / c.path, "video/mp4")
        response["Content-Disposition"] = f'attachment; filename="{c.camera.code}-{c.pk}.mp4"'
        return response
    return media.serve_file(request, evidence_root() / c.path, "video/mp4")  # the page's player (view logged)


# ---- observations -------------------------------------------------------------------------------------
@login_required
@require_GET
def observation_list(request):
    require_office(request.user)
    qs = observations_for(request.user, Observation.objects.select_related("camera", "window", "department", "staff"))
    status = request.GET.get("status", "")
    if status in ObservationStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-instant", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "video/observation_list.html", {
        "page": page, "status": status, "statuses": ObservationStatus.choices,
        "is_centre": is_centre_user(request.user)})


@login_required
def observation(request, number):
    require_office(request.user)
    obs = visible_observation(request.user, number, Observation.objects.select_related(
        "camera", "window", "department", "staff", "clip"))
    if request.method == "POST":
        return _observation_action(request, obs)
    return render(request, "video/observation.html", {
        "obs": obs, "changes": obs.changes.all(), "is_centre": is_centre_user(request.user),
        "can_answer": obs.status == ObservationStatus.ORDERED and ANSWER in observation_actions(request.user, obs),
    })


def _observation_action(request, obs):
    action, post = request.POST.get("action") or "", request.POST
    require_observation_action(request.user, obs, action)
    try:
        if action == "answer":
            do_answer_observation(obs, actor=request.user, answer=post.get("answer", ""))
        elif action == "order":
            do_order_rectification(obs, actor=request.user, text=post.get("order_text", ""),
                                   days=int(post.get("order_days") or 3))
        else:
            do_close_observation(obs, actor=request.user, note=post.get("note", ""))
    except (ObservationError, ValueError) as err:
        messages.error(request, str(err))
    return redirect("video:observation", obs.number)


# ---- camera points (点位管理): centre administrators ------------------------------------------------
PROBE_FAILURES = {
    probe.TIMEOUT: _lazy("连接超时：地址无应答，请检查网络、IP 和端口"),
    probe.REFUSED: _lazy("连接被拒绝：该端口没有 RTSP 服务，请检查端口"),
    probe.AUTH: _lazy("认证失败：用户名或密码不正确"),
    probe.NOT_FOUND: _lazy("地址不存在：摄像机没有这个流路径，请检查通道和码流路径"),
    probe.NOT_VIDEO: _lazy("不是视频流：地址有应答，但不是 RTSP 视频"),
    probe.NO_KEYFRAME: _lazy("连接成功，但几秒内没有收到关键帧，请检查摄像机的编码设置"),
    probe.BAD_ADDRESS: _lazy("地址格式不正确：应为 rtsp:// 开头的地址"),
}


@login_required
@require_GET
def points(request):
    require(may_manage_cameras, request.user)
    qs = cameras_for(request.user).prefetch_related("windows")
    page = Paginator(qs.order_by("hall__code", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "video/points.html", {"page": page})


def _save_point(form, request, camera):
    data = form.cleaned_data
    common = {"name": data["name"], "hall": data["hall"], "windows": data["windows"],
              "retention_days": data["retention_days"], "stream_url": data["stream_url"],
              "password": data["password"], "actor": request.user}
    if camera is None:
        return do_create_camera(code=data["code"], **common)
    return do_update_camera(camera, **common)


@login_required
def point_new(request):
    require(may_manage_cameras, request.user)
    form = CameraForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cam = _save_point(form, request, None)
        except CameraError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("点位 %(code)s 已添加") % {"code": cam.code})
            return redirect("video:point", cam.code)
    return render(request, "video/point.html", {"form": form, "camera": None})


@login_required
def point(request, code):
    cam = managed_camera(request.user, code)
    initial = {"code": cam.code, "name": cam.name, "hall": cam.hall, "windows": list(cam.windows.all()),
               "retention_days": cam.retention_days}  # never the stream address or password
    form = CameraForm(request.POST or None, user=request.user, camera=cam, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_point(form, request, cam)
        except CameraError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("已保存"))
            return redirect("video:point", cam.code)
    asked = request.session.pop("cw_probe", None)
    test = None
    if asked and asked.get("code") == cam.code:
        test = _probe_state(cam, instant_param(asked, "since"))
    return render(request, "video/point.html", {
        "form": form, "camera": cam, "history": _point_history(cam), "test": test})


def _point_history(cam):
    from core.models import AuditEntry
    rows = AuditEntry.objects.filter(object_type=AUDIT_TYPE, object_id=cam.code).order_by("-at", "-id")[:20]
    return [{"at": r.at, "actor": r, "action": POINT_ACTIONS.get(r.action, r.action),
             "changes": _describe(r)} for r in rows]


POINT_ACTIONS = {"camera_create": _lazy("添加点位"), "camera_update": _lazy("修改点位"),
                 "camera_disable": _lazy("停用点位"), "camera_enable": _lazy("启用点位"),
                 "camera_test": _lazy("连接测试")}
POINT_FIELDS = {"name": _lazy("点位名称"), "hall": _lazy("所在大厅"), "windows": _lazy("监控窗口"),
                "retention_days": _lazy("录像保存天数"), "active": _lazy("启用"),
                "stream_url": _lazy("视频流地址"), "password": _lazy("视频流密码")}


def _describe(entry):
    """A change row in words: which fields changed (the secret only as 已更改), or the test's outcome."""
    after, before = entry.after or {}, entry.before or {}
    if entry.action == "camera_test":
        return _probe_words(after)
    if entry.action in ("camera_enable", "camera_disable"):
        return entry.reason
    keys = [k for k in POINT_FIELDS if k in after and (entry.action == "camera_create" or after.get(k) != before.get(k))]
    return join_list(POINT_FIELDS[k] for k in keys)


def _probe_words(outcome):
    if outcome.get("ok"):
        interval = outcome.get("keyframe_interval")
        return _("连接正常：%(codec)s，%(res)s，关键帧间隔 %(gop)s") % {
            "codec": (outcome.get("codec") or "").upper(), "res": outcome.get("resolution") or "—",
            "gop": _("%(s)s 秒") % {"s": interval} if interval else _("未测出（几秒内只有一个关键帧）")}
    return str(PROBE_FAILURES.get(outcome.get("failure"), _("连接失败")))


# How long the page waits for the worker before it says the test did not run (a round of the worker is
# 5 s, a test at most ~9 s, two tests a round).
PROBE_WAIT = timedelta(seconds=60)


@login_required
def point_test(request, code):
    """POST: ask the worker for a connection test and go back to the point's page, which shows
    "testing…" and asks (GET, every 2 s) for the result until it is there."""
    cam = managed_camera(request.user, code)
    if request.method == "POST":
        since = do_request_camera_test(cam, actor=request.user, now=timezone.now())
        request.session["cw_probe"] = {"code": cam.code, "since": since.isoformat()}
        return redirect("video:point", cam.code)
    since = instant_param(request.GET, "since")
    if since is None:
        raise Http404
    return render(request, "video/_probe_result.html", _probe_state(cam, since))


def _probe_state(cam, since):
    outcome = latest_test(cam, since)
    if outcome is not None:
        return {"camera": cam, "ok": outcome["ok"], "text": _probe_words(outcome)}
    if timezone.now() - since > PROBE_WAIT:
        return {"camera": cam, "ok": False, "text": _("%(s)d 秒内没有得到测试结果：后台监察服务（manage.py supervise）"
                                                      "可能没有运行。请稍后再试，或联系系统管理员。")
                % {"s": PROBE_WAIT.total_seconds()}}
    return {"camera": cam, "pending": True, "since": since.isoformat(),
            "text": _("正在测试连接：由后台服务连接摄像机并读取几秒画面，通常 15 秒内出结果，结果会显示在这里。")}


@login_required
@require_POST
def point_active(request, code):
    cam = managed_camera(request.user, code)
    active = request.POST.get("action") == "enable"
    do_set_camera_active(cam, active=active, actor=request.user, reason=request.POST.get("reason", "")[:300])
    messages.success(request, _("点位已启用") if active else _("点位已停用，录像服务将在 10 秒内停止录制"))
    return redirect("video:point", cam.code)
