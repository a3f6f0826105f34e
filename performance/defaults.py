"""The default indicator scheme (DOMAIN.md "Performance assessment"), the same for League departments
and banner/county governments, each loaded as its own scheme so that they can diverge.

Weighted indicators (rates) add up to 100; alerts cost 0 / 5 / 10 points each (notice / yellow / red),
data timeliness 1 point per 1 % missing (at most 5), early completion earns up to 3 points. Caps on
the alert deductions are our decision (docs/performance.md): without them one bad month would push
most scores to 0 and the ranking would say nothing.
"""
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record

from .models import Group, Indicator, Scheme

# code, name, stage, metric, kind, weight, points, cap
DEFAULT_INDICATORS = [
    ("GUIDE", _("办事指南完整度"), "before", "guide_completeness", "weighted", 10, None, None),
    ("ONTIME", _("按时办结率"), "during", "ontime_rate", "weighted", 30, None, None),
    ("TIME_RATIO", _("平均用时比"), "during", "time_ratio", "weighted", 10, None, None),
    ("ALERT_NOTICE", _("预警扣分"), "during", "alerts_notice", "deduct", None, 0, None),
    ("ALERT_YELLOW", _("黄牌扣分"), "during", "alerts_yellow", "deduct", None, 5, 15),
    ("ALERT_RED", _("红牌扣分"), "during", "alerts_red", "deduct", None, 10, 20),
    ("DATA", _("数据及时完整"), "during", "data_quality", "deduct", None, 1, 5),
    ("EARLY", _("提前办结加分"), "during", "early_rate", "bonus", None, "0.05", 3),
    ("URGE", _("督办按时答复率"), "after", "urge_ontime", "weighted", 10, None, None),
    ("COMPLAINT_ONTIME", _("投诉按时反馈率"), "after", "complaint_ontime", "weighted", 10, None, None),
    ("SATISFACTION", _("评价满意率"), "after", "satisfaction", "weighted", 20, None, None),
    ("BAD_REVIEW", _("差评按期整改率"), "after", "bad_review_rectified", "weighted", 10, None, None),
    ("COMPLAINT_VALID", _("有效投诉扣分"), "after", "complaints_valid", "deduct", None, 2, 10),
    ("OBSERVATION", _("视频巡查问题扣分"), "after", "observations", "deduct", None, 2, 10),
    ("ACCOUNTABILITY", _("问责扣分"), "after", "accountability", "deduct", None, 5, 20),
]


def default_rules():
    return [{"code": c, "name": str(n), "stage": s, "metric": m, "kind": k, "weight": w, "points": p, "cap": cap}
            for c, n, s, m, k, w, p, cap in DEFAULT_INDICATORS]


@transaction.atomic
def do_load_default_schemes(*, actor, effective_from=date(2020, 1, 1)):
    """Version 1 of each group's scheme, if the group has none yet. Returns how many were made."""
    made = 0
    for group in Group.values:
        if Scheme.objects.filter(group=group).exists():
            continue
        scheme = Scheme.objects.create(group=group, version=1, effective_from=effective_from,
                                       note=str(_("默认指标方案（DOMAIN.md）")))
        Indicator.objects.bulk_create(
            Indicator(scheme=scheme, order=n, code=c, name=str(name), stage=s, metric=m, kind=k, weight=w, points=p,
                      cap=cap)
            for n, (c, name, s, m, k, w, p, cap) in enumerate(DEFAULT_INDICATORS))
        record(actor, "performance.scheme_default", "Scheme", scheme.pk, after={"group": group, "version": 1})
        made += 1
    return made
