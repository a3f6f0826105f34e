"""Every write of a complaint or consultation: one `do_<verb>_<noun>` function each, which checks the
flow, writes the change row and the audit entry, and notifies, in one transaction."""
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.actions import do_change_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus
from alerts.notify import notify
from core import uploads
from core.audit import record, record_change
from core.numbering import day_prefix, next_number
from orgs.lookup import centre_staff, department_managers
from orgs.models import Centre
from workdays.models import load_calendar
from workdays.zone import local_date

from . import rules
from .models import (
    Attachment, ComplainantIdentity, Complaint, ComplaintChange, Consultation, ConsultationChange,
    ConsultStatus, Extension, Satisfaction, Status,
)

SUBJECT = "complaint"
CONSULT_SUBJECT = "consultation"
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out on the phone


class ComplaintError(ValueError):
    """A refused action; the message names the problem for the person acting."""


class DuplicateExternalId(Exception):
    """The client's `external_id` was received before (perhaps a moment ago, by a request running at the
    same time): `complaint` is the one it made."""

    def __init__(self, complaint):
        super().__init__(complaint.number)
        self.complaint = complaint


# ---- secrets and numbers ---------------------------------------------------------------------

def new_secret():
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(8))


def hash_secret(secret):
    key = ("complaints.secret:" + settings.SECRET_KEY).encode()
    return hmac.new(key, secret.strip().upper().encode(), hashlib.sha256).hexdigest()


def secret_matches(obj, secret):
    return bool(secret) and hmac.compare_digest(obj.secret_hash, hash_secret(secret))


def centre_for(region):
    """The supervision centre of a region: its own, else the nearest one above it."""
    codes = region.path.strip("/").split("/")
    centres = sorted(Centre.objects.filter(region__code__in=codes).select_related("region"),
                     key=lambda c: len(c.region.path))
    if not centres:
        raise ComplaintError(_("该地区没有监察中心，无法受理"))
    return centres[-1]


def _change(obj, old, *, action, actor, now, note="", department_may_see=True):
    record_change(ComplaintChange, obj, old, actor=actor, at=now, note=note, action=action,
                  department_may_see=department_may_see)
    record(actor, f"complaint.{action}", "complaint", obj.number, before={"status": old},
           after={"status": obj.status}, reason=note[:500])


def _move(obj, action, *, actor, now, note="", fields=(), department_may_see=True):
    """Apply a flow step: check it is allowed, save the fields, write the row."""
    old = obj.status
    try:
        obj.status = rules.next_status(old, action)
    except rules.FlowError:
        raise ComplaintError(_("当前状态（%(s)s）不能执行该操作") % {"s": Status(old).label}) from None
    obj.save(update_fields=["status", *fields])
    _change(obj, old, action=action, actor=actor, now=now, note=note, department_may_see=department_may_see)
    return obj


def _required(text, label):
    text = (text or "").strip()
    if not text:
        raise ComplaintError(_("%(f)s不能为空") % {"f": label})
    return text


def _wd(d, n):
    return load_calendar().add_wd(d, n)


# ---- intake ------------------------------------------------------------------------------------

@dataclass
class ComplaintInput:
    category: str
    subject: str
    content: str
    region: object
    department: object = None
    occurred_on: date | None = None
    place: str = ""
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    files: list = field(default_factory=list)  # [(original name, content type, ext, bytes)] checked by intake


@transaction.atomic
def do_submit_complaint(data, *, channel, actor, now=None, api_client=None, external_id=""):
    """A new complaint from any channel. Returns (complaint, secret); the secret is shown once."""
    now = now or timezone.now()
    secret = new_secret()
    region = data.department.region if data.department else data.region
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                number=next_number(Complaint, "number", day_prefix("TS", now)), secret_hash=hash_secret(secret),
                channel=channel, category=data.category, subject=data.subject.strip(), content=data.content.strip(),
                occurred_on=data.occurred_on, place=data.place.strip(), region=region, centre=centre_for(region),
                department=data.department, anonymous=data.anonymous, submitted_at=now,
                register_due=_wd(local_date(now), rules.REGISTER_DAYS), api_client=api_client, external_id=external_id)
    except IntegrityError:  # the unique (client, external_id): another request stored it first
        old = Complaint.objects.filter(api_client=api_client, external_id=external_id).first() if external_id else None
        if old is None:
            raise
        raise DuplicateExternalId(old) from None
    ComplainantIdentity.objects.create(
        complaint=complaint, region=region, **({} if data.anonymous else {
            "name": data.name.strip(), "phone": data.phone.strip(), "email": data.email.strip(),
            "address": data.address.strip()}))
    for name, content_type, ext, blob in data.files:
        _attach(complaint, name, content_type, ext, blob)
    _change(complaint, "", action="submit", actor=actor, now=now, note=channel, department_may_see=False)
    notify(centre_staff(complaint.centre_id), _("新投诉 %(no)s：%(s)s") % {"no": complaint.number, "s": complaint.subject},
           "", reverse("complaints:detail", args=[complaint.number]))
    return complaint, secret


def _attach(complaint, name, content_type, ext, blob):
    attachment = Attachment(complaint=complaint, region=complaint.region, original_name=name[:120],
                            content_type=content_type, size=len(blob))
    uploads.store(attachment.file, ext, blob)
    attachment.save()
    return attachment


# ---- the flow ----------------------------------------------------------------------------------

@transaction.atomic
def do_register_complaint(c, *, actor, note="", now=None):
    now = now or timezone.now()
    c.registered_at = now
    c.due = _wd(local_date(now), rules.FEEDBACK_DAYS)
    _move(c, "register", actor=actor, now=now, note=note, fields=["registered_at", "due"], department_may_see=False)
    _close_alerts(c, now, actor, _("已登记"), rule="COMPLAINT_REGISTER_OVERDUE")
    return c


@transaction.atomic
def do_decline_complaint(c, *, actor, reasons, now=None):
    now = now or timezone.now()
    c.reasons, c.closed_at = _required(reasons, _("不予受理理由")), now
    _move(c, "decline", actor=actor, now=now, note=c.reasons, fields=["reasons", "closed_at"])
    _close_alerts(c, now, actor, _("不予受理"))
    return c


@transaction.atomic
def do_redirect_complaint(c, *, actor, to, reasons, now=None):
    now = now or timezone.now()
    c.redirected_to = _required(to, _("转往机关"))
    c.reasons, c.closed_at = _required(reasons, _("转办理由")), now
    _move(c, "redirect", actor=actor, now=now, note=f"{c.redirected_to}：{c.reasons}",
          fields=["redirected_to", "reasons", "closed_at"])
    _close_alerts(c, now, actor, _("已转办"))
    return c


@transaction.atomic
def do_assign_complaint(c, *, actor, department, instructions="", now=None):
    """Route to the competent department (归口), or keep it at the centre (department=None).
    Serious categories are never routed to a department."""
    now = now or timezone.now()
    if department is None:
        c.assignee, c.handled_by_centre = None, True
        action = "keep"
    else:
        if c.is_serious:
            raise ComplaintError(_("“%(c)s”类投诉由监察中心直接办理，不交办被投诉部门") % {
                "c": c.get_category_display()})
        if not department.region.path.startswith(c.centre.region.path):
            raise ComplaintError(_("承办部门不在本中心辖区内"))
        c.assignee, c.handled_by_centre = department, False
        action = "assign"
    c.instructions = instructions.strip()
    _move(c, action, actor=actor, now=now, note=c.instructions,
          fields=["assignee", "handled_by_centre", "instructions"])
    if department is not None:
        notify(department_managers(department.pk), _("交办投诉 %(no)s，请于 %(d)s 前答复") % {"no": c.number, "d": c.due},
               c.instructions, reverse("complaints:detail", args=[c.number]))
    return c


@transaction.atomic
def do_answer_complaint(c, *, actor, findings, measures="", now=None):
    now = now or timezone.now()
    c.findings = _required(findings, _("调查结果"))
    c.measures, c.answered_at = measures.strip(), now
    _move(c, "answer", actor=actor, now=now, note="", fields=["findings", "measures", "answered_at"])
    notify(centre_staff(c.centre_id), _("投诉 %(no)s 已答复，待核实") % {"no": c.number}, "",
           reverse("complaints:detail", args=[c.number]))
    return c


@transaction.atomic
def do_verify_complaint(c, *, actor, note="", now=None):
    now = now or timezone.now()
    return _move(c, "verify", actor=actor, now=now, note=note.strip())


@transaction.atomic
def do_return_complaint(c, *, actor, note, now=None):
    now = now or timezone.now()
    _move(c, "return", actor=actor, now=now, note=_required(note, _("退回理由")))
    if c.assignee_id:
        notify(department_managers(c.assignee_id), _("投诉 %(no)s 的答复被退回") % {"no": c.number}, note,
               reverse("complaints:detail", args=[c.number]))
    return c


@transaction.atomic
def do_feed_back_complaint(c, *, actor, feedback, now=None):
    now = now or timezone.now()
    c.feedback = _required(feedback, _("反馈意见"))
    c.fed_back_at = now
    c.fed_back_on_time = rules.on_time(local_date(now), c.due)
    _move(c, "feed_back", actor=actor, now=now, note="", fields=["feedback", "fed_back_at", "fed_back_on_time"])
    _close_alerts(c, now, actor, _("已反馈投诉人"))
    return c


@transaction.atomic
def do_rate_complaint(c, *, satisfaction, reopen=False, actor="complainant", note="", now=None):
    """The complainant's satisfaction. A dissatisfied complainant may reopen once; otherwise it closes."""
    now = now or timezone.now()
    if satisfaction not in Satisfaction.values:
        raise ComplaintError(_("请选择满意度"))
    if reopen and satisfaction == Satisfaction.DISSATISFIED and c.reopens < rules.MAX_REOPENS:
        c.reopens += 1
        c.due = _wd(local_date(now), rules.FEEDBACK_DAYS)
        c.satisfaction = ""
        _move(c, "reopen", actor=actor, now=now, note=note.strip() or _("投诉人不满意，申请重新办理"),
              fields=["reopens", "due", "satisfaction"])
        return c
    c.satisfaction, c.closed_at = satisfaction, now
    return _move(c, "rate", actor=actor, now=now, note=note.strip(), fields=["satisfaction", "closed_at"])


@transaction.atomic
def do_request_extension(c, *, actor, reason, now=None):
    now = now or timezone.now()
    if c.status not in rules.RUNNING or c.extension:
        raise ComplaintError(_("每件投诉只能申请一次延期，且须在办理期间申请"))
    c.extension, c.extension_reason = Extension.REQUESTED, _required(reason, _("延期理由"))
    c.save(update_fields=["extension", "extension_reason"])
    _change(c, c.status, action="extension_request", actor=actor, now=now, note=c.extension_reason)
    notify(centre_staff(c.centre_id), _("投诉 %(no)s 申请延期") % {"no": c.number}, c.extension_reason,
           reverse("complaints:detail", args=[c.number]))
    return c


@transaction.atomic
def do_decide_extension(c, *, actor, approve, note="", now=None):
    now = now or timezone.now()
    if c.extension != Extension.REQUESTED:
        raise ComplaintError(_("没有待审批的延期申请"))
    if approve:
        c.extension, c.due = Extension.APPROVED, _wd(c.due, rules.EXTENSION_DAYS)
    else:
        c.extension = Extension.REJECTED
    c.save(update_fields=["extension", "due"])
    _change(c, c.status, action="extension_" + ("approved" if approve else "rejected"), actor=actor, now=now,
            note=note.strip())
    if approve:
        _close_alerts(c, now, actor, _("已批准延期"), rule="COMPLAINT_OVERDUE")
    return c


@transaction.atomic
def do_merge_complaint(c, *, into, actor, reason, now=None):
    """A repeat complaint on the same matter joins the earlier one; its complainant follows that one."""
    now = now or timezone.now()
    if into.pk == c.pk or into.status in (Status.MERGED, Status.DECLINED, Status.REDIRECTED) \
            or into.centre_id != c.centre_id:
        raise ComplaintError(_("只能并入本中心另一件正在办理或已办结的投诉"))
    c.merged_into, c.closed_at = into, now
    _move(c, "merge", actor=actor, now=now, note=f"{into.number}：{_required(reason, _('合并理由'))}",
          fields=["merged_into", "closed_at"])
    _close_alerts(c, now, actor, _("已合并"))
    return c


@transaction.atomic
def do_archive_complaint(c, *, actor, category, validity, retention, note="", now=None):
    from .models import Category, Retention, Validity

    now = now or timezone.now()
    if category not in Category.values or validity not in Validity.values or retention not in Retention.values:
        raise ComplaintError(_("归档须选择类别、有效性和保管期限"))
    c.category, c.validity, c.retention, c.archived_at = category, validity, retention, now
    return _move(c, "archive", actor=actor, now=now, note=note.strip(),
                 fields=["category", "validity", "retention", "archived_at"])


def _close_alerts(c, now, actor, note, rule=None):
    qs = Alert.objects.filter(subject_type=SUBJECT, subject_key=c.number, status__in=ACTIVE_STATUSES)
    if rule:
        qs = qs.filter(rule=rule)
    alerts = list(qs)
    if alerts:
        do_change_alerts(alerts, to_status=AlertStatus.CLOSED, at=now, actor=actor, note=note)


# ---- consultations -----------------------------------------------------------------------------------

def _consult_change(q, old, *, action, actor, now, note=""):
    record_change(ConsultationChange, q, old, actor=actor, at=now, note=note, action=action)
    record(actor, f"consultation.{action}", "consultation",
           q.number, before={"status": old}, after={"status": q.status}, reason=note[:500])


@transaction.atomic
def do_submit_consultation(*, question, region, department=None, name="", phone="", channel, actor, now=None,
                           api_client=None):
    now = now or timezone.now()
    secret = new_secret()
    region = department.region if department else region
    q = Consultation.objects.create(number=next_number(Consultation, "number", day_prefix("ZX", now)),
                                    secret_hash=hash_secret(secret), channel=channel,
                                    question=_required(question, _("咨询内容")), region=region,
                                    centre=centre_for(region), department=department, name=name.strip(),
                                    phone=phone.strip(), submitted_at=now,
                                    due=_wd(local_date(now), rules.CONSULT_DAYS), api_client=api_client)
    _consult_change(q, "", action="submit", actor=actor, now=now, note=channel)
    return q, secret


@transaction.atomic
def do_answer_consultation(q, *, actor, answer, now=None):
    now = now or timezone.now()
    old = q.status
    q.answer, q.answered_at = _required(answer, _("答复")), now
    q.answered_by = actor if getattr(actor, "pk", None) else None
    q.status = ConsultStatus.ANSWERED
    q.save(update_fields=["answer", "answered_at", "answered_by", "status"])
    _consult_change(q, old, action="answer" if old == ConsultStatus.SUBMITTED else "reanswer", actor=actor, now=now)
    alerts = list(Alert.objects.filter(subject_type=CONSULT_SUBJECT, subject_key=q.number,
                                       status__in=ACTIVE_STATUSES))
    if alerts:
        do_change_alerts(alerts, to_status=AlertStatus.CLOSED, at=now, actor=actor, note=_("已答复"))
    return q


@transaction.atomic
def do_publish_consultation(q, *, actor, publish, faq_question="", now=None):
    now = now or timezone.now()
    if publish and q.status != ConsultStatus.ANSWERED:
        raise ComplaintError(_("答复后才能公开"))
    q.published = publish
    q.faq_question = (faq_question or q.faq_question or q.question[:200]).strip()[:200]
    q.save(update_fields=["published", "faq_question"])
    _consult_change(q, q.status, action="publish" if publish else "unpublish", actor=actor, now=now,
                    note=q.faq_question)
    return q
