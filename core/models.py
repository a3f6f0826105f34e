from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """The audit ledger: one row per change of configuration or of a supervised record.

    Who (actor, or a system name), when, what (object type + id), from, to, why.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        # serves: the history of one object, newest first
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name = verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class Counter(models.Model):
    """The last number issued under one key (core.numbering): incremented in the database, never reset,
    so that a number is issued once even if its record is deleted later."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = _("编号计数器")

    def __str__(self):
        return f"{self.key} = {self.value}"


class ChangeRow(models.Model):
    """One change of a supervised record: when, who, from, to, why (DESIGN.md, core idea 6). Each
    app's concrete row adds the foreign key to its record (named in record_field) and its from_ and
    to_ fields of the record's state (state_field); rows are written through core.audit.record_change."""

    record_field = ""  # the name of the foreign key to the changed record
    state_field = "status"  # the row keeps from_<state_field> and to_<state_field>

    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(_("操作人"), max_length=150)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
