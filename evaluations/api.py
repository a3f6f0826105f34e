"""The ratings API for other channels (hotline, a provincial 好差评 platform, evaluator hardware),
with the same rules as the pages: POST /api/v1/ratings (API key), POST /api/v1/ratings/device (device
token), GET /api/v1/ratings/{number}, GET /api/v1/ratings/statistics."""
from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from cases.models import Case
from core.access import scope_of
from core.api import ApiKey, ErrorReply
from workdays.zone import days_filter

from . import rules, stats
from .access import ratings_for, visible_rating
from .actions import RatingRefused, submit_rating
from .models import Channel, Device, DeviceKind, EvaluationSettings, Rating, token_hash
from .service import recent_service

router = Router(tags=["evaluations"])

STATUS = {"unknown_case": 404, "foreign_case": 404, "double": 409, "flood": 429, "own_service": 403}
API_CHANNELS = (Channel.HOTLINE, Channel.API, Channel.SMS, Channel.WEB)


class DeviceToken(HttpBearer):
    def authenticate(self, request, token):
        return Device.objects.select_related("window__hall").filter(token_hash=token_hash(token), active=True).first()


class RatingIn(Schema):
    case_no: str
    stage: str = "completion"
    level: int | str
    channel: str = "api"
    comment: str = ""
    rater_phone: str = ""


class DeviceRatingIn(Schema):
    level: int | str
    case_no: str | None = None
    stage: str | None = None


class RatingOut(Schema):
    number: str
    case_no: str
    stage: str
    level: str
    code: int
    channel: str
    is_default: bool
    is_bad: bool
    rated_at: str
    follow_up_deadline: date | None
    follow_up_status: str | None


class StatRow(Schema):
    name: str
    counts: dict[str, int]
    total: int
    satisfaction_rate: float | None
    bad_rate: float | None
    follow_up_rate: float | None
    rectification_rate: float | None
    defaults: int
    voided: int


def out(rating):
    follow = getattr(rating, "follow", None) if rating.is_bad else None
    return {"number": rating.number, "case_no": rating.case.case_no, "stage": rating.stage, "level": rating.level,
            "code": rules.CODE[rating.level], "channel": rating.channel, "is_default": rating.is_default,
            "is_bad": rating.is_bad, "rated_at": rating.rated_at.isoformat(),
            "follow_up_deadline": follow.deadline if follow else None,
            "follow_up_status": follow.status if follow else None}


def refused(err):
    return STATUS.get(err.reason, 400), {"error": str(err)}


ANSWERS = {201: RatingOut, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 429: ErrorReply}


@router.post("/ratings", auth=ApiKey(), response=ANSWERS, summary="Rate a case (hotline, provincial platform …)")
def post_rating(request: HttpRequest, body: RatingIn):
    client = request.auth
    if body.channel not in API_CHANNELS:
        return 400, {"error": f"channel: {body.channel!r} is not one of {', '.join(API_CHANNELS)}"}
    try:
        rating = submit_rating(body.case_no, channel=body.channel, now=timezone.now(), source=f"api:{client.name}",
                               visible=_visible(client), stage=body.stage, level=body.level, comment=body.comment,
                               rater_phone=body.rater_phone, api_client=client.name)
    except RatingRefused as err:
        return refused(err)
    return 201, out(rating)


def _visible(client):
    return scope_of(client).q(Case)


@router.post("/ratings/device", auth=DeviceToken(), response=ANSWERS,
             summary="Rate from an evaluator device: the service its window just did")
def post_device_rating(request: HttpRequest, body: DeviceRatingIn):
    device, now = request.auth, timezone.now()
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    case_no, stage = body.case_no, body.stage
    if not case_no:  # the device does not know the case: the service its window just did
        service = recent_service(device.window, now, EvaluationSettings.current().recent_service_minutes)
        case_no, stage = (service[0].case_no, service[1]) if service else ("", None)
    channel = Channel.TOUCH if device.kind == DeviceKind.TOUCH else Channel.DEVICE
    try:
        rating = submit_rating(case_no, channel=channel, now=now, source=f"device:{device.code}",
                               window=device.window, device=device, stage=stage or "completion", level=body.level)
    except RatingRefused as err:
        return refused(err)
    return 201, out(rating)


@router.get("/ratings/statistics", auth=[ApiKey(), django_auth], response=list[StatRow],
            summary="Tallies per department, hall, window, staff, region or item over a period")
def get_statistics(request: HttpRequest, by: str = "department", start: str | None = None,
                   end: str | None = None):
    """start, end: dates YYYY-MM-DD (core.params bounds them)."""
    lookups = days_filter("rated_at", request.GET, "start", "end")
    if by not in stats.DIMENSIONS:
        by = "department"
    qs = ratings_for(request.auth, Rating.objects.filter(**lookups))
    rows = stats.table(qs, by)
    return [{"name": name, "counts": t.counts, "total": t.total, "satisfaction_rate": t.satisfaction_rate,
             "bad_rate": t.bad_rate, "follow_up_rate": t.follow_up_rate, "rectification_rate": t.rectification_rate,
             "defaults": t.defaults, "voided": t.voided} for name, t in rows]


@router.get("/ratings/{path:number}", auth=[ApiKey(), django_auth], response={200: RatingOut, 404: ErrorReply},
            summary="One rating (no rater details)")
def get_rating(request: HttpRequest, number: str):
    rating = visible_rating(request.auth, number, Rating.objects.select_related("case", "follow"))
    if rating is None:
        return 404, {"error": f"number: no rating {number!r} visible to this client"}
    return 200, out(rating)
