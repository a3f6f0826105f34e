"""The exchange API: POST /api/v1/events and GET /api/v1/cases/{case_no}."""
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import django_auth

from core import facts
from core.api import ApiKey, ErrorReply
from core.access import scope_of

from .ingest import BatchTooLarge, ingest
from .models import ApiClient, Case
from .replay import case_as_of
from .validate import EventError, parse_instant

router = Router(tags=["events & cases"])

AS_OF_AHEAD = timedelta(days=366)  # how far ahead of now a GET ?as_of= may look


class EventBatch(Schema):
    # Each event is checked on its own (cases.validate), so one that is not even an object is
    # rejected alone and the rest of the batch is kept; the schema still documents objects.
    events: list[Any] = Field(json_schema_extra={"items": {"type": "object"}},
                              description="at most 5,000 events (DOMAIN.md, Data exchange)")


class Rejected(Schema):
    index: int
    event_id: str
    error: str


class IngestReply(Schema):
    accepted: int
    duplicates: int
    rejected: list[Rejected]


class AlertOut(Schema):
    rule: str
    level: str
    step: str | None
    raised_at: str
    status: str


class CaseOut(Schema):
    case_no: str
    item_code: str | None
    status: str
    received_at: str | None
    clock_start: str | None
    deemed_accepted: bool
    promised_limit_days: int | None
    legal_limit_days: int | None
    promised_due: str | None
    legal_due: str | None
    suspended_working_days: int
    extension_days: int
    remaining_working_days: int | None
    late: bool
    ended_at: str | None
    alert_level: str | None
    alerts: list[AlertOut]
    # P(ends after promised_due), 0..1, for an open case with a clock, from the latest stored forecast
    # (insight); null when the case has ended, has no clock, has no forecast yet, or as_of is given.
    breach_probability: float | None = None


@router.post("/events", auth=ApiKey(), response={200: IngestReply, 400: ErrorReply, 413: ErrorReply},
             summary="Send a batch of case events (at most 5,000)")
def post_events(request: HttpRequest, batch: EventBatch):
    try:
        result = ingest(request.auth, batch.events, now=timezone.now())
    except BatchTooLarge as err:
        return 413, {"error": str(err)}
    return 200, result.as_dict()


@router.get("/cases/{path:case_no}", auth=[ApiKey(), django_auth], response={200: CaseOut, 400: ErrorReply, 404: ErrorReply},
            summary="A case as it stood at an instant (default now)")
def get_case(request: HttpRequest, case_no: str, as_of: str | None = None):
    try:
        now = timezone.now()
        instant = parse_instant(as_of, "as_of", latest=now + AS_OF_AHEAD) if as_of else now
    except EventError as err:
        return 400, {"error": str(err)}
    visible = scope_of(request.auth).q(Case)
    if isinstance(request.auth, ApiClient):  # a client also sees the cases it holds events for
        visible |= Q(client=request.auth, department=None)
    case = Case.objects.filter(case_no=case_no).filter(visible).select_related("item", "item_version").first()
    if case is None:
        return 404, {"error": f"case_no: no case {case_no!r} visible to this client"}
    out = case_as_of(case, instant)
    if as_of is None:
        out["breach_probability"] = facts.value("case.breach_probability", case, out)
    return 200, out
