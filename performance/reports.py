"""What the published results say: the monthly ranking, the quarterly bulletin (通报), the year-end
evaluation with grades, the trend — and their Excel and PDF forms. Only published periods count."""
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
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
    scores = list(period.scores.order_by(*Score.RANKED))
    return [(label, [s for s in scores if s.group == g]) for g, label in Group.choices]


NO_DATA = gettext_lazy("无数据")
NOT_GRADED = gettext_lazy("不参评")


@dataclass
class Row:
    unit: str
    name: str
    months: dict = field(default_factory=dict)  # month -> total (None: 无数据)
    mean: object = None  # over the scored months only; None when there is none
    scored: int = 0  # months with a score
    graded: bool = False  # enough scored months to be ranked and graded
    rank: int | None = None
    grade: str = ""
    talks: int = 0
    cells: list = field(default_factory=list)  # (month, total or None) for each month of the report

    @property
    def grade_label(self):
        return str(GRADE_LABELS.get(self.grade, "")) if self.graded else str(NOT_GRADED)


def summary(periods, minimum=1):
    """Per group, rows of organisations over several periods: each month's total (None: 无数据), the
    mean of the scored months, and — for those with at least `minimum` scored months — the rank by
    mean and the grade; the others are 不参评. Also how many months each was flagged for a talk."""
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
            row.cells = [(m, row.months.get(m)) for m in months]
            scored = [v for v in row.months.values() if v is not None]
            row.scored, row.mean = len(scored), rules.mean(scored)
            row.graded = row.scored >= max(minimum, 1)
            row.grade = rules.grade(row.mean) if row.graded else ""
        ranks = rules.rank({r.unit: r.mean for r in group_rows if r.graded})
        for row in group_rows:
            row.rank = ranks.get(row.unit)
        out.append((label, sorted(group_rows, key=lambda r: (r.rank is None, r.rank or 0, r.unit))))
    return months, out


# ---- which periods a bulletin or an evaluation covers, and whether it may be public ----------

def quarter_months(year, quarter):
    return [date(year, 3 * (quarter - 1) + i, 1) for i in (1, 2, 3)]


def year_months(year):
    return [date(year, m, 1) for m in range(1, 13)]


def closed(months, today):
    """A quarter or year is closed once its last month has ended."""
    return today >= rules.next_first(months[-1])


@dataclass
class Coverage:
    periods: list  # the periods the report is made of
    public: bool  # closed, and every scored month of it published
    running: bool  # the period has not ended yet
    minimum: int  # scored months needed to be ranked and graded


def coverage(months, configured, today, *, preview=False):
    """What a bulletin (months of a quarter) or an evaluation (of a year) is made of. Public: only
    when the period has ended and none of its scored months is still unpublished; then the published
    months. Preview (the centre): every scored month, published or not, and for a running period the
    minimum of scored months scaled to the months begun so far (rounded up)."""
    periods = list(Period.objects.filter(month__in=months).order_by("month"))
    running = not closed(months, today)
    public = not running and bool(periods) and all(p.status == PeriodStatus.PUBLISHED for p in periods)
    minimum = configured
    if running:
        begun = sum(1 for m in months if m <= today)
        minimum = -(-configured * begun // len(months))
    if not preview:
        periods = periods if public else []
    return Coverage(periods, public, running, minimum)


def min_months(kind):
    return settings.PERFORMANCE_MIN_MONTHS_QUARTER if kind == "bulletin" else settings.PERFORMANCE_MIN_MONTHS_YEAR


def quarter_periods(year, quarter, today):
    """The published months of a closed quarter (empty while it runs or a month awaits publication)."""
    return coverage(quarter_months(year, quarter), min_months("bulletin"), today).periods


def year_periods(year, today):
    return coverage(year_months(year), min_months("year"), today).periods


def trend(limit=12):
    """(month labels, {group label: [mean total per month]}) over the last published periods."""
    periods = list(published().order_by("-month")[:limit])[::-1]
    from django.db.models import Avg

    means = defaultdict(dict)
    for period_id, group, avg in (Score.objects.filter(period__in=periods).values_list("period_id", "group")
                                  .annotate(a=Avg("total")).values_list("period_id", "group", "a")):
        if avg is not None:  # the mean of the scored organisations: 无数据 is not a 0 or a 100
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
            ws.append([r.rank if r.rank is not None else "—", r.name, *[_cell(r.months.get(m)) for m in months],
                       _cell(r.mean), r.grade_label, r.talks])
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
            ws.append([s.rank if s.rank is not None else "—", s.name, _cell(s.computed), _num(s.adjustment),
                       _cell(s.total), _("是") if s.talk else ""])
        ws.column_dimensions["B"].width = 34
    return _save(wb)


def _num(value):
    return float(value) if value is not None else None


def _cell(score):
    """A score in a sheet: the number, or 无数据 when the organisation had no score."""
    return float(score) if score is not None else str(NO_DATA)


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
