"""Public statistics per region (banner/county) and League department for a year: cases handled,
on-time rate, satisfaction rate and complaints concluded — the page and the same figures as open data
(CSV, JSON). Aggregates only: no applicant, no case is named. A rate with nothing to divide is empty
(never made up)."""
import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _, gettext_lazy as _l

from cases.models import Case
from complaints.models import Complaint
from evaluations.models import Rating
from workdays.zone import tz

from ..models import Group
from ..scoring import organisations

FIELDS = ("group", "unit", "name", "cases_handled", "on_time", "on_time_rate", "ratings", "satisfaction_rate",
          "complaints_concluded")
# What each open-data field means (the CSV's header row; the JSON's "dictionary"; docs/data-dictionary.md).
FIELD_LABELS = {
    "group": _l("考核对象类别"), "unit": _l("单位编码"), "name": _l("单位名称"), "cases_handled": _l("办结件数"),
    "on_time": _l("按时办结件数"), "on_time_rate": _l("按时办结率（%）"), "ratings": _l("有效评价数"),
    "satisfaction_rate": _l("满意率（%）"), "complaints_concluded": _l("办结投诉件数"),
}


def dictionary():
    """The open data's dictionary, in the request's language: each field, and each code a field holds."""
    return {"fields": {f: str(FIELD_LABELS[f]) for f in FIELDS},
            "codes": {"group": {value: str(label) for value, label in Group.choices}}}


def _bounds(year):
    return (datetime.combine(date(year, 1, 1), time.min, tzinfo=tz()),
            datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz()))


def _per_department(qs, dept_field, **counts):
    rows = qs.order_by().values(dept_field).annotate(**counts)
    return {r[dept_field]: r for r in rows}


def figures(year):
    start, end = _bounds(year)
    cases = _per_department(Case.objects.filter(ended_at__gte=start, ended_at__lt=end, status="completed"),
                            "department_id", n=Count("id"), ok=Count("id", filter=Q(late=False)))
    good = Q(level__in=("very_satisfied", "satisfied", "basically_satisfied"))
    ratings = _per_department(Rating.objects.filter(rated_at__gte=start, rated_at__lt=end, is_default=False),
                              "department_id", n=Count("id"), ok=Count("id", filter=good))
    complaints = _per_department(Complaint.objects.filter(closed_at__gte=start, closed_at__lt=end),
                                 "department_id", n=Count("id"))
    rows = []
    for org in organisations():
        t = defaultdict(int)
        for dept in org.departments:
            c = cases.get(dept, {})
            t["cases"] += c.get("n", 0)
            t["ok"] += c.get("ok", 0)
            r = ratings.get(dept, {})
            t["ratings"] += r.get("n", 0)
            t["good"] += r.get("ok", 0)
            t["complaints"] += complaints.get(dept, {}).get("n", 0)
        rows.append({
            "group": str(org.group), "unit": org.unit,
            "name": org.name, "cases_handled": t["cases"], "on_time": t["ok"],
            "on_time_rate": _pct(t["ok"], t["cases"]),
            "ratings": t["ratings"],
            "satisfaction_rate": _pct(t["good"], t["ratings"]),
            "complaints_concluded": t["complaints"],
        })
    return sorted(rows, key=lambda r: (r["group"], r["unit"]))


def _pct(num, den):
    return round(100 * num / den, 1) if den else None


def _year(request):
    text = request.GET.get("year") or str(date.today().year)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise Http404
    return int(text)


def page(request):
    year = _year(request)
    rows = figures(year)
    return render(request, "performance/stats.html", {
        "year": year, "rows": rows, "years": list(range(date.today().year, date.today().year - 4, -1)),
    })


def open_data(request, fmt):
    year = _year(request)
    rows = figures(year)
    if fmt == "json":
        body = json.dumps({"year": year, "fields": FIELDS, "dictionary": dictionary(), "rows": rows},
                          ensure_ascii=False, indent=1)
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        # people open the CSV: headers and the group in words (the JSON keeps the machine names)
        groups = dict(Group.choices)
        writer = csv.writer(buf)
        writer.writerow([str(FIELD_LABELS[f]) for f in FIELDS])
        writer.writerows([[str(groups.get(r[f], r[f])) if f == "group" else r[f] for f in FIELDS] for r in rows])
        response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename=clearwindow-stats-{year}.csv"
        return response
    raise Http404(_("格式只支持 csv 或 json"))
