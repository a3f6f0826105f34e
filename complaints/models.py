"""Complaints and consultations.

The complainant's identity lives in its own table (ComplainantIdentity) that hangs off the region only:
the access helper therefore never hands it to a department, whatever page, export or API asks. A
complaint is seen by a department only once it is assigned to it (`assignee`), never because it is
the department complained about (`department`), so serious categories kept by the centre stay hidden.
Every change is a ComplaintChange / ConsultationChange row.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import ApiClient
from core.crypto import EncryptedTextField
from core.models import ChangeRow
from orgs.models import Centre, Department, Region


class Channel(models.TextChoices):
    PORTAL = "portal", _("网站")
    HOTLINE = "hotline", _("电话")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    API = "api", _("接口（12345等）")


class Category(models.TextChoices):
    GRAFT = "graft", _("吃拿卡要")
    FEES = "fees", _("乱收费")
    ATTITUDE = "attitude", _("服务态度")
    DELAY = "delay", _("办事拖延")
    SHIRKING = "shirking", _("推诿扯皮")
    DISCIPLINE = "discipline", _("工作纪律")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    REGISTERED = "registered", _("已登记")
    DECLINED = "declined", _("不予受理")
    REDIRECTED = "redirected", _("已转有权机关")
    ASSIGNED = "assigned", _("办理中")
    ANSWERED = "answered", _("已答复待核")
    VERIFIED = "verified", _("已核实")
    FED_BACK = "fed_back", _("已反馈")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已合并")
    ARCHIVED = "archived", _("已归档")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    PARTLY = "partly", _("部分有效")
    INVALID = "invalid", _("无效")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NO_REPLY = "no_reply", _("未评价")


class Retention(models.TextChoices):
    Y3 = "3y", _("3年")
    Y10 = "10y", _("10年")
    PERMANENT = "permanent", _("永久")


class Extension(models.TextChoices):
    NONE = "", _("未申请")
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Complaint(models.Model):
    number = models.CharField(_("投诉编号"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    subject = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("投诉内容"))
    occurred_on = models.DateField(_("发生日期"), null=True, blank=True)
    place = models.CharField(_("地点/窗口"), max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="complaints")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="complaints")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="complaints_about", verbose_name=_("被投诉部门"))
    assignee = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="complaints_assigned", verbose_name=_("承办部门"))
    handled_by_centre = models.BooleanField(_("中心直接办理"), default=False)
    anonymous = models.BooleanField(_("匿名"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"))
    register_due = models.DateField(_("登记期限"))
    registered_at = models.DateTimeField(null=True, blank=True)
    due = models.DateField(_("反馈期限"), null=True, blank=True)
    extension = models.CharField(_("延期"), max_length=10, choices=Extension.choices, blank=True, default="")
    extension_reason = models.TextField(blank=True)
    instructions = models.TextField(_("交办要求"), blank=True)
    findings = models.TextField(_("调查结果"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("反馈意见"), blank=True)
    fed_back_at = models.DateTimeField(null=True, blank=True)
    fed_back_on_time = models.BooleanField(null=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    reopens = models.PositiveSmallIntegerField(default=0)
    reasons = models.TextField(_("不予受理/转办理由"), blank=True)
    redirected_to = models.CharField(_("转往机关"), max_length=120, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    closed_at = models.DateTimeField(null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, blank=True)
    retention = models.CharField(_("保管期限"), max_length=10, choices=Retention.choices, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT)
    external_id = models.CharField(max_length=64, blank=True)

    # A department sees what is assigned to it, never what is merely about it.
    scope_paths = {"region": "region", "department": "assignee"}

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["api_client", "external_id"], condition=~models.Q(external_id=""),
                                    name="one_complaint_per_external_id"),
        ]
        indexes = [
            # serves: the overdue tick (open complaints past a due date) and the queues by status
            models.Index(fields=["status", "due"]),
            models.Index(fields=["status", "register_due"]),
        ]
        verbose_name = verbose_name_plural = _("投诉")

    def __str__(self):
        return self.number

    @property
    def is_serious(self):
        from .rules import is_serious
        return is_serious(self.category)

    @property
    def overdue(self):
        """What this complaint is late for today (the same rule that raises its COMPLAINT_OVERDUE /
        COMPLAINT_REGISTER_OVERDUE alert), or None."""
        from workdays.zone import local_date
        from django.utils import timezone

        from .rules import complaint_overdue
        return complaint_overdue(self.status, local_date(timezone.now()), self.register_due, self.due,
                                 self.extension == Extension.APPROVED)


class ComplainantIdentity(models.Model):
    """Who complained: centre staff only (no department path, so no department scope ever reaches it)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="identity")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Encrypted at rest (core.crypto, docs/personal-data.md); the phone's keyed hash finds the same complainant.
    name = EncryptedTextField(_("姓名"), max_length=60, blank=True)
    phone = EncryptedTextField(_("电话"), max_length=30, blank=True, hash_field="phone_hash", hash_kind="phone")
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    email = EncryptedTextField(_("邮箱"), max_length=254, blank=True)
    address = EncryptedTextField(_("地址"), max_length=200, blank=True)

    scope_paths = {"region": "region"}

    class Meta:
        verbose_name = verbose_name_plural = _("投诉人信息")


class Attachment(models.Model):
    """An image or PDF a complainant sent, checked by its bytes. Centre staff only (it may show who sent it)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    scope_paths = {"region": "region"}

    class Meta:
        verbose_name = verbose_name_plural = _("附件")


class ComplaintChange(ChangeRow):
    record_field = "complaint"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    # False: centre-internal (e.g. registration notes that may name the complainant)
    department_may_see = models.BooleanField(default=True)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("投诉变更")


class Suggestion(models.Model):
    """The centre's rectification suggestion for a period (and a department, if any)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期间"), max_length=8)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("部门"))
    text = models.TextField(_("整改建议"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("整改建议")


class ConsultStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待答复")
    ANSWERED = "answered", _("已答复")


class Consultation(models.Model):
    number = models.CharField(_("咨询编号"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    question = models.TextField(_("咨询内容"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="consultations")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="consultations")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="consultations", verbose_name=_("咨询部门"))
    name = EncryptedTextField(_("姓名"), max_length=60, blank=True)  # encrypted at rest (core.crypto)
    phone = EncryptedTextField(_("电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ConsultStatus.choices, default=ConsultStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"))
    due = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    published = models.BooleanField(_("公开为常见问题"), default=False)
    faq_question = models.CharField(_("公开问题"), max_length=200, blank=True)
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT)

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "due"])]  # serves: the overdue tick and the queue
        verbose_name = verbose_name_plural = _("咨询")

    def __str__(self):
        return self.number


# What a ConsultationChange row's `action` says, in words (complaints.actions writes these codes).
CONSULT_ACTIONS = {"submit": _("提交咨询"), "answer": _("答复"), "reanswer": _("修改答复"),
                   "publish": _("公开为常见问题"), "unpublish": _("取消公开")}


class ConsultationChange(ChangeRow):
    record_field = "consultation"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)

    @property
    def action_label(self):
        return CONSULT_ACTIONS.get(self.action, "—")

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("咨询变更")


class IntakeHit(models.Model):
    """One public submission or lookup from an address (kept as a keyed hash), for rate limits."""

    key = models.CharField(max_length=80)
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("提交与查询频次")
        indexes = [models.Index(fields=["key", "at"])]  # serves: hits of one address in a window
