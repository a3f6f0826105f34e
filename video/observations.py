"""Patrols and observations (巡查与巡查发现): what a supervisor watched, and what was seen.

An observation is recorded against a camera, a window (hence its department), a staff member and an
instant. On the spot: a verbal warning and/or a rectification order with a deadline in working days,
which the department answers and the centre closes. A serious case is marked for accountability and
always carries a sealed evidence clip (cut at once, ±60 s by default). Every change is a row."""
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.notify import notify
from core.audit import record, record_change
from core.numbering import day_prefix, next_number
from orgs.lookup import department_managers
from workdays.models import load_calendar
from workdays.zone import local_date

from .evidence import DEFAULT_SECONDS, EvidenceError, do_seal_clip
from .models import Observation, ObservationChange, ObservationStatus, Patrol, PatrolView

PATROL_IDLE = timedelta(minutes=10)  # a longer pause starts a new patrol
VIEW_JOIN = timedelta(seconds=90)  # a camera seen again within this extends its view
MAX_ORDER_DAYS = 30


class ObservationError(ValueError):
    pass


def _change(obs, old, *, actor, now, note):
    record_change(ObservationChange, obs, old, actor=actor, at=now, note=note)
    record(actor, f"video.observation_{obs.status}", "observation", obs.number, before={"status": old},
           after={"status": obs.status}, reason=note)


@transaction.atomic
def do_watch_cameras(user, cameras, *, now=None):
    """The wall reports which cameras are on a supervisor's screen; extend the patrol and its views."""
    now = now or timezone.now()
    patrol = Patrol.objects.filter(supervisor=user, last_seen_at__gte=now - PATROL_IDLE).first()
    if patrol is None:
        staff = getattr(user, "staff", None)
        patrol = Patrol.objects.create(supervisor=user, centre_id=getattr(staff, "centre_id", None), started_at=now,
                                       last_seen_at=now)
    else:
        patrol.last_seen_at = now
        patrol.save(update_fields=["last_seen_at"])
    recent = {v.camera_id: v for v in patrol.views.filter(end__gte=now - VIEW_JOIN)}
    extend = [v for c in cameras if (v := recent.get(c.pk))]
    for view in extend:
        view.end = now
    PatrolView.objects.bulk_update(extend, ["end"])
    PatrolView.objects.bulk_create([PatrolView(patrol=patrol, camera=c, start=now, end=now)
                                    for c in cameras if c.pk not in recent])
    return patrol


def _due(now, days):
    if not 1 <= days <= MAX_ORDER_DAYS:
        raise ObservationError(_("整改期限应为 1 至 %(n)d 个工作日") % {"n": MAX_ORDER_DAYS})
    return load_calendar().add_wd(local_date(now), days)


@transaction.atomic
def do_record_observation(camera, *, actor, instant, category, description="", window=None, staff=None,
                          verbal_warning=False, order_text="", order_days=None, serious=False, patrol=None,
                          clip_seconds=DEFAULT_SECONDS, now=None):
    now = now or timezone.now()
    if instant > now + timedelta(minutes=1):
        raise ObservationError(_("发生时刻不能晚于当前时间"))
    if window is not None and window.hall_id != camera.hall_id:
        raise ObservationError(_("窗口不在该点位所在大厅"))
    if staff is not None and window is not None and staff.window_id not in (None, window.pk):
        raise ObservationError(_("该工作人员不在所选窗口"))
    department = window.department if window else (staff.department if staff else None)
    obs = Observation(number=next_number(Observation, "number", day_prefix("XC", now)), camera=camera, window=window,
                      department=department, staff=staff,
                      patrol=patrol, instant=instant, category=category, description=description,
                      recorded_by=actor, recorded_at=now, verbal_warning=verbal_warning, serious=serious)
    if serious:
        try:
            obs.clip = do_seal_clip(camera, instant, actor=actor, before=clip_seconds, after=clip_seconds,
                                    reason=_("巡查发现（情节严重）"), now=now)
        except EvidenceError as err:
            raise ObservationError(_("情节严重须附录像证据：%(err)s") % {"err": err})
    if order_text.strip():
        obs.status, obs.order_text, obs.order_due = ObservationStatus.ORDERED, order_text, _due(now, order_days or 3)
    obs.save()
    _change(obs, "", actor=actor, now=now, note=description)
    if obs.status == ObservationStatus.ORDERED:
        _notify_department(obs)
    return obs


def _notify_department(obs):
    if obs.department_id:
        notify(department_managers(obs.department_id),
               _("巡查发现 %(no)s：请于 %(d)s 前整改并反馈") % {"no": obs.number, "d": obs.order_due},
               obs.order_text, reverse("video:observation", args=[obs.number]))


def _move(obs, to_status, *, allowed, actor, now, note, **fields):
    if obs.status not in allowed:
        raise ObservationError(_("当前状态（%(s)s）不能进行此操作") % {"s": obs.get_status_display()})
    old = obs.status
    obs.status = to_status
    for name, value in fields.items():
        setattr(obs, name, value)
    obs.save()
    _change(obs, old, actor=actor, now=now, note=note)
    return obs


@transaction.atomic
def do_order_rectification(obs, *, actor, text, days=3, now=None):
    now = now or timezone.now()
    if not text.strip():
        raise ObservationError(_("整改要求不能为空"))
    _move(obs, ObservationStatus.ORDERED, allowed=(ObservationStatus.RECORDED, ObservationStatus.ANSWERED), actor=actor,
          now=now, note=text, order_text=text, order_due=_due(now, days))
    _notify_department(obs)
    return obs


@transaction.atomic
def do_answer_observation(obs, *, actor, answer, now=None):
    now = now or timezone.now()
    if not answer.strip():
        raise ObservationError(_("整改反馈不能为空"))
    return _move(obs, ObservationStatus.ANSWERED, allowed=(ObservationStatus.ORDERED,), actor=actor, now=now,
                 note=answer, answer=answer, answered_at=now)


@transaction.atomic
def do_close_observation(obs, *, actor, note="", now=None):
    now = now or timezone.now()
    return _move(obs, ObservationStatus.CLOSED, allowed=(ObservationStatus.RECORDED, ObservationStatus.ANSWERED),
                 actor=actor, now=now, note=note)
