"""Periodic analysis of complaints (monthly or quarterly): counts by category, department, channel and
month; validity, on-time and satisfaction rates; repeat subjects; the centre's suggestions; Excel.
Never any complainant identity: the export is a statistical report."""
from datetime import datetime, time
from io import BytesIO

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import Category, Channel, Satisfaction, Status, Validity


def default_period(today):
    return f"{today:%Y-%m}"


def _instant(d):
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_current_timezone())


def _named(rows, key, choices):
    labels = dict(choices)
    return [{"key": r[key] or "", "label": labels.get(r[key], r[key] or _("未指定")), "n": r["n"]} for r in rows]


def analyse(qs, period):
    """The figures of `period` ('2026-03' or '2026-Q1') over the complaints of `qs` (already scoped)."""
    start, end = rules.period_bounds(period)
    qs = qs.filter(submitted_at__gte=_instant(start), submitted_at__lt=_instant(end))
    count = lambda field: list(qs.values(field).annotate(n=Count("pk")).order_by("-n", field))  # noqa: E731
    months = {f"{r['m'].astimezone(timezone.get_current_timezone()):%Y-%m}" if timezone.is_aware(r["m"])
              else f"{r['m']:%Y-%m}": r["n"]
              for r in qs.annotate(m=TruncMonth("submitted_at")).values("m").annotate(n=Count("pk")).order_by("m")}
    totals = qs.aggregate(
        total=Count("pk"),
        rated_valid=Count("pk", filter=Q(validity__in=(Validity.VALID, Validity.PARTLY))),
        rated_validity=Count("pk", filter=~Q(validity="")),
        on_time=Count("pk", filter=Q(fed_back_on_time=True)),
        fed_back=Count("pk", filter=Q(fed_back_on_time__isnull=False)),
        satisfied=Count("pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC))),
        rated=Count("pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC,
                                                     Satisfaction.DISSATISFIED))),
        merged=Count("pk", filter=Q(status=Status.MERGED) | Q(merged_into__isnull=False)),
    )
    repeats = list(qs.exclude(department=None).values("department__name", "category").annotate(n=Count("pk"))
                   .filter(n__gte=2).order_by("-n", "department__name"))
    categories = dict(Category.choices)
    for r in repeats:
        r["category_label"] = categories.get(r["category"], r["category"])
    return {
        "period": period, "start": start, "end": end, "total": totals["total"], "merged": totals["merged"],
        "by_category": _named(count("category"), "category", Category.choices),
        "by_channel": _named(count("channel"), "channel", Channel.choices),
        "by_department": [{"label": r["department__name"] or _("未指定部门"), "n": r["n"]}
                          for r in count("department__name")],
        "by_month": [{"label": m, "n": months.get(m, 0)} for m in rules.months_in(start, end)],
        "validity_rate": rules.rate(totals["rated_valid"], totals["rated_validity"]),
        "on_time_rate": rules.rate(totals["on_time"], totals["fed_back"]),
        "satisfaction_rate": rules.rate(totals["satisfied"], totals["rated"]),
        "counts": totals, "repeats": repeats, "hints": hints(repeats),
    }


def hints(repeats):
    """Suggestions the figures themselves make: each repeated subject deserves a rectification."""
    return [_("%(d)s 本期因“%(c)s”被投诉 %(n)d 次，建议约谈部门负责人，查找制度漏洞并限期整改。") % {
        "d": r["department__name"], "c": r["category_label"], "n": r["n"]} for r in repeats[:5]]


def workbook(figures, suggestions):
    """The analysis as an .xlsx file (bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("汇总")
    ws.append([_("投诉分析"), figures["period"]])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in ((_("投诉总数"), figures["total"]), (_("合并的重复投诉"), figures["merged"]),
                         (_("有效率(%)"), figures["validity_rate"]), (_("按时反馈率(%)"), figures["on_time_rate"]),
                         (_("满意率(%)"), figures["satisfaction_rate"])):
        ws.append([label, "—" if value is None else value])
    for title, rows in ((_("按类别"), figures["by_category"]), (_("按部门"), figures["by_department"]),
                        (_("按渠道"), figures["by_channel"]), (_("按月份"), figures["by_month"])):
        sheet = wb.create_sheet(title)
        sheet.append([title, _("件数")])
        for r in rows:
            sheet.append([str(r["label"]), r["n"]])
    sheet = wb.create_sheet(_("重复投诉"))
    sheet.append([_("部门"), _("类别"), _("件数")])
    for r in figures["repeats"]:
        sheet.append([r["department__name"], str(r["category_label"]), r["n"]])
    sheet = wb.create_sheet(_("整改建议"))
    sheet.append([_("部门"), _("建议"), _("提出时间")])
    for text in figures["hints"]:
        sheet.append([_("（系统提示）"), text, ""])
    for s in suggestions:
        sheet.append([s.department.name if s.department_id else _("全辖区"), s.text,
                      timezone.localtime(s.created_at).strftime("%Y-%m-%d")])
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 60
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
