"""The breach forecast of each open case (refreshed out of band, never inside ingest) and its rule's
configuration."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from workdays.models import load_calendar
from workdays.zone import local_date


class ForecastConfig(models.Model):
    """One row: BREACH_LIKELY on or off and its threshold (configuration is data, audited in the admin).
    Off by default: bench/forecast.py decides whether the model beats the calendar baseline."""
    enabled = models.BooleanField(_("启用“可能超期”预警"), default=False)
    threshold = models.FloatField(_("超期概率阈值"), default=0.5, help_text=_("0 到 1 之间；预测超期概率不低于此值时预警"),
                                  validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    refreshed_at = models.DateTimeField(_("上次预测时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("超期预测设置")

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


def fewest_days_left(day, cal):
    """The fewest working days left (as forecasts store them) of a case not yet past its promised date on
    `day`: 0 on a working day (the due day itself); 1 on a day off, where a remaining 0 means a due date
    on a working day before it (DOMAIN.md: no working day has passed since, yet the case is late)."""
    return 0 if cal.is_workday(day) else 1


class ForecastQuerySet(models.QuerySet):
    def not_yet_due(self, now=None):
        """The forecasts the lists show: a case past its due date is late already (probability 1), named by
        the clock's overdue alerts, not "likely to be late"."""
        return self.filter(remaining_days__gte=fewest_days_left(local_date(now or timezone.now()), load_calendar()))


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
    # the case's number and place, copied at each refresh, so that the list is scoped and ordered on this
    # table alone (a join to the case table to scope and sort every open case cost a scan of all cases)
    case_no = models.CharField(max_length=64, default="")
    region = models.ForeignKey("orgs.Region", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    window = models.ForeignKey("orgs.Window", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")

    objects = ForecastQuerySet.as_manager()

    scope_paths = {"region": "region", "department": "department", "window": "window"}
    LIKELY_FIRST = ("-probability", "remaining_days", "case_no")  # the list's order (the index below)

    class Meta:
        indexes = [
            # serves: the centre's "likely to breach" list, highest probability first, fewest days left
            models.Index(fields=["-probability", "remaining_days", "case_no"], name="forecast_likely"),
        ]
        verbose_name = verbose_name_plural = _("超期预测")


class StepTiming(models.Model):
    """One started step of a case with a clock: where its time went (insight.timing). Rebuilt out of band
    for the cases changed since the last build (insight.where), never inside ingest."""
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_timings", db_constraint=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    department = models.ForeignKey("orgs.Department", on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    window = models.ForeignKey("orgs.Window", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")
    step = models.CharField(_("环节"), max_length=40)
    step_name = models.CharField(_("环节名称"), max_length=100, blank=True)
    position = models.SmallIntegerField(default=0)
    started_on = models.DateField(_("开始日"))
    completed_on = models.DateField(_("完成日"), null=True)
    used_days = models.IntegerField(_("已用工作日"))
    limit_days = models.IntegerField(_("环节时限"))
    overdue = models.BooleanField(_("超时"), default=False)
    wait_days = models.IntegerField(_("等待工作日"), null=True)
    suspended = models.BooleanField(_("有暂停计时"), default=False)
    supplemented = models.BooleanField(_("有补正"), default=False)

    scope_paths = {"region": "region", "department": "department", "window": "window"}

    class Meta:
        verbose_name = verbose_name_plural = _("环节用时")
        indexes = [
            # serves: the drill-down from a heat-map cell (a step of an item or a department, in a period)
            models.Index(fields=["item", "step", "started_on"], name="timing_item_step"),
            models.Index(fields=["department", "step", "started_on"], name="timing_dept_step"),
            # serves: the drill-down's first page in its order (overdue, then slowest): read in index order
            # until 50 rows of the period are found, instead of every step of the cell (12,500 heap pages
            # of one item at 1M cases, 180 ms cold)
            models.Index(fields=["item", "step", "-overdue", "-used_days", "started_on"], name="timing_item_worst"),
            models.Index(fields=["department", "step", "-overdue", "-used_days", "started_on"],
                         name="timing_dept_worst"),
            # serves: the nightly aggregation's read of the last 13 months
            models.Index(fields=["started_on"], name="timing_started"),
        ]


class CaseTrace(models.Model):
    """A case's process variant (its steps in the order they started) and its conformance."""
    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="trace",
                                db_constraint=False)
    item = models.ForeignKey("catalog.Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    department = models.ForeignKey("orgs.Department", on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    clock_start = models.DateField()
    variant = models.CharField(max_length=300)
    skipped = models.BooleanField(default=False)
    out_of_order = models.BooleanField(default=False)
    used_days = models.IntegerField(null=True)  # the whole case, once ended
    built_at = models.DateTimeField()

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        verbose_name = verbose_name_plural = _("办理路径")
        indexes = [models.Index(fields=["clock_start"], name="trace_clock_start")]


class StepStat(models.Model):
    """A heat-map cell: one step of one item (or of a whole department, item empty) in one period
    ("YYYY-MM", or LAST_YEAR for the last 365 days by step start). Recomputed nightly (insight.where)."""
    LAST_YEAR = "12m"
    period = models.CharField(max_length=7)
    department = models.ForeignKey("orgs.Department", on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    item = models.ForeignKey("catalog.Item", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    step = models.CharField(max_length=40)
    step_name = models.CharField(max_length=100, blank=True)
    position = models.SmallIntegerField(default=0)
    steps = models.IntegerField()  # steps started in the period
    completed = models.IntegerField()
    median_days = models.FloatField(null=True)  # of completed steps
    p90_days = models.FloatField(null=True)
    median_share = models.FloatField(null=True)  # used / limit
    p90_share = models.FloatField(null=True)
    limit_days = models.IntegerField(null=True)  # the item's step limit (the most common one for a department)
    overdue = models.IntegerField()
    median_wait = models.FloatField(null=True)
    waits = models.IntegerField(default=0)
    suspended = models.IntegerField()
    supplemented = models.IntegerField()

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        verbose_name = verbose_name_plural = _("环节统计")
        indexes = [models.Index(fields=["period", "item"], name="stepstat_period")]


class VariantStat(models.Model):
    """A process variant of an item among the cases whose clock started in the last 365 days."""
    department = models.ForeignKey("orgs.Department", on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    item = models.ForeignKey("catalog.Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    variant = models.CharField(max_length=300)
    cases = models.IntegerField()
    ended = models.IntegerField()
    median_days = models.FloatField(null=True)
    p90_days = models.FloatField(null=True)
    skipped = models.IntegerField()
    out_of_order = models.IntegerField()

    scope_paths = {"region": "region", "department": "department"}

    class Meta:
        verbose_name = verbose_name_plural = _("路径统计")


class WhereState(models.Model):
    """One row: when the step timings were last built (cases changed after it are rebuilt) and the
    aggregates last computed."""
    built_at = models.DateTimeField(null=True)
    aggregated_at = models.DateTimeField(null=True)

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()

    class Meta:
        verbose_name = verbose_name_plural = _("时间去向计算状态")
