"""Video supervision (视频监察): monitoring points, their recordings, evidence clips, patrols and
observations.

A camera belongs to a hall and may face some of its windows; its stream address is a secret (never
shown in pages, exports or the API; only the recorder reads it). The recorder (`manage.py record`)
writes continuous segments and indexes them here; evidence clips are copies cut out of the segments,
sealed with SHA-256, stored apart and never expired; every view or download of a clip is a row.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from core.models import ChangeRow
from orgs.models import Centre, Department, Hall, Staff, Window


class CameraStatus(models.TextChoices):
    UNKNOWN = "unknown", _("未知")
    ONLINE = "online", _("在线")
    OFFLINE = "offline", _("离线")


class Camera(models.Model):
    code = models.CharField(_("点位编码"), max_length=30, unique=True)
    name = models.CharField(_("点位名称"), max_length=100)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="cameras")
    windows = models.ManyToManyField(Window, blank=True, related_name="cameras", verbose_name=_("监控窗口"))
    stream_url = models.CharField(_("视频流地址"), max_length=500, help_text=_("保密：仅录像服务使用"))
    retention_days = models.PositiveSmallIntegerField(_("录像保存天数"), default=30)
    active = models.BooleanField(_("启用"), default=True)
    # Health, written by the recorder (and by the stale-heartbeat tick when the recorder is gone).
    status = models.CharField(_("状态"), max_length=10, choices=CameraStatus.choices, default=CameraStatus.UNKNOWN)
    status_since = models.DateTimeField(_("状态时间"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("最近收到画面"), null=True, blank=True)
    # A connection test asked for from the back office, waiting for the worker (video.ticks.camera_tests_tick).
    test_requested_at = models.DateTimeField(_("连接测试申请时间"), null=True, blank=True, editable=False)
    test_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                          on_delete=models.SET_NULL, related_name="+")

    # Video supervision is a centre function: centre roles see their region's cameras; department
    # and window roles see none (their observations reach them through the observation records).
    scope_paths = {"region": "hall__region"}

    class Meta:
        ordering = ["hall__code", "code"]
        verbose_name = verbose_name_plural = _("监控点位")

    def __str__(self):
        return self.name


class CameraStatusChange(ChangeRow):
    """Every change of a camera's health: who noticed (the recorder, the stale-camera tick), when, from,
    to, why (note). Rows from before the change-history base have an empty actor_name."""

    record_field = "camera"

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=CameraStatus.choices)
    to_status = models.CharField(max_length=10, choices=CameraStatus.choices)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("监控点位状态变更")


class Segment(models.Model):
    """One recorded file of one camera: MPEG-TS, copied packets (no re-encoding). `end` is None while
    the recorder is writing it. `parts` lists its key-frame chunks as [byte offset, byte length,
    seconds] (what the live playlist and playback address with byte ranges)."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="segments")
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"), null=True, blank=True)
    path = models.CharField(max_length=300)  # relative to settings.VIDEO_ROOT
    size = models.BigIntegerField(default=0)
    parts = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("录像片段")
        ordering = ["camera", "start"]
        indexes = [
            # serves: playback and clips (a camera's segments around an instant)
            models.Index(fields=["camera", "start"]),
            # serves: retention and the disk quota (oldest first)
            models.Index(fields=["start"]),
        ]

    @property
    def seconds(self):
        return sum(p[2] for p in self.parts)


class EvidenceClip(models.Model):
    """A sealed copy of the recording around an instant. `start`/`end` are what the file really covers
    (from the key frame at or before the asked start); `sha256` is of the file as sealed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="clips")
    instant = models.DateTimeField(_("时刻"))
    start = models.DateTimeField(_("片段开始"))
    end = models.DateTimeField(_("片段结束"))
    path = models.CharField(max_length=300)  # relative to settings.EVIDENCE_ROOT
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(_("封存时间"))
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sealed_by_name = models.CharField(max_length=150)
    reason = models.CharField(_("封存事由"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("最近校验"), null=True, blank=True)
    verified_ok = models.BooleanField(_("校验一致"), null=True)

    scope_paths = {"region": "camera__hall__region"}

    class Meta:
        ordering = ["-sealed_at"]
        verbose_name = verbose_name_plural = _("证据片段")


class ClipAccess(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")
    VERIFY = "verify", _("校验")


class EvidenceAccess(models.Model):
    """Every view, download or verification of an evidence clip."""

    clip = models.ForeignKey(EvidenceClip, on_delete=models.PROTECT, related_name="accesses")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=ClipAccess.choices)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("证据片段调阅记录")
        ordering = ["at", "id"]


class Patrol(models.Model):
    """One supervisor's watch (巡查) of the wall: which cameras were on screen and when."""

    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols")
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="patrols")
    started_at = models.DateTimeField(_("开始"))
    last_seen_at = models.DateTimeField(_("最近"))

    scope_paths = {"region": "centre__region"}

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = _("巡查")


class PatrolView(models.Model):
    """A camera on a patrol's screen from `start` to `end` (extended while it stays on screen)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="views")
    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("巡查画面记录")
        ordering = ["start", "id"]


class Category(models.TextChoices):
    ABSENT = "absent", _("脱岗离岗")
    PHONE = "phone", _("玩手机")
    ATTITUDE = "attitude", _("态度生硬")
    BUCK_PASSING = "buck_passing", _("推诿扯皮")
    FAVOURS = "favours", _("吃拿卡要")
    DISORDER = "disorder", _("秩序混乱")
    OTHER = "other", _("其他")


class ObservationStatus(models.TextChoices):
    RECORDED = "recorded", _("已记录")
    ORDERED = "ordered", _("整改中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")


class Observation(models.Model):
    """What a supervisor saw on video (巡查发现), against a window, a staff member and an instant."""

    number = models.CharField(_("编号"), max_length=30, unique=True)
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="observations")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    patrol = models.ForeignKey(Patrol, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations")
    instant = models.DateTimeField(_("发生时刻"))
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("情况描述"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"))
    status = models.CharField(_("状态"), max_length=10, choices=ObservationStatus.choices,
                              default=ObservationStatus.RECORDED)
    verbal_warning = models.BooleanField(_("当场口头警告"), default=False)
    order_text = models.TextField(_("整改要求"), blank=True)
    order_due = models.DateField(_("整改期限"), null=True, blank=True)
    answer = models.TextField(_("部门整改反馈"), blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    serious = models.BooleanField(_("情节严重（移送问责）"), default=False)
    clip = models.ForeignKey(EvidenceClip, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    scope_paths = {"region": "camera__hall__region", "department": "department", "window": "window"}

    class Meta:
        ordering = ["-instant"]
        verbose_name = _("巡查发现")
        verbose_name_plural = pgettext_lazy("plural", "巡查发现")

    def __str__(self):
        return self.number


class ObservationChange(ChangeRow):
    record_field = "observation"

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True, choices=ObservationStatus.choices)
    to_status = models.CharField(max_length=10, choices=ObservationStatus.choices)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("巡查发现变更")
