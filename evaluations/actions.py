"""Writing ratings, their follow-ups and the rating devices. Each do_… function changes the rows, writes
the change row and the audit entry, and notifies, in one transaction. (The service a rating is bound to
is evaluations.service, the manipulation signals evaluations.manipulation, the time-based work
evaluations.ticks.) A refused attempt raises RatingRefused; the caller-facing `submit_rating` records it
as a RefusedRating row (outside the failed transaction) and raises the manipulation signals that the
attempt completes."""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from alerts.actions import do_change_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus
from alerts.notify import notify
from cases.models import Case, CaseEvent, CaseStatus
from core.audit import record, record_change
from core.crypto import digits
from core.numbering import day_prefix, next_number
from orgs.lookup import centre_staff, centres_for, department_managers
from orgs.models import Staff
from workdays.models import load_calendar
from workdays.zone import local_date

from . import rules
from .manipulation import signal_bursts, signal_refusal
from .models import (OPEN_FOLLOW_UP, SUBJECT, Device, DeviceKind, EvaluationSettings, FollowUp, FollowUpChange,
                     FollowUpStatus, Rating, RefusedRating, Stage)
from .service import ACCEPTANCE_EVENTS, COMPLETION_EVENTS, is_instant, open_stages, staff_code_for

FLOOD_SPAN = timedelta(minutes=10)

class RatingRefused(ValueError):
    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


# ---- rating ----------------------------------------------------------------------------------------

def _check_flood(source, now, config):
    since = now - FLOOD_SPAN
    count = (Rating.objects.filter(source=source, rated_at__gte=since).count()
             + RefusedRating.objects.filter(source=source, at__gte=since).count())
    if count >= config.flood_limit:
        raise RatingRefused("flood", _("提交过于频繁：同一来源 10 分钟内最多 %(n)d 次，请稍后再试") % {"n": config.flood_limit})


def _check_case(case, stage, events):
    if case.status == CaseStatus.INCOMPLETE or case.department_id is None:
        raise RatingRefused("unknown_case", _("办件 %(no)s 尚未受理，不能评价") % {"no": case.case_no})
    if stage not in Stage.values:
        raise RatingRefused("bad_stage", _("stage：%(s)s 不是评价环节（应为 acceptance 或 completion）") % {"s": stage})
    rated = set(case.ratings.values_list("stage", flat=True))
    if stage in rated or (is_instant(case) and rated):
        raise RatingRefused("double", _("办件 %(no)s 的“%(stage)s”环节已经评价过，每个环节只能评价一次") % {
            "no": case.case_no, "stage": Stage(stage).label})
    if stage not in open_stages(case, events, rated):
        raise RatingRefused("no_service", _("办件 %(no)s 尚未办理到“%(stage)s”环节，不能评价该环节") % {
            "no": case.case_no, "stage": Stage(stage).label})


def _check_own(staff, actor, phone):
    own_user = staff is not None and staff.user_id and getattr(actor, "pk", None) == staff.user_id
    own_phone = staff is not None and phone and staff.phone and digits(phone) and digits(phone) == digits(staff.phone)
    if own_user or own_phone:
        raise RatingRefused("own_service", _("工作人员不能评价本人办理的业务"))


@transaction.atomic
def do_rate(case, *, stage, level, channel, now, source, actor=None, device=None, api_client="", comment="",
            rater_phone="", is_default=False, config=None):
    """Rate one stage of a case. Raises RatingRefused with a clear message."""
    config = config or EvaluationSettings.current()
    actor = actor if getattr(actor, "pk", None) else None
    level = _level(level)
    if len(comment) > 1000:
        raise RatingRefused("bad_input", _("评价内容不能超过 1000 字"))
    events = list(CaseEvent.objects.filter(case_no=case.case_no).order_by("occurred_at", "pk"))
    if is_instant(case):
        stage = Stage.COMPLETION
    _check_case(case, stage, events)
    code = staff_code_for(events, stage)
    staff = Staff.objects.filter(code=code).first() if code else None
    _check_own(staff, actor, rater_phone)
    window = case.window
    rating = Rating(
        number=next_number(Rating, "number", day_prefix("PJ", now)), case=case, stage=stage, level=level,
        channel=channel, is_default=is_default,
        rated_at=now, department_id=case.department_id, region_id=case.region_id, item_id=case.item_id,
        window=window, hall_id=window.hall_id if window else None, staff=staff, device=device,
        api_client=api_client, comment=comment.strip(), rater_phone=rater_phone.strip()[:20],
        source=source[:120],  # rater_phone_hash: set on save (core.crypto)
    )
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:  # a concurrent double
        raise RatingRefused("double", _("办件 %(no)s 的该环节已经评价过") % {"no": case.case_no})
    record(actor or source, "rate", "evaluations.Rating", rating.number,
           after={"case": case.case_no, "stage": stage, "level": level, "channel": channel, "default": is_default})
    if rating.is_bad and not is_default:
        _open_follow_up(rating, now, config)
    return rating


def _level(value):
    try:
        return rules.parse_level(value)
    except rules.RuleError as err:
        raise RatingRefused("bad_level", str(err))


def submit_rating(case_no, *, channel, now, source, check_code=None, visible=None, window=None, device=None,
                  **kwargs):
    """The one entry for every channel: find the case (by number and check code for the public, inside
    `visible` — a Q — for API clients, at `window` for devices), rate it, and on refusal keep the attempt
    and raise the signals it completes. Returns the Rating or raises RatingRefused."""
    config = kwargs.pop("config", None) or EvaluationSettings.current()
    try:
        _check_flood(source, now, config)
        case = _find_case(case_no, check_code=check_code, visible=visible, window=window)
        if device is not None:
            _check_recent(case, kwargs.get("stage"), now, config.recent_service_minutes)
        rating = do_rate(case, channel=channel, now=now, source=source, device=device, config=config, **kwargs)
    except RatingRefused as err:
        RefusedRating.objects.create(at=now, channel=channel, source=source[:120], reason=err.reason,
                                     error=str(err), case_no=str(case_no or "")[:64], device=device,
                                     window=window or (device.window if device else None))
        signal_refusal(err.reason, case_no, device, now, config)
        raise
    signal_bursts(rating, now, config)
    return rating


def _find_case(case_no, *, check_code, visible, window):
    case_no = (case_no or "").strip()
    if not case_no and window is not None:
        raise RatingRefused("no_service", _("本窗口最近没有办理可评价的办件"))
    if not case_no:
        raise RatingRefused("unknown_case", _("case_no：请填写办件编号"))
    qs = Case.objects.select_related("item_version", "window").filter(case_no=case_no)
    if visible is not None:
        qs = qs.filter(visible)
    case = qs.first()
    if case is None and check_code is None:
        raise RatingRefused("unknown_case", _("case_no：没有本客户端可评价的办件 %(no)s") % {"no": case_no})
    if case is None or (check_code is not None and (not case.check_code or case.check_code != check_code.strip())):
        raise RatingRefused("unknown_case", _("办件编号或查询码不正确：未找到可评价的办件 %(no)s") % {"no": case_no})
    if window is not None and case.window_id != window.pk:
        raise RatingRefused("foreign_case", _("办件 %(no)s 不是本窗口办理的，评价器不能评价") % {"no": case_no})
    return case


def _check_recent(case, stage, now, minutes):
    """A device only rates what its window did in the last `minutes`."""
    types = COMPLETION_EVENTS if stage == Stage.COMPLETION else ACCEPTANCE_EVENTS
    if is_instant(case):
        types = ACCEPTANCE_EVENTS + COMPLETION_EVENTS
    recent = CaseEvent.objects.filter(case_no=case.case_no, type__in=types, occurred_at__gte=now - timedelta(
        minutes=minutes), occurred_at__lte=now).exists()
    if not recent:
        raise RatingRefused("no_service", ngettext(
            "本窗口最近 %(m)d 分钟内没有办理办件 %(no)s 的这一环节，评价器不能评价",
            "本窗口最近 %(m)d 分钟内没有办理办件 %(no)s 的这一环节，评价器不能评价", minutes) % {
            "m": minutes, "no": case.case_no})


@transaction.atomic
def do_add_follow_up_comment(rating, text, *, now, actor=None):
    """追评: once, within 30 days of the rating."""
    text = (text or "").strip()
    if not text:
        raise RatingRefused("bad_input", _("追评内容不能为空"))
    if len(text) > 1000:
        raise RatingRefused("bad_input", _("追评内容不能超过 1000 字"))
    if rating.follow_up:
        raise RatingRefused("double", _("该评价已经追评过，只能追评一次"))
    if not rules.follow_up_open(rating.rated_at, now):
        raise RatingRefused("too_late", _("评价 30 天后不能再追评"))
    rating.follow_up, rating.follow_up_at = text, now
    rating.save(update_fields=["follow_up", "follow_up_at"])
    record(actor or "public", "follow_up_comment", "evaluations.Rating", rating.number, after={"follow_up": text})
    return rating


# ---- bad reviews: 回访, verification, rectification, answer ------------------------------------------

def alert_url(alert):
    """The page of a rating alert: the rating behind an overdue rectification, else the signals list."""
    if alert.rule == "RECTIFY_OVERDUE":
        return reverse("evaluations:rating", args=[alert.subject_key])
    return reverse("evaluations:signals")


def _office_url(rating):
    return reverse("evaluations:rating", args=[rating.number])


def _open_follow_up(rating, now, config):
    deadline = load_calendar().add_wd(local_date(now), config.rectify_days)
    follow = FollowUp.objects.create(rating=rating, deadline=deadline)
    record_change(FollowUpChange, follow, "", actor="system", at=now, action="opened",
                  note=_("差评，%(d)s 前核实整改并答复") % {"d": deadline})
    notify(department_managers(rating.department_id),
           _("差评 %(no)s：请于 %(d)s 前回访、核实、整改并答复") % {"no": rating.number, "d": deadline},
           rating.comment, _office_url(rating))
    return follow


class FollowUpError(ValueError):
    pass


def _text(value, message):
    """`value` stripped, or FollowUpError(message) when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise FollowUpError(message)
    return text


def _move(follow, to_status, *, action, actor, now, note, fields=()):
    old = follow.status
    follow.status = to_status
    follow.save(update_fields=["status", *fields])
    record_change(FollowUpChange, follow, old, actor=actor, at=now, note=note, action=action)
    record(actor, f"follow_up_{action}", "evaluations.FollowUp", follow.rating.number,
           before={"status": old}, after={"status": to_status}, reason=note)
    if to_status not in OPEN_FOLLOW_UP:
        _close_alerts(follow, now, actor, note)


@transaction.atomic
def do_record_visit(follow, *, note, actor, now):
    """回访: the department contacted the evaluator (a note of what they said)."""
    note = _text(note, _("回访记录不能为空"))
    follow.visited_at, follow.visit_note = now, note
    _move(follow, follow.status, action="visited", actor=actor, now=now, note=note, fields=("visited_at", "visit_note"))


@transaction.atomic
def do_verify(follow, *, substantiated, note, actor, now):
    if follow.status != FollowUpStatus.PENDING:
        raise FollowUpError(_("只有待核实的差评可以核实"))
    follow.verification = _text(note, _("核实情况不能为空"))
    to = FollowUpStatus.RECTIFYING if substantiated else FollowUpStatus.DISPUTED
    _move(follow, to, action="verified", actor=actor, now=now, note=follow.verification, fields=("verification",))
    if not substantiated:
        rating = follow.rating
        notify(_centre_users(rating), _("差评 %(no)s：部门申请认定不属实") % {"no": rating.number}, note,
               _office_url(rating))


@transaction.atomic
def do_answer(follow, *, rectification, answer, actor, now):
    """Rectified and answered to the evaluator: closes the follow-up."""
    if follow.status != FollowUpStatus.RECTIFYING:
        raise FollowUpError(_("只有核实属实、正在整改的差评可以提交整改答复"))
    if not follow.visited_at:
        raise FollowUpError(_("请先记录对评价人的回访"))
    both = _("整改措施和答复评价人的内容都不能为空")
    follow.rectification, follow.answer, follow.answered_at = _text(rectification, both), _text(answer, both), now
    _move(follow, FollowUpStatus.ANSWERED, action="answered", actor=actor, now=now, note=follow.answer,
          fields=("rectification", "answer", "answered_at"))


@transaction.atomic
def do_mark_void(follow, *, malicious, reason, actor, now):
    """The centre marks a bad review unsubstantiated or malicious, with reasons."""
    if not follow.is_open:
        raise FollowUpError(_("该差评已经办结"))
    follow.centre_reason = _text(reason, _("请写明认定理由"))
    to = FollowUpStatus.MALICIOUS if malicious else FollowUpStatus.UNSUBSTANTIATED
    _move(follow, to, action="voided", actor=actor, now=now, note=follow.centre_reason, fields=("centre_reason",))


@transaction.atomic
def do_reject_dispute(follow, *, reason, actor, now):
    """The centre does not accept the department's claim: back to rectification."""
    if follow.status != FollowUpStatus.DISPUTED:
        raise FollowUpError(_("只有申请认定不实的差评可以退回整改"))
    reason = _text(reason, _("请写明退回理由"))
    _move(follow, FollowUpStatus.RECTIFYING, action="returned", actor=actor, now=now, note=reason)


def _centre_users(rating):
    centre = centres_for({rating.region_id}).get(rating.region_id)
    return centre_staff(centre) if centre else []


def _close_alerts(follow, now, actor, note):
    alerts = list(Alert.objects.filter(subject_type=SUBJECT, subject_key=follow.rating.number,
                                       status__in=ACTIVE_STATUSES))
    if alerts:
        do_change_alerts(alerts, to_status=AlertStatus.CLOSED, at=now, actor=actor, note=note)


# ---- devices -------------------------------------------------------------------------------------

class DeviceError(ValueError):
    pass


@transaction.atomic
def do_register_device(window, *, code, name="", kind=DeviceKind.DEVICE, actor, renew=None):
    """Register a device to a window (or give a registered one a new token). Returns (device, token);
    the token is shown once and only its hash is kept."""
    if window is None:
        raise DeviceError(_("window：请选择设备所在的窗口"))
    code = (code or "").strip()
    if not code:
        raise DeviceError(_("code：请填写设备编号"))
    if kind not in DeviceKind.values:
        raise DeviceError(_("kind：设备类型不正确"))
    device = renew
    if device is None:
        if Device.objects.filter(code=code).exists():
            raise DeviceError(_("code：设备编号 %(c)s 已登记") % {"c": code})
        device = Device(code=code, name=name.strip(), kind=kind, window=window, registered_by=actor,
                        registered_at=timezone.now())
    token = device.set_new_token()
    device.save()
    record(actor, "renew_device_token" if renew else "register_device", "evaluations.Device", device.code,
           after={"window": window.code, "kind": kind, "token_prefix": device.token_prefix})
    return device, token


@transaction.atomic
def do_set_device_active(device, *, active, actor):
    before = device.active
    device.active = active
    device.save(update_fields=["active"])
    record(actor, "set_device_active", "evaluations.Device", device.code, before={"active": before},
           after={"active": active})
