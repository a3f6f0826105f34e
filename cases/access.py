"""Who may do what on the online workbench (DOMAIN.md, roles): window staff and department managers act on
their department's cases; centre roles and the system administrator only read. Called by the views and
by the actions (cases.actions) alike."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from catalog.models import Item
from core.access import get_visible, scope_of, scoped
from core.roles import CENTRE_ROLES, Role

from . import rules
from .models import OPEN_STATUSES, Case, CaseStatus

# Who may act on cases; centre roles and the system administrator only read (DOMAIN.md, roles).
ACTING_ROLES = {Role.WINDOW_STAFF, Role.DEPT_MANAGER}


READING_ROLES = ACTING_ROLES | CENTRE_ROLES | {Role.SYSTEM_ADMIN}


# Actions on one step of the item: only staff holding the step's post, and never both sides of
# separation of duties (see step_problem).
STEP_ACTIONS = {"start_step", "complete_step"}



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
