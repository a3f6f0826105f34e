"""The urge loop: issue → answer → close (or send back); escalation of unanswered urges.

Each action changes the urge and its alerts, writes their change rows and notifies, in one
transaction.
"""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.actions import do_change_alerts
from alerts.models import Alert, AlertStatus, Contest, Level
from alerts.notify import notify
from cases.projection import recompute, refresh_alert_levels
from cases.vocab import SUBJECT as CASE
from core import uploads
from core.access import scoped
from core.audit import actor_user, record_change
from core.numbering import day_prefix, next_number
from orgs.lookup import centre_staff, department_managers
from workdays.models import load_calendar
from workdays.zone import local_date
from core.templatetags.cw import join_list

from .access import ANSWER, CLOSE, RETURN, require_urge_action
from .models import Urge, UrgeAttachment, UrgeChange, UrgeStatus

DEFAULT_ANSWER_DAYS = 3


class UrgeError(ValueError):
    pass


def _hold(urge, actor, action, *, status, refused):
    """Re-read the urge under its row lock, then check that `actor` may take `action` on it as it is
    now and that it is still in `status` (else UrgeError `refused`): the worker may have escalated it
    (a new centre holds it) or someone acted on it since the page or request loaded it."""
    urge.refresh_from_db(from_queryset=Urge.objects.select_for_update())
    require_urge_action(actor, urge, action)
    if urge.status != status:
        raise UrgeError(refused)


@transaction.atomic
def do_issue_urges(alerts, *, centre, actor, demand, answer_days=DEFAULT_ANSWER_DAYS, now=None):
    """One urge per department for the given active alerts. Returns the urges."""
    now = now or timezone.now()
    alerts = [a for a in alerts if a.status == AlertStatus.OPEN]
    if not alerts:
        raise UrgeError(_("所选告警中没有待督办的告警"))
    unowned = [a.subject_key for a in alerts if a.department_id is None]
    if unowned:  # e.g. a serious complaint the centre handles itself: there is no department to urge
        raise UrgeError(_("以下告警没有责任部门（由监察中心直接办理），不能督办：%(keys)s")
                        % {"keys": join_list(unowned)})
    if not demand.strip():
        raise UrgeError(_("督办要求不能为空"))
    if not 1 <= answer_days <= 30:
        raise UrgeError(_("答复期限应为 1 至 30 个工作日"))
    deadline = load_calendar().add_wd(local_date(now), answer_days)
    by_department = {}
    for alert in alerts:
        by_department.setdefault(alert.department_id, []).append(alert)
    urges = []
    for department_id, group in by_department.items():
        urge = Urge.objects.create(number=next_number(Urge, "number", day_prefix("DB", now)), centre=centre,
                                   department_id=department_id, demand=demand, issued_by=actor, issued_at=now, deadline=deadline)
        urge.alerts.set(group)
        record_change(UrgeChange, urge, "", actor=actor, at=now, note=demand)
        do_change_alerts(group, to_status=AlertStatus.URGED, at=now, actor=actor, note=f"{urge.number}: {demand}")
        notify(department_managers(department_id), _("督办单 %(no)s：请于 %(d)s 前答复") % {"no": urge.number, "d": deadline},
               demand, reverse("supervision:urge", args=[urge.number]))
        urges.append(urge)
    return urges


def _move(urge, to_status, *, alert_status, actor, note, now, notify_users, subject):
    old = urge.status
    urge.status = to_status
    urge.save()
    record_change(UrgeChange, urge, old, actor=actor, at=now, note=note)
    alerts = [a for a in urge.alerts.all() if a.status not in (AlertStatus.CLOSED, AlertStatus.WITHDRAWN)]
    do_change_alerts(alerts, to_status=alert_status, at=now, actor=actor, note=f"{urge.number}: {note}")
    _refresh_case_levels(alerts)
    notify(notify_users, subject, note, reverse("supervision:urge", args=[urge.number]))


@transaction.atomic
def do_answer_urge(urge, *, actor, answer, files=(), now=None):
    """The department's explanation and correction, with the files that show it (checked by
    core.uploads.check_files: [(original name, content type, extension, bytes)])."""
    now = now or timezone.now()
    _hold(urge, actor, ANSWER, status=UrgeStatus.ISSUED, refused=_("只有督办中的督办单可以答复"))
    if not answer.strip():
        raise UrgeError(_("答复内容不能为空"))
    for name, content_type, ext, blob in files:
        attachment = UrgeAttachment(urge=urge, original_name=name[:120], content_type=content_type, size=len(blob),
                                    uploaded_by=actor_user(actor), uploaded_at=now)
        uploads.store(attachment.file, ext, blob)
        attachment.save()
    urge.answer, urge.answered_by, urge.answered_at = answer, actor, now
    _move(urge, UrgeStatus.ANSWERED, alert_status=AlertStatus.ANSWERED, actor=actor, note=answer, now=now,
          notify_users=centre_staff(urge.centre_id), subject=_("督办单 %(no)s 已答复") % {"no": urge.number})


@transaction.atomic
def do_close_urge(urge, *, actor, note, now=None):
    """The centre verified the answer: the urge and its alerts are closed."""
    now = now or timezone.now()
    _hold(urge, actor, CLOSE, status=UrgeStatus.ANSWERED, refused=_("只有已答复的督办单可以办结"))
    urge.closed_at = now
    _move(urge, UrgeStatus.CLOSED, alert_status=AlertStatus.CLOSED, actor=actor, note=note or _("核查通过"), now=now,
          notify_users=department_managers(urge.department_id), subject=_("督办单 %(no)s 已办结") % {"no": urge.number})


@transaction.atomic
def do_return_urge(urge, *, actor, note, answer_days=DEFAULT_ANSWER_DAYS, now=None):
    """The centre is not satisfied: back to the department with a new deadline."""
    now = now or timezone.now()
    _hold(urge, actor, RETURN, status=UrgeStatus.ANSWERED, refused=_("只有已答复的督办单可以退回"))
    if not note.strip():
        raise UrgeError(_("退回须说明理由"))
    urge.deadline = load_calendar().add_wd(local_date(now), answer_days)
    _move(urge, UrgeStatus.ISSUED, alert_status=AlertStatus.URGED, actor=actor, note=note, now=now,
          notify_users=department_managers(urge.department_id),
          subject=_("督办单 %(no)s 被退回，请于 %(d)s 前重新答复") % {"no": urge.number, "d": urge.deadline})


def do_escalate_urge(urge, *, now):
    """An urge not answered by its deadline: its yellow cards become red and it goes to the centre one
    level up (once), with its change row and the notices (the tick supervision.ticks calls it)."""
    held_by = urge.centre_id
    parent = urge.centre.parent_centre()
    note = _("督办单 %(no)s 逾期未答复，黄牌升级为红牌") % {"no": urge.number}
    alerts = list(urge.alerts.exclude(status__in=(AlertStatus.CLOSED, AlertStatus.WITHDRAWN)))
    yellow = [a for a in alerts if a.level == Level.YELLOW]
    do_change_alerts(yellow, to_level=Level.RED, at=now, actor="supervise", note=note, centre=parent)
    others = [a for a in alerts if a.level != Level.YELLOW]
    if parent and others:
        do_change_alerts(others, at=now, actor="supervise", note=note, centre=parent)
    urge.escalated = True
    if parent:
        urge.centre = parent
    urge.save()
    record_change(UrgeChange, urge, urge.status, actor="supervise", at=now, note=note)
    recipients = centre_staff(held_by) + centre_staff(urge.centre_id) + department_managers(urge.department_id)
    notify(recipients, note, urge.demand, reverse("supervision:urge", args=[urge.number]))
    _refresh_case_levels(alerts)


def _refresh_case_levels(alerts):
    refresh_alert_levels({a.subject_key for a in alerts if a.subject_type == CASE})


# -- reconcile: withdrawn alerts and contested ones (docs/engine.md, "Reconciling alerts") ----------

def on_alerts_withdrawn(sender, alert_ids, at, notes, **kwargs):
    """Receiver of alerts.actions.withdrawn: an urge still running (issued or answered) whose alerts
    are now all withdrawn is closed as withdrawn, and the department's managers are told why."""
    urges = (Urge.objects.filter(alerts__pk__in=alert_ids).exclude(status__in=(UrgeStatus.CLOSED, UrgeStatus.WITHDRAWN))
             .distinct().prefetch_related("alerts"))
    for urge in urges:
        alerts = list(urge.alerts.all())
        if any(a.status != AlertStatus.WITHDRAWN for a in alerts):
            continue  # it still covers alerts that hold: it goes on for those
        why = "；".join(dict.fromkeys(notes.get(a.pk, "") for a in alerts if notes.get(a.pk)))
        note = _("督办单 %(no)s 所涉告警均已撤销（办件的完整记录不构成这些告警），督办单随之撤销。%(why)s") % {
            "no": urge.number, "why": why}
        old, urge.status, urge.closed_at = urge.status, UrgeStatus.WITHDRAWN, at
        urge.save(update_fields=["status", "closed_at"])
        record_change(UrgeChange, urge, old, actor="system", at=at, note=note)
        notify(department_managers(urge.department_id) + centre_staff(urge.centre_id),
               _("督办单 %(no)s 已撤销") % {"no": urge.number}, note, reverse("supervision:urge", args=[urge.number]))


class ContestError(ValueError):
    pass


def contested_alerts(who):
    """Contested alerts within who's scope (centre staff), oldest first."""
    return list(scoped(Alert.objects.filter(contest=Contest.PENDING), who).order_by("raised_at", "pk"))


@transaction.atomic
def do_decide_contest(alert, *, confirm, actor, reason, now=None):
    """The centre's decision on a contested alert, with who, when and why as a change row. Confirmed:
    the case is reconciled on its full record at once (the alert is withdrawn or its raised_at
    corrected, with its own row). Rejected: the alert stands as raised and is not reconciled again."""
    now = now or timezone.now()
    if not reason.strip():
        raise ContestError(_("请填写核实意见"))
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.contest != Contest.PENDING:
        raise ContestError(_("该告警没有待核实的争议"))
    if confirm:
        note = _("监察中心确认撤销/更正：%(why)s") % {"why": reason}
        alert.contest, alert.contest_detail = Contest.NONE, {}
    else:
        note = _("监察中心驳回撤销/更正，告警维持：%(why)s") % {"why": reason}
        alert.contest = Contest.REJECTED
    alert.save(update_fields=["contest", "contest_detail"])
    do_change_alerts([alert], at=now, actor=actor, note=note)  # a row: who, when, why
    if confirm and alert.subject_type == CASE:
        recompute([alert.subject_key], now)  # no event arrives now: the full record acts, uncontested
    return Alert.objects.get(pk=alert.pk)
