"""The assessment's back-office pages: the periods with their actions, one period's scores, one score with
its lines and adjustments, the records behind a line, and the League centre's preview of a bulletin or
a year-end evaluation (views.public builds them)."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from accountability.models import AccountabilityCase
from alerts.models import Alert
from alerts.subjects import subject_url
from cases.models import Case
from catalog.models import Item
from complaints.models import Complaint
from core.access import get_visible, require_office, scoped
from evaluations.models import Rating
from supervision.models import Urge
from video.models import Observation

from .. import metrics
from ..access import may_adjust, may_publish
from ..actions import (
    PerformanceError, do_adjust_score, do_publish_period, do_review_period, do_score_month, month_closed,
)
from ..models import Period, PeriodStatus, Score, ScoreLine
from .public import _month, _quarter, _year

PAGE_SIZE = 50


@login_required
def preview(request, year, quarter=None):
    """The League centre's preview of a bulletin (quarter given) or a year-end evaluation, running or
    not yet published: the scored months, published or not, marked as a preview. Never public."""
    require_office(request.user)
    if not may_publish(request.user):
        raise PermissionDenied
    context = _quarter(year, quarter, preview=True) if quarter else _year(year, preview=True)
    return render(request, "performance/report.html", {**context, "base": "office.html"})


@login_required
def office(request):
    require_office(request.user)
    periods = list(Period.objects.all())
    now = timezone.now()
    for p in periods:
        p.running = not month_closed(p.month, now)
    years = sorted({p.month.year for p in periods}, reverse=True)
    return render(request, "performance/office.html", {
        "periods": periods, "can_publish": may_publish(request.user),
        "previews": [(y, [q for q in (1, 2, 3, 4) if any(p.month.year == y and (p.month.month - 1) // 3 + 1 == q
                                                          for p in periods)]) for y in years],
        "metrics": [(code, m, m.available()) for code, m in metrics.REGISTRY.items()],
    })


@login_required
@require_POST
def act(request, month, action):
    require_office(request.user)
    first = _month(month)
    if first is None:
        raise Http404
    try:
        if action == "score":
            if not may_publish(request.user):
                raise PerformanceError(_("只有盟级监察中心可以计算考核结果"))
            do_score_month(first, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("已计算 %(m)s 的考核结果") % {"m": month})
        elif action in ("review", "publish"):
            period = get_object_or_404(Period, month=first)
            fn = do_review_period if action == "review" else do_publish_period
            fn(period, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("%(m)s：%(s)s") % {"m": period.label, "s": Period.objects.get(pk=period.pk)
                                                          .get_status_display()})
        else:
            raise Http404
    except PerformanceError as err:
        messages.error(request, str(err))
    return redirect("performance:period", month=month)


@login_required
def period_detail(request, month):
    require_office(request.user)
    period = get_object_or_404(Period, month=_month(month) or date(1, 1, 1))
    scores = scoped(period.scores.all(), request.user).order_by(*Score.RANKED)
    groups = [(label, [s for s in scores if s.group == g]) for g, label in Score._meta.get_field("group").choices]
    return render(request, "performance/period.html", {
        "period": period, "groups": groups, "changes": period.changes.all(), "can_publish": may_publish(request.user),
        "running": not month_closed(period.month, timezone.now()),
    })


@login_required
def score_detail(request, pk):
    require_office(request.user)
    score = get_visible(Score.objects.select_related("period", "scheme"), request.user, pk=pk)
    if request.method == "POST":
        try:
            do_adjust_score(score, points=request.POST.get("points"), reason=request.POST.get("reason"),
                            actor=request.user)
            messages.success(request, _("已调整得分"))
            return redirect("performance:score", pk=score.pk)
        except PerformanceError as err:
            messages.error(request, str(err))
    lines = list(score.lines.all())
    steps = metrics.known_steps() if any(line.step for line in lines) else {}
    for line in lines:
        _describe(line, steps)
    return render(request, "performance/score.html", {
        "score": score, "lines": lines, "adjustments": score.adjustments.all(),
        "can_adjust": (may_adjust(request.user, score) and score.period.status != PeriodStatus.PUBLISHED
                       and score.has_data),
        "form": request.POST if request.method == "POST" else {},
    })


def _describe(line, steps):
    """What the score page shows of a line beside its name: the value's unit, the count behind it, the step
    (by its name) and the rule read off the figure (target, threshold)."""
    m = metrics.REGISTRY.get(line.metric)
    unit = m.unit if m else ""
    one = line.value is not None and round(line.value, 2) == 1  # "1 working day" as shown, "1.5 working days"
    line.suffix = {"rate": "%", "percent": "%", "days": ngettext(" 个工作日", " 个工作日", 1 if one else 2)}.get(unit, "")
    # a quantile's count of measurements (a rate shows num/den)
    line.basis = _("计入 %(n)d 项") % {"n": line.den} if m and m.quantile is not None and line.den else ""
    line.step_name = steps.get(line.step, line.step) if line.step else ""
    line.rule = "" if line.target is None else _("达标值 %(t)s，不得分值 %(z)s") % {
        "t": f"{line.target.normalize():f}", "z": f"{line.threshold.normalize():f}"}


# evidence type -> (model, the key shown, the page of one record by that key; None: the subject's page)
EVIDENCE = {
    "case": (Case, "case_no", "cases:case"),
    "alert": (Alert, "subject_key", None),
    "urge": (Urge, "number", "supervision:urge"),
    "item": (Item, "code", "portal:item_detail"),
    "accountability": (AccountabilityCase, "number", "accountability:case"),
    "complaint": (Complaint, "number", "complaints:detail"),
    "rating": (Rating, "number", "evaluations:rating"),
    "observation": (Observation, "number", "video:observation"),
}


def _link(obj, field, url_name):
    """The page of one evidence record: by its URL name (a wrong name fails, never a silent blank), an
    alert to its subject's page."""
    if url_name is None:
        return subject_url(obj)
    return reverse(url_name, args=[getattr(obj, field)])


@login_required
def line_evidence(request, pk):
    """The records behind one line's points, as the viewer may see them (paginated)."""
    require_office(request.user)
    line = get_object_or_404(ScoreLine.objects.select_related("score__period"), pk=pk)
    get_visible(Score.objects.all(), request.user, pk=line.score_id)
    spec = EVIDENCE.get(line.evidence_type)
    records = []
    page = Paginator(line.evidence, PAGE_SIZE).get_page(request.GET.get("page"))
    if spec:
        model, field, url_name = spec
        order = {pk: i for i, pk in enumerate(page.object_list)}  # as the line stored them (the worst first)
        found = sorted(scoped(model.objects.filter(pk__in=list(page.object_list)), request.user),
                       key=lambda o: order.get(o.pk, 0))
        for obj in found:
            records.append({"obj": obj, "key": getattr(obj, field), "label": str(obj),
                            "url": _link(obj, field, url_name)})
        if line.metric in metrics.stepped() and records:  # a step figure: each case's step, as measured
            details = metrics.step_details(line.score.period.month, line.step, [r["obj"].pk for r in records])
            for r in records:
                r["label"] = details.get(r["obj"].pk, r["label"])
    return render(request, "performance/evidence.html", {"line": line, "score": line.score, "records": records,
                                                         "page": page})
