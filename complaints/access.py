"""Who may do what to a complaint: centre staff of its centre's jurisdiction run the flow; the manager of
the department it is assigned to answers it. Pages show exactly these actions and POSTs are checked
against the same set."""
from cases.models import ApiClient
from core.access import is_centre_user, scope_of
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


# Which fields of a complaint each audience sees. The back-office page (complaints/detail.html,
# office.html) and the API (complaints/api.py) both read this one definition. The department answers the
# complaint from the centre's instructions; it never sees who complained, how, what exactly they wrote,
# or the centre's reply to them (addressed to the complainant by name).
COMPLAINT_FIELDS = frozenset({
    "number", "category", "subject", "status", "assignee", "handled_by_centre", "submitted_at", "register_due",
    "due", "extension", "satisfaction", "instructions", "findings", "measures", "reasons", "archive",
})
CENTRE_ONLY_FIELDS = frozenset({
    "channel", "department", "content", "occurred_on", "place", "identity", "attachments", "merged", "feedback",
})


def complaint_fields(viewer):
    """The complaint fields `viewer` may see: everything for centre staff and for the integration client
    that sent the complaint (it relays the reply to the complainant); the shared part for a department."""
    if isinstance(viewer, ApiClient) or is_centre_user(viewer):
        return COMPLAINT_FIELDS | CENTRE_ONLY_FIELDS
    return COMPLAINT_FIELDS


def is_department(user):
    return scope_of(user).role == Role.DEPT_MANAGER


def may_open_office(user):
    """The complaints office (and its menu entry): centre staff and department managers."""
    return is_centre_user(user) or is_department(user)


def handles(user, c):
    """True when `user` is the one who answers this complaint now."""
    scope = scope_of(user)
    if c.handled_by_centre:
        return scope.is_centre
    return scope.role == Role.DEPT_MANAGER and c.assignee_id in scope.department_ids


def allowed_actions(user, c):
    """The action names `user` may take on complaint `c` (already known to be visible to them)."""
    actions = set(CENTRE_ACTIONS.get(c.status, ())) if is_centre_user(user) else set()
    if c.status == Status.ASSIGNED and handles(user, c):
        actions.add("answer")
    if c.status in (Status.ASSIGNED, Status.ANSWERED) and not c.extension and (handles(user, c) or is_centre_user(user)):
        actions.add("request_extension")
    if c.extension == Extension.REQUESTED and is_centre_user(user):
        actions.add("decide_extension")
    return actions
