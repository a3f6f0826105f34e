"""The assessment's public pages: the monthly results (rankings by group, trend), the quarterly bulletin
and the year-end evaluation (web, Excel, PDF). Statistics and open data: views.stats."""
import re
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.params import EARLIEST, LATEST
from ledger.roots import quarter_roots
from workdays.zone import local_date

from .. import reports

def _month(text):
    m = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return date(int(m.group(1)), int(m.group(2)), 1)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


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


class NotPublished(Http404):
    """A bulletin or evaluation of a period that is still running or whose months are not all published."""


def _summary(kind, months, preview):
    """The context of a bulletin or an evaluation. Public: only a closed period all of whose scored
    months are published (404 otherwise). Preview (League centre): whatever is scored, marked."""
    cover = reports.coverage(months, reports.min_months(kind), _today(), preview=preview)
    if not cover.periods:
        raise NotPublished
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


def _not_published(request, fmt):
    """A citizen who opens the running year's evaluation (or quarter's bulletin) is told when it will be
    published and led back to the published results, not shown a bare "page not found"."""
    if fmt != "html":
        raise Http404
    return render(request, "performance/not_published.html", status=404)


def bulletin(request, year, quarter, fmt="html"):
    try:
        context = _quarter(year, quarter)
    except NotPublished:
        return _not_published(request, fmt)
    return _report(request, context, fmt, f"bulletin-{year}-q{quarter}")


def year_evaluation(request, year, fmt="html"):
    try:
        context = _year(year)
    except NotPublished:
        return _not_published(request, fmt)
    return _report(request, context, fmt, f"evaluation-{year}")
