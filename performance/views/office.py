"""Pages of the assessment. Public: the monthly results (rankings by group, trend), the quarterly
bulletin and the year-end evaluation (web, Excel, PDF), statistics and open data. Back office: the
periods with their actions, one period's scores, one score with its lines and adjustments, and the
records behind a line."""
import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
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
from core.params import EARLIEST, LATEST
from workdays.zone import local_date
from ledger.roots import quarter_roots

from .. import metrics, reports
from ..actions import (
    PerformanceError, do_adjust_score, do_publish_period, do_review_period, do_score_month, may_adjust, may_publish,
    month_closed,
)
from ..models import Period, PeriodStatus, Score, ScoreLine

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _month(text):
    m = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return date(int(m.group(1)), int(m.group(2)), 1)


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# ---- public --------------------------------------------------------------------------------

def _today():
    return local_date(timezone.now())


def public(request):
    periods = list(reports.published().order_by("-month"))
    period = periods[0] if periods else None
    if request.GET.get("month"):
        wanted = _month(request.GET["month"])
        period = next((p for p in periods if p.month == wanted), None)
        if period is None:
            raise Http404
    labels, series = reports.trend()
    today = _today()
    years = sorted({p.month.year for p in periods}, reverse=True)
    quarters = sorted({(p.month.year, (p.month.month - 1) // 3 + 1) for p in periods}, reverse=True)
    # links only to what is public: a closed period with every scored month published
    years = [y for y in years if reports.coverage(reports.year_months(y), 1, today).public]
    quarters = [(y, q) for y, q in quarters if reports.coverage(reports.quarter_months(y, q), 1, today).public]
    return render(request, "performance/public.html", {
        "period": period, "periods": periods, "groups": reports.month_groups(period) if period else [],
        "trend": {"labels": labels, "series": series}, "years": years, "quarters": quarters,
    })


def month_xlsx(request, month):
    period = get_object_or_404(reports.published(), month=_month(month) or date(1, 1, 1))
    return _download(reports.month_workbook(period), f"performance-{month}.xlsx", XLSX)


def _summary(kind, months, preview):
    """The context of a bulletin or an evaluation. Public: only a closed period all of whose scored
    months are published (404 otherwise). Preview (League centre): whatever is scored, marked."""
    cover = reports.coverage(months, reports.min_months(kind), _today(), preview=preview)
    if not cover.periods:
        raise Http404
    shown, groups = reports.summary(cover.periods, cover.minimum)
    return {"months": shown, "groups": groups, "kind": kind, "complete": len(cover.periods) == len(months),
            "minimum": cover.minimum, "preview": preview, "running": cover.running, "public": cover.public,
            "talks": [(label, [r for r in rows if r.talks]) for label, rows in groups]}


def _quarter(year, quarter, preview=False):
    if not 1 <= quarter <= 4 or not EARLIEST.year <= year <= LATEST.year:
        raise Http404
    months = reports.quarter_months(year, quarter)
    context = _summary("bulletin", months, preview)
    roots, key = quarter_roots(months[0], months[-1])
    return {**context, "title": _("%(y)d年第%(q)d季度行政效能考核通报") % {"y": year, "q": quarter}, "year": year,
            "quarter": quarter, "ledger_roots": roots, "ledger_public_key": key}


def _year(year, preview=False):
    if not EARLIEST.year <= year <= LATEST.year:  # the years any query may name (core.params)
        raise Http404
    context = _summary("year", reports.year_months(year), preview)
    return {**context, "title": _("%(y)d年度行政效能考核综合评价") % {"y": year}, "year": year}


def _report(request, context, fmt, name):
    if fmt == "xlsx":
        return _download(reports.workbook(context["title"], context["months"], context["groups"]), f"{name}.xlsx", XLSX)
    if fmt == "pdf":
        try:
            content = reports.pdf("performance/print.html", context)
        except reports.PdfError as err:
            return HttpResponse(str(err), status=503, content_type="text/plain; charset=utf-8")
        return _download(content, f"{name}.pdf", "application/pdf")
    return render(request, "performance/report.html", context)


def bulletin(request, year, quarter, fmt="html"):
    return _report(request, _quarter(year, quarter), fmt, f"bulletin-{year}-q{quarter}")


def year_evaluation(request, year, fmt="html"):
    return _report(request, _year(year), fmt, f"evaluation-{year}")


# ---- back office -----------------------------------------------------------------------------

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
    line.suffix = {"rate": "%", "percent": "%", "days": _(" 个工作日")}.get(unit, "")
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
