"""The online workbench's writes (网上办件): window staff register and handle cases for halls that have
no approval system of their own. Who may do what: cases.access.

One path: every action builds the exchange-API event dict and hands it to cases.ingest.ingest with
the built-in ApiClient "workbench" (source "workbench"); nothing here writes to Case. The acting
user's own scope is checked first (the client's scope is then widened to the department on demand,
so ingest's own scope check passes for exactly the departments people act for).
"""
import re
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import get_visible
from core.audit import record, record_unmasked
from core.masking import mask_id_number, mask_name, mask_phone
from core.numbering import local_day, next_number
from core.roles import UNMASK_ROLES, Role
from workdays.zone import tz

from . import reserved
from .access import ACTIONS, STEP_ACTIONS, acting_staff, items_for, role_of, step_problem
from .ingest import ingest
from .models import ENDED_STATUSES, ApiClient, Case, CaseEvent
from .replay import state_at
from .reserved import CLIENT_NAME, SOURCE

# Event types that carry the acting clerk's staff code.
STAFF_TYPES = {"received", "accepted", "rejected", "step_started", "step_completed", "completed"}


class WorkbenchError(Exception):
    """An action that cannot be recorded; the message is shown to the clerk."""


# -- the built-in client and case numbers ---------------------------------------------------------
def workbench_client(department):
    """The built-in ApiClient "workbench" (inactive key: no one can call the API with it), allowed
    to report for `department`."""
    client = ApiClient.objects.filter(name=CLIENT_NAME).first()
    if client is None:
        client = ApiClient(name=CLIENT_NAME, active=False)
        client.set_new_key()  # the key is never shown: only its hash is kept, and the client is inactive
        try:
            with transaction.atomic():
                client.save()
        except IntegrityError:  # created meanwhile by another request
            client = ApiClient.objects.get(name=CLIENT_NAME)
    if client.region_id is None and not client.departments.filter(pk=department.pk).exists():
        client.departments.add(department)
    return client


def next_case_no(region_code, now):
    """<region code>-<yyyymmdd>-W<seq> (cases.reserved), from the counter of that region and local day;
    a number that is already a case (it cannot be: no one else may write the form) is skipped. Call it
    inside the transaction that registers the case."""
    return next_number(Case, "case_no", reserved.prefix(region_code, local_day(now)), width=reserved.WIDTH)


# -- writing events ------------------------------------------------------------------------------
def _instant(now):
    return now.astimezone(tz()).isoformat()


def _send(client, event, now):
    result = ingest(client, [event], now=now, source=SOURCE)
    if result.rejected:
        raise WorkbenchError(result.rejected[0]["error"])
    return event


def do_register_case(*, item, applicant, channel, actor, window=None, now=None):
    """Register a new case (a `received` event) and return the Case with its new number."""
    staff = acting_staff(actor)
    if not items_for(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    if staff.role == Role.WINDOW_STAFF:
        window = staff.window
    if window is not None and window.department_id != item.department_id:
        raise WorkbenchError(_("窗口不属于该事项的实施部门"))
    now = now or timezone.now()
    region = item.department.region_id
    with transaction.atomic():
        case_no = next_case_no(region, now)
        event = {
            "event_id": f"wb-{uuid.uuid4().hex}", "case_no": case_no, "type": "received",
            "occurred_at": _instant(now), "item_code": item.code, "staff": staff.code, "channel": channel,
            "applicant": {k: v for k, v in applicant.items() if v},
        }
        if window is not None:
            event["window"] = window.code
        _send(workbench_client(item.department), event, now)
        record(actor, "workbench.register", "case", case_no, after=_audit_safe(event))
    return Case.objects.select_related("item_version", "window__hall", "department").get(case_no=case_no)


def do_record_action(case, action_code, fields, *, actor, now=None):
    """Record one workbench action on a case as its exchange event; returns the event dict."""
    staff = acting_staff(actor)
    get_visible(Case.objects, actor, pk=case.pk)  # the actor's own scope, before the client's
    action = ACTIONS.get(action_code)
    if action is None:
        raise WorkbenchError(_("未知的操作"))
    if case.status not in action.statuses:
        raise WorkbenchError(_("办件当前状态为“%(status)s”，不能%(action)s") % {
            "status": case.get_status_display(), "action": action.label})
    now = now or timezone.now()
    if action.code in STEP_ACTIONS:
        problem = step_problem(case, staff, fields.get("step"), state_at(case, now))
        if problem:
            raise WorkbenchError(problem)
    event = {"event_id": f"wb-{uuid.uuid4().hex}", "case_no": case.case_no, "type": action.event_type,
             "occurred_at": _instant(now), **fields}
    if action.event_type in STAFF_TYPES:
        event["staff"] = staff.code
    with transaction.atomic():
        _send(workbench_client(case.department), event, now)
        record(actor, f"workbench.{action.code}", "case", case.case_no, before={"status": case.status},
               after=_audit_safe(event), reason=str(fields.get("reason", "")))
    return event


def _audit_safe(event):
    """The event as the audit ledger keeps it: the applicant masked (name, ID number, phone)."""
    applicant = event.get("applicant")
    if not applicant:
        return event
    masked = {"name": mask_name(applicant.get("name", "")),
              "id_number": mask_id_number(applicant.get("id_number", "")),
              "phone": mask_phone(applicant.get("phone", ""))}
    return {**event, "applicant": masked}


# -- the applicant's identity, masked or not ------------------------------------------------------
def registered_by(case, user):
    """True when `user` registered this case at the workbench (their staff code on its `received`)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return False
    return CaseEvent.objects.filter(case_no=case.case_no, type="received", source=SOURCE,
                                    data__staff=staff.code).exists()


def registering_staff(case):
    """The Staff named on the case's `received` event, or None."""
    from orgs.models import Staff

    received = CaseEvent.objects.filter(case_no=case.case_no, type="received").order_by("occurred_at", "pk").first()
    code = (received.data or {}).get("staff") if received else None
    return Staff.objects.filter(code=code).first() if code else None


def applicant_of(case, user, *, receipt=False):
    """{name, id_number, phone, masked}: unmasked for UNMASK_ROLES and, on the receipt only, for the
    clerk who registered the case; every unmasked view is written to the audit ledger."""
    unmask = role_of(user) in UNMASK_ROLES or (receipt and registered_by(case, user))
    has_identifiers = bool(case.applicant_id_number or case.applicant_phone)
    if unmask and has_identifiers:
        record_unmasked(user, "case", case.case_no, "receipt" if receipt else "case page")
        return {"name": case.applicant_name, "id_number": case.applicant_id_number,
                "phone": case.applicant_phone, "masked": False}
    return {"name": case.applicant_name, "id_number": mask_id_number(case.applicant_id_number),
            "phone": mask_phone(case.applicant_phone), "masked": has_identifiers}


# -- applicant ID numbers (GB 11643-1999) ---------------------------------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_number_problem(value):
    """Why a citizen ID number is not valid, or None. 18 characters, a valid birth date, and the
    check digit of GB 11643 (ISO 7064 MOD 11-2)."""
    value = value.strip().upper()
    if len(value) != 18:
        return _("身份证号应为 18 位（现为 %(n)d 位）") % {"n": len(value)}
    if not ID_PATTERN.match(value):
        return _("身份证号前 17 位应为数字，最后一位为数字或 X")
    if not _valid_birth(value[6:14]):
        return _("身份证号中的出生日期 %(d)s 无效") % {"d": value[6:14]}
    expected = ID_CHECK[sum(int(c) * w for c, w in zip(value[:17], ID_WEIGHTS)) % 11]
    if value[17] != expected:
        return _("身份证号校验位错误（按 GB 11643 应为 %(c)s）") % {"c": expected}
    return None


def _valid_birth(digits):
    from datetime import date

    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born


def with_check_digit(first17):
    """The full ID number for 17 digits (used by tests and demo data)."""
    return first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def is_open(case):
    return case.status not in ENDED_STATUSES
