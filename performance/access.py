"""Who may do what to the assessment: adjust a score, review and publish a period. Called by the views
and by the actions (performance.actions) alike."""
from core.access import scope_of, scoped
from core.roles import CENTRE_ROLES, Role

from .models import Score

def may_adjust(actor, score):
    """Only centre roles (or the system administrator) whose scope covers the organisation."""
    scope = scope_of(actor)
    if not (scope.everything or scope.role in CENTRE_ROLES):
        return False
    return scoped(Score.objects.filter(pk=score.pk), actor).exists()


def may_publish(actor):
    """Reviewing and publishing: a system process (a name), the system administrator or a centre
    role of a League-level (top) centre."""
    if isinstance(actor, str):
        return True
    scope = scope_of(actor)
    if scope.everything or scope.role == Role.SYSTEM_ADMIN:
        return True
    return scope.role in CENTRE_ROLES and scope.region_path is not None and scope.region_path.count("/") == 1
