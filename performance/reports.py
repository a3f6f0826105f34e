"""What the published results say: the monthly ranking, the quarterly bulletin (通报), the year-end
evaluation with grades, the trend — and their Excel and PDF forms. Only published periods count."""
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _, gettext_lazy

from core.pdf import PdfError, html_to_pdf  # noqa: F401 (PdfError: the views catch it here)

from . import rules
from .models import Group, Period, PeriodStatus, Score

GRADE_LABELS = {"excellent": gettext_lazy("优秀"), "good": gettext_lazy("良好"), "pass": gettext_lazy("合格"),
                "fail": gettext_lazy("不合格")}


def published():
    return Period.objects.filter(status=PeriodStatus.PUBLISHED)


def month_groups(period):
    """[(group label, [Score…] ranked)] for one period."""
    scores = list(period.scores.order_by("group", "rank", "unit"))
    return [(label, [s for s in scores if s.group == g]) for g, label in Group.choices]


@dataclass
class Row:
    unit: str
    name: str
    months: dict = field(default_factory=dict)  # month -> total
    mean: object = None
    rank: int = 0
    grade: str = ""
    talks: int = 0
    cells: list = field(default_factory=list)

    @property
    def grade_label(self):
        return str(GRADE_LABELS.get(self.grade, ""))


def summary(periods):
    """Per group, rows of organisations over several published periods: each month's total, the mean,
    the rank by mean, the grade, and how many months it was flagged for a talk."""
    months = [p.month for p in periods]
    rows = defaultdict(dict)
    for s in Score.objects.filter(period__in=periods).select_related("period").order_by("unit"):
        row = rows[s.group].setdefault(s.unit, Row(s.unit, s.name))
        row.months[s.period.month] = s.total
        row.talks += int(s.talk)
    out = []
    for g, label in Group.choices:
        group_rows = list(rows[g].values())
        for row in group_rows:
            row.cells = [row.months.get(m) for m in months]
            row.mean = rules.mean(row.months.values())
            row.grade = rules.grade(row.mean)
        ranks = rules.rank({r.unit: r.mean for r in group_rows})
        for row in group_rows:
            row.rank = ranks[row.unit]
        out.append((label, sorted(group_rows, key=lambda r: (r.rank, r.unit))))
    return months, out


def quarter_periods(year, quarter):
    months = [3 * (quarter - 1) + i for i in (1, 2, 3)]
    return list(published().filter(month__year=year, month__month__in=months).order_by("month"))


def year_periods(year):
    return list(published().filter(month__year=year).order_by("month"))


def trend(limit=12):
    """(month labels, {group label: [mean total per month]}) over the last published periods."""
    periods = list(published().order_by("-month")[:limit])[::-1]
    from django.db.models import Avg

    means = defaultdict(dict)
    for period_id, group, avg in (Score.objects.filter(period__in=periods).values_list("period_id", "group")
                                  .annotate(a=Avg("total")).values_list("period_id", "group", "a")):
        means[group][period_id] = round(float(avg), 2)
    labels = [f"{p.month:%Y-%m}" for p in periods]
    series = {str(label): [means[g].get(p.pk) for p in periods] for g, label in Group.choices}
    return labels, series


# ---- Excel ----------------------------------------------------------------------------------

def workbook(title, months, groups):
    """An .xlsx (bytes): one sheet per group with rank, organisation, each month, mean, grade, talks."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    head = [_("排名"), _("单位"), *[f"{m:%Y-%m}" for m in months], _("平均分"), _("等次"), _("约谈次数")]
    for label, rows in groups:
        ws = wb.create_sheet(str(label)[:31])
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(head)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE6F5")
            cell.alignment = Alignment(horizontal="center")
        for r in rows:
            ws.append([r.rank, r.name, *[_num(r.months.get(m)) for m in months], _num(r.mean), r.grade_label, r.talks])
        ws.column_dimensions["B"].width = 34
    return _save(wb)


def month_workbook(period):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for label, scores in month_groups(period):
        ws = wb.create_sheet(str(label)[:31])
        ws.append([_("%(m)s 行政效能考核结果") % {"m": period.label}])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([_("排名"), _("单位"), _("系统得分"), _("调整分"), _("得分"), _("约谈")])
        for s in scores:
            ws.append([s.rank, s.name, _num(s.computed), _num(s.adjustment), _num(s.total), _("是") if s.talk else ""])
        ws.column_dimensions["B"].width = 34
    return _save(wb)


def _num(value):
    return float(value) if value is not None else None


def _save(wb):
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- PDF ------------------------------------------------------------------------------------

def pdf(template, context):
    """Render a print template (self-contained HTML: inline CSS, ECharts inlined, charts drawn as SVG
    without animation) and print it with core.pdf (headless Chromium, Chinese fonts)."""
    echarts = Path(finders.find("vendor/echarts.min.js") or "").read_text() if finders.find("vendor/echarts.min.js") else ""
    return html_to_pdf(render_to_string(template, {**context, "echarts_js": echarts}))
