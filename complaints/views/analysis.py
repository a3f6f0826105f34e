"""The analysis page (centre staff): figures, charts, suggestions, Excel export."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import get_visible, require_centre, scoped
from core.audit import record
from core.params import EARLIEST, LATEST
from orgs.models import Department

from ..analysis import analyse, default_period, workbook
from ..models import Complaint, Suggestion
from ..rules import period_bounds
from .public import top_region


def _period(request):
    """The period asked for, normalised ('2026-03' or '2026-Q1'); this month when absent or malformed."""
    period = (request.GET.get("period") or request.POST.get("period") or "").strip()
    if period:
        try:
            start, end = period_bounds(period)
            if not EARLIEST <= start < end <= LATEST + timedelta(days=1):
                raise ValueError(period)  # the same years as every other query parameter (core.params)
        except (ValueError, OverflowError):
            messages.error(request, _("期间格式应为 2026-03（月）或 2026-Q1（季度）"))
        else:
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}" if "Q" in period.upper() else f"{start:%Y-%m}"
    return default_period(timezone.localdate())


@login_required
def analysis(request):
    require_centre(request.user)
    period = _period(request)
    if request.method == "POST":
        return _suggest(request, period)
    figures = analyse(scoped(Complaint.objects.all(), request.user), period)
    suggestions = scoped(Suggestion.objects.filter(period=period).select_related("department", "author"),
                         request.user)
    if request.GET.get("format") == "xlsx":
        record(request.user, "complaint.export", "analysis", period)
        response = HttpResponse(workbook(figures, suggestions),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="complaints-{period}.xlsx"'
        return response
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return render(request, "complaints/analysis.html", {
        "f": figures, "suggestions": suggestions, "departments": scoped(Department.objects.all(), request.user),
        "chart": {k: figures[k] for k in ("by_category", "by_department", "by_channel", "by_month")},
        "this_month": f"{today:%Y-%m}", "this_quarter": f"{today.year}-Q{quarter}",
    })


def _suggest(request, period):
    text = request.POST.get("text", "").strip()
    dept_id = request.POST.get("department", "")
    if not text:
        messages.error(request, _("整改建议不能为空"))
        return redirect(f"{request.path}?period={period}")
    dept = get_visible(Department.objects.all(), request.user, pk=dept_id) if dept_id.isdigit() else None
    staff = getattr(request.user, "staff", None)
    region = dept.region if dept else (staff.centre.region if staff and staff.centre_id else top_region())
    s = Suggestion.objects.create(region=region, period=period, department=dept, text=text[:4000],
                                  author=request.user)
    record(request.user, "complaint.suggest", "suggestion", s.pk, after={"period": period, "text": s.text})
    messages.success(request, _("已保存整改建议"))
    return redirect(f"{request.path}?period={period}")
