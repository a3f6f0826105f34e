"""Writes of the assessment: score a month (and recompute it), adjust a score, review and publish a
period, copy a scheme into a new version. Each writes its rows and the audit entry in one transaction."""
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_name, actor_user, record, record_change
from ledger import chain
from workdays.models import load_calendar
from workdays.zone import local_date

from . import metrics, rules, scoring
from .access import may_adjust, may_publish
from .models import Adjustment, Indicator, Period, PeriodChange, PeriodStatus, Scheme, Score, ScoreLine


class PerformanceError(ValueError):
    pass


def _first(month):
    return month.replace(day=1)


@transaction.atomic
def do_score_month(month, *, actor, now=None, note=""):
    """Score (or recompute) the month starting `month` for every organisation. Adjustments made
    before a recomputation are kept. A published month is final: recomputing it is refused."""
    now = now or timezone.now()
    first = _first(month)
    period = Period.objects.select_for_update().filter(month=first).first()
    if period and period.status == PeriodStatus.PUBLISHED:
        raise PerformanceError(_("%(m)s 的考核结果已发布，不能重新计算") % {"m": period.label})
    results = scoring.compute(first, load_calendar())
    if not results:
        raise PerformanceError(_("没有可用的考核指标方案：请先在系统管理中建立指标方案"))
    old = period.status if period else ""
    if period is None:
        period = Period.objects.create(month=first, scored_at=now)
    else:
        period.status, period.scored_at = PeriodStatus.SCORED, now
        period.save(update_fields=["status", "scored_at"])
    _write_scores(period, results)
    rerank(period)
    action = "recomputed" if old else "scored"
    record_change(PeriodChange, period, old, actor=actor, at=now, note=note, action=action)
    record(actor, f"performance.{action}", "Period", period.pk, after={"month": str(first), "scores": len(results)})
    return period


def _write_scores(period, results):
    existing = {(s.group, s.unit): s for s in period.scores.all()}
    adjust = dict(Adjustment.objects.filter(score__period=period).values_list("score_id")
                  .annotate(t=Sum("points")).values_list("score_id", "t"))
    fresh, keep = [], []
    for r in results:
        score = existing.pop((r.org.group, r.org.unit), None) or Score(period=period, group=r.org.group, unit=r.org.unit)
        score.name, score.department_id, score.region_id = r.org.name, r.org.department_id, r.org.region_id
        score.scheme, score.computed = r.scheme, r.total
        score.adjustment = adjust.get(score.pk, Decimal(0)) if score.pk else Decimal(0)
        score.total = _total(score)
        (keep if score.pk else fresh).append(score)
    Score.objects.bulk_create(fresh)
    Score.objects.bulk_update(keep, ["name", "department", "region", "scheme", "computed", "adjustment", "total"])
    Score.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()  # organisations no longer assessed
    # by score id, not through a join: Django deletes a join as `id IN (SELECT … JOIN …)`, and
    # PostgreSQL without statistics on a fresh table planned that as a quadratic nested loop
    ScoreLine.objects.filter(score_id__in=Score.objects.filter(period=period).values("pk")).delete()
    by_unit = {(s.group, s.unit): s for s in fresh + keep}
    ScoreLine.objects.bulk_create([line for r in results for line in _lines(by_unit[(r.org.group, r.org.unit)], r)],
                                 batch_size=2000)


def _total(score):
    """Computed plus adjustments, never below 0; None (无数据) when there was nothing to score."""
    if score.computed is None:
        return None
    return max(score.computed + score.adjustment, Decimal(0))


def _lines(score, result):
    for order, (ind, line, tally, available) in enumerate(result.lines):
        yield ScoreLine(
            score=score, order=order, code=ind["code"], name=ind["name"], stage=ind["stage"], kind=ind["kind"],
            metric=ind["metric"], step=ind.get("step") or "", target=ind.get("target"), threshold=ind.get("threshold"),
            available=available, scored=line.scored, num=tally.num, den=tally.den,
            value=line.value, points=line.points, lost=line.lost,
            evidence_type=metrics.REGISTRY[ind["metric"]].evidence if ind["metric"] in metrics.REGISTRY else "",
            evidence=tally.ids,
        )


def rerank(period):
    """Ranks within each group, and the talk flag: last in the group this month and last month.
    Organisations without a score (无数据) have no rank, are not last, and are never flagged; a month
    without data between two bottom months breaks the run. The talk flag of the next month depends
    on this month's bottom, so the next month (when scored and not yet published) is re-flagged too."""
    _rank(period)
    following = (Period.objects.filter(month=rules.next_first(period.month))
                 .exclude(status=PeriodStatus.PUBLISHED).first())
    if following:
        _rank(following)


def _rank(period):
    scores = list(period.scores.all())
    previous = Period.objects.filter(month=_first(period.month - timedelta(days=1))).first()
    was_last = {}
    if previous:
        prev = scoring.group_totals(previous.scores.all())
        was_last = {g: rules.bottom(rules.rank(t)) for g, t in prev.items()}
    ranks = {g: rules.rank(t) for g, t in scoring.group_totals(scores).items()}
    last = {g: rules.bottom(r) for g, r in ranks.items()}
    for s in scores:
        s.rank = ranks.get(s.group, {}).get(s.unit)
        s.talk = s.unit in last.get(s.group, set()) and s.unit in was_last.get(s.group, set())
    Score.objects.bulk_update(scores, ["rank", "talk"])


def month_closed(month, now):
    """True once the month starting `month` has ended (local time): only then may it be reviewed and
    published. Quarters and years are closed the same way (reports.closed)."""
    return local_date(now) >= rules.next_first(month)


def _closed_period(period, actor, now, *, forbidden, running):
    """The period, locked for the change, once the actor may review and publish (else `forbidden`) and its
    month has ended (else `running`, with the period's name for %(m)s)."""
    if not may_publish(actor):
        raise PerformanceError(forbidden)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not month_closed(period.month, now):
        raise PerformanceError(running % {"m": period.label})
    return period


@transaction.atomic
def do_adjust_score(score, *, points, reason, actor, now=None):
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise PerformanceError(_("调整分值必须填写调整理由"))
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise PerformanceError(_("调整分值应为数字，例如 -2 或 1.5"))
    if points == 0 or abs(points) > 100:
        raise PerformanceError(_("调整分值应在 -100 到 100 之间且不为 0"))
    if not may_adjust(actor, score):
        raise PerformanceError(_("只有监察中心可以调整其辖区内单位的得分"))
    score = Score.objects.select_for_update().select_related("period").get(pk=score.pk)
    if score.period.status == PeriodStatus.PUBLISHED:
        raise PerformanceError(_("已发布的考核结果不能调整"))
    if not score.has_data:
        raise PerformanceError(_("%(u)s 本月没有任何记录（无数据），没有得分可以调整") % {"u": score.name})
    before = str(score.total)
    Adjustment.objects.create(score=score, points=points, reason=reason, actor=actor_user(actor),
                              actor_name=actor_name(actor), at=now)
    score.adjustment += points
    score.total = _total(score)
    score.save(update_fields=["adjustment", "total"])
    period = score.period
    if period.status == PeriodStatus.REVIEWED:  # a change after review needs a new review
        old, period.status = period.status, PeriodStatus.SCORED
        period.save(update_fields=["status"])
        record_change(PeriodChange, period, old, actor=actor, at=now, note=reason, action="adjusted")
    rerank(period)
    record(actor, "performance.adjust", "Score", score.pk, before={"total": before},
           after={"total": str(score.total), "points": str(points)}, reason=reason)
    return score


@transaction.atomic
def do_review_period(period, *, actor, now=None, note=""):
    now = now or timezone.now()
    period = _closed_period(period, actor, now, forbidden=_("只有盟级监察中心可以审核考核结果"),
                            running=_("%(m)s 的统计期尚未结束，不能审核：可以计算预览，月份结束后方可审核、发布"))
    if period.status != PeriodStatus.SCORED:
        raise PerformanceError(_("%(m)s 的考核结果当前状态为“%(s)s”，只有已计算的结果可以审核")
                               % {"m": period.label, "s": period.get_status_display()})
    old, period.status = period.status, PeriodStatus.REVIEWED
    period.save(update_fields=["status"])
    record_change(PeriodChange, period, old, actor=actor, at=now, note=note, action="reviewed")
    record(actor, "performance.review", "Period", period.pk, before={"status": old}, after={"status": period.status})
    return period


@transaction.atomic
def do_publish_period(period, *, actor, now=None, note=""):
    now = now or timezone.now()
    period = _closed_period(period, actor, now, forbidden=_("只有盟级监察中心可以发布考核结果"),
                            running=_("%(m)s 的统计期尚未结束，不能发布：可以计算预览，月份结束后方可审核、发布"))
    if period.status != PeriodStatus.REVIEWED:
        raise PerformanceError(_("%(m)s 的考核结果尚未审核，不能发布：请先审核") % {"m": period.label})
    before = Period.objects.filter(month=_first(period.month - timedelta(days=1))).first()
    if before and before.status != PeriodStatus.PUBLISHED:  # its bottom decides this month's talk flags
        raise PerformanceError(_("%(b)s 的考核结果尚未发布，请先发布上月，再发布 %(m)s")
                               % {"b": before.label, "m": period.label})
    old, period.status, period.published_at = period.status, PeriodStatus.PUBLISHED, now
    period.save(update_fields=["status", "published_at"])
    Scheme.objects.filter(scores__period=period).update(locked=True)
    record_change(PeriodChange, period, old, actor=actor, at=now, note=note, action="published")
    # published: the month, its scores and their lines are ledgered (what the bulletins print), fixed from now
    chain.append_saved(Period, [period.pk])
    chain.append_saved(Score, period.scores.values_list("pk", flat=True))
    chain.append_saved(ScoreLine, ScoreLine.objects.filter(score__period=period).values_list("pk", flat=True))
    record(actor, "performance.publish", "Period", period.pk, before={"status": old}, after={"status": period.status})
    return period


@transaction.atomic
def do_copy_scheme(scheme, *, actor, effective_from, note=""):
    """A new (unlocked) version of a scheme with the same indicators, to edit and use from a month on."""
    version = (Scheme.objects.filter(group=scheme.group).order_by("-version").values_list("version", flat=True)
               .first() or 0) + 1
    new = Scheme.objects.create(group=scheme.group, version=version, effective_from=effective_from, note=note)
    Indicator.objects.bulk_create(
        Indicator(scheme=new, **{f: getattr(i, f) for f in Indicator.COPIED}) for i in scheme.indicators.all())
    record(actor, "performance.scheme_copy", "Scheme", new.pk, before={"from": scheme.pk},
           after={"version": version, "effective_from": str(effective_from)})
    return new
