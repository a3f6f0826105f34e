"""The metric registry: metric code → a function that counts, for every department at once, what one
month produced (a `rules.Tally` per department id, with the ids of the records behind the points).

Metrics are batch functions (`fn(month) -> {department_id: Tally}`) rather than one call per
organisation: each is one or two aggregate queries over the month, whatever the number of
organisations. The scoring engine sums departments into organisations (a banner/county government
is all the departments of its region's subtree).

A scheme may name a metric code this registry does not have (an indicator configured ahead of its
metric): scoring.py shows it as "not yet available" and scores nothing — never a made-up figure.

The figures of "where the time goes" (insight's step timings and traces) are metrics too, and those of
one step take the step as a parameter (`stepped`): `fn(month, step)`, step "" for every step.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext_lazy as _, ngettext

from accountability.models import AccountabilityCase
from insight.models import CaseTrace, StepTiming
from alerts.models import Alert, AlertStatus
from cases.models import Case
from catalog.models import ItemVersion
from complaints.models import Complaint
from evaluations.models import FollowUp, Rating
from supervision.models import Urge
from video.models import Observation
from workdays.zone import local_date, tz

from .rules import Tally

REGISTRY = {}


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    unit: str  # rate (0..1), ratio (mean used/promised), percent, count
    evidence: str  # what the evidence ids are: case, alert, urge, item, accountability, complaint, rating…
    fn: object
    available: object = lambda: True
    help: str = ""
    stepped: bool = False  # may be narrowed to one step: fn(month, step)
    quantile: float | None = None  # the figure is this quantile of the measurements (not num / den)

    def tally(self, month, step=""):
        """{department id: Tally} of the month (of one step, for a stepped metric)."""
        return self.fn(month, step) if self.stepped else self.fn(month)


def metric(code, name, unit, evidence, available=None, help="", stepped=False, quantile=None):
    def register(fn):
        REGISTRY[code] = Metric(code, name, unit, evidence, fn, available or (lambda: True), help, stepped, quantile)
        return fn
    return register


def units():
    return {code: m.unit for code, m in REGISTRY.items()}


def stepped():
    """The metric codes an indicator may narrow to one step."""
    return frozenset(code for code, m in REGISTRY.items() if m.stepped)


def known_steps():
    """{step code: step name} of every step of every item version (the catalog's own names; the first name
    met for a code shared by several items). One query."""
    names = {}
    for steps in ItemVersion.objects.order_by("-effective_from", "-number").values_list("steps", flat=True):
        for s in steps or ():
            if s.get("code"):
                names.setdefault(s["code"], s.get("name") or s["code"])
    return names


class Month:
    """One month's bounds in local time, and data shared by several metrics (loaded once)."""

    def __init__(self, first_day, calendar):
        self.first = first_day.replace(day=1)
        self.next_first = (self.first + timedelta(days=32)).replace(day=1)
        self.last = self.next_first - timedelta(days=1)
        self.start = datetime.combine(self.first, time.min, tzinfo=tz())
        self.end = datetime.combine(self.next_first, time.min, tzinfo=tz())
        self.calendar = calendar

    def in_month(self, field):
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    @cached_property
    def completed_cases(self):
        """(id, department, clock_start, ended date, promised_due, late, susp, ext, promised limit) of the
        cases completed this month."""
        rows = (Case.objects.filter(self.in_month("ended_at"), status="completed", clock_start__isnull=False,
                                    department__isnull=False)
                .values_list("id", "department_id", "clock_start", "ended_at", "promised_due", "late",
                             "suspended_days", "extension_days", "item_version__promised_limit_days"))
        return [(r[0], r[1], r[2], local_date(r[3]), *r[4:]) for r in rows]


def _by_department():
    return defaultdict(Tally)


def _bump(tallies, dept, num=0, den=0, ident=None):
    t = tallies[dept]
    t.num += num
    t.den += den
    if ident is not None:
        t.ids.append(ident)


def _count(rows, out=None):
    """One to its department's count for each row of `rows` (records with a department_id), the row's id
    kept as the evidence behind it; added to `out` when given."""
    out = _by_department() if out is None else out
    for pk, dept in rows.values_list("id", "department_id"):
        _bump(out, dept, 1, 0, pk)
    return out


def _share(rows, evidence):
    """{department: Tally} of a share: each (id, department, counted) row is one of its department's whole
    and, when counted, one of its part; the ids kept as evidence are those of the rows whose `counted` is
    `evidence` (True: the counted ones, as the late of a late rate; False: the others, as the late of an
    on-time rate)."""
    out = _by_department()
    for pk, dept, counted in rows:
        counted = bool(counted)
        _bump(out, dept, 1 if counted else 0, 1, pk if counted == evidence else None)
    return out


@metric("ontime_rate", _("按时办结率"), "rate", "case", help=_("本月办结件中未超承诺时限的比例；扣分依据为超期办结件"))
def ontime_rate(month):
    return _share(((pk, dept, not late) for pk, dept, _s, _e, _due, late, *_rest in month.completed_cases),
                  evidence=False)


@metric("early_rate", _("提前办结率"), "percent", "case", help=_("本月办结件中早于承诺办结日办结的比例（%）"))
def early_rate(month):
    return _share(((pk, dept, due is not None and ended < due) for pk, dept, _s, ended, due, *_rest
                   in month.completed_cases), evidence=True)


@metric("time_ratio", _("平均用时比"), "ratio", "case",
        help=_("本月办结件实际用时（工作日，扣除暂停）与承诺时限（含延期）之比的平均值；即办件不计"))
def time_ratio(month):
    out = _by_department()
    wd = month.calendar.wd_between
    for pk, dept, start, ended, _due, _late, susp, ext, limit in month.completed_cases:
        promised = (limit or 0) + (ext or 0)
        if promised <= 0:
            continue
        ratio = max(wd(start, ended) - (susp or 0), 0) / promised if ended > start else 0.0
        _bump(out, dept, ratio, 1, pk if ratio > 1 else None)
    return out


def _alerts(level):
    def count(month):
        rows = (Alert.objects.filter(month.in_month("raised_at"), level=level, department__isnull=False)
                .exclude(status=AlertStatus.WITHDRAWN))  # withdrawn: the full record does not hold it (docs/engine.md)
        return _count(rows)
    return count


metric("alerts_notice", _("预警（蓝牌）次数"), "count", "alert")(_alerts("notice"))
metric("alerts_yellow", _("黄牌次数"), "count", "alert")(_alerts("yellow"))
metric("alerts_red", _("红牌次数"), "count", "alert")(_alerts("red"))


@metric("urge_ontime", _("督办按时答复率"), "rate", "urge", help=_("答复期限在本月的督办单中按期答复的比例"))
def urge_ontime(month):
    # a withdrawn urge covered only alerts the case's full record does not hold (docs/engine.md)
    rows = Urge.objects.filter(deadline__gte=month.first, deadline__lte=month.last).exclude(status="withdrawn")
    fields = ("id", "department_id", "answered_at", "deadline")
    return _share(((pk, dept, answered_at is not None and local_date(answered_at) <= deadline)
                   for pk, dept, answered_at, deadline in rows.values_list(*fields)), evidence=False)


@metric("data_quality", _("数据不及时不完整率"), "percent", "case",
        help=_("本月收件中有迟报（超过一个工作日补录）或被时钟忽略事件的办件比例（%）"))
def data_quality(month):
    out = _by_department()
    rows = Case.objects.filter(month.in_month("received_at"), department__isnull=False)
    bad = Q(late_events__gt=0) | Q(ignored_events__gt=0)
    for dept, count in _grouped_counts(rows):
        _bump(out, dept, 0, count)
    return _count(rows.filter(bad), out)


def _grouped_counts(qs):
    from django.db.models import Count

    return qs.order_by().values_list("department_id").annotate(n=Count("id")).values_list("department_id", "n")


@metric("guide_completeness", _("办事指南完整度"), "rate", "item",
        help=_("本部门公开事项在月末施行版本的办事指南要素完整度平均值"))
def guide_completeness(month):
    from catalog.guide import completeness
    out = _by_department()
    versions = (ItemVersion.objects.filter(effective_from__lte=month.last, item__published=True)
                .select_related("item").order_by("item_id", "-effective_from", "-number"))
    seen = set()
    for version in versions:
        if version.item_id in seen:
            continue
        seen.add(version.item_id)
        percent, missing = completeness(version)
        _bump(out, version.item.department_id, percent / 100, 1, version.item_id if missing else None)
    return out


@metric("accountability", _("问责决定"), "count", "accountability",
        help=_("本月作出问责决定的问责案件数"))
def accountability(month):
    return _count(AccountabilityCase.objects.filter(month.in_month("decided_at"), department__isnull=False))


# Metrics on the complaints, ratings and video apps.

@metric("complaints_valid", _("有效投诉"), "count", "complaint",
        help=_("本月归档、认定有效或部分有效的投诉件数（按被投诉部门）"))
def complaints_valid(month):
    return _count(Complaint.objects.filter(month.in_month("archived_at"), validity__in=("valid", "partly"),
                                           department__isnull=False))


@metric("complaint_ontime", _("投诉按时反馈率"), "rate", "complaint",
        help=_("本月反馈的投诉中按期反馈的比例（按承办部门）"))
def complaint_ontime(month):
    rows = Complaint.objects.filter(month.in_month("fed_back_at"), assignee__isnull=False)
    return _share(rows.values_list("id", "assignee_id", "fed_back_on_time"), evidence=False)


GOOD_LEVELS = ("very_satisfied", "satisfied", "basically_satisfied")


@metric("satisfaction", _("评价满意率"), "rate", "rating",
        help=_("本月评价（不含默认好评）中三个满意等级所占比例；扣分依据为差评"))
def satisfaction(month):
    rows = Rating.objects.filter(month.in_month("rated_at"), is_default=False, department__isnull=False)
    return _share(((pk, dept, level in GOOD_LEVELS) for pk, dept, level in rows.values_list(
        "id", "department_id", "level")), evidence=False)


@metric("bad_review_rectified", _("差评按期整改率"), "rate", "rating",
        help=_("整改期限在本月的差评中按期整改答复（或经中心认定不实）的比例"))
def bad_review_rectified(month):
    rows = FollowUp.objects.filter(deadline__gte=month.first, deadline__lte=month.last,
                                   rating__department__isnull=False)
    fields = ("rating_id", "rating__department_id", "status", "answered_at", "deadline")

    def done(status, answered_at, deadline):
        return status in ("unsubstantiated", "malicious") or (
            status == "answered" and answered_at is not None and local_date(answered_at) <= deadline)
    return _share(((rating, dept, done(*rest)) for rating, dept, *rest in rows.values_list(*fields)), evidence=False)


@metric("observations", _("视频巡查发现问题"), "count", "observation",
        help=_("本月视频巡查记录的问题数"))
def observations(month):
    return _count(Observation.objects.filter(month.in_month("instant"), department__isnull=False))


# Where the time goes (insight's step timings and traces, rebuilt out of band within 15 minutes of a
# case changing): a step counts in the month it was completed, like a case in the month it ended;
# a case's conformance in the month it ended. docs/performance.md "Where the time goes".

def _completed_steps(month, step, *fields):
    rows = StepTiming.objects.filter(completed_on__gte=month.first, completed_on__lte=month.last)
    if step:
        rows = rows.filter(step=step)
    return rows.order_by().values_list("case_id", "department_id", *fields)


def _quantile_of(month, step, q, fields, value, keep=lambda row: True):
    """{department: Tally} of a quantile figure; the evidence is every case measured, the worst first."""
    measured = defaultdict(list)
    for row in _completed_steps(month, step, *fields):
        if keep(row):
            measured[row[1]].append((value(row), row[0]))
    out = defaultdict(lambda: Tally(q=q))
    for dept, found in measured.items():
        for v, pk in sorted(found, key=lambda f: -f[0]):
            out[dept].measure(v, pk)
        out[dept].ids = list(dict.fromkeys(out[dept].ids))  # a case measured at two steps is one record
    return out


def step_details(first_day, step, case_ids):
    """{case id: what its steps completed in the month (of `step`, or every step) were}, for the evidence
    page of a step figure: step name, working days used of the limit, the wait before it, overdue."""
    month = Month(first_day, None)
    out = defaultdict(list)
    for pk, _dept, name, used, limit, wait, overdue in _completed_steps(
            month, step, "step_name", "used_days", "limit_days", "wait_days", "overdue").filter(case_id__in=case_ids):
        text = _("%(step)s：用时 %(used)d / 时限 %(limit)d 个工作日") % {"step": name, "used": used, "limit": limit}
        if wait is not None:
            text += ngettext("，此前等待 %(wait)d 个工作日", "，此前等待 %(wait)d 个工作日", wait) % {"wait": wait}
        out[pk].append(text + (_("，超时") if overdue else ""))
    return {pk: "；".join(texts) for pk, texts in out.items()}


@metric("step_p90_ratio", _("环节用时比（P90）"), "ratio", "case", stepped=True, quantile=0.9,
        help=_("本月完成的该环节（不填环节为所有环节）实际用时（工作日，扣除暂停）与环节时限之比的第 90 百分位数；"
               "依据为计入的全部办件，用时比高的在前"))
def step_p90_ratio(month, step):
    return _quantile_of(month, step, REGISTRY["step_p90_ratio"].quantile, ("used_days", "limit_days"),
                        lambda r: r[2] / max(r[3], 1))


@metric("step_wait", _("环节前等待（中位数，工作日）"), "days", "case", stepped=True, quantile=0.5,
        help=_("本月完成的该环节开始前等待的工作日数（自上一环节完成起）的中位数；首个环节不计；"
               "依据为计入的全部办件，等待长的在前"))
def step_wait(month, step):
    return _quantile_of(month, step, REGISTRY["step_wait"].quantile, ("wait_days",), lambda r: r[2],
                        keep=lambda r: r[2] is not None)


@metric("step_overdue_share", _("环节超时率"), "percent", "case", stepped=True,
        help=_("本月完成的该环节中超过环节时限完成的比例（%）；依据为超时的办件"))
def step_overdue_share(month, step):
    out = _share(_completed_steps(month, step, "overdue"), evidence=True)
    for tally in out.values():
        tally.ids = list(dict.fromkeys(tally.ids))  # a case overdue at two steps is one record
    return out


@metric("nonconformant_share", _("环节不规范办件比例"), "percent", "case",
        help=_("本月办结的有环节的办件中跳过必经环节或环节顺序颠倒的比例（%）；依据为这些办件"))
def nonconformant_share(month):
    # completed cases (STEP_SKIPPED is found at completion) with steps: a trace with a step, or a skipped one
    rows = (CaseTrace.objects.filter(Q(variant__gt="") | Q(skipped=True) | Q(out_of_order=True),
                                     case__status="completed", case__ended_at__gte=month.start,
                                     case__ended_at__lt=month.end)
            .order_by().values_list("case_id", "department_id", "skipped", "out_of_order"))
    return _share(((pk, dept, skipped or out_of_order) for pk, dept, skipped, out_of_order in rows), evidence=True)


# What "a unit has records in a month" means (docs/performance.md, "Months without data"): a case
# received, or open at any moment of the month (received before its end and not ended before its
# start); an alert raised; an urge issued or due; a complaint submitted, fed back or archived (against
# or assigned to the department); a rating given; a bad-review follow-up due; a video observation; an
# accountability decision. The guide's completeness is not a record of the month (it is there every
# month), so a department with nothing but a guide has no score.
ACTIVITY = (
    # (model, the department fields, the month's condition)
    (Case, ("department",),
     lambda m: Q(received_at__lt=m.end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=m.start))),
    (Alert, ("department",), lambda m: m.in_month("raised_at")),
    (Urge, ("department",),
     lambda m: m.in_month("issued_at") | Q(deadline__gte=m.first, deadline__lte=m.last)),
    (Complaint, ("department", "assignee"),
     lambda m: m.in_month("submitted_at") | m.in_month("fed_back_at") | m.in_month("archived_at")),
    (Rating, ("department",), lambda m: m.in_month("rated_at")),
    (FollowUp, ("rating__department",),
     lambda m: Q(deadline__gte=m.first, deadline__lte=m.last)),
    (Observation, ("department",), lambda m: m.in_month("instant")),
    (AccountabilityCase, ("department",), lambda m: m.in_month("decided_at")),
)


def active_departments(month):
    """The ids of the departments with records in the month (ACTIVITY): one DISTINCT query per source
    and department field, whatever the number of departments."""
    found = set()
    for model, dept_fields, condition in ACTIVITY:
        qs = model.objects.filter(condition(month)).order_by()
        for dept_field in dept_fields:
            found.update(qs.filter(**{f"{dept_field}__isnull": False}).values_list(dept_field, flat=True).distinct())
    return found
