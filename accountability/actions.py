"""Writes of accountability cases: open (from alerts or other records, with their evidence), move
through the stages with a deadline each, attach documents. Each writes its Change row and the
audit entry in one transaction. Only centre roles (and the system administrator) act; see access."""
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Alert
from alerts.vocab import rule_label
from complaints.models import Complaint
from core.access import is_centre_user, scoped
from core.audit import actor_user, record, record_change
from core.numbering import local_day, next_number
from evaluations.models import Rating
from video.models import Observation
from workdays.models import load_calendar
from workdays.zone import local_date

from .models import NEXT_STAGE, AccountabilityCase, Change, Decision, Document, Evidence, Stage

# Working days allowed for each stage (decisions where DOMAIN.md is silent; docs/accountability.md).
STAGE_DAYS = {Stage.OPENED: 3, Stage.INVESTIGATING: 20, Stage.DECIDED: 10, Stage.EXECUTED: 5}

# the kinds of record a case may be opened from (/accountability/new/?alert=<pk>, ?complaint=…)
SOURCES = {"alert": Alert, "complaint": Complaint, "rating": Rating, "observation": Observation}


class AccountabilityError(ValueError):
    pass


def deadline_for(stage, now):
    days = STAGE_DAYS.get(stage)
    return load_calendar().add_wd(local_date(now), days) if days else local_date(now)


def alert_evidence(alert):
    """The alert itself, the case it is about, and the urges issued on it."""
    rows = [("alert", str(alert.pk), f"{alert.get_level_display()} {rule_label(alert.rule)} {alert.subject_key} "
             f"{alert.raised_at:%Y-%m-%d}", reverse("supervision:alerts") + f"?status=all#alert-{alert.pk}")]
    if alert.subject_type == "case":
        rows.append(("case", alert.subject_key, _("办件 %(no)s") % {"no": alert.subject_key},
                     reverse("cases:case", args=[alert.subject_key])))
    for urge in alert.urges.all():
        rows.append(("urge", urge.number, _("督办单 %(no)s（%(s)s）") % {"no": urge.number, "s": urge.get_status_display()},
                     reverse("supervision:urge", args=[urge.number])))
    return rows


def record_evidence(kind, obj):
    """Evidence rows for a source record of another app (complaint, rating, observation…)."""
    if kind == "alert":
        return alert_evidence(obj)
    label = {"complaint": _("投诉"), "rating": _("差评"), "observation": _("视频巡查发现")}.get(kind, kind)
    key = getattr(obj, "number", None) or str(obj.pk)
    rows = [(kind, key, f"{label} {key}", "")]
    clip = getattr(obj, "clip", None)
    if clip is not None:
        rows.append(("clip", str(clip.pk), _("证据视频片段 %(k)s") % {"k": clip.pk}, ""))
    return rows


@transaction.atomic
def do_open_case(*, actor, department, title, facts, source_type, sources=(), official="", staff=None, now=None):
    """Open a case against `department` (and optionally an official). `sources`: (kind, object) pairs
    whose evidence is linked."""
    now = now or timezone.now()
    if not is_centre_user(actor):
        raise AccountabilityError(_("只有监察中心可以启动问责"))
    if department is None:
        raise AccountabilityError(_("请选择被问责单位"))
    if not scoped(type(department).objects.filter(pk=department.pk), actor).exists() and not isinstance(actor, str):
        raise AccountabilityError(_("被问责单位不在本中心辖区内"))
    title, facts = (title or "").strip(), (facts or "").strip()
    if not title:
        raise AccountabilityError(_("事由：必填"))
    if not facts:
        raise AccountabilityError(_("基本事实：必填"))
    staff_obj = getattr(actor, "staff", None) if actor_user(actor) else None
    case = AccountabilityCase.objects.create(
        number=next_number(AccountabilityCase, "number", f"WZ{local_day(now):%Y}"), title=title, facts=facts,
        source_type=source_type, department=department,
        region=department.region, centre=getattr(staff_obj, "centre", None), official=(official or "").strip(),
        staff=staff, stage=Stage.OPENED, deadline=deadline_for(Stage.OPENED, now), opened_by=actor_user(actor),
        opened_at=now)
    rows = [row for kind, obj in sources for row in record_evidence(kind, obj)]
    Evidence.objects.bulk_create([Evidence(case=case, kind=k, key=key, label=label[:200], url=url)
                                  for k, key, label, url in dict.fromkeys(rows)], ignore_conflicts=True)
    record_change(Change, case, "", actor=actor, at=now, note=title)
    record(actor, "accountability.open", "AccountabilityCase", case.pk, after={"number": case.number,
           "department": department.code, "evidence": len(rows)})
    return case


@transaction.atomic
def do_advance_case(case, *, actor, note="", decision="", decision_text="", execution_note="", now=None):
    """Move a case to its next stage. Deciding needs a decision and its text; executing needs a note
    of how it was carried out; every step needs a note."""
    now = now or timezone.now()
    if not is_centre_user(actor):
        raise AccountabilityError(_("只有监察中心可以办理问责案件"))
    case = AccountabilityCase.objects.select_for_update().get(pk=case.pk)
    target = NEXT_STAGE.get(case.stage)
    if target is None:
        raise AccountabilityError(_("案件已归档，不能再变更"))
    note = (note or "").strip()
    if not note:
        raise AccountabilityError(_("办理意见：必填"))
    fields = ["stage", "deadline"]
    if target == Stage.DECIDED:
        if decision not in Decision.values:
            raise AccountabilityError(_("问责方式：请选择一种"))
        if not (decision_text or "").strip():
            raise AccountabilityError(_("决定内容：必填"))
        case.decision, case.decision_text, case.decided_at = decision, decision_text.strip(), now
        fields += ["decision", "decision_text", "decided_at"]
    if target == Stage.EXECUTED:
        if not (execution_note or "").strip():
            raise AccountabilityError(_("执行情况：必填"))
        case.execution_note, case.executed_at = execution_note.strip(), now
        fields += ["execution_note", "executed_at"]
    if target == Stage.ARCHIVED:
        case.archived_at = now
        fields.append("archived_at")
    old, case.stage, case.deadline = case.stage, target, deadline_for(target, now)
    case.save(update_fields=fields)
    record_change(Change, case, old, actor=actor, at=now, note=note)
    record(actor, "accountability.advance", "AccountabilityCase", case.pk, before={"stage": old},
           after={"stage": target, "decision": case.decision}, reason=note)
    return case


@transaction.atomic
def do_attach_document(case, *, actor, title, upload, now=None):
    now = now or timezone.now()
    if not is_centre_user(actor):
        raise AccountabilityError(_("只有监察中心可以上传问责文书"))
    if not (title or "").strip():
        raise AccountabilityError(_("文书名称：必填"))
    if upload is None:
        raise AccountabilityError(_("文件：请选择要上传的文件"))
    if upload.size > 20 * 1024 * 1024:
        raise AccountabilityError(_("文件：不能超过 20 MB"))
    doc = Document.objects.create(case=case, stage=case.stage, title=title.strip(), file=upload,
                                  uploaded_by=actor_user(actor), uploaded_at=now)
    record(actor, "accountability.document", "AccountabilityCase", case.pk, after={"document": doc.title})
    return doc


def source_object(kind, pk, actor):
    """The record a case is opened from (an alert, complaint, rating or observation), if the actor may see it."""
    model = SOURCES.get(kind)
    if model is None:
        return None
    return scoped(model.objects.filter(pk=pk), actor).first()


def is_overdue(case, today=None):
    today = today or local_date(datetime.now(tz=timezone.get_current_timezone()))
    return case.stage != Stage.ARCHIVED and case.deadline < today
