"""Writing ratings and their follow-ups. Each do_… function changes the rows, writes the change row
and the audit entry, and notifies, in one transaction. A refused attempt raises RatingRefused; the
caller-facing `submit_rating` records it as a RefusedRating row (outside the failed transaction) and
raises the manipulation signals that the attempt completes."""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from alerts.actions import AlertSpec, do_change_alerts, sync_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus, Level as AlertLevel
from alerts.notify import notify
from alerts.subjects import existing_alerts
from cases.models import Case, CaseEvent, CaseStatus
from core.audit import record, record_change
from core.claims import claim
from core.crypto import digits, lookup_hashes
from core.masking import mask_phone
from core.numbering import day_prefix, next_number, next_numbers
from core.roles import Role
from ledger import chain
from orgs.lookup import centre_staff, centres_for, department_managers
from orgs.models import Staff
from workdays.models import load_calendar
from workdays.zone import local_date

from . import rules
from .models import (OPEN_FOLLOW_UP, Channel, Device, DeviceKind, EvaluationSettings, FollowUp, FollowUpChange,
                     FollowUpStatus, Rating, RefusedRating, Stage)

SUBJECT = "rating"
FLOOD_SPAN = timedelta(minutes=10)
BURST_SPAN = timedelta(minutes=10)
PHONE_SPAN = timedelta(hours=24)
NO_SERVICE_LIMIT = 3  # refusals "no recent service" from one device in 10 minutes that make a signal

ACCEPTANCE_EVENTS = ("received", "accepted")
COMPLETION_EVENTS = ("completed", "rejected")


class RatingRefused(ValueError):
    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


# ---- the service a rating is bound to -------------------------------------------------------------

def is_instant(case):
    """即办件: promised the same day (0 working days); rated once, at completion."""
    return case.item_version_id is not None and case.item_version.promised_limit_days == 0


def stage_of_event(case, event_type):
    if is_instant(case):
        return Stage.COMPLETION
    return Stage.COMPLETION if event_type in COMPLETION_EVENTS else Stage.ACCEPTANCE


def open_stages(case, events, rated):
    """The stages of `case` that happened and are not yet rated (events: its CaseEvents)."""
    types = {e.type for e in events}
    stages = []
    if not is_instant(case) and types & set(ACCEPTANCE_EVENTS):
        stages.append(Stage.ACCEPTANCE)
    if types & set(COMPLETION_EVENTS) or (is_instant(case) and types & set(ACCEPTANCE_EVENTS)):
        stages.append(Stage.COMPLETION)
    return [s for s in stages if s not in rated]


def staff_code_for(events, stage):
    """The clerk who did the stage: the latest event of that stage that names one."""
    types = COMPLETION_EVENTS if stage == Stage.COMPLETION else ACCEPTANCE_EVENTS
    named = [e for e in events if e.type in types and e.data.get("staff")]
    if not named and stage == Stage.COMPLETION:  # 即办件 done at acceptance
        named = [e for e in events if e.type in ACCEPTANCE_EVENTS and e.data.get("staff")]
    return named[-1].data["staff"] if named else None


def recent_service(window, now, minutes):
    """(case, stage, event) the window most recently did within `minutes`, or None."""
    since = now - timedelta(minutes=minutes)
    case_nos = Case.objects.filter(window=window).values("case_no")
    event = (CaseEvent.objects.filter(case_no__in=case_nos, occurred_at__gte=since, occurred_at__lte=now,
                                      type__in=ACCEPTANCE_EVENTS + COMPLETION_EVENTS)
             .order_by("-occurred_at", "-pk").first())
    if event is None:
        return None
    case = Case.objects.select_related("item_version").get(case_no=event.case_no)
    return case, stage_of_event(case, event.type), event


def on_duty(window, staff_code=None):
    """The clerk shown on the kiosk (亮证上岗): the one who did the service, else the window's first."""
    staff = Staff.objects.filter(window=window, active=True, role=Role.WINDOW_STAFF)
    if staff_code:
        named = Staff.objects.filter(code=staff_code, active=True).first()
        if named:
            return named
    return staff.order_by("code").first()


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
    if not (note or "").strip():
        raise FollowUpError(_("回访记录不能为空"))
    follow.visited_at, follow.visit_note = now, note.strip()
    _move(follow, follow.status, action="visited", actor=actor, now=now, note=note.strip(),
          fields=("visited_at", "visit_note"))


@transaction.atomic
def do_verify(follow, *, substantiated, note, actor, now):
    if follow.status != FollowUpStatus.PENDING:
        raise FollowUpError(_("只有待核实的差评可以核实"))
    if not (note or "").strip():
        raise FollowUpError(_("核实情况不能为空"))
    follow.verification = note.strip()
    to = FollowUpStatus.RECTIFYING if substantiated else FollowUpStatus.DISPUTED
    _move(follow, to, action="verified", actor=actor, now=now, note=note.strip(), fields=("verification",))
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
    if not (rectification or "").strip() or not (answer or "").strip():
        raise FollowUpError(_("整改措施和答复评价人的内容都不能为空"))
    follow.rectification, follow.answer, follow.answered_at = rectification.strip(), answer.strip(), now
    _move(follow, FollowUpStatus.ANSWERED, action="answered", actor=actor, now=now, note=answer.strip(),
          fields=("rectification", "answer", "answered_at"))


@transaction.atomic
def do_mark_void(follow, *, malicious, reason, actor, now):
    """The centre marks a bad review unsubstantiated or malicious, with reasons."""
    if not follow.is_open:
        raise FollowUpError(_("该差评已经办结"))
    if not (reason or "").strip():
        raise FollowUpError(_("请写明认定理由"))
    follow.centre_reason = reason.strip()
    to = FollowUpStatus.MALICIOUS if malicious else FollowUpStatus.UNSUBSTANTIATED
    _move(follow, to, action="voided", actor=actor, now=now, note=reason.strip(), fields=("centre_reason",))


@transaction.atomic
def do_reject_dispute(follow, *, reason, actor, now):
    """The centre does not accept the department's claim: back to rectification."""
    if follow.status != FollowUpStatus.DISPUTED:
        raise FollowUpError(_("只有申请认定不实的差评可以退回整改"))
    if not (reason or "").strip():
        raise FollowUpError(_("请写明退回理由"))
    _move(follow, FollowUpStatus.RECTIFYING, action="returned", actor=actor, now=now, note=reason.strip())


def _centre_users(rating):
    centre = centres_for({rating.region_id}).get(rating.region_id)
    return centre_staff(centre) if centre else []


def _close_alerts(follow, now, actor, note):
    alerts = list(Alert.objects.filter(subject_type=SUBJECT, subject_key=follow.rating.number,
                                       status__in=ACTIVE_STATUSES))
    if alerts:
        do_change_alerts(alerts, to_status=AlertStatus.CLOSED, at=now, actor=actor, note=note)


# ---- time-based work: overdue rectifications and default ratings ------------------------------------

def tick_overdue(now):
    """Open follow-ups past their deadline: mark overdue and raise a yellow alert each (once). The
    follow-ups are claimed (core.claims); one another worker marked meanwhile no longer matches."""
    today = local_date(now)
    with transaction.atomic():
        due = list(claim(FollowUp.objects.filter(status__in=OPEN_FOLLOW_UP, deadline__lt=today, overdue=False)
                         .select_related("rating")))
        if not due:
            return 0
        centres = centres_for({f.rating.region_id for f in due})
        specs = [AlertSpec(subject_type=SUBJECT, subject_key=f.rating.number, rule="RECTIFY_OVERDUE", step="",
                           level=AlertLevel.YELLOW, raised_at=now,
                           detail=_("差评 %(no)s 超过整改期限 %(d)s 仍未整改答复") % {"no": f.rating.number,
                                                                          "d": f.deadline},
                           department_id=f.rating.department_id, region_id=f.rating.region_id,
                           centre_id=centres.get(f.rating.region_id)) for f in due]
        existing = existing_alerts(SUBJECT, [f.rating.number for f in due], rule="RECTIFY_OVERDUE")
        sync_alerts(specs, existing)
        FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(overdue=True)
        chain.append_saved(FollowUpChange, [c.pk for c in FollowUpChange.objects.bulk_create([
            record_change(FollowUpChange, f, f.status, actor="system", at=now, note=str(f.deadline), action="overdue",
                          save=False) for f in due])])
    return len(due)


def tick_default_ratings(now, limit=1000):
    """If enabled: completed cases unrated at completion for N days get a default rating (marked).
    The cases are claimed (core.claims), then their ratings read again under the claim: a rating
    another worker (or a person) committed after the claiming query's snapshot is seen there."""
    config = EvaluationSettings.current()
    if not config.default_rating_enabled:
        return 0
    cutoff = now - timedelta(days=config.default_rating_days)
    with transaction.atomic():
        cases = list(claim(Case.objects.filter(status=CaseStatus.COMPLETED, ended_at__lte=cutoff,
                                               department__isnull=False).exclude(ratings__stage=Stage.COMPLETION)
                           .select_related("window"))[:limit])
        rated = set(Rating.objects.filter(case__in=[c.pk for c in cases], stage=Stage.COMPLETION)
                    .values_list("case_id", flat=True))
        cases = [c for c in cases if c.pk not in rated]
        if not cases:
            return 0
        numbers = next_numbers(Rating, "number", day_prefix("PJ", now), len(cases))
        rows = [Rating(number=number, case=c, stage=Stage.COMPLETION, level=rules.LEVELS[1],
                       channel=Channel.SYSTEM, is_default=True, rated_at=now, department_id=c.department_id,
                       region_id=c.region_id, item_id=c.item_id, window=c.window,
                       hall_id=c.window.hall_id if c.window else None, source="system:default")
                for c, number in zip(cases, numbers)]
        Rating.objects.bulk_create(rows, ignore_conflicts=True)
        chain.append_saved(Rating, Rating.objects.filter(number__in=numbers).values_list("pk", flat=True))
        record("evaluations.default_ratings", "default_ratings", "evaluations.Rating", len(rows),
               after={"cases": [c.case_no for c in cases][:50], "days": config.default_rating_days})
    return len(rows)


# ---- manipulation signals -------------------------------------------------------------------------

def _signal(rule, key, *, now, detail, department_id, region_id, level=AlertLevel.NOTICE):
    centre = centres_for({region_id}).get(region_id)
    spec = AlertSpec(subject_type=SUBJECT, subject_key=key[:64], rule=rule, step="", level=level, raised_at=now,
                     detail=detail, department_id=department_id, region_id=region_id, centre_id=centre)
    existing = existing_alerts(SUBJECT, [spec.subject_key], rule=rule)
    created = sync_alerts([spec], existing)
    if created:
        notify(centre_staff(centre), detail, "", reverse("evaluations:signals"))
    return created


def signal_bursts(rating, now, config):
    """Bursts from one device, or from one phone: flag the rating and raise a notice to the centre."""
    flags = []
    if rating.device_id:
        times = list(Rating.objects.filter(device_id=rating.device_id, rated_at__gte=now - BURST_SPAN)
                     .values_list("rated_at", flat=True))
        if rules.burst(times, limit=config.burst_limit, within=BURST_SPAN):
            flags.append("burst_device")
            _signal("RATING_BURST_DEVICE", f"{rating.device.code}@{local_date(now)}", now=now,
                    detail=_("评价器 %(d)s 10 分钟内评价超过 %(n)d 次，疑似刷评") % {"d": rating.device.code,
                                                                          "n": config.burst_limit},
                    department_id=rating.department_id, region_id=rating.region_id)
    if rating.rater_phone_hash:
        times = list(Rating.objects.filter(rater_phone_hash__in=lookup_hashes(rating.rater_phone, "phone"),
                                           rated_at__gte=now - PHONE_SPAN)
                     .values_list("rated_at", flat=True))
        if rules.burst(times, limit=config.phone_burst_limit, within=PHONE_SPAN):
            flags.append("burst_phone")
            _signal("RATING_BURST_PHONE", f"{mask_phone(rating.rater_phone)}@{local_date(now)}", now=now,
                    detail=_("手机号 %(p)s 24 小时内评价超过 %(n)d 次，疑似刷评") % {
                        "p": mask_phone(rating.rater_phone), "n": config.phone_burst_limit},
                    department_id=rating.department_id, region_id=rating.region_id)
    if flags:
        rating.flags = sorted(set(rating.flags) | set(flags))
        rating.save(update_fields=["flags"])


def signal_refusal(reason, case_no, device, now, config):
    """Refusals that point to manipulation: staff rating their own service; a device rating with no
    matching service again and again."""
    if reason == "own_service":
        case = Case.objects.filter(case_no=case_no).first()
        if case and case.region_id:
            _signal("RATING_OWN_SERVICE", f"{case_no}", now=now, level=AlertLevel.YELLOW,
                    detail=_("办件 %(no)s：工作人员试图评价本人办理的业务") % {"no": case_no},
                    department_id=case.department_id, region_id=case.region_id)
    if reason in ("no_service", "foreign_case") and device is not None:
        count = RefusedRating.objects.filter(device=device, reason__in=("no_service", "foreign_case"),
                                             at__gte=now - BURST_SPAN).count()
        if count >= NO_SERVICE_LIMIT:
            window = device.window
            _signal("RATING_NO_SERVICE", f"{device.code}@{local_date(now)}", now=now,
                    detail=_("评价器 %(d)s 多次提交没有对应办件的评价") % {"d": device.code},
                    department_id=window.department_id, region_id=window.hall.region_id)


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
