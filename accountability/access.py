"""Who sees accountability cases: confidential. Centre roles (and the system administrator) see the
cases of their jurisdiction; a department manager sees the cases against their department only from
the decision on (they carry it out); window staff and the public see none."""
from core.access import scope_of, scoped
from core.roles import CENTRE_ROLES, Role

from .models import AccountabilityCase, Stage

MANAGER_STAGES = (Stage.DECIDED, Stage.EXECUTED, Stage.ARCHIVED)


def may_open_office(user):
    """The accountability office (and its menu entry): those who may see some cases at all."""
    scope = scope_of(user)
    return scope.everything or scope.role in CENTRE_ROLES or scope.role == Role.DEPT_MANAGER


def visible_cases(user, qs=None):
    qs = AccountabilityCase.objects.all() if qs is None else qs
    scope = scope_of(user)
    if scope.everything or scope.role in CENTRE_ROLES:
        return scoped(qs, user)
    if scope.role == Role.DEPT_MANAGER:
        return scoped(qs, user).filter(stage__in=MANAGER_STAGES)
    return qs.none()
