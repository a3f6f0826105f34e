"""The monitoring centre: dashboard, live data, wall, drill-down, case search, case page, data quality."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alerts.models import ACTIVE_STATUSES, Alert, AlertChange, Level
from alerts.vocab import label_alerts, rule_label
from cases import applicants
from cases.models import OPEN_STATUSES, Case, CaseStatus
from cases.present import events as case_events, present
from cases.quality import orphans_by_client, quality_by_department
from cases.vocab import CHANNEL_LABELS, SUBJECT
from core import facts
from core.access import get_visible, require_centre, require_office, scope_of, scoped
from core.audit import record_unmasked
from core.masking import mask_id_number, mask_phone
from core.params import BadParam, instant_param
from core.roles import UNMASK_ROLES
from ledger.verify import state as ledger_state
from orgs.models import Department, Window
from workdays.zone import days_filter, tz

from .. import dashboard as centre
from ..actions import ContestError, contested_alerts, do_decide_contest
from ..models import DayTally, OpenTally

PAGE_SIZE = 50


def _snapshot_page(request, template, extra):
    """The dashboard and the wall: the same snapshot of the centre's jurisdiction (or of one unit in it,
    ?unit=), in two frames; `extra()` gives what only one of them shows."""
    require_centre(request.user)
    unit = request.GET.get("unit")
    data = centre.snapshot(request.user, timezone.now(), unit=unit)
    return render(request, template, {"data": data, "unit": unit or "", "labels": centre.labels(), **extra()})


@login_required
def dashboard(request):
    return _snapshot_page(request, "supervision/centre.html", lambda: {"ledger": ledger_state()})


@login_required
def live(request):
    """The live endpoint: 204 while the stamp is unchanged (one query), else the snapshot as JSON."""
    require_centre(request.user)
    now = timezone.now()
    version = centre.stamp(now)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    data = centre.snapshot(request.user, now, unit=request.GET.get("unit"), version=version)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
def wall(request):
    return _snapshot_page(request, "supervision/centre_wall.html",
                          lambda: {"likely": facts.value("centre.likely", request.user, 6, default=[])})


@login_required
def department(request, code):
    """Drill-down to one department: its windows' counters today and now, and its newest alerts."""
    require_office(request.user)
    dept = get_visible(Department.objects.select_related("region"), request.user, code=code)
    today = timezone.localdate(timezone.now(), tz())
    windows = {w.pk: w for w in Window.objects.filter(department=dept).select_related("hall")}
    rows = {}
    for r in DayTally.objects.filter(department=dept, day=today).values("window_key").annotate(
            received=Sum("received"), completed=Sum("completed")):
        rows.setdefault(r["window_key"], {}).update(r)
    for r in OpenTally.objects.filter(department=dept).values("window_key").annotate(
            open=Sum("open"), overdue=Sum("overdue")):
        rows.setdefault(r["window_key"], {}).update(r)
    table = [{"window": windows.get(k), "key": k, **{f: v.get(f) or 0 for f in ("received", "completed", "open",
                                                                                 "overdue")}}
             for k, v in sorted(rows.items())]
    for pk, w in windows.items():
        if pk not in rows:
            table.append({"window": w, "key": pk, "received": 0, "completed": 0, "open": 0, "overdue": 0})
    alerts = scoped(Alert.objects.filter(department=dept, status__in=ACTIVE_STATUSES), request.user)
    return render(request, "supervision/centre_department.html", {
        "dept": dept, "windows": table, "alerts": centre.link_alerts(alerts.order_by("-raised_at", "-pk")[:30]),
        "levels": dict(alerts.values_list("level").annotate(n=Count("pk")))
    })


# -- case search and the case page ----------------------------------------------------------------
SEARCH_FIELDS = ("q", "item", "department", "status", "level", "window", "region", "from", "to")


def _search(request):
    qs = scoped(Case.objects.select_related("item_version", "department", "window", "applicant"), request.user)
    g = {f: request.GET.get(f, "").strip() for f in SEARCH_FIELDS}
    if g["q"]:
        qs = qs.filter(Q(case_no__icontains=g["q"]) | applicants.search(g["q"]))  # the applicant: exactly
    if g["item"]:
        qs = qs.filter(Q(item__code=g["item"]) | Q(item_version__name__icontains=g["item"]))
    if g["department"]:
        qs = qs.filter(department__code=g["department"])
    if g["window"]:
        qs = qs.filter(window__code=g["window"])
    if g["region"]:
        qs = qs.filter(region__path__contains=f"{g['region']}/")
    if g["status"] == "overdue":
        qs = qs.filter(late=True, status__in=OPEN_STATUSES)
    elif g["status"] in CaseStatus.values:
        qs = qs.filter(status=g["status"])
    if g["level"] in Level.values:
        qs = qs.filter(alert_level=g["level"])
    qs = qs.filter(**days_filter("received_at", g))  # the local days received (as the alert list's)
    return qs.order_by("-received_at", "-pk"), g


@login_required
def case_search(request):
    require_office(request.user)
    qs, g = _search(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/case_search.html", {
        "page": page, "g": g, "statuses": CaseStatus.choices, "levels": Level.choices,
        "departments": scoped(Department.objects.all(), request.user).only("code", "name"),
    })


@login_required
def case_detail(request, case_no):
    """The case page; with `?at=` (epoch seconds or an ISO instant) the case as it stood then."""
    require_office(request.user)
    case = get_visible(Case.objects.select_related("item_version", "department", "region", "window__hall"),
                       request.user, case_no=case_no)
    return _case_page(request, case, instant_param(request.GET, "at", epoch=True))


def _case_page(request, case, at):
    """Everything on the case page at instant `at` (None: now): the header's tags, the clocks, the
    steps, the timeline and the alerts with their records. A replay shows only the events that had
    occurred by then (as the API's `as_of` does), the alerts raised by then with their status then,
    and only the records of what people did up to then."""
    now = timezone.now()
    start = case.received_at or now
    end = min(now, (case.ended_at or now) + timedelta(days=3))
    replay = at is not None
    at = at or now
    clocks = present(case, at).clocks()
    changes = AlertChange.objects.order_by("at", "pk")
    alerts = list(Alert.objects.filter(subject_type=SUBJECT, subject_key=case.case_no)
                  .prefetch_related(Prefetch("changes", changes.filter(at__lte=at) if replay else changes))
                  .order_by("raised_at", "pk"))
    events = case_events(case)
    span = max(1, int(end.timestamp()) - int(start.timestamp()))
    for e in events:
        e["pos"] = max(0, min(100, round(100 * (e["occurred_at"].timestamp() - start.timestamp()) / span, 2)))
    if replay:
        events = [e for e in events if e["occurred_at"] <= at]
        alerts = _alerts_as_of(alerts, clocks["state"]["alerts"] if clocks else [])
        if clocks:  # the header's tags too: status, late and level as they were (never saved)
            view = clocks["state"]
            case.status, case.late, case.alert_level = view["status"], view["late"], view["alert_level"] or ""
    return render(request, "supervision/case_detail.html", {
        "case": case, "timeline": events, "clocks": clocks, "replay": replay, "marks": case_events(case)
        if replay else events, "alerts": label_alerts(alerts), "channel": CHANNEL_LABELS.get(case.channel, case.channel),
        "tz": str(tz()), "applicant": _applicant(request, case),
        "slider": {"start": int(start.timestamp()), "end": int(end.timestamp()),
                   "value": max(int(start.timestamp()), min(int(end.timestamp()), int(at.timestamp())))},
        "forecast": None if case.ended_at else facts.value("case.forecast", case),
    })


def _alerts_as_of(alerts, found):
    """The stored alerts that the replay finds raised at its instant, each with its level and status then."""
    then = {(a["rule"], a["step"] or ""): a for a in found}
    shown = []
    for alert in alerts:
        a = then.get((alert.rule, alert.step or ""))
        if a is not None:
            alert.status, alert.level = a["status"], a["level"]  # for display only, never saved
            shown.append(alert)
    return shown


def _applicant(request, case):
    """Masked ID number and phone, except for roles that need them (each unmasked view is logged)."""
    unmasked = scope_of(request.user).role in UNMASK_ROLES and request.GET.get("unmask") == "1"
    if unmasked and (case.applicant_id_number or case.applicant_phone):
        record_unmasked(request.user, "case", case.case_no, "centre case page")
    return {"name": case.applicant_name, "unmasked": unmasked,
            "can_unmask": scope_of(request.user).role in UNMASK_ROLES,
            "id_number": case.applicant_id_number if unmasked else mask_id_number(case.applicant_id_number),
            "phone": case.applicant_phone if unmasked else mask_phone(case.applicant_phone)}


@login_required
def case_replay(request, case_no):
    """The case page at the slider's instant (`at`: epoch seconds or an ISO instant with offset); the
    slider swaps in its clocks, timeline, alerts and header tags."""
    require_office(request.user)
    case = get_visible(Case.objects.select_related("item_version", "department", "region", "window__hall"),
                       request.user, case_no=case_no)
    at = instant_param(request.GET, "at", epoch=True)
    if at is None:
        raise BadParam("at", _("应为 1970 年以来的秒数或带时区的时间，格式如 2026-03-01T09:30:00+08:00"))
    return _case_page(request, case, at)


@login_required
def quality(request):
    require_centre(request.user)
    return render(request, "supervision/centre_quality.html", {
        "rows": quality_by_department(request.user), "orphans": orphans_by_client(request.user),
        "contested": _contested(request.user),
    })


def _contested(who):
    """Contested alerts in who's scope, each with both events: the one its finding was raised by (an
    event rule's raised_at is its event's instant; a time rule has none) and the late one(s) that
    would withdraw it or move it."""
    from cases.models import CaseEvent, EventType

    alerts = label_alerts(contested_alerts(who))
    labels = dict(EventType.choices)
    raising = {}
    if alerts:
        instants = Q()
        for a in alerts:
            instants |= Q(case_no=a.subject_key, occurred_at=a.raised_at)
        for e in CaseEvent.objects.filter(instants).order_by("pk"):
            raising.setdefault((e.case_no, e.occurred_at), []).append(e)
    rows = []
    for a in alerts:
        late = [dict(e, label=labels.get(e["type"], e["type"]), occurred=parse_datetime(e["occurred_at"]),
                     arrived=parse_datetime(e["arrived_at"])) for e in a.contest_detail.get("events", [])]
        moved = a.contest_detail.get("raised_at")
        rows.append({"alert": a, "rule": a.rule_label, "late": late, "moved_to": parse_datetime(moved) if moved else None,
                     "raised_by": [{"seq": e.pk, "label": labels.get(e.type, e.type), "occurred": e.occurred_at,
                                    "arrived": e.arrived_at} for e in raising.get((a.subject_key, a.raised_at), [])]})
    return rows


@login_required
@require_POST
def contest_decide(request, pk):
    """The centre confirms or rejects a contested withdrawal (or move of raised_at), with its reason."""
    require_centre(request.user)
    alert = get_visible(Alert.objects.all(), request.user, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        return HttpResponse(str(_("decision：应为 confirm（确认）或 reject（驳回）")), status=400)
    try:
        do_decide_contest(alert, confirm=decision == "confirm", actor=request.user, reason=request.POST.get("reason", ""))
    except ContestError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已确认撤销（或更正）告警 %(key)s") % {"key": alert.subject_key} if decision == "confirm"
                         else _("已驳回，告警 %(key)s 维持") % {"key": alert.subject_key})
    return redirect("supervision:quality")
