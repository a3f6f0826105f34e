"""The breach forecast of each open case (refreshed out of band, never inside ingest) and its rule's
configuration."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class ForecastConfig(models.Model):
    """One row: BREACH_LIKELY on or off and its threshold (configuration is data, audited in the admin).
    Off by default: bench/forecast.py decides whether the model beats the calendar baseline."""
    enabled = models.BooleanField(_("启用“可能超期”预警"), default=False)
    threshold = models.FloatField(_("超期概率阈值"), default=0.5, help_text=_("0 到 1 之间；预测超期概率不低于此值时预警"),
                                  validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    refreshed_at = models.DateTimeField(_("上次预测时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("超期预测设置")
        verbose_name_plural = _("超期预测设置")

    def __str__(self):
        return str(_("超期预测设置"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()

    def snapshot(self):
        return {"enabled": self.enabled, "threshold": self.threshold}


class Basis(models.TextChoices):
    ITEM = "item", _("本事项历史")
    DEPARTMENT = "department", _("本部门历史")
    LEAGUE = "league", _("全盟历史")


class CaseForecast(models.Model):
    """P(the case ends after its promised due date), for an open case with a clock."""
    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="forecast",
                                db_constraint=False)
    probability = models.FloatField(_("超期概率"))
    basis = models.CharField(_("依据"), max_length=12, choices=Basis.choices)
    history = models.IntegerField(_("历史办结件数"))
    used_days = models.IntegerField(_("已用工作日"))
    limit_days = models.IntegerField(_("承诺时限（含延期）"))
    remaining_days = models.IntegerField(_("剩余工作日"))
    # what the case has been through (the forecast's covariates), and the curve's probability before them
    steps_done = models.IntegerField(_("已完成环节数"), default=0)
    steps_total = models.IntegerField(_("环节总数"), default=0)
    supplements = models.IntegerField(_("补正次数"), default=0)
    suspended = models.BooleanField(_("暂停计时中"), default=False)
    curve_probability = models.FloatField(_("仅按用时的概率"), null=True)
    computed_at = models.DateTimeField(_("计算时间"))

    scope_paths = {"region": "case__region", "department": "case__department", "window": "case__window"}

    class Meta:
        indexes = [
            # serves: the centre's "likely to breach" list, highest probability first
            models.Index(fields=["-probability"], name="forecast_probability"),
        ]
        verbose_name = _("超期预测")
        verbose_name_plural = _("超期预测")
