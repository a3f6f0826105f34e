"""Where the time goes: heat maps (item × step, department × step) with their data tables, drill-down to
the steps behind a cell, a monthly trend, an Excel export, and the process variants of each item. Every
figure comes from the nightly aggregates (insight.where), scoped like every page."""
from io import BytesIO
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, gettext_lazy

from core.access import require_office, scoped
from core.audit import record
from core.templatetags.cw import zh
from orgs.models import Department

from ..models import StepStat, StepTiming, VariantStat, WhereState

ITEM_ROWS = 30  # items on the item × step heat map (the slowest first); a department filter shows all of its own
PAGE_SIZE = 50
METRICS = {  # the figure a heat map colours by: (label, how it is read from a cell)
    "p90_share": (gettext_lazy("p90 用时 / 时限"), lambda c: c.p90_share),
    "median_share": (gettext_lazy("中位用时 / 时限"), lambda c: c.median_share),
    "overdue": (gettext_lazy("超时率"), lambda c: c.overdue / c.steps if c.steps else None),
    "wait": (gettext_lazy("环节间等待（中位，工作日）"), lambda c: c.median_wait),
    "suspended": (gettext_lazy("暂停计时占比"), lambda c: c.suspended / c.steps if c.steps else None),
    "supplemented": (gettext_lazy("补正占比"), lambda c: c.supplemented / c.steps if c.steps else None),
}


PERCENT = {"overdue", "suspended", "supplemented"}  # metrics read as shares (0..1 on the map)


def _pct(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _r(x, digits=2):
    return None if x is None else round(x, digits)


def _cell(c):
    return {"steps": c.steps, "completed": c.completed, "median_days": _r(c.median_days, 1), "p90_days": _r(c.p90_days, 1),
            "median_share": _r(c.median_share), "p90_share": _r(c.p90_share), "limit_days": c.limit_days,
            "overdue": _pct(c.overdue, c.steps), "median_wait": _r(c.median_wait, 1),
            "suspended": _pct(c.suspended, c.steps), "supplemented": _pct(c.supplemented, c.steps)}


def _choice(request, name, allowed, default):
    value = request.GET.get(name, default)
    if value not in allowed:
        raise Http404(f"{name}: not one of the allowed values")
    return value


def _heatmap(cells, label_of, key_of, metric, param, period):
    """{rows: [label], cols: [step name], points: [[x, y, value, drill-down URL]], table: [...]} of one heat map."""
    positions, names = {}, {}
    for c in cells:  # columns in the steps' usual order (items number their steps differently)
        positions.setdefault(c.step, []).append(c.position)
        names.setdefault(c.step, c.step_name)
    cols = sorted(names.items(), key=lambda kv: (sum(positions[kv[0]]) / len(positions[kv[0]]), kv[0]))
    keys = sorted({key_of(c) for c in cells}, key=lambda k: str(label_of(k)))
    x_of = {code: i for i, (code, _n) in enumerate(cols)}
    y_of = {k: i for i, k in enumerate(keys)}
    read = METRICS[metric][1]
    points, table = [], []
    base = f"{reverse('insight:cell')}?period={quote(period)}&{param}="
    steps = {}  # each step's code quoted once
    for c in cells:
        value = read(c)
        step = steps.get(c.step) or steps.setdefault(c.step, quote(c.step))
        url = f"{base}{key_of(c)}&step={step}"
        points.append([x_of[c.step], y_of[key_of(c)], None if value is None else round(value, 2), url])
        table.append({"key": key_of(c), "label": str(label_of(key_of(c))), "step": c.step, "step_name": c.step_name,
                      "url": url, **_cell(c)})
    table.sort(key=lambda r: (y_of[r["key"]], x_of[r["step"]]))
    none = _("无数据")
    for r in table:  # the table's cells as shown (formatted here: one template variable a cell is the cheap way)
        r["cells"] = [r["steps"], none if r["median_days"] is None else f'{r["median_days"]} / {r["p90_days"]}',
                      "—" if r["limit_days"] is None else r["limit_days"],
                      none if r["median_share"] is None else f'{r["median_share"]} / {r["p90_share"]}',
                      *[none if r[k] is None else f"{r[k]}%" for k in ("overdue",)],
                      none if r["median_wait"] is None else r["median_wait"],
                      *[none if r[k] is None else f"{r[k]}%" for k in ("suspended", "supplemented")]]
    return {"rows": [str(label_of(k)) for k in keys], "cols": [n for _c, n in cols], "points": points,
            "table": table}


def _rows_html(table):
    """The data table's rows as HTML, built here: a few hundred rows of ten cells cost the template engine
    (a node, a lookup, localisation and escaping per cell) most of the page's time, and format_html a call
    per cell still a third of it. Every value escaped (escape, as format_html's conditional_escape does
    for plain values), Chinese data marked for English readers like |zh (already safe)."""
    return mark_safe("".join(
        f'<tr><td>{zh(r["label"])}</td><td><a href="{escape(r["url"])}">{zh(r["step_name"])}</a></td>'
        + "".join([f"<td>{escape(v)}</td>" for v in r["cells"]]) + "</tr>"
        for r in table))


@login_required
def time_goes(request):
    require_office(request.user)
    months = list(scoped(StepStat.objects.exclude(period=StepStat.LAST_YEAR), request.user)
                  .values_list("period", flat=True).distinct().order_by("-period"))
    period = _choice(request, "period", [StepStat.LAST_YEAR, *months], StepStat.LAST_YEAR)
    metric = _choice(request, "metric", list(METRICS), "p90_share")
    departments = {d.pk: d for d in scoped(Department.objects.all(), request.user)}
    department = request.GET.get("department", "")
    if department and (not department.isdigit() or int(department) not in departments):
        raise Http404("department: not one you may see")
    base = scoped(StepStat.objects.filter(period=period), request.user)
    dept_cells = list(base.filter(item__isnull=True))
    item_cells = base.filter(item__isnull=False)
    if department:
        item_cells = item_cells.filter(department_id=int(department))
    item_cells = list(item_cells)
    if not department:  # the slowest ITEM_ROWS items by their worst step
        worst = {}
        for c in item_cells:
            worst[c.item_id] = max(worst.get(c.item_id, 0), c.p90_share or 0)
        keep = set(sorted(worst, key=lambda i: -worst[i])[:ITEM_ROWS])
        item_cells = [c for c in item_cells if c.item_id in keep]
    names = _item_names({c.item_id for c in item_cells})
    dept_of = {c.item_id: c.department_id for c in item_cells}

    def item_label(k):  # items of the same name exist in several counties: the department tells them apart
        dept = departments.get(dept_of.get(k))
        return f"{names.get(k, '—')} · {dept.name}" if dept and not department else names.get(k, "—")

    by_item = _heatmap(item_cells, item_label, lambda c: c.item_id, metric, "item", period)
    by_dept = _heatmap(dept_cells, lambda k: departments[k].name if k in departments else "—",
                       lambda c: c.department_id, metric, "department", period)
    trend = _trend(scoped(StepStat.objects.filter(item__isnull=True).exclude(period=StepStat.LAST_YEAR),
                          request.user))
    if request.GET.get("format") == "xlsx":
        record(request.user, "insight.export", "time", period)
        return _xlsx(period, by_item, by_dept, trend)
    for data in (by_item, by_dept):  # the page's tables (not the export's)
        data["html"] = _rows_html(data["table"])
    return render(request, "insight/time.html", {
        "period": period, "months": months, "metric": metric, "metrics": [(k, v[0]) for k, v in METRICS.items()],
        "metric_label": METRICS[metric][0], "department": department,
        "departments": sorted(departments.values(), key=lambda d: d.name), "by_item": by_item, "by_dept": by_dept,
        "trend": trend, "state": WhereState.current(), "item_rows": ITEM_ROWS,
        "chart": {"by_item": {k: by_item[k] for k in ("rows", "cols", "points")},
                  "by_dept": {k: by_dept[k] for k in ("rows", "cols", "points")},
                  "trend": trend, "metric": str(METRICS[metric][0]), "percent": metric in PERCENT},
    })


def _item_names(codes):
    """{item pk: its latest version's name}."""
    from catalog.models import ItemVersion
    names = {}
    for item, name in (ItemVersion.objects.filter(item_id__in=list(codes)).order_by("item", "-effective_from", "-number")
                       .values_list("item_id", "name")):
        names.setdefault(item, name)
    return names


def _trend(cells):
    """Per month and step, over the user's departments: steps started and the share overdue (exact sums)."""
    months, steps = {}, {}
    for period, step, name, n, overdue in cells.values_list("period", "step", "step_name", "steps", "overdue"):
        m = months.setdefault(period, {})
        got = m.setdefault(step, [0, 0])
        got[0] += n
        got[1] += overdue
        steps.setdefault(step, name)
    order = sorted(months)
    series = [
        {"step": code, "name": name, "steps": [months[p].get(code, [0, 0])[0] for p in order],
         "overdue": [_pct(months[p].get(code, [0, 0])[1], months[p].get(code, [0, 0])[0]) for p in order]}
        for code, name in steps.items()]
    rows = [{"month": m, "values": [s["overdue"][i] for s in series]} for i, m in enumerate(order)]
    return {"months": order, "series": series, "rows": rows}


def _xlsx(period, by_item, by_dept, trend):
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows streamed as written: ~15 % less than building the cells first
    head = [_("步骤"), _("环节数"), _("已完成"), _("中位用时（工作日）"), _("p90 用时（工作日）"), _("环节时限"),
            _("中位用时 / 时限"), _("p90 用时 / 时限"), _("超时率 %"), _("环节间等待（中位，工作日）"),
            _("暂停计时占比 %"), _("补正占比 %")]
    for title, data, first in ((_("事项×环节"), by_item, _("事项")), (_("部门×环节"), by_dept, _("部门"))):
        sheet = book.create_sheet(str(title))
        sheet.append([str(first), *map(str, head)])
        for r in data["table"]:
            sheet.append([r["label"], r["step_name"], r["steps"], r["completed"], r["median_days"], r["p90_days"],
                          r["limit_days"], r["median_share"], r["p90_share"], r["overdue"], r["median_wait"],
                          r["suspended"], r["supplemented"]])
    sheet = book.create_sheet(str(_("月度趋势")))
    sheet.append([str(_("月份")), *[f'{s["name"]} {_("超时率 %")}' for s in trend["series"]]])
    for i, month in enumerate(trend["months"]):
        sheet.append([month, *[s["overdue"][i] for s in trend["series"]]])
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="time-{period}.xlsx"'
    return response


@login_required
def cell_steps(request):
    """The steps behind one heat-map cell: ?item= or ?department=, &step=, &period=."""
    require_office(request.user)
    period = request.GET.get("period", StepStat.LAST_YEAR)
    step = request.GET.get("step", "")
    rows = scoped(StepTiming.objects.filter(step=step), request.user)
    stat = scoped(StepStat.objects.filter(period=period, step=step), request.user)
    for name in ("item", "department"):
        value = request.GET.get(name, "")
        if value:
            if not value.isdigit():
                raise Http404(f"{name}: not a number")
            rows, stat = rows.filter(**{f"{name}_id": int(value)}), stat.filter(**{f"{name}_id": int(value)})
            if name == "department":
                stat = stat.filter(item__isnull=True)
    stat = stat.first()
    if stat is None:
        raise Http404("no such cell")
    if period == StepStat.LAST_YEAR:
        from datetime import timedelta
        rows = rows.filter(started_on__gt=timezone.localdate(WhereState.current().aggregated_at) - timedelta(days=365))
    else:
        year, month = map(int, period.split("-"))
        rows = rows.filter(started_on__year=year, started_on__month=month)
    rows = rows.select_related("case").order_by("-overdue", "-used_days", "case__case_no")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insight/cell.html", {"page": page, "stat": stat, "cell": _cell(stat), "period": period,
                                                 "name": _cell_name(stat)})


def _cell_name(stat):
    if stat.item_id:
        return _item_names([stat.item_id]).get(stat.item_id, "—")
    return Department.objects.filter(pk=stat.department_id).values_list("name", flat=True).first() or "—"


@login_required
def variants(request):
    """Per item: its most common step sequences, and the share of its cases with skipped or out-of-order
    steps (the conformance view of STEP_SKIPPED and STEP_OUT_OF_ORDER), over the last 365 days."""
    require_office(request.user)
    rows = list(scoped(VariantStat.objects.all(), request.user).order_by("item_id", "-cases", "variant"))
    names = _item_names({r.item_id for r in rows})
    departments = dict(Department.objects.filter(pk__in={r.department_id for r in rows}).values_list("pk", "name"))
    items = {}
    for r in rows:
        it = items.setdefault(r.item_id, {"pk": r.item_id, "name": names.get(r.item_id, "—"), "cases": 0, "skipped": 0,
                                          "department": departments.get(r.department_id, "—"),
                                          "out_of_order": 0, "variants": []})
        it["cases"] += r.cases
        it["skipped"] += r.skipped
        it["out_of_order"] += r.out_of_order
        it["variants"].append(r)
    overview = sorted(items.values(), key=lambda i: -i["cases"])
    for it in overview:
        it["skipped_pct"], it["ooo_pct"] = _pct(it["skipped"], it["cases"]), _pct(it["out_of_order"], it["cases"])
        it["count"] = len(it["variants"])
    chosen = request.GET.get("item", "")
    if chosen and (not chosen.isdigit() or int(chosen) not in items):
        raise Http404("item: not one with variants you may see")
    item = items.get(int(chosen)) if chosen else (overview[0] if overview else None)
    top = []
    if item:
        step_names = _step_names(item["pk"])
        for v in item["variants"][:10]:
            top.append({"steps": [step_names.get(code, code) for code in v.variant.split("›") if code],
                        "cases": v.cases, "share": _pct(v.cases, item["cases"]), "median_days": _r(v.median_days, 1),
                        "p90_days": _r(v.p90_days, 1), "ended": v.ended, "skipped": v.skipped,
                        "out_of_order": v.out_of_order})
    page = Paginator(overview, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insight/variants.html", {"page": page, "item": item, "top": top,
                                                     "state": WhereState.current()})


def _step_names(item_pk):
    from catalog.models import ItemVersion
    version = ItemVersion.objects.filter(item_id=item_pk).order_by("-effective_from", "-number").first()
    return {s["code"]: s.get("name") or s["code"] for s in (version.steps if version else [])}
