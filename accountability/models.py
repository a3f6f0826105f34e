"""Accountability cases (问责): a formal procedure against an official or organ, opened from alerts,
complaints, observations or bad reviews, through opened → investigating → decided → executed →
archived, with deadlines, documents, evidence links and every change recorded. Confidential: see
accountability.access."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from core.models import ChangeRow
from orgs.models import Centre, Department, Region, Staff


class Stage(models.TextChoices):
    OPENED = "opened", _("已立案")
    INVESTIGATING = "investigating", _("调查核实")
    DECIDED = "decided", _("已作出决定")
    EXECUTED = "executed", _("已执行")
    ARCHIVED = "archived", _("已归档")


NEXT_STAGE = {Stage.OPENED: Stage.INVESTIGATING, Stage.INVESTIGATING: Stage.DECIDED,
              Stage.DECIDED: Stage.EXECUTED, Stage.EXECUTED: Stage.ARCHIVED}


class Decision(models.TextChoices):
    CRITICISM = "criticism", _("批评教育")
    SELF_EXAMINATION = "self_examination", _("责令书面检查")
    CIRCULATED = "circulated", _("通报批评")
    ADMONISHMENT = "admonishment", _("诫勉谈话")
    REMOVAL = "removal", _("调离岗位或免职")
    REFERRAL = "referral", _("移送纪检监察机关")
    NONE = "none", _("不予问责")


class SourceType(models.TextChoices):
    ALERT = "alert", _("预警告警")
    COMPLAINT = "complaint", _("投诉")
    RATING = "rating", _("差评")
    OBSERVATION = "observation", _("视频巡查")
    OTHER = "other", _("其他")


class AccountabilityCase(models.Model):
    number = models.CharField(_("问责编号"), max_length=20, unique=True)
    title = models.CharField(_("事由"), max_length=150)
    facts = models.TextField(_("基本事实"))
    source_type = models.CharField(_("线索来源"), max_length=12, choices=SourceType.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="accountability_cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Centre, null=True, on_delete=models.PROTECT, related_name="+")
    official = models.CharField(_("被问责人"), max_length=60, blank=True, help_text=_("空：问责对象为单位"))
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices, default=Stage.OPENED)
    deadline = models.DateField(_("本阶段期限"))
    decision = models.CharField(_("问责方式"), max_length=20, choices=Decision.choices, blank=True)
    decision_text = models.TextField(_("决定内容"), blank=True)
    execution_note = models.TextField(_("执行情况"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("立案时间"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    executed_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # serves: the performance metric — decisions of a month
            models.Index(fields=["decided_at"]),
        ]
        verbose_name = _("问责案件")
        verbose_name_plural = pgettext_lazy("plural", "问责案件")

    def __str__(self):
        return f"{self.number} {self.title}"


class Evidence(models.Model):
    """A link to a record the case rests on: an alert, a case, an urge, a complaint, a rating, an
    observation, a sealed video clip."""

    case = models.ForeignKey(AccountabilityCase, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=20)
    key = models.CharField(_("编号"), max_length=64)
    label = models.CharField(_("说明"), max_length=200)
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("问责证据")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "key"], name="evidence_once")]


class Document(models.Model):
    case = models.ForeignKey(AccountabilityCase, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=14, choices=Stage.choices)
    title = models.CharField(_("文书名称"), max_length=120)
    file = models.FileField(upload_to="accountability/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("问责文书")
        ordering = ["uploaded_at", "id"]


class Change(ChangeRow):
    record_field = "case"
    state_field = "stage"

    case = models.ForeignKey(AccountabilityCase, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=14, blank=True)
    to_stage = models.CharField(max_length=14)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("问责案件变更")
