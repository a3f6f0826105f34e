"""Performance assessment: indicator schemes (configuration, versioned), monthly periods, scores,
their lines with the evidence behind every point, adjustments and period changes.

A Scheme is one version of the indicator set of one group (League departments, banner/county
governments); once a period scored with it has been published it is locked and a change is a new
version (admin action). A Period is one month; its scores are recomputed until it is published.
"""
from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from core.models import ChangeRow
from orgs.models import Department, Region


class Group(models.TextChoices):
    LEAGUE_DEPT = "league_dept", _("盟直部门")
    COUNTY_GOV = "county_gov", _("旗县市区政府")


class Stage(models.TextChoices):
    BEFORE = "before", _("事前")
    DURING = "during", _("事中")
    AFTER = "after", _("事后")


class Kind(models.TextChoices):
    WEIGHTED = "weighted", _("加权")
    DEDUCT = "deduct", _("扣分")
    BONUS = "bonus", _("加分")


class Scheme(models.Model):
    group = models.CharField(_("考核对象"), max_length=12, choices=Group.choices)
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("起用月份"), help_text=_("从该日所在月份起使用"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    locked = models.BooleanField(_("已锁定"), default=False, help_text=_("已用于发布的考核期，不能再修改"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["group", "-version"]
        constraints = [models.UniqueConstraint(fields=["group", "version"], name="scheme_version_once")]
        verbose_name = _("考核指标方案")
        verbose_name_plural = pgettext_lazy("plural", "考核指标方案")

    def __str__(self):
        return f"{self.get_group_display()} v{self.version}"

    def as_rules(self):
        """The indicators as the pure rules module takes them."""
        return [i.as_rule() for i in self.indicators.all()]


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    code = models.CharField(_("指标编码"), max_length=30)
    name = models.CharField(_("指标名称"), max_length=60)
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    metric = models.CharField(_("计算项"), max_length=30)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("每单位分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(_("封顶分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    # a figure of one step (where the time goes): the step's code, empty for all steps or a metric without steps
    step = models.CharField(_("环节"), max_length=40, blank=True, default="")
    # a weighted indicator's rule read off the figure: full marks at the target, none at the threshold
    target = models.DecimalField(_("达标值"), max_digits=8, decimal_places=2, null=True, blank=True,
                                 help_text=_("达到此值得满分（单位同计算项）"))
    threshold = models.DecimalField(_("不得分值"), max_digits=8, decimal_places=2, null=True, blank=True,
                                    help_text=_("达到此值不得分，其间按比例"))

    class Meta:
        ordering = ["scheme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="indicator_once_per_scheme")]
        verbose_name = verbose_name_plural = _("考核指标")

    def __str__(self):
        return f"{self.code} {self.name}"

    def as_rule(self):
        return {"code": self.code, "name": self.name, "stage": self.stage, "metric": self.metric,
                "kind": self.kind, "weight": self.weight, "points": self.points, "cap": self.cap, "step": self.step,
                "target": self.target, "threshold": self.threshold}

    COPIED = ("order", "code", "name", "stage", "metric", "kind", "weight", "points", "cap", "step", "target",
              "threshold")  # what a new version of the scheme takes over


class PeriodStatus(models.TextChoices):
    SCORED = "scored", _("已计算")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class PeriodAction(models.TextChoices):
    """What a PeriodChange row records (its `action`); the history shows the label."""
    SCORED = "scored", _("计算")
    RECOMPUTED = "recomputed", _("重新计算")
    ADJUSTED = "adjusted", _("调整")
    REVIEWED = "reviewed", _("审核")
    PUBLISHED = "published", _("发布")


class Period(models.Model):
    month = models.DateField(_("考核月份"), unique=True)  # the first day of the month
    status = models.CharField(_("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.SCORED)
    scored_at = models.DateTimeField(_("计算时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = verbose_name_plural = _("考核期")

    def __str__(self):
        return f"{self.month:%Y-%m}"

    @property
    def label(self):
        return _("%(year)d年%(month)d月") % {"year": self.month.year, "month": self.month.month}


class PeriodChange(ChangeRow):
    record_field = "period"

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20)  # scored / recomputed / reviewed / published
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = _("考核期变更")


class Score(models.Model):
    """One organisation's score for one month: a League department (department set) or a
    banner/county government (region set, department empty: all departments of that region)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scores")
    group = models.CharField(_("考核对象"), max_length=12, choices=Group.choices)
    unit = models.CharField(_("单位编码"), max_length=30)  # department code or region code
    name = models.CharField(_("单位"), max_length=100)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="scores")
    # computed, total and rank are empty (None) when the organisation had no records that month:
    # no score ("无数据"), left out of the ranking, the talk flag and every average (docs/performance.md)
    computed = models.DecimalField(_("系统得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    adjustment = models.DecimalField(_("调整分"), max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    talk = models.BooleanField(_("约谈"), default=False, help_text=_("连续两个月排名末位"))

    scope_paths = {"region": "region", "department": "department"}
    RANKED = ("group", F("rank").asc(nulls_last=True), "unit")  # scored first by rank, then the 无数据 ones

    class Meta:
        ordering = ["period", "group", F("rank").asc(nulls_last=True), "unit"]
        constraints = [models.UniqueConstraint(fields=["period", "group", "unit"], name="score_once_per_unit")]
        verbose_name = verbose_name_plural = _("月度得分")

    def __str__(self):
        return f"{self.period} {self.name} {self.total if self.has_data else '无数据'}"

    @property
    def has_data(self):
        return self.total is not None


class ScoreLine(models.Model):
    """One indicator of one score, with the ids of the records that cost or earned its points."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=60)
    stage = models.CharField(max_length=8, choices=Stage.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    metric = models.CharField(max_length=30)
    step = models.CharField(max_length=40, blank=True, default="")  # the indicator's, as scored
    target = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    threshold = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    available = models.BooleanField(default=True)  # False: the metric's source is not in the system yet
    scored = models.BooleanField(default=True)  # False: nothing to judge this month
    num = models.FloatField(default=0)
    den = models.FloatField(default=0)
    value = models.FloatField(null=True)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    lost = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    evidence_type = models.CharField(max_length=20, blank=True)
    evidence = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = _("得分明细")
        ordering = ["score", "order"]


class Adjustment(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="adjustments")
    points = models.DecimalField(_("调整分值"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("调整理由"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("得分调整")
        ordering = ["at", "id"]
