"""Who may do what to ratings (好差评): see a rating, act on its follow-up (回访、核实、整改、认定), see the
rater's phone, register evaluator devices. Called by the pages (evaluations/views/office.py) and the API
(evaluations/api.py) alike.

- department managers (and the system administrator) run the follow-up of their department's bad ratings:
  record the visit, verify, answer;
- centre roles judge it: void (不属实、恶意) or reject a dispute;
- centre administrators (and the system administrator) register and switch off devices.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from cases.models import ApiClient
from core.access import is_centre_admin, scope_of, scoped
from core.roles import Role, UNMASK_ROLES

from .models import FollowUpStatus, Rating

# What the follow-up page offers; the POSTed actions are these with a suffix (verify_yes, void_malicious).
VISIT, VERIFY, ANSWER, VOID, REJECT = "visit", "verify", "answer", "void", "reject"


def ratings_for(who, queryset=None):
    """The ratings `who` sees (pages, exports, statistics): their scope."""
    return scoped(Rating.objects.all() if queryset is None else queryset, who)


def visible_rating(who, number, queryset=None):
    """The rating numbered `number` if `who` may see it, else None: their scope, and for an integration
    client also the ratings it submitted itself (it relays the follow-up to the rater)."""
    qs = Rating.objects.all() if queryset is None else queryset
    visible = scope_of(who).q(Rating)
    if isinstance(who, ApiClient):
        visible |= Q(api_client=who.name)
    return qs.filter(visible, number=number).first()


def follow_up_actions(who, follow):
    """The follow-up actions `who` may take on `follow` now (its status allows them, and so does their role)."""
    if follow is None:
        return set()
    scope = scope_of(who)
    dept = scope.role in (Role.DEPT_MANAGER, Role.SYSTEM_ADMIN) or scope.everything
    allowed = {
        VISIT: dept and follow.is_open,
        VERIFY: dept and follow.status == FollowUpStatus.PENDING,
        ANSWER: dept and follow.status == FollowUpStatus.RECTIFYING,
        VOID: scope.is_centre and follow.is_open,
        REJECT: scope.is_centre and follow.status == FollowUpStatus.DISPUTED,
    }
    return {action for action, ok in allowed.items() if ok}


def require_follow_up_action(who, follow, action):
    """PermissionDenied unless `who` may take `action` (e.g. "verify_yes": the part before "_") on `follow`."""
    if action.split("_")[0] not in follow_up_actions(who, follow):
        raise PermissionDenied


def may_unmask_rater(who, rating, follow=None):
    """Whether `who` may see the rater's full phone number (each look is logged): the roles that may unmask,
    and whoever is to visit the rater."""
    if not rating.rater_phone:
        return False
    scope = scope_of(who)
    return scope.role in UNMASK_ROLES or scope.everything or VISIT in follow_up_actions(who, follow)


def may_register_devices(who):
    """Registering, renewing and switching off evaluator devices: centre administrators."""
    return is_centre_admin(who)
