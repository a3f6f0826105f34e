"""Who may do what to a complaint: centre staff of its centre's jurisdiction run the flow; the manager of
the department it is assigned to answers it. Pages show exactly these actions and POSTs are checked
against the same set."""
from core.access import scope_of
from core.roles import Role

from .models import Extension, Status

CENTRE_ACTIONS = {
    Status.SUBMITTED: {"register", "decline", "redirect", "merge"},
    Status.REGISTERED: {"assign", "merge"},
    Status.ANSWERED: {"verify", "return"},
    Status.VERIFIED: {"feed_back"},
    Status.FED_BACK: {"rate"},
    Status.CLOSED: {"archive"},
    Status.DECLINED: {"archive"},
    Status.REDIRECTED: {"archive"},
    Status.MERGED: {"archive"},
}


def is_centre(user):
    """Centre staff (supervisor, centre admin) and system administrators."""
    return scope_of(user).is_centre


def is_department(user):
    return scope_of(user).role == Role.DEPT_MANAGER


def may_open_office(user):
    """The complaints office (and its menu entry): centre staff and department managers."""
    return is_centre(user) or is_department(user)


def handles(user, c):
    """True when `user` is the one who answers this complaint now."""
    scope = scope_of(user)
    if c.handled_by_centre:
        return scope.is_centre
    return scope.role == Role.DEPT_MANAGER and c.assignee_id in scope.department_ids


def allowed_actions(user, c):
    """The action names `user` may take on complaint `c` (already known to be visible to them)."""
    actions = set(CENTRE_ACTIONS.get(c.status, ())) if is_centre(user) else set()
    if c.status == Status.ASSIGNED and handles(user, c):
        actions.add("answer")
    if c.status in (Status.ASSIGNED, Status.ANSWERED) and not c.extension and (handles(user, c) or is_centre(user)):
        actions.add("request_extension")
    if c.extension == Extension.REQUESTED and is_centre(user):
        actions.add("decide_extension")
    return actions
