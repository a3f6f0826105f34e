"""Alerts and urges over the API, for staff sessions (the pages use the same actions)."""
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth

from alerts.filters import filter_alerts, read_filters
from alerts.models import Alert
from core.access import scope_of, scoped
from core.api import ErrorReply
from core.params import int_param

from .access import UrgeForbidden
from .actions import UrgeError, do_answer_urge, do_close_urge, do_issue_urges, do_return_urge
from .models import Urge

router = Router(tags=["alerts & urges"], auth=django_auth)
PAGE = 100
MAX_PAGE = 1_000_000  # page: 1 … this (100 rows a page); past the last row a page is empty


class AlertRow(Schema):
    id: int
    subject_type: str
    subject_key: str
    rule: str
    step: str
    level: str
    status: str
    raised_at: str
    department: str | None


class UrgeIn(Schema):
    alert_ids: list[int]
    demand: str
    answer_days: int = 3


class UrgeRow(Schema):
    number: str
    centre: str
    department: str
    status: str
    demand: str
    deadline: str
    issued_at: str
    answer: str
    escalated: bool
    alert_ids: list[int]


class TextIn(Schema):
    text: str
    answer_days: int = 3


def alert_row(a):
    return {"id": a.pk, "subject_type": a.subject_type, "subject_key": a.subject_key, "rule": a.rule, "step": a.step,
            "level": a.level, "status": a.status, "raised_at": a.raised_at.isoformat(),
            "department": a.department.code if a.department_id else None}


def urge_row(u):
    return {"number": u.number, "centre": u.centre.name, "department": u.department.code, "status": u.status,
            "demand": u.demand, "deadline": u.deadline.isoformat(), "issued_at": u.issued_at.isoformat(),
            "answer": u.answer, "escalated": u.escalated, "alert_ids": [a.pk for a in u.alerts.all()]}


@router.get("/alerts", response=list[AlertRow], summary="Alerts in your jurisdiction (100 per page)")
def list_alerts(request: HttpRequest, status: str | None = None, level: str | None = None, rule: str | None = None,
                region: str | None = None, department: str | None = None,
                from_: str | None = Query(None, alias="from", description="local date, YYYY-MM-DD: raised on or after"),
                to: str | None = Query(None, description="local date, YYYY-MM-DD: raised on or before"),
                page: str | None = None):
    """The alert list page's filters, read the same way (alerts.filters): status (a status, `active` or
    `all`; every status when absent), level, rule, region (and the regions under it), department code,
    and the local days raised. A value outside a choice or a bad date is a 400 naming the parameter."""
    qs = filter_alerts(scoped(Alert.objects.select_related("department"), request.auth), read_filters(request.GET))
    start = (int_param(page, "page", default=1, lo=1, hi=MAX_PAGE) - 1) * PAGE
    return [alert_row(a) for a in qs.order_by("-raised_at", "-pk")[start:start + PAGE]]


def _urges(request):
    return scoped(Urge.objects.select_related("centre", "department").prefetch_related("alerts"), request.auth)


@router.get("/urges", response=list[UrgeRow], summary="Urges in your jurisdiction")
def list_urges(request: HttpRequest, status: str | None = None, page: str | None = None):
    qs = _urges(request)
    if status:
        qs = qs.filter(status=status)
    start = (int_param(page, "page", default=1, lo=1, hi=MAX_PAGE) - 1) * PAGE
    return [urge_row(u) for u in qs[start:start + PAGE]]


@router.post("/urges", response={201: list[UrgeRow], 400: ErrorReply, 403: ErrorReply},
             summary="Issue urges (督办单) for alerts: one per department")
def issue_urges(request: HttpRequest, body: UrgeIn):
    scope = scope_of(request.auth)
    if not scope.is_centre:
        return 403, {"error": "only supervision centre staff may issue urges"}
    alerts = list(scoped(Alert.objects.filter(pk__in=body.alert_ids), request.auth))
    missing = set(body.alert_ids) - {a.pk for a in alerts}
    if missing:
        return 400, {"error": f"alert_ids: unknown or outside your jurisdiction: {sorted(missing)}"}
    try:
        urges = do_issue_urges(alerts, centre=_centre_of(request.auth, alerts), actor=request.auth,
                               demand=body.demand, answer_days=body.answer_days)
    except UrgeError as err:
        return 400, {"error": str(err)}
    return 201, [urge_row(u) for u in urges]


def _centre_of(user, alerts):
    staff = getattr(user, "staff", None)
    if staff is not None and staff.centre_id:
        return staff.centre
    return alerts[0].centre


def _urge_action(request, number, action):
    """Who may act is decided inside the action (supervision.access), on the urge as it is under its lock."""
    urge = _urges(request).filter(number=number).first()
    if urge is None:
        return 404, {"error": f"number: no urge {number!r} in your jurisdiction"}
    try:
        action(urge)
    except UrgeForbidden as err:
        return 403, {"error": str(err)}
    except UrgeError as err:
        return 400, {"error": str(err)}
    urge.refresh_from_db()
    return 200, urge_row(urge)


RESPONSES = {200: UrgeRow, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply}


@router.post("/urges/{path:number}/answer", response=RESPONSES, summary="The department answers an urge")
def answer_urge(request: HttpRequest, number: str, body: TextIn):
    return _urge_action(request, number, lambda u: do_answer_urge(u, actor=request.auth, answer=body.text))


@router.post("/urges/{path:number}/close", response=RESPONSES, summary="The centre verifies and closes an urge")
def close_urge(request: HttpRequest, number: str, body: TextIn):
    return _urge_action(request, number, lambda u: do_close_urge(u, actor=request.auth, note=body.text))


@router.post("/urges/{path:number}/return", response=RESPONSES, summary="The centre sends an answer back")
def return_urge(request: HttpRequest, number: str, body: TextIn):
    return _urge_action(request, number, lambda u: do_return_urge(u, actor=request.auth, note=body.text,
                                                                    answer_days=body.answer_days))
