"""好差评: ratings of services, the evaluator devices that collect them on site, the follow-up (回访 /
整改) of every bad review, refused attempts, and the deployment's settings.

A Rating is bound to one case and stage (one per case and stage; 即办件 only one), to the window,
staff, department, region and item of that service. Every change of a follow-up is a
FollowUpChange row (who, when, from, to, why); every refused attempt a RefusedRating row.
"""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from cases.models import Case
from catalog.models import Item
from core.crypto import EncryptedTextField
from core.models import ChangeRow
from orgs.models import Department, Hall, Region, Staff, Window

from . import rules

SUBJECT = "rating"  # the alerts' subject type of a rating (overdue rectification, manipulation signals)


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


class Stage(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理")
    COMPLETION = "completion", _("办结")


class Channel(models.TextChoices):
    DEVICE = "device", _("窗口评价器")
    TOUCH = "touch", _("大厅触摸屏")
    WEB = "web", _("网站")
    SMS = "sms", _("短信/二维码")
    HOTLINE = "hotline", _("热线")
    API = "api", _("接口")
    SYSTEM = "system", _("系统默认")  # default ratings only (is_default)


class DeviceKind(models.TextChoices):
    DEVICE = "device", _("窗口评价器")
    TOUCH = "touch", _("大厅触摸屏")


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Device(models.Model):
    """An evaluator device or touch screen registered by an administrator to one window. It
    authenticates with a secret token (only its SHA-256 is stored)."""

    code = models.CharField(_("设备编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DeviceKind.choices, default=DeviceKind.DEVICE)
    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="evaluation_devices")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    registered_at = models.DateTimeField(_("登记时间"))
    last_seen_at = models.DateTimeField(_("最近在线"), null=True, blank=True)

    scope_paths = {"region": "window__hall__region", "department": "window__department", "window": "window"}

    class Meta:
        ordering = ["window__hall__code", "window__code", "code"]
        verbose_name = verbose_name_plural = _("评价设备")

    def __str__(self):
        return f"{self.code} ({self.window.code})"

    def set_new_token(self):
        token = "dev_" + secrets.token_urlsafe(24)
        self.token_hash, self.token_prefix = token_hash(token), token[:10]
        return token


# Rating.flags, set by evaluations.manipulation.signal_bursts: the words a page shows for each.
FLAG_LABELS = {
    "burst_device": _("同一评价器短时间内多次评价"),
    "burst_phone": _("同一手机号短时间内多次评价"),
    "other": _("其他异常"),
}


class Rating(models.Model):
    number = models.CharField(_("评价编号"), max_length=24, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ratings")
    stage = models.CharField(_("评价环节"), max_length=12, choices=Stage.choices)
    level = models.CharField(_("评价等级"), max_length=20, choices=Level.choices)
    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices)
    is_default = models.BooleanField(_("默认评价"), default=False)
    rated_at = models.DateTimeField(_("评价时间"))
    # The service rated, copied from the case when the rating is made (statistics group by these).
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="ratings")
    region = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="ratings")
    item = models.ForeignKey(Item, null=True, on_delete=models.PROTECT, related_name="ratings")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    hall = models.ForeignKey(Hall, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    api_client = models.CharField(_("接口客户端"), max_length=100, blank=True)
    comment = models.TextField(_("评价内容"), blank=True, max_length=1000)
    follow_up = models.TextField(_("追评"), blank=True, max_length=1000)
    follow_up_at = models.DateTimeField(_("追评时间"), null=True, blank=True)
    # Rater details are protected: encrypted at rest (core.crypto); shown masked; unmasked only to the
    # follow-up's handlers, each view logged. The keyed hash (HMAC-SM3) serves burst detection.
    rater_phone = EncryptedTextField(_("评价人电话"), max_length=20, blank=True, hash_field="rater_phone_hash",
                                     hash_kind="phone")
    rater_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    source = models.CharField(max_length=120, blank=True)  # device code, client name or web address hash
    flags = models.JSONField(_("异常标记"), default=list, blank=True)

    scope_paths = {"region": "region", "department": "department", "window": "window"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="one_rating_per_case_stage")]
        indexes = [
            # serves: statistics of a jurisdiction over a period
            models.Index(fields=["rated_at"]),
            # serves: flood and burst checks per source
            models.Index(fields=["source", "rated_at"]),
        ]
        ordering = ["-rated_at", "-pk"]
        verbose_name = _("评价")
        verbose_name_plural = pgettext_lazy("plural", "评价")

    def __str__(self):
        return self.number

    @property
    def flag_labels(self):
        """The anomaly flags in words (the flags themselves are codes, never shown)."""
        return [FLAG_LABELS.get(f, FLAG_LABELS["other"]) for f in self.flags or ()]

    @property
    def code(self):
        """The GB/T 39046 code of the level (1 … 5)."""
        return rules.CODE[self.level]

    @property
    def is_bad(self):
        return rules.is_bad(self.level)


class FollowUpAction(models.TextChoices):
    """What a FollowUpChange row records (its `action`); the history shows the label."""
    OPENED = "opened", _("生成核实整改")
    VISITED = "visited", _("回访")
    VERIFIED = "verified", _("核实")
    ANSWERED = "answered", _("整改答复")
    VOIDED = "voided", _("认定不实")
    RETURNED = "returned", _("退回整改")
    OVERDUE = "overdue", _("逾期")


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    RECTIFYING = "rectifying", _("整改中")
    DISPUTED = "disputed", _("申请认定不实")
    ANSWERED = "answered", _("已整改答复")
    UNSUBSTANTIATED = "unsubstantiated", _("认定不属实")
    MALICIOUS = "malicious", _("认定恶意差评")


OPEN_FOLLOW_UP = (FollowUpStatus.PENDING, FollowUpStatus.RECTIFYING, FollowUpStatus.DISPUTED)
VOID_FOLLOW_UP = (FollowUpStatus.UNSUBSTANTIATED, FollowUpStatus.MALICIOUS)


class FollowUp(models.Model):
    """The handling of one bad review: 回访 the evaluator, verify, rectify, answer — by the deadline."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow")
    status = models.CharField(_("状态"), max_length=16, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.PENDING)
    deadline = models.DateField(_("整改期限"))
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    visit_note = models.TextField(_("回访记录"), blank=True)
    verification = models.TextField(_("核实情况"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    answer = models.TextField(_("答复评价人"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    centre_reason = models.TextField(_("中心认定理由"), blank=True)
    overdue = models.BooleanField(_("已超期"), default=False)

    scope_paths = {"region": "rating__region", "department": "rating__department", "window": "rating__window"}

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # serves: the overdue tick — open follow-ups past their deadline
            models.Index(fields=["status", "deadline"]),
        ]
        verbose_name = verbose_name_plural = _("差评整改")

    def __str__(self):
        return f"{self.rating.number} {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in OPEN_FOLLOW_UP


class FollowUpChange(ChangeRow):
    record_field = "follow"

    follow = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("差评整改变更")


class RefusedRating(models.Model):
    """An attempt refused (double, unknown case, foreign case, unregistered device, flood…), kept whole:
    the evidence for manipulation signals and nothing sent is lost."""

    at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    source = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=30)
    error = models.TextField()
    case_no = models.CharField(max_length=64, blank=True)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL)
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = _("被拒收评价")
        ordering = ["-at"]
        indexes = [models.Index(fields=["source", "at"])]  # serves: flood checks per source


class EvaluationSettings(models.Model):
    """The deployment's settings (one row; edited in the admin, every change audited)."""

    recent_service_minutes = models.PositiveSmallIntegerField(
        _("设备可评价的办件时间范围（分钟）"), default=30,
        help_text=_("评价器只接受本窗口在这段时间内办理的办件的评价"))
    rectify_days = models.PositiveSmallIntegerField(_("差评整改期限（工作日）"), default=15)
    default_rating_enabled = models.BooleanField(_("启用默认好评"), default=False)
    default_rating_days = models.PositiveSmallIntegerField(_("办结后多少天未评价给予默认评价"), default=15)
    flood_limit = models.PositiveSmallIntegerField(_("同一来源每 10 分钟最多提交次数"), default=20)
    burst_limit = models.PositiveSmallIntegerField(_("刷评阈值：同一设备 10 分钟内评价数"), default=6)
    phone_burst_limit = models.PositiveSmallIntegerField(_("刷评阈值：同一手机号 24 小时内评价数"), default=3)

    class Meta:
        verbose_name = verbose_name_plural = _("评价设置")

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()
