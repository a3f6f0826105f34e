"""The online workbench (网上办件): window staff register and handle cases for halls that have no
approval system of their own.

One path: every action builds the exchange-API event dict and hands it to cases.ingest.ingest with
the built-in ApiClient "workbench" (source "workbench"); nothing here writes to Case. The acting
user's own scope is checked first (the client's scope is then widened to the department on demand,
so ingest's own scope check passes for exactly the departments people act for).
"""
import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Item
from core.access import get_visible, scope_of, scoped
from core.audit import record, record_unmasked
from core.masking import mask_id_number, mask_name, mask_phone
from core.numbering import local_day, next_number
from core.roles import CENTRE_ROLES, UNMASK_ROLES, Role
from workdays.zone import tz

from . import reserved, rules
from .ingest import ingest
from .models import ENDED_STATUSES, OPEN_STATUSES, ApiClient, Case, CaseEvent, CaseStatus
from .replay import state_at
from .reserved import CLIENT_NAME, SOURCE

# Who may act on cases; centre roles and the system administrator only read (DOMAIN.md, roles).
ACTING_ROLES = {Role.WINDOW_STAFF, Role.DEPT_MANAGER}
READING_ROLES = ACTING_ROLES | CENTRE_ROLES | {Role.SYSTEM_ADMIN}
# Event types that carry the acting clerk's staff code.
STAFF_TYPES = {"received", "accepted", "rejected", "step_started", "step_completed", "completed"}

# Actions on one step of the item: only staff holding the step's post, and never both sides of
# separation of duties (see step_problem).
STEP_ACTIONS = {"start_step", "complete_step"}



class WorkbenchError(Exception):
    """An action that cannot be recorded; the message is shown to the clerk."""


@dataclass(frozen=True)
class Action:
    code: str
    event_type: str
    label: str
    statuses: tuple


ACTIONS = {a.code: a for a in (
    Action("accept", "accepted", _("受理"), (CaseStatus.RECEIVED,)),
    Action("request_supplement", "supplement_requested", _("一次性告知补正"), (CaseStatus.RECEIVED,)),
    Action("supplement_received", "supplement_received", _("补正材料收到"), (CaseStatus.AWAITING_SUPPLEMENT,)),
    Action("reject", "rejected", _("不予受理"), (CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT)),
    Action("start_step", "step_started", _("开始环节"), (CaseStatus.IN_PROGRESS,)),
    Action("complete_step", "step_completed", _("完成环节"), (CaseStatus.IN_PROGRESS,)),
    Action("suspend", "suspended", _("暂停计时"), (CaseStatus.IN_PROGRESS,)),
    Action("resume", "resumed", _("恢复计时"), (CaseStatus.SUSPENDED,)),
    Action("extend", "extended", _("延期"), (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)),
    Action("charge_fee", "fee_charged", _("收费"), OPEN_STATUSES + (CaseStatus.COMPLETED,)),
    Action("complete", "completed", _("办结"), (CaseStatus.IN_PROGRESS,)),
    Action("withdraw", "withdrawn", _("申请人撤回"), OPEN_STATUSES),
)}

# -- who may do what ----------------------------------------------------------------------------
def role_of(user):
    return scope_of(user).role


def can_read(user):
    return role_of(user) in READING_ROLES


def can_act(user):
    return role_of(user) in ACTING_ROLES


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied


def acting_staff(user):
    """The Staff record of someone allowed to act, or PermissionDenied."""
    if not can_act(user):
        raise PermissionDenied
    return user.staff


def visible_case(user, case_no):
    """The case if `user` may see it, else 404 (another window's case does not exist for a clerk)."""
    require_reader(user)
    return get_visible(Case.objects.select_related("item_version", "department", "window__hall", "region"),
                       user, case_no=case_no)


def items_for(user):
    """The items a clerk or manager may register cases for: their department's."""
    return scoped(Item.objects.select_related("department__region"), user)


def available_actions(case, user):
    """The actions this user may take on this case now, in display order."""
    if not can_act(user):
        return []
    return [a for a in ACTIONS.values() if case.status in a.statuses]


def step_problem(case, staff, step_code, state):
    """Why `staff` may not start or complete step `step_code` of `case` (a message for them), or None.

    - The step's `responsible` names a post: only staff holding it (Staff.posts()) may do the step; a
      step that names none is open to everyone who may act on the case.
    - Separation of duties (不相容岗位分离): nobody may do an approval step (审批) of a case where they
      completed a handling step (承办), nor the other way round; which steps those are is
      cases.rules.duty_steps, as for the rule SAME_HANDLER_APPROVAL. Who completed a step is what the
      clock counts (`state`, the case now: the first completion), compared as rules.staff_key does."""
    version = case.item_version
    steps = version.steps if version else []
    step = next((s for s in steps if s["code"] == step_code), None)
    if step is None:
        return _("该事项没有环节“%(step)s”") % {"step": step_code}
    post = (step.get("responsible") or "").strip()
    if post and post not in staff.posts():
        return _("环节“%(step)s”须由“%(post)s”岗位的人员办理，您的岗位是“%(mine)s”") % {
            "step": step["name"], "post": post, "mine": staff.post.strip() or _("未登记")}
    duties = rules.duty_steps((s["code"], s.get("kind")) for s in steps)
    kind = duties.get(step_code)
    if kind is None or state is None:
        return None
    me, names = rules.staff_key(staff.code), {s["code"]: s["name"] for s in steps}
    for done in state.steps:
        if duties.get(done.code) not in (None, kind) and done.completed_at is not None \
                and me is not None and rules.staff_key(done.completed_by) == me:
            return _("您已完成本办件的“%(done)s”环节，“%(step)s”须由其他人员办理（同一人不得既承办又审批）") % {
                "done": names[done.code], "step": step["name"]}
    return None


def allowed_steps(case, user, state):
    """The item's steps (catalog dicts, in order) `user` may start or complete on `case` now."""
    if not can_act(user) or case.item_version is None:
        return []
    staff = user.staff
    return [s for s in case.item_version.steps if step_problem(case, staff, s["code"], state) is None]


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
