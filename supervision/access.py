"""Who may act on an urge (督办单). The one function the pages, the API and the actions ask.

- answer: the manager of the urged department;
- close and return (send back): supervisors and administrators of the centre that holds the urge
  now — its issuing centre, or after escalation the centre one level up (never the county centre
  whose urge went up, never another centre that merely sees the department);
- system administrators: all three.
An action is offered only while the urge is in the status it starts from.
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.access import scope_of
from core.roles import CENTRE_ROLES, Role

from .models import UrgeStatus

ANSWER, CLOSE, RETURN = "answer", "close", "return"
# the status each action starts from
FROM_STATUS = {ANSWER: UrgeStatus.ISSUED, CLOSE: UrgeStatus.ANSWERED, RETURN: UrgeStatus.ANSWERED}


class UrgeForbidden(PermissionDenied):
    pass


def may(who, urge, action):
    """Whether `who`'s role and place let them take `action` on `urge` (whatever its status now)."""
    scope = scope_of(who)
    if scope.role == Role.SYSTEM_ADMIN:
        return True
    if action == ANSWER:
        return scope.role == Role.DEPT_MANAGER and urge.department_id in scope.department_ids
    staff = getattr(who, "staff", None)
    return scope.role in CENTRE_ROLES and staff is not None and staff.centre_id == urge.centre_id


def urge_actions(who, urge):
    """The actions `who` may take on `urge` now: its status allows them and so do their role and place."""
    return {action for action, status in FROM_STATUS.items() if urge.status == status and may(who, urge, action)}


def require_urge_action(who, urge, action):
    """Raise UrgeForbidden (a 403) unless `who` may take `action` on `urge`."""
    if may(who, urge, action):
        return
    if action == ANSWER:
        raise UrgeForbidden(_("只有被督办部门的负责人可以答复督办单"))
    raise UrgeForbidden(_("只有当前承办该督办单的监察中心可以办结或退回（督办单 %(no)s 现由%(centre)s承办）")
                        % {"no": urge.number, "centre": urge.centre.name})
