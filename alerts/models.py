"""Alerts for any supervised subject (a case, a complaint, a rating, a camera…), their lifecycle
rows and the notifications they cause.

An Alert is identified by (subject_type, subject_key, rule, step): one per case and rule, one per
case, rule and step for step rules. Every change — raised, urged, answered, closed, sent back,
escalated, auto-closed — is an AlertChange row: history, evidence and notification queue at once.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ChangeRow
from orgs.models import Centre, Department, Region


class Level(models.TextChoices):
    NOTICE = "notice", _("预警")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


LEVEL_RANK = {"": 0, Level.NOTICE: 1, Level.YELLOW: 2, Level.RED: 3}


def highest(levels):
    """The highest of some levels, '' for none."""
    return max(levels, key=lambda lv: LEVEL_RANK[lv], default="")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待督办")
    URGED = "urged", _("督办中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")
    # the case's full record no longer holds it (docs/engine.md, "Reconciling alerts"): on record,
    # never counted (scores, open totals, live counters, alert_level)
    WITHDRAWN = "withdrawn", _("已撤销")


ACTIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.URGED, AlertStatus.ANSWERED)


class Contest(models.TextChoices):
    """A withdrawal or a move of raised_at that only a late-arriving event asks for waits for the centre."""
    NONE = "", _("无")
    PENDING = "pending", _("待核实")
    REJECTED = "rejected", _("撤销已驳回")


class Alert(models.Model):
    subject_type = models.CharField(_("对象类型"), max_length=20)
    subject_key = models.CharField(_("对象编号"), max_length=64)
    rule = models.CharField(_("规则"), max_length=40)
    step = models.CharField(_("环节"), max_length=40, blank=True, default="")
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(_("触发时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="alerts", db_index=False)
    # The centre that handles it now (the subject's own centre; one level up after escalation).
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    escalated = models.BooleanField(_("已升级"), default=False)
    contest = models.CharField(_("争议"), max_length=10, choices=Contest.choices, blank=True, default="")
    # while contested: {"would": "withdraw"|"move", "raised_at": the full record's instant or None,
    # "events": [{"seq", "type", "occurred_at", "arrived_at"}] the late events that ask for it}
    contest_detail = models.JSONField(_("争议详情"), default=dict, blank=True)

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_key", "rule", "step"], name="one_alert_per_rule")
        ]
        indexes = [
            # serves: alert lists of a jurisdiction by status, newest first
            models.Index(fields=["status", "-raised_at"]),
            # serves: jurisdiction scoping by region (declared here: the FK's own index has a LIKE twin)
            models.Index(fields=["region"], name="alert_region"),
            # serves: the data-quality page's contested alerts (a handful among millions)
            models.Index(fields=["contest"], condition=~models.Q(contest=""), name="alert_contested"),
        ]
        ordering = ["-raised_at"]
        verbose_name = verbose_name_plural = _("告警")

    def __str__(self):
        from .vocab import rule_label

        return f"{self.get_level_display()} {rule_label(self.rule)} {self.subject_key}"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


class AlertChange(ChangeRow):
    record_field = "alert"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    from_level = models.CharField(max_length=10, blank=True)
    to_level = models.CharField(max_length=10)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("告警变更")


class Notification(models.Model):
    """One message to one person, in-app. Its e-mail is sent at most once (alerts.ticks.send_pending_mail):
    `email_claimed_at` when a worker took it, then `emailed_at` once the mail went out or `email_error`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            # serves: the sender loop (unsent mail) and a person's unread list
            models.Index(fields=["email_wanted", "emailed_at"]),
            models.Index(fields=["user", "read_at"]),
        ]
