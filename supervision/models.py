"""Urges (督办单): a centre's formal demand that a department correct some alerts and answer."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from alerts.models import Alert
from core.models import ChangeRow
from orgs.models import Centre, Department


class UrgeStatus(models.TextChoices):
    ISSUED = "issued", _("督办中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤销")  # every alert it covered was withdrawn (docs/engine.md)


class Urge(models.Model):
    number = models.CharField(_("督办单号"), max_length=30, unique=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="urges")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="urges")
    alerts = models.ManyToManyField(Alert, related_name="urges")
    status = models.CharField(_("状态"), max_length=10, choices=UrgeStatus.choices, default=UrgeStatus.ISSUED)
    demand = models.TextField(_("督办要求"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("督办时间"))
    deadline = models.DateField(_("答复期限"))
    answer = models.TextField(_("整改答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated = models.BooleanField(_("已升级"), default=False)

    scope_paths = {"region": "department__region", "department": "department"}

    class Meta:
        ordering = ["-issued_at"]
        indexes = [
            # serves: the escalation tick — issued urges past their deadline
            models.Index(fields=["status", "deadline"]),
        ]
        verbose_name = _("督办单")
        verbose_name_plural = pgettext_lazy("plural", "督办单")

    def __str__(self):
        return self.number


class UrgeAttachment(models.Model):
    """A file the department sent with its answer (evidence of the correction): an image or PDF checked by
    its bytes (core.uploads), seen by the centre and the urged department, each download audited."""

    urge = models.ForeignKey(Urge, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="urges/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    scope_paths = {"region": "urge__department__region", "department": "urge__department"}

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = _("督办答复附件")


class UrgeChange(ChangeRow):
    record_field = "urge"

    urge = models.ForeignKey(Urge, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("督办单变更")


class Counters(models.Model):
    """Live counters of one department and window (window_key 0 = no window), kept by supervision.tally
    from every projection batch, so the monitoring centre never counts cases."""

    region = models.ForeignKey("orgs.Region", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    window_key = models.IntegerField(default=0)

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        abstract = True


class DayTally(Counters):
    """The counters of one day."""

    day = models.DateField()
    received = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    completed_late = models.IntegerField(default=0)
    notices = models.IntegerField(default=0)  # alerts raised that day, by level
    yellows = models.IntegerField(default=0)
    reds = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("每日计数")
        constraints = [models.UniqueConstraint(fields=["day", "department", "window_key"], name="one_day_tally")]


class OpenTally(Counters):
    """The counters of the cases open now."""

    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    suspended = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("在办计数")
        constraints = [models.UniqueConstraint(fields=["department", "window_key"], name="one_open_tally")]
